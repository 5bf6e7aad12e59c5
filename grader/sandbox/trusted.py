"""Trusted re-grading of a submission outside the student's kernel (grades that submitted code
cannot forge). See docs/security.md for the threat model and the design.

    regrade(notebook_path, assignment, *, cell_timeout=60.0, memory_mb=2048) -> dict[str, ExerciseResult]

For every graded function of `assignment`, run the student's code from the submitted notebook in a
fresh isolated process (grader.sandbox.isolate) that cannot read solutions/ or the course folder, call the
function on inputs built here with the reference, bring back its outputs as plain numbers and
arrays, and compare them here (the trusted process) with the reference using grader.compare. Keys
are the grade_ids of the test cells of the source notebook (test_<function>). A crash, a time-out,
a memory blow-up or a missing function costs only that exercise.

This process never imports or executes student code and never unpickles anything it receives: it
parses the notebook as JSON, sends cell sources to the sandbox as text, and reads back JSON and raw
numeric arrays (grader.sandbox.wire.unpack).
"""
import ast
import functools
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import judge, messages, reference, runner
from grader.cells import cell_source, nbgrader_meta, text
from grader.exercises import exercises
from grader.sandbox import isolate as sandbox
from grader.sandbox import submission, wire
from grader.sandbox.submission import indicators, program_for

OUTPUT_CAP = 64 * 1024 * 1024
# Extra cases drawn with a seed nobody knows in advance (defeats answers precomputed for the
# public seeds of the hidden tests). $BACKPROP_LAB_TRUSTED_SEED fixes it; $BACKPROP_LAB_TRUSTED_FRESH=0
# turns them off.
ENV_SEED, ENV_FRESH = "BACKPROP_LAB_TRUSTED_SEED", "BACKPROP_LAB_TRUSTED_FRESH"
_SALT = secrets.randbits(62)
# The program run in the sandbox, shipped as text (never imported here); it imports grader.sandbox.wire
# itself inside the sandbox (see grader/sandbox/child.py for why that works with both backends).
CHILD_SOURCE = Path(__file__).with_name("child.py").read_text()


@dataclass
class ExerciseResult:
    grade_id: str           # "test_<function>"
    function: str
    score: float            # points awarded by the trusted comparison
    max_score: float
    message: str = ""       # diagnostic shown to the student ("" when correct)
    flags: list = field(default_factory=list)  # e.g. ["timeout"], ["crashed"], ["missing function"]


# ----------------------------------------------------------------------------- the course side
def _checked_functions(source, names):
    """Function names a test cell checks: second argument of check_visible/check_hidden calls."""
    found = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("check_visible", "check_hidden") \
                and node.args[1].value in names and node.args[1].value not in found:
            found.append(node.args[1].value)
    return found


def graded_cells(assignment: str, layout: list | None = None, source: str | Path | None = None) -> list:
    """[(grade_id, points, [functions])] of the autograded test cells of the instructor's copy (points and cell ids
    never come from the submission): `layout`, the gradebook's source cells of the course being graded
    ([{"grade_id", "cell_type", "source", "grade", "solution", "points"}], as grader.instructor.bundle reads them), or else
    the instructor's source notebook at `source` (the caller knows where the course keeps it; this room
    never looks into the instructor's)."""
    names = list(exercises(assignment))
    if layout is None:
        if source is None:
            raise ValueError("graded_cells needs the course's test cells: layout= (the gradebook's) or "
                             "source= (the instructor's source notebook)")
        nb = json.loads(Path(source).read_text())
        layout = [{"grade_id": meta.get("grade_id"), "cell_type": cell.get("cell_type"),
                   "source": cell_source(cell), "grade": bool(meta.get("grade")),
                   "solution": bool(meta.get("solution")), "points": meta.get("points", 0)}
                  for cell in nb["cells"] for meta in [nbgrader_meta(cell)]]
    cells = []
    for cell in layout:
        if cell.get("cell_type") != "code" or not cell.get("grade") or cell.get("solution"):
            continue
        grade_id, source = cell["grade_id"], text(cell.get("source", ""))
        functions = _checked_functions(source, names)
        if not functions:
            prefixed = [n for n in names if grade_id == f"test_{n}" or grade_id.startswith(f"test_{n}_")]
            functions = sorted(prefixed, key=len)[-1:]
        if functions:
            cells.append((grade_id, float(cell.get("points") or 0), functions))
    return cells


