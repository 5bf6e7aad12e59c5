"""The checks that notebooks call: visible (known values, shapes, input safety) and hidden
(random inputs consistent with the forward pass, compared with the reference)."""
from typing import Callable

from grader import fixtures, messages, reference
from grader.exercises import exercise
from grader.helpers import helpers_rule, other_answers_replaced
from grader.judge import mistake_outputs, reference_output, run_cases
from grader.messages import WrongAnswer

__all__ = ["WrongAnswer", "check_hidden", "check_visible"]


def check_visible(assignment: str, name: str, fn: Callable) -> None:
    """Compare fn with the stored known values of `name` (no reference needed), under helpers_rule."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    pairs, mistakes = fixtures.visible_pairs(assignment, name)
    with helpers_rule(assignment, name, fn):
        n = run_cases(ex, fn, pairs, "known-value", mistakes)
    print(messages.passed_visible(name, n))


def check_hidden(assignment: str, name: str, fn: Callable) -> None:
    """Compare fn with the reference on random inputs consistent with the forward pass."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    ref = reference.load(assignment)
    pairs = ((case, reference_output(ref, name, case.args)) for case in ex.cases(ref, ex.hidden_rng()))
    with other_answers_replaced(assignment, name, fn, ref):
        n = run_cases(ex, fn, pairs, "hidden", lambda case: mistake_outputs(ref, ex, case.args))
    print(messages.passed_hidden(name, n))
