"""The description of one graded function: its arguments, outputs and test inputs."""
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Tuple, Union


@dataclass
class Case:
    """One set of inputs. `m` (number of examples) lets diagnostics recognise a missing 1/m."""
    label: str
    args: tuple
    m: Optional[int] = None


@dataclass
class Mistake:
    """A likely wrong answer, recognised by its output. `output(reference, *args)` returns what a
    function with this mistake returns, built from the reference module (so it never ships to
    students); when a student's wrong output equals it, the message adds "<output> is exactly what
    you get by <cause>"."""
    name: str
    cause: str
    output: Callable[..., object]


@dataclass
class Exercise:
    name: str
    arg_names: Tuple[str, ...]
    # One name per returned item when the function returns a tuple, or one name for one value.
    outputs: Union[str, Tuple[str, ...]]
    # cases(reference_module, numpy Generator) -> iterable of Case: consistent with the forward pass.
    cases: Callable[..., Iterable[Case]]
    # How many of the cases (built with the fixture seed) are stored as visible known values.
    n_known: int = 2
    seed: int = 1234
    # Known mistakes to recognise in a wrong output (stored with the known values for visible checks).
    mistakes: Tuple[Mistake, ...] = ()
    # Rewrites a problem so that the parts of a nested output are named in words ("caches: step 2's h_next"
    # rather than "caches[0][1][0]").
    names: Optional[Callable[[str], str]] = None