def _cases(ex, ref, notebook_bytes):
    """[(kind, Case, expected)]: the visible known values, the hidden cases (the seeds the
    in-kernel tests use) and fresh hidden cases from an unpredictable seed."""
    out = []
    for case in list(ex.cases(ref, ex.visible_rng()))[:ex.n_known]:
        out.append(("known-value", case, judge.reference_output(ref, ex.name, case.args)))
    for case in ex.cases(ref, ex.hidden_rng()):
        out.append(("hidden", case, judge.reference_output(ref, ex.name, case.args)))
    if os.environ.get(ENV_FRESH, "1") != "0":
        seed = os.environ.get(ENV_SEED)
        if seed is None:
            digest = hashlib.sha256(notebook_bytes + ex.name.encode() + str(_SALT).encode()).digest()
            seed = int.from_bytes(digest[:8], "big")
        for case in ex.cases(ref, ex.fresh_rng(int(seed))):
            expected = judge.reference_output(ref, ex.name, case.args)
            if _all_finite(expected):  # a fresh draw may be degenerate; never blame the student
                out.append(("hidden", case, expected))
    return out


def _all_finite(value):
    if isinstance(value, dict):
        return all(_all_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_finite(v) for v in value)
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001
        return True
    return arr.dtype.kind not in "fc" or bool(np.all(np.isfinite(arr)))


# ----------------------------------------------------------------------------- the submission side
class SandboxError(RuntimeError):
    """The sandbox itself failed (e.g. too little memory to start Python): no score is given,
    since no student code had run. regrade() raises it; the caller should report, not grade."""


# ----------------------------------------------------------------------------- grading
def _deny_roots(notebook_path, solutions_folder):
    """Paths the child's audit hook refuses (the sandbox itself hides them when bwrap is used): the
    solutions folder and the course it belongs to (its parent, unless that is / or a top-level
    folder such as /tmp, which a copied bundle of solutions may live in), the notebook's folders, cwd
    and home."""
    roots = set(sandbox.secret_paths([solutions_folder]))
    course = Path(solutions_folder).resolve().parent
    if len(course.parts) > 2:
        roots.add(str(course))
    try:
        roots.add(os.getcwd())
    except OSError:
        pass
    folder = Path(notebook_path).resolve().parent
    for parent in [folder, *folder.parents][:4]:
        if len(parent.parts) > 2:
            roots.add(str(parent))
    home = os.path.expanduser("~")
    if home not in ("/", ""):
        roots.add(home)
    return sorted(roots)


def _allow_roots():
    allow = list(sandbox.interpreter_roots())
    allow += ["/usr", "/lib", "/lib64", "/etc", "/dev/null", "/dev/urandom"]
    return allow


def _job(function, program, cases, notebook_path, solutions_folder, helpers=("", [])):
    return wire.pack({"function": function, "cells": program, "cases": [c.args for _, c, _ in cases],
                      "allow": _allow_roots(), "deny": _deny_roots(notebook_path, solutions_folder),
                      "helpers": helpers[0], "inject": list(helpers[1])})


def reference_helpers(assignment: str, function: str, solutions: str | Path | None = None) -> tuple[str, tuple[str, ...]]:
    """(source, names): the reference definitions of the other graded functions that the answer
    to `function` may call, with what they need from the reference module, leaving out every one
    that is or calls `function` itself, so that the sandbox never holds the reference of the
    function it grades. The sandbox puts them in place of the student's own (as check_hidden
    does in the kernel): a wrong helper costs only the helper's points."""
    path = reference.path_of(assignment, solutions)
    return _reference_helpers(str(path), path.stat().st_mtime_ns, tuple(exercises(assignment)), function)


@functools.lru_cache(maxsize=256)
def _reference_helpers(path, _mtime, graded, function):
    tree = ast.parse(Path(path).read_text())
    defs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    uses = {name: {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & set(defs) for name, node in defs.items()}

    def closure(name):
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += uses[current]
        return seen

    chosen, needed = [], set()
    for name in graded:
        if name != function and name in defs and function not in closure(name):
            chosen.append(name)
            needed |= closure(name)
    if not chosen:
        return "", ()
    header = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign))]
    body = [defs[name] for name in defs if name in needed]
    return "\n\n".join(ast.unparse(node) for node in header + body) + "\n", tuple(chosen)


