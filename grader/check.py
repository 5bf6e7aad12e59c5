"""The checks that notebooks call: visible (known values, shapes, input safety) and hidden
(random inputs consistent with the forward pass, compared with the reference)."""
import contextlib
import copy
import io
import re
import textwrap
import warnings

import numpy as np

from grader import compare, fixtures, reference, runner
from grader.exercise import Case
from grader.exercises import exercise, exercises


class WrongAnswer(AssertionError):
    """A graded function gave a wrong result; the message says what and the likely cause."""

    def _render_traceback_(self):
        # IPython shows exactly these lines: the diagnosis, once, without the grader's frames and paths,
        # wrapped so that nbgrader's Validate (which cuts lines) loses nothing.
        lines = str(self).splitlines() or [""]
        name = type(self).__name__
        first = _wrap(f"{name}: {lines[0]}", "", "  ")
        first[0] = f"\x1b[0;31m{name}\x1b[0m" + first[0][len(name):]
        rest = []
        for line in lines[1:]:
            indent = line[:len(line) - len(line.lstrip())]
            rest += _wrap(line.strip(), indent, indent + "  ")
        return first + rest


# nbgrader's Validate indents each line by 4 and cuts it at 87 characters: wrap shorter, so nothing is lost.
WIDTH = 80
PRINTED_LINES = 8


def _wrap(text, first, rest):
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def _split_first(problem):
    """A problem cut after its first clause (its first '; ', '. ' or ': ' past a few words): the first line of
    the message names the cause, the next one continues the sentence."""
    cuts = [i for i in (problem.find(sep, 20) for sep in ("; ", ". ", ": ")) if i > 0]
    if not cuts or problem.startswith("raised "):
        return problem, ""
    return problem[:min(cuts) + 1], problem[min(cuts) + 2:]


def reference_output(reference, name, args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(reference, name)(*copy.deepcopy(args))


def mistake_outputs(reference, ex, args):
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


def _describe(value):
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_describe(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (tuple, list)):
        items = [_describe(v) for v in value]
        if isinstance(value, list) and len(items) > 2 and len(set(items)) == 1:
            return f"[{len(items)} x {items[0]}]"  # e.g. one cache per time step
        inner = ", ".join(items)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


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
        return [f"returned a list, but must return a tuple: `return {', '.join(ex.outputs)}`"]
    return []


def _problems(ex, result, expected, m, mistake_outputs=None):
    problems = _problems_found(ex, result, expected, m, mistake_outputs)
    return [ex.names(p) for p in problems] if ex.names else problems


def _problems_found(ex, result, expected, m, mistake_outputs=None):
    if result.error:
        return [result.error]
    wrong_type = _type_problem(ex, result.value, expected)
    if wrong_type:
        return wrong_type
    if isinstance(ex.outputs, tuple):
        got = result.value
        if not isinstance(got, (tuple, list)) or len(got) != len(ex.outputs):
            return [f"{ex.name} should return a tuple ({', '.join(ex.outputs)}), got "
                    f"{compare.type_name(got) if not isinstance(got, (tuple, list)) else f'{len(got)} items'}"]
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


def _report(ex, case, problems, result, kind, number=None):
    """The message of a wrong answer: a first line that names the function, the case and the first cause (short,
    for nbgrader's Validate), then every problem, the case, its inputs and what the function printed."""
    if problems == [runner.NOT_IMPLEMENTED]:
        return f"{ex.name} {problems[0]}"
    case_name = f"{kind} case {number}" if number else f"{kind} case"
    first, more = _split_first(problems[0])
    lines = [f"{ex.name}, {case_name}: {first}"] + ([f"  {more}"] if more else [])
    lines += [f"  - {p}" for p in problems[1:]]
    lines.append(f"  the case: {case.label}")
    lines.append("  inputs: " + ", ".join(f"{n}={_describe(a)}" for n, a in zip(ex.arg_names, case.args)))
    if result.warnings:
        lines.append("  warnings raised while it ran: " + "; ".join(result.warnings))
    if result.stderr.strip():
        lines.append("  it wrote to stderr: " + result.stderr.strip()[:500])
    if result.stdout.strip():
        printed = result.stdout.strip().splitlines()
        lines.append("  your function printed:")
        lines += [f"    {line[:WIDTH - 4]}" for line in printed[:PRINTED_LINES]]
        if len(printed) > PRINTED_LINES:
            lines.append(f"    ... ({len(printed) - PRINTED_LINES} more lines)")
    return "\n".join(lines)


def _once(make):
    """A function computing make() on its first call only."""
    memo = []

    def value():
        if not memo:
            memo.append(make())
        return memo[0]
    return value


def run_cases(ex, fn, cases_with_expected, kind, mistakes=None):
    """Raise WrongAnswer at the first case where fn disagrees; return the number of cases.

    mistakes(case), if given, returns {mistake name: its output} for ex.mistakes (asked only
    when an answer is wrong)."""
    __tracebackhide__ = True
    n = 0
    for number, (case, expected) in enumerate(cases_with_expected, 1):
        result = runner.call(fn, case.args, ex.arg_names)
        outputs = _once(lambda case=case: mistakes(case)) if mistakes else None
        # A changed input comes first: it is the likely cause of any wrong value after it.
        problems = result.mutated + _problems(ex, result, expected, case.m, outputs)
        if problems:
            raise WrongAnswer(_report(ex, case, problems, result, kind, number))
        n += 1
    return n


def _visible_pairs(assignment, name):
    rows = fixtures.load(assignment)[name]
    pairs = [(Case(r["label"], fixtures.decode(r["args"]), r["m"]), fixtures.decode(r["expected"]))
             for r in rows]
    stored = {id(case): row.get("mistakes", {}) for (case, _), row in zip(pairs, rows)}
    return pairs, lambda case: {k: fixtures.decode(v) for k, v in stored[id(case)].items()}


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
        pairs, mistakes = _visible_pairs(assignment, other)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_cases(exercise(assignment, other), helper, pairs, "known-value", mistakes)
        except WrongAnswer:
            failing.append(other)
    return failing


@contextlib.contextmanager
def helpers_rule(assignment, name, fn):
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
        raise WrongAnswer(f"{wrong}\n  note: {name} calls {', '.join(failing)}, which "
                          f"{'does' if len(failing) == 1 else 'do'} not pass {'its' if len(failing) == 1 else 'their'} "
                          f"own checks: fix {'it' if len(failing) == 1 else 'them'} first, {name} itself may be "
                          f"right") from None


def check_visible(assignment, name, fn):
    """Compare fn with the stored known values of `name` (no reference needed), under helpers_rule."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    pairs, mistakes = _visible_pairs(assignment, name)
    with helpers_rule(assignment, name, fn):
        n = run_cases(ex, fn, pairs, "known-value", mistakes)
    print(f"\u2713 {name}: {n} known-value checks passed (values, shapes, inputs left unchanged)")


@contextlib.contextmanager
def other_answers_replaced(assignment, name, fn, ref):
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


def check_hidden(assignment, name, fn):
    """Compare fn with the reference on random inputs consistent with the forward pass."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    ref = reference.load(assignment)
    rng = np.random.default_rng(ex.seed)
    pairs = ((case, reference_output(ref, name, case.args)) for case in ex.cases(ref, rng))
    with other_answers_replaced(assignment, name, fn, ref):
        n = run_cases(ex, fn, pairs, "hidden", lambda case: mistake_outputs(ref, ex, case.args))
    print(f"\u2713 {name}: {n} hidden cases passed")
