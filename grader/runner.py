"""Call a student function safely: on copies of its inputs, with warnings, prints and errors
captured, and with a check that the inputs were not modified."""
import contextlib
import copy
import io
import sys
import sysconfig
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader import messages, reference

MAX_CAPTURED_CHARS = 2000


class BoundedWriter(io.TextIOBase):
    """A text stream that keeps the first MAX_CAPTURED_CHARS characters and counts the rest."""

    def __init__(self) -> None:
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        room = MAX_CAPTURED_CHARS - self.kept
        self.parts.append(text[:max(room, 0)])
        self.kept += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def getvalue(self) -> str:
        more = f"\n... ({self.dropped} more characters)" if self.dropped else ""
        return "".join(self.parts) + more


@dataclass
class CallResult:
    value: object = None
    error: str = ""
    warnings: list = field(default_factory=list)
    stdout: str = ""
    stderr: str = ""
    mutated: list = field(default_factory=list)  # one sentence per input the function changed


def _differences(before, after, name):
    """[(path, before, after)] under `name` where `after` is no longer identical to `before`."""
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return [(name, before, after)]
        out = []
        for key in before:
            out += _differences(before[key], after[key], f'{name}["{key}"]')
        return out
    if isinstance(before, (list, tuple)):
        if type(after) is not type(before) or len(after) != len(before):
            return [(name, before, after)]
        out = []
        for i, (b, a) in enumerate(zip(before, after)):
            out += _differences(b, a, f"{name}[{i}]")
        return out
    if isinstance(before, np.ndarray):
        same = (isinstance(after, np.ndarray) and after.shape == before.shape
                and after.dtype == before.dtype and np.array_equal(after, before, equal_nan=True))
        return [] if same else [(name, before, after)]
    return [] if type(after) is type(before) and after == before else [(name, before, after)]


def _restored_but_not_exactly(before, after):
    """True when every entry came back within rounding (e.g. x += eps; x -= 2 * eps; x += eps)."""
    if not (isinstance(before, np.ndarray) and isinstance(after, np.ndarray) and before.shape == after.shape
            and before.dtype.kind == "f" and after.dtype.kind == "f"):
        return False
    scale = max(float(np.max(np.abs(before), initial=0.0)), 1e-300)
    return bool(np.all(np.isfinite(after)) and np.max(np.abs(after - before), initial=0.0) <= 1e-12 * scale)


def changed_inputs(arg_names: tuple[str, ...], before_args: tuple, after_args: tuple) -> list[str]:
    """A sentence for each input the function changed, with the fix that fits how it was changed (one sentence
    for all the entries of a dict)."""
    sentences = []
    for arg, before_arg, after_arg in zip(arg_names, before_args, after_args):
        if callable(before_arg):
            continue
        changed = _differences(before_arg, after_arg, arg)
        exact = [(path, b, a) for path, b, a in changed if not _restored_but_not_exactly(b, a)]
        for path, before, after in changed:
            if _restored_but_not_exactly(before, after):
                sentences.append(
                    f"your function modified its input {path} in place and left it off by "
                    f"{float(np.max(np.abs(after - before))):.1e}: adding and subtracting eps does not restore a float "
                    f"exactly; save the entry and put it back (`saved = x[i]`, ..., `x[i] = saved`) or perturb a copy")
        if exact and isinstance(before_arg, dict):
            more = f" (and {len(exact) - 1} more of its entries)" if len(exact) > 1 else ""
            sentences.append(
                f"your function modified its input {exact[0][0]} in place{more}: it wrote into the dict it was given "
                f"(e.g. after `new = {arg}`, or with `-=` or `*=` on its arrays); build a new dict of new arrays, e.g. "
                f"`new = {{}}`, then `new[k] = ...` computed from `{arg}[k]` without changing it")
        elif exact:
            sentences += [
                f"your function modified its input {path} in place (e.g. `y = {path}` then `y[...] = 0`, or "
                f"`{path} *= ...`): `y = {path}` does not copy; work on a copy, `y = {path}.copy()`"
                for path, _, _ in exact]
    return sentences




def _is_library(path):
    """True for Python's and the installed packages' own files (numpy's frames are not the student's)."""
    return any(path.startswith(prefix) for prefix in _LIBRARY_PREFIXES) or "/grader/" in path


_LIBRARY_PREFIXES = tuple({p.replace("\\", "/") for p in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                                                          *sysconfig.get_paths().values()) if p})


def _frames(exc):
    """[(function name, line within that function counting its def as 1, source line, kind)] of the frames of
    exc that are the student's ("student") or the course's reference helpers ("course"), innermost last."""
    out = []
    for summary, (frame, lineno) in zip(traceback.extract_tb(exc.__traceback__), traceback.walk_tb(exc.__traceback__)):
        path = frame.f_code.co_filename.replace("\\", "/")
        if str(frame.f_globals.get("__name__", "")).startswith(reference.MODULE_PREFIX):
            out.append((frame.f_code.co_name, 0, "", "course"))  # never its source: it is the hidden reference
        elif not _is_library(path):
            out.append((frame.f_code.co_name, lineno - frame.f_code.co_firstlineno + 1,
                        (summary.line or "").strip(), "student"))
    return out


def _where(frames, graded):
    """Where in the student's code an exception was raised, naming the function that raised it."""
    mine = [f for f in frames if f[3] == "student"]
    if not mine:
        return ""
    name, line, text, _ = mine[-1]
    code = f": `{text}`" if text else ""
    if name == graded or graded is None:
        where = messages.in_line(line, text)
    else:
        where = f" in {name}, line {line} of it{code}"
        caller = [f for f in mine if f[0] == graded]
        if caller:
            where += f" (called from line {caller[-1][1]} of {graded}" + (f": `{caller[-1][2]}`)" if caller[-1][2] else ")")
    inner = frames[-1]
    if inner[3] == "course":
        where = f" inside the course's {inner[0]}, called with your arguments" + where.replace(" in line", ", from line", 1)
    return where


def describe_exception(exc: BaseException, graded: str | None = None) -> str:
    """One short paragraph: the exception and the student's line that raised it (lines counted from the def of
    the function they are in; an error inside another function it called names that function)."""
    if isinstance(exc, NotImplementedError):
        return messages.NOT_IMPLEMENTED
    where = _where(_frames(exc), graded)
    hint = messages.error_hint([k.__name__ for k in type(exc).__mro__], str(exc))
    message = (str(exc).splitlines() or [""])[0][:300]  # numpy's removal notices run to several lines
    return messages.raised(type(exc).__name__, message, where, hint)


def call(fn: Callable, args: tuple, arg_names: tuple[str, ...]) -> CallResult:
    """Run fn(*args) on deep copies of args and report what happened."""
    given = copy.deepcopy(args)
    out, err = BoundedWriter(), BoundedWriter()
    result = CallResult()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                result.value = fn(*given)
            except SystemExit as exc:
                result.error = messages.SYS_EXIT.format(code=exc.code)
            except Exception as exc:  # noqa: BLE001 - any student error becomes a message
                result.error = describe_exception(exc, getattr(fn, "__name__", None))
    result.warnings = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
    result.stdout, result.stderr = out.getvalue(), err.getvalue()
    result.mutated = changed_inputs(arg_names, args, given)
    return result
