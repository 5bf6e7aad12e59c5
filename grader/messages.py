"""What a student reads when an answer is wrong, and how it is shown: the sentences the checks of the
kernel and of the trusted re-grade share, and WrongAnswer, which renders them.

Imports nothing of the grader: compare, runner, judge and the sandbox's judge all take their words from
here, so a sentence is written once and reads the same wherever the answer was graded."""
import re
import textwrap
from typing import Any

import numpy as np

# nbgrader's Validate indents each line by 4 and cuts it at 87 characters: wrap shorter, so nothing is lost.
WIDTH = 80
PRINTED_LINES = 8

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


def describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {describe(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (tuple, list)):
        items = [describe(v) for v in value]
        if isinstance(value, list) and len(items) > 2 and len(set(items)) == 1:
            return f"[{len(items)} x {items[0]}]"  # e.g. one cache per time step
        inner = ", ".join(items)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def report(ex: Any, case: Any, problems: list[str], result: Any, kind: str, number: int | None = None) -> str:
    """The message of a wrong answer: a first line that names the function, the case and the first cause (short,
    for nbgrader's Validate), then every problem, the case, its inputs and what the function printed."""
    # ex: an Exercise, case: a Case, result: a runner.CallResult (not imported: every other module imports this one)
    if problems == [NOT_IMPLEMENTED]:
        return f"{ex.name} {problems[0]}"
    case_name = f"{kind} case {number}" if number else f"{kind} case"
    first, more = _split_first(problems[0])
    lines = [f"{ex.name}, {case_name}: {first}"] + ([f"  {more}"] if more else [])
    lines += [f"  - {p}" for p in problems[1:]]
    lines.append(f"  the case: {case.label}")
    lines.append("  inputs: " + ", ".join(f"{n}={describe(a)}" for n, a in zip(ex.arg_names, case.args)))
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


NOT_IMPLEMENTED = "is not implemented yet: replace `raise NotImplementedError()` with your code"
CONSTANT_FACTOR = "a constant factor is wrong"
EMPTY_AXIS_HINT = ("an axis of length 0 usually comes from a slice with a negative end, such as "
                   "x[pad:-pad], which is empty when pad = 0; write the end explicitly, "
                   "x[pad:pad + n]")
SYS_EXIT = "called sys.exit({code}): a graded function must return its result"

# Hints for errors whose message alone does not say the likely cause: what NumPy 2 no longer accepts of the code
# that older published answers use, and a window cut short at the edge of an unpadded array.
ERROR_HINTS = (
    (re.compile(r"broadcast together with shapes \((\d+),(\d+),(\d+)\) \((\d+),(\d+),\3\)"),
     "two windows of different sizes: a window slice that runs past the edge of an array comes back shorter; "
     "with padding, read every window from the padded array (A_prev_pad), not from A_prev"),
    (re.compile(r"module 'numpy' has no attribute '(float|int|bool|object|str|complex)'"),
     "NumPy 2 removed np.float, np.int, np.bool and the like: write float, int or bool"),
    (re.compile(r"only 0-dimensional arrays can be converted to Python scalars|only length-1 arrays"),
     "in NumPy 2, float() takes only an array with no axes: use x.item(), or index it, e.g. b[0, 0, 0] for a "
     "bias of shape (1, 1, 1)"),
)

# A shape such as (0,0,3) or (5, 0) in an error message: some axis has length 0.
EMPTY_SHAPE = re.compile(r"\((?:\d+,\s*)*0(?:,\s*\d+)*,?\)")


def error_hint(kinds: list[str], message: str) -> str:
    """The hint, in parentheses with a leading space, for an exception of these class names (the class and its
    bases) and this message; "" when none applies."""
    if ("ValueError" in kinds or "IndexError" in kinds) and EMPTY_SHAPE.search(message):
        return f" ({EMPTY_AXIS_HINT})"
    return next((f" ({text})" for pattern, text in ERROR_HINTS if pattern.search(message)), "")


def passed_visible(name: str, n: int) -> str:
    return f"\u2713 {name}: {n} known-value checks passed (values, shapes, inputs left unchanged)"


def passed_hidden(name: str, n: int) -> str:
    return f"\u2713 {name}: {n} hidden cases passed"


def helpers_fail(name: str, failing: list[str]) -> str:
    """The note added to a failure of `name` when graded functions it calls fail their own checks."""
    one = len(failing) == 1
    return (f"  note: {name} calls {', '.join(failing)}, which {'does' if one else 'do'} not pass "
            f"{'its' if one else 'their'} own checks: fix {'it' if one else 'them'} first, {name} itself may be right")


def list_for_tuple(outputs: tuple[str, ...]) -> str:
    return f"returned a list, but must return a tuple: `return {', '.join(outputs)}`"


def not_a_tuple(name: str, outputs: tuple[str, ...], got: str) -> str:
    return f"{name} should return a tuple ({', '.join(outputs)}), got {got}"


# In the trusted re-grade only the definitions of the cells run (grader.sandbox.child).
NAME_HINT = (" (when grading, only the definitions of your cells are run: imports, def, class and "
             "assignments that call no function; compute other values inside your function)")


def in_line(line: int, text: str) -> str:
    """Where in the graded function an exception was raised (lines counted from its def)."""
    return f" in line {line} of your function" + (f": `{text}`" if text else "")


def raised(kind: str, message: str, where: str, hint: str) -> str:
    """The sentence of an answer that raised an exception."""
    return f"raised {kind}: {message}{where}{hint}"


# The trusted re-grade
# (grader.sandbox.trusted: what a student reads when their notebook is re-graded outside their kernel)
def not_gradable(function: str, why: str, notes: str = "") -> str:
    """`function` got no result at all (the notebook could not be read, the sandbox stopped during set-up)."""
    return f"{function} could not be graded: {why}.{notes}"


def not_defined(function: str, notes: str = "") -> str:
    return (f"{function} is not defined in your notebook (was its answer cell deleted, renamed "
            f"or left with a syntax error?){notes}")


def stopped_on_case(function: str, why: str, kind: str, label: str, notes: str = "") -> str:
    """The sandbox stopped while `function` ran one case (`kind`: known-value or hidden)."""
    return f"{function} {why}, on the {kind} case '{label}'.{notes}"


def loading_notes(notes: list[str]) -> str:
    """What went wrong while the sandbox loaded the notebook's definitions ("" when nothing did)."""
    return ("\n  while loading your notebook: " + "; ".join(notes)) if notes else ""


def unreadable_results(error: object) -> str:
    return f"sent unreadable results ({error})"


RESULTS_OUT_OF_ORDER = "sent results out of order"
OUTPUT_TOO_LARGE = "returned or printed far too much data"
FILE_TOO_LARGE = "wrote a file larger than the limit"


def wall_timeout(seconds: float) -> str:
    return f"did not finish within {seconds:g} s (an infinite loop?)"


def cpu_timeout(seconds: float) -> str:
    return f"used more than {seconds:g} s of CPU time (an infinite loop?)"


def killed(signal_name: str, memory_mb: int) -> str:
    return f"the grading process was killed ({signal_name}; memory limit {memory_mb} MB)"


def exited_early(code: int) -> str:
    return (f"the grading process exited (code {code}) before finishing: os._exit or sys.exit "
            f"outside a function, or a crash of the interpreter")