def _records(outcome):
    records, error = [], ""
    pos = 0
    while pos < len(outcome.output):
        try:
            record, pos = wire.unpack(outcome.output, pos)
        except wire.ProtocolError as exc:
            error = str(exc)
            break
        if not isinstance(record, dict):
            error = "unexpected record"
            break
        records.append(record)
    return records, error


def _stop_reason(outcome, cell_timeout, memory_mb):
    if outcome.timed_out:
        return "timeout", messages.wall_timeout(cell_timeout)
    if outcome.overflow:
        return "output too large", messages.OUTPUT_TOO_LARGE
    code = outcome.returncode
    if code is not None and code < 0:
        sig = -code
        if sig == 24:  # SIGXCPU
            return "timeout", messages.cpu_timeout(cell_timeout)
        if sig == 25:  # SIGXFSZ
            return "output too large", messages.FILE_TOO_LARGE
        name = {9: "SIGKILL", 11: "SIGSEGV", 6: "SIGABRT"}.get(sig, f"signal {sig}")
        return "crashed", messages.killed(name, memory_mb)
    return "crashed", messages.exited_early(code)


def _prepare(assignment, ex, cells, ref, raw, notebook_path, solutions_folder):
    """(program, cases, static flags, job bytes) of one graded function."""
    program = submission.program_for(cells, ex.name)
    flags = []
    for name, src in program:
        flags += [f"tamper indicator in cell {name}: {why}" for why in submission.indicators(src)]
    cases = _cases(ex, ref, raw)
    return cases, flags, _job(ex.name, program, cases, notebook_path, solutions_folder,
                              reference_helpers(assignment, ex.name, solutions_folder))


def _judge(ex, ref, cases, flags, outcome, cell_timeout, memory_mb):
    """(passed, message, flags) for one graded function, from what its sandbox run sent back."""
    flags = list(flags)
    records, protocol_error = _records(outcome)
    if not records or records[0].get("ready") is not True:
        # Nothing of the student's has run yet: a broken grading environment, not a wrong answer.
        raise SandboxError(f"the grading sandbox ({outcome.backend}) failed before running any student code "
                           f"(exit code {outcome.returncode}): {outcome.stderr.strip()[-1500:]}")
    records = records[1:]
    setup = records[0] if records and records[0].get("setup") is True else None
    denied = []
    for record in records:
        denied = record.get("denied") if isinstance(record.get("denied"), list) else denied
    flags += [f"sandbox refused: {str(d)[:200]}" for d in dict.fromkeys(map(str, denied))][:10]
    notes = [str(n) for n in setup.get("notes", [])][:10] if setup and isinstance(setup.get("notes"), list) else []
    note_text = messages.loading_notes(notes)

    if setup is None:
        flag, why = ("crashed", messages.unreadable_results(protocol_error)) if protocol_error \
            else _stop_reason(outcome, cell_timeout, memory_mb)
        return False, messages.not_gradable(ex.name, why, note_text), flags + [flag]
    if not setup.get("defined"):
        return False, messages.not_defined(ex.name, note_text), flags + ["missing function"]
    for index, (kind, case, expected) in enumerate(cases):
        number = sum(1 for other, _, _ in cases[:index + 1] if other == kind)  # as the in-kernel check counts
        record = records[index + 1] if index + 1 < len(records) else None
        if record is None or record.get("case") != index:
            flag, why = ("crashed", messages.unreadable_results(protocol_error)) if protocol_error \
                else ("crashed", messages.RESULTS_OUT_OF_ORDER) if record is not None \
                else _stop_reason(outcome, cell_timeout, memory_mb)
            return False, messages.stopped_on_case(ex.name, why, kind, case.label, note_text), flags + [flag]
        result = _call_result(record, case, ex)
        if getattr(ex, "mistakes", None):  # recognise known mistakes, as the in-kernel check does
            mistakes = judge.once(lambda case=case: judge.mistake_outputs(ref, ex, case.args))
            problems = judge.problems(ex, result, expected, case.m, mistakes)
        else:
            problems = judge.problems(ex, result, expected, case.m)
        problems = result.mutated + problems
        if problems:
            return False, messages.report(ex, case, problems, result, kind, number) + note_text, flags
    return True, "", flags


