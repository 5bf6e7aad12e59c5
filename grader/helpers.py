"""The helper rule: a graded function that calls other graded functions is checked with the reference's
versions of them where the reference is available (autograde), so a wrong helper costs only its own
points; elsewhere (a student's Validate) a failure says which of the helpers fail their own checks."""
import contextlib
import io
from types import ModuleType
from typing import Callable, Iterator

from grader import fixtures, messages, reference
from grader.exercises import exercise, exercises
from grader.judge import run_cases
from grader.messages import WrongAnswer

def _names_used(code):
    """Global names a function's code (and the code nested in it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names_used(const)
    return names


def _failing_helpers(assignment, name, fn):
    """The other graded functions that fn calls and that fail their own known values."""
    scope, code = getattr(fn, "__globals__", {}), getattr(fn, "__code__", None)
    if code is None:
        return []
    failing = []
    for other in exercises(assignment):
        helper = scope.get(other)
        if other == name or other not in _names_used(code) or not callable(helper):
            continue
        pairs, mistakes = fixtures.visible_pairs(assignment, other)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_cases(exercise(assignment, other), helper, pairs, "known-value", mistakes)
        except WrongAnswer:
            failing.append(other)
    return failing


@contextlib.contextmanager
def helpers_rule(assignment: str, name: str, fn: Callable) -> Iterator[None]:
    """Every check of fn runs under this rule: where the reference is available (autograde), the other graded
    functions fn calls are the reference's, so a wrong helper costs only its own points; elsewhere (a student's
    Validate) a failure says which of them fail their own checks."""
    __tracebackhide__ = True
    try:
        ref = reference.load(assignment)
    except reference.ReferenceUnavailable:
        ref = None
    try:
        with other_answers_replaced(assignment, name, fn, ref) if ref else contextlib.nullcontext():
            yield
    except WrongAnswer as wrong:
        failing = [] if ref else _failing_helpers(assignment, name, fn)
        if not failing:
            raise
        raise WrongAnswer(f"{wrong}\n{messages.helpers_fail(name, failing)}") from None


@contextlib.contextmanager
def other_answers_replaced(assignment: str, name: str, fn: Callable, ref: ModuleType) -> Iterator[list[str]]:
    """While fn is graded, the other graded functions it can call (the names in its module's
    globals, e.g. linear_backward inside linear_activation_backward) are the reference's: a wrong
    helper costs only the helper's own points. Restored afterwards, whatever happens."""
    scope = getattr(fn, "__globals__", None)
    names = [other for other in exercises(assignment) if other != name and isinstance(scope, dict)
             and callable(scope.get(other)) and callable(getattr(ref, other, None))]
    saved = {other: scope[other] for other in names}
    try:
        for other in names:
            scope[other] = getattr(ref, other)
        yield names
    finally:
        for other, value in saved.items():
            scope[other] = value
