"""The description of one graded function: its arguments, outputs and test inputs."""
from dataclasses import dataclass
from typing import Callable, Iterable, Optional, Tuple, Union

import numpy as np


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
    # How many of the cases (drawn with visible_rng) are stored as visible known values.
    n_known: int = 2
    seed: int = 1234
    # Known mistakes to recognise in a wrong output (stored with the known values for visible checks).
    mistakes: Tuple[Mistake, ...] = ()
    # Rewrites a problem so that the parts of a nested output are named in words ("caches: step 2's h_next"
    # rather than "caches[0][1][0]").
    names: Optional[Callable[[str], str]] = None

    # The one rule for which generator draws which cases (the known-value fixtures, the in-kernel hidden
    # tests and the trusted re-grade all use it, so they agree on every input).
    def visible_rng(self) -> np.random.Generator:
        """The generator whose first `n_known` cases are the visible known values. Its seed differs from
        the hidden one because the known values ship to students with their inputs and expected outputs:
        drawn from the hidden seed they would give away the answers to the first hidden cases."""
        return np.random.default_rng(self.seed + 1)

    def hidden_rng(self) -> np.random.Generator:
        """The generator of the hidden cases (the in-kernel hidden tests and their trusted re-grade)."""
        return np.random.default_rng(self.seed)

    def fresh_rng(self, seed: int) -> np.random.Generator:
        """The generator of the trusted re-grade's fresh hidden cases, from a seed nobody knows in advance
        (so answers precomputed for the public seeds above fail). Mixed with the exercise's own seed so
        that one grading seed still gives every exercise different inputs."""
        return np.random.default_rng([abs(int(seed)), self.seed])
