"""Judging one answer on one case: the reference's output, the known mistakes' outputs, the problems
found in what the answer returned, and running a list of cases. Shared by the checks of the kernel
(grader.check) and the trusted re-grade (grader.sandbox), which differ only in how they call the answer."""
import copy
import warnings
from types import ModuleType
from typing import Any, Callable, Iterable

from grader import compare, messages, runner
from grader.exercise import Case, Exercise
from grader.messages import WrongAnswer

def reference_output(reference: ModuleType, name: str, args: tuple) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(reference, name)(*copy.deepcopy(args))


def mistake_outputs(reference: ModuleType, ex: Exercise, args: tuple) -> dict[str, Any]:
    """{name: output} of each known mistake of `ex` on `args`, built with the reference (a mistake
    that cannot be built on these inputs is left out: it is a hint, never a reason to fail)."""
    outputs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mk in ex.mistakes:
            try:
                outputs[mk.name] = mk.output(reference, *copy.deepcopy(args))
            except Exception:  # noqa: BLE001
                continue
    return outputs


def _recognised(ex, mistake_outputs, out_name, got, expected, index=None):
    """Sentences naming the known mistakes of `ex` whose output equals the wrong output `got`."""
    if not ex.mistakes or mistake_outputs is None:
        return []
    outputs = mistake_outputs()
    candidates = [(m, outputs[m.name] if index is None else outputs[m.name][index])
                  for m in ex.mistakes if m.name in outputs]
    # A mistake that explains the whole output wins; two mistakes alike on a case give one cause.
    for mistake, wrong in candidates:
        if not compare.diagnose(got, wrong, out_name) and compare.diagnose(wrong, expected, out_name):
            return [f"{out_name} is exactly what you get by {mistake.cause}"]
    causes, explained = [], set()
    if not (isinstance(got, dict) and isinstance(expected, dict)):
        return causes
    for mistake, wrong in candidates:
        # A dict of results (e.g. gradients) may have the mistake in some entries only.
        if not isinstance(wrong, dict):
            continue
        keys = [k for k in expected if k in got and k in wrong and k not in explained
                and compare.diagnose(got[k], expected[k], k)
                and not compare.diagnose(got[k], wrong[k], k)]
        if keys:
            names = ", ".join(f'{out_name}["{k}"]' for k in keys)
            causes.append(f"{names} {'is' if len(keys) == 1 else 'are'} exactly what you get by {mistake.cause}")
            explained.update(keys)
    return causes


def _with_causes(found, causes):
    """The problems found, the recognised causes first; a generic "constant factor" line goes when a cause
    explains the output."""
    if not causes:
        return found
    return causes + [f for f in found if not f.endswith(compare.CONSTANT_FACTOR)]


def _type_problem(ex, got, expected):
    """A tuple the contract names, when the answer returns a list (a float: compare.diagnose, at any depth)."""
    if isinstance(expected, tuple) and isinstance(ex.outputs, tuple) and isinstance(got, list):
        return [messages.list_for_tuple(ex.outputs)]
    return []


def problems(ex: Exercise, result: runner.CallResult, expected: Any, m: int | None,
             mistake_outputs: Callable[[], dict[str, Any]] | None = None) -> list[str]:
    found = _problems_found(ex, result, expected, m, mistake_outputs)
    return [ex.names(p) for p in found] if ex.names else found


def _problems_found(ex, result, expected, m, mistake_outputs=None):
    if result.error:
        return [result.error]
    wrong_type = _type_problem(ex, result.value, expected)
    if wrong_type:
        return wrong_type
    if isinstance(ex.outputs, tuple):
        got = result.value
        if not isinstance(got, (tuple, list)) or len(got) != len(ex.outputs):
            return [messages.not_a_tuple(ex.name, ex.outputs,
                                         compare.type_name(got) if not isinstance(got, (tuple, list)) else f"{len(got)} items")]
        problems = []
        for index, (out_name, g, e) in enumerate(zip(ex.outputs, got, expected)):
            found = compare.diagnose(g, e, out_name, m)
            if found:
                found = _with_causes(found, _recognised(ex, mistake_outputs, out_name, g, e, index))
            problems += found
        return problems
    found = compare.diagnose(result.value, expected, ex.outputs, m)
    if found:
        found = _with_causes(found, _recognised(ex, mistake_outputs, ex.outputs, result.value, expected))
    return found


def once(make: Callable[[], Any]) -> Callable[[], Any]:
    """A function computing make() on its first call only."""
    memo = []

    def value():
        if not memo:
            memo.append(make())
        return memo[0]
    return value


def run_cases(ex: Exercise, fn: Callable, cases_with_expected: Iterable[tuple[Case, Any]], kind: str,
              mistakes: Callable[[Case], dict[str, Any]] | None = None) -> int:
    """Raise WrongAnswer at the first case where fn disagrees; return the number of cases.

    mistakes(case), if given, returns {mistake name: its output} for ex.mistakes (asked only
    when an answer is wrong)."""
    __tracebackhide__ = True
    n = 0
    for number, (case, expected) in enumerate(cases_with_expected, 1):
        result = runner.call(fn, case.args, ex.arg_names)
        outputs = once(lambda case=case: mistakes(case)) if mistakes else None
        # A changed input comes first: it is the likely cause of any wrong value after it.
        found = result.mutated + problems(ex, result, expected, case.m, outputs)
        if found:
            raise WrongAnswer(messages.report(ex, case, found, result, kind, number))
        n += 1
    return n
