"""The checks that notebooks call: visible (known values, shapes, input safety) and hidden
(random inputs consistent with the forward pass, compared with the reference)."""
import copy
import warnings

import numpy as np

from grader import compare, fixtures, reference, runner
from grader.exercise import Case
from grader.exercises import exercise


class WrongAnswer(AssertionError):
    """A graded function gave a wrong result; the message says what and the likely cause."""


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
    causes = []
    for mistake in ex.mistakes:
        if mistake.name not in outputs:
            continue
        wrong = outputs[mistake.name] if index is None else outputs[mistake.name][index]
        if not compare.diagnose(got, wrong, out_name) and compare.diagnose(wrong, expected, out_name):
            causes.append(f"{out_name} is exactly what you get by {mistake.cause}")
        elif isinstance(got, dict) and isinstance(wrong, dict) and isinstance(expected, dict):
            # A dict of results (e.g. gradients) may have the mistake in some entries only.
            keys = [k for k in expected if k in got and k in wrong
                    and compare.diagnose(got[k], expected[k], k)
                    and not compare.diagnose(got[k], wrong[k], k)]
            if keys:
                names = ", ".join(f'{out_name}["{k}"]' for k in keys)
                causes.append(f"{names} {'is' if len(keys) == 1 else 'are'} exactly what you get by {mistake.cause}")
    return causes


def _problems(ex, result, expected, m, mistake_outputs=None):
    if result.error:
        return [f"{ex.name} {result.error}"]
    if isinstance(ex.outputs, tuple):
        got = result.value
        if not isinstance(got, (tuple, list)) or len(got) != len(ex.outputs):
            return [f"{ex.name} should return a tuple ({', '.join(ex.outputs)}), got "
                    f"{compare._type_name(got) if not isinstance(got, (tuple, list)) else f'{len(got)} items'}"]
        problems = []
        for index, (out_name, g, e) in enumerate(zip(ex.outputs, got, expected)):
            found = compare.diagnose(g, e, out_name, m)
            if found:
                found += _recognised(ex, mistake_outputs, out_name, g, e, index)
            problems += found
        return problems
    found = compare.diagnose(result.value, expected, ex.outputs, m)
    if found:
        found += _recognised(ex, mistake_outputs, ex.outputs, result.value, expected)
    return found


def _report(ex, case, problems, result, kind):
    lines = [f"{ex.name} is wrong on the {kind} case '{case.label}'."]
    lines += [f"  - {p}" for p in problems]
    lines.append("  inputs: " + ", ".join(f"{n}={_describe(a)}" for n, a in zip(ex.arg_names, case.args)))
    if result.warnings:
        lines.append("  warnings raised while it ran: " + "; ".join(result.warnings))
    if result.stderr.strip():
        lines.append("  it wrote to stderr: " + result.stderr.strip()[:500])
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
    for case, expected in cases_with_expected:
        result = runner.call(fn, case.args, ex.arg_names)
        outputs = _once(lambda case=case: mistakes(case)) if mistakes else None
        problems = _problems(ex, result, expected, case.m, outputs)
        problems += [f"your function modified its input {path} in place; work on a copy instead "
                     f"(e.g. `W = W - lr * dW`, not `W -= lr * dW`)" for path in result.mutated]
        if problems:
            raise WrongAnswer(_report(ex, case, problems, result, kind))
        n += 1
    return n


def check_visible(assignment, name, fn):
    """Compare fn with the stored known values of `name` (no reference needed)."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    rows = fixtures.load(assignment)[name]
    pairs = [(Case(r["label"], fixtures.decode(r["args"]), r["m"]), fixtures.decode(r["expected"]))
             for r in rows]
    stored = {id(case): row.get("mistakes", {}) for (case, _), row in zip(pairs, rows)}
    n = run_cases(ex, fn, pairs, "known-value",
                  lambda case: {k: fixtures.decode(v) for k, v in stored[id(case)].items()})
    print(f"\u2713 {name}: {n} known-value checks passed (values, shapes, inputs left unchanged)")


def check_hidden(assignment, name, fn):
    """Compare fn with the reference on random inputs consistent with the forward pass."""
    __tracebackhide__ = True
    ex = exercise(assignment, name)
    ref = reference.load(assignment)
    rng = np.random.default_rng(ex.seed)
    pairs = ((case, reference_output(ref, name, case.args)) for case in ex.cases(ref, rng))
    n = run_cases(ex, fn, pairs, "hidden", lambda case: mistake_outputs(ref, ex, case.args))
    print(f"\u2713 {name}: {n} hidden cases passed")
