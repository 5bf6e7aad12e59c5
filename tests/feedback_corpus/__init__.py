"""A corpus of student-style wrong answers, one module per assignment, and the measure of how the checks treat them.

Each module holds WRONG, a list of WrongAnswer entries. `source` is the full `def` of a plausible wrong answer, written
as a student would (plain numpy), never built from the reference. It runs in a namespace like the notebook's: numpy as
np, copy, the helpers the notebook provides (sigmoid, relu, softmax) and the other graded functions of the assignment,
which are the reference's at grading (grader.helpers.other_answers_replaced). `cause` is a piece of text that the first
line of the failing check's message should contain when it names the cause (None when no named cause is expected).
"""
import contextlib
import copy
import importlib
import io
from dataclasses import dataclass
from typing import Callable, List, Optional

import numpy as np

from grader import WrongAnswer as Failed, check_hidden, check_visible, reference
from grader.exercises import exercises

MODULES = ("shallow_nn", "deep_nn", "conv_backward", "pool_backward", "rnn_bptt")
PROVIDED = ("sigmoid", "relu", "softmax")  # helpers the notebooks define for the student


@dataclass(frozen=True)
class WrongAnswer:
    assignment: str
    function: str
    label: str
    source: str
    cause: Optional[str]


@dataclass
class Result:
    entry: WrongAnswer
    visible: bool  # caught by the visible checks
    hidden: bool  # caught by the hidden checks
    named: bool  # the first line of the first failing message contains the cause
    first_line: str


def corpus() -> List[WrongAnswer]:
    """Every entry of every module, in order."""
    entries = []
    for name in MODULES:
        try:
            entries += importlib.import_module(f"{__name__}.{name}").WRONG
        except ModuleNotFoundError:
            continue
    return entries


def compile_answer(entry: WrongAnswer) -> Callable:
    """The entry's function, defined in a notebook-like namespace."""
    ref = reference.load(entry.assignment)
    scope = {"np": np, "copy": copy}
    scope.update({k: getattr(ref, k) for k in PROVIDED if hasattr(ref, k)})
    scope.update({k: getattr(ref, k) for k in exercises(entry.assignment) if k != entry.function})
    exec(compile(entry.source, f"<{entry.label}>", "exec"), scope)  # noqa: S102
    return scope[entry.function]


def _first_failure(check, entry: WrongAnswer) -> Optional[str]:
    fn = compile_answer(entry)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            check(entry.assignment, entry.function, fn)
    except Failed as exc:
        return (str(exc).splitlines() or [""])[0]
    return None


def measure(entry: WrongAnswer) -> Result:
    visible = _first_failure(check_visible, entry)
    hidden = _first_failure(check_hidden, entry)
    first = visible if visible is not None else hidden
    named = first is not None and entry.cause is not None and entry.cause in first
    return Result(entry, visible is not None, hidden is not None, named, first or "")


def table(results: List[Result]) -> str:
    rows = [("assignment", "function", "label", "visible", "hidden", "named")]
    rows += [(r.entry.assignment, r.entry.function, r.entry.label, "yes" if r.visible else "NO",
              "yes" if r.hidden else "NO", "yes" if r.named else "no") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def percentages(results: List[Result]) -> dict:
    n = len(results)
    return {"visible": 100.0 * sum(r.visible for r in results) / n,
            "hidden": 100.0 * sum(r.hidden for r in results) / n,
            "named": 100.0 * sum(r.named for r in results) / n}