def _strings(value, limit=20):
    return [str(v)[:500] for v in value][:limit] if isinstance(value, list) else []


def _error_text(error):
    """The sentence runner.describe_exception would write, from the parts the sandbox sent."""
    if not error:
        return ""
    if not isinstance(error, dict):
        return str(error)[:2000]
    if "exit" in error:
        return messages.SYS_EXIT.format(code=str(error["exit"])[:100])
    kinds = error.get("is") if isinstance(error.get("is"), list) else []
    if "NotImplementedError" in kinds:
        return messages.NOT_IMPLEMENTED
    kind, message = str(error.get("type", "Exception"))[:100], str(error.get("message", ""))[:500]
    where = ""
    if isinstance(error.get("lineno"), int):
        line = str(error.get("line") or "")[:300]
        where = messages.in_line(error["lineno"], line)
    hint = messages.NAME_HINT if "NameError" in kinds else messages.error_hint(kinds, message)
    return messages.raised(kind, message, where, hint)


def _call_result(record, case, ex):
    result = runner.CallResult()
    result.value = record.get("value")
    result.error = _error_text(record.get("error"))
    result.warnings = _strings(record.get("warnings"))
    result.stdout = str(record.get("stdout") or "")[:4000]
    result.stderr = str(record.get("stderr") or "")[:4000]
    after = record.get("args_after")
    if isinstance(after, tuple) and len(after) == len(case.args):
        result.mutated = runner.changed_inputs(ex.arg_names, case.args, after)
    return result


def regrade(notebook_path: str | Path, assignment: str, *, cell_timeout: float = 60.0, memory_mb: int = 2048,
            layout: list | None = None, solutions: str | Path | None = None,
            source: str | Path | None = None) -> dict[str, ExerciseResult]:
    """{grade_id: ExerciseResult} for every autograded test cell of `assignment` (see module doc).
    The test cells and points come from `layout` or else the source notebook `source` (graded_cells);
    `solutions`: the folder of the hidden references (reference.solutions_dir's default when None),
    which the sandbox must not see.

    Raises SandboxError when the sandbox fails before any student code runs (e.g. memory_mb too
    small for Python and numpy): that is the grading machine's problem, never a 0 for the student."""
    table = exercises(assignment)
    cells_of_tests = graded_cells(assignment, layout, source)
    try:
        raw, cells = submission.student_cells(notebook_path)
        unreadable = ""
    except submission.UnreadableNotebook as exc:
        raw, cells, unreadable = b"", [], str(exc)
    ref = reference.load(assignment, solutions) if not unreadable else None
    functions = list(dict.fromkeys(f for _, _, fs in cells_of_tests for f in fs))
    if unreadable:
        verdicts = {f: (False, messages.not_gradable(f, unreadable), ["unreadable notebook"]) for f in functions}
    else:
        folder = reference.solutions_dir(solutions)
        prepared = {f: _prepare(assignment, table[f], cells, ref, raw, notebook_path, folder) for f in functions}
        # One sandboxed interpreter per submission, a fresh forked child per function.
        outcomes = sandbox.run_python_many(CHILD_SOURCE, [prepared[f][2] for f in functions], timeout=cell_timeout,
                                           memory_mb=memory_mb, output_cap=OUTPUT_CAP, secrets=[folder])
        verdicts = {f: _judge(table[f], ref, prepared[f][0], prepared[f][1], outcome, cell_timeout, memory_mb)
                    for f, outcome in zip(functions, outcomes)}
    results = {}
    for grade_id, points, functions in cells_of_tests:
        passed = all(verdicts[f][0] for f in functions)
        message = "\n".join(verdicts[f][1] for f in functions if verdicts[f][1])
        flags = list(dict.fromkeys(flag for f in functions for flag in verdicts[f][2]))
        results[grade_id] = ExerciseResult(grade_id, functions[0], points if passed else 0.0, points,
                                           message, flags)
    return results


__all__ = ["ExerciseResult", "SandboxError", "regrade", "graded_cells", "program_for", "indicators"]
