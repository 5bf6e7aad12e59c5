"""Call a student function safely: on copies of its inputs, with warnings, prints and errors
captured, and with a check that the inputs were not modified."""
import contextlib
import copy
import io
import re
import traceback
import warnings
from dataclasses import dataclass, field

import numpy as np

MAX_CAPTURED_CHARS = 2000


class _BoundedWriter(io.TextIOBase):
    """A text stream that keeps the first MAX_CAPTURED_CHARS characters and counts the rest."""

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        room = MAX_CAPTURED_CHARS - self.kept
        self.parts.append(text[:max(room, 0)])
        self.kept += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def getvalue(self):
        more = f"\n... ({self.dropped} more characters)" if self.dropped else ""
        return "".join(self.parts) + more


@dataclass
class CallResult:
    value: object = None
    error: str = ""
    warnings: list = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    mutated: list = field(default_factory=list)


def _differences(before, after, name):
    """Paths under `name` where `after` is no longer identical to `before`."""
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return [name]
        out = []
        for key in before:
            out += _differences(before[key], after[key], f'{name}["{key}"]')
        return out
    if isinstance(before, (list, tuple)):
        if type(after) is not type(before) or len(after) != len(before):
            return [name]
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out += _differences(b, a, f"{name}[{i}]")
        return out
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and after.dtype == before.dtype and np.array_equal(after, before, equal_nan=True))
        return [] if same else [name]
    return [] if type(after) is type(before) and after == before else [name]


def describe_exception(exc):
    """One short paragraph: the exception and the student's line that raised it."""
    if isinstance(exc, NotImplementedError):
        return "is not implemented yet: replace `raise NotImplementedError()` with your code"
    frames = traceback.extract_tb(exc.__traceback__)
    student = [f for f in frames if "/grader/" not in f.filename.replace("\\", "/")]
    where = ""
    if student:
        last = student[-1]
        where = f" in line {last.lineno} of your function" + (f": `{last.line.strip()}`" if last.line else "")
    hint = ""
    if isinstance(exc, (ValueError, IndexError)) and _EMPTY_SHAPE.search(str(exc)):
        from grader.compare import EMPTY_AXIS_HINT
        hint = f" ({EMPTY_AXIS_HINT})"
    return f"raised {type(exc).__name__}: {exc}{where}{hint}"


# A shape such as (0,0,3) or (5, 0) in an error message: some axis has length 0.
_EMPTY_SHAPE = re.compile(r"\((?:\d+,\s*)*0(?:,\s*\d+)*,?\)")


def call(fn, args, arg_names):
    """Run fn(*args) on deep copies of args and report what happened."""
    given = copy.deepcopy(args)
    out, err = _BoundedWriter(), _BoundedWriter()
    result = CallResult()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result.value = fn(*given)
            except SystemExit as exc:
                result.error = f"called sys.exit({exc.code}): a graded function must return its result"
            except Exception as exc:  # noqa: BLE001 - any student error becomes a message
                result.error = describe_exception(exc)
    result.warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    result.stdout, result.stderr = out.getvalue(), err.getvalue()
    for name, before, after in zip(arg_names, args, given):
        result.mutated += _differences(before, after, name)
    return result
