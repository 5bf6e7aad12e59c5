"""Trusted re-grading of every assignment whose notebook exists (01 now, 02-05 as they land).

For each: the exercise inputs travel to the sandbox as plain data, the solved notebook keeps full
marks, the stub notebook scores 0 with "not implemented yet", and each pipeline bug of
tests/bugs/<module>.py costs exactly its function's points with the same words the in-kernel
check prints.
"""
import importlib
import re

import nbformat
import numpy as np
import pytest

from grader import reference, runner, trusted
from grader import sandbox_child as wire
from grader.exercises import exercises, module_name
from grader.notebook import available, fill, read, reference_bodies, solve, source_path

ASSIGNMENTS = available()


def _write(tmp_path, assignment, nb):
    path = tmp_path / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_inputs_are_plain_data(assignment):
    """Every case argument survives the wire unchanged (no object the sandbox cannot rebuild)."""
    ref = reference.load(assignment)
    for name, ex in exercises(assignment).items():
        for seed in (ex.seed, ex.seed + 1, 99):
            for case in ex.cases(ref, np.random.default_rng(seed)):
                back, _ = wire.unpack(wire.pack(case.args), resolve=True)
                changed = [p for n, a, b in zip(ex.arg_names, case.args, back) for p in runner._differences(a, b, n)
                           if not callable(a) or a is not b]
                assert not changed, f"{assignment}.{name} case {case.label!r}: {changed} cannot be sent to the sandbox"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solved_notebook_keeps_full_marks(tmp_path, assignment):
    results = trusted.regrade(_write(tmp_path, assignment, solve(assignment)), assignment)
    assert results and set(results) == {g for g, _, _ in trusted.graded_cells(assignment)}
    for grade_id, result in results.items():
        assert result.score == result.max_score > 0, f"{grade_id}: {result.message}"
        assert result.flags == [], f"{grade_id}: {result.flags}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stub_notebook_scores_zero(tmp_path, assignment):
    results = trusted.regrade(_write(tmp_path, assignment, read(source_path(assignment))), assignment)
    for grade_id, result in results.items():
        assert result.score == 0 and "not implemented yet" in result.message, (grade_id, result.message)


def _bugs(assignment):
    try:
        return importlib.import_module(f"tests.bugs.{module_name(assignment)}").BUGS
    except ModuleNotFoundError:
        return []


@pytest.mark.parametrize("assignment,bug", [(a, b) for a in ASSIGNMENTS for b in _bugs(a)],
                         ids=lambda v: v if isinstance(v, str) else v[0])
def test_pipeline_bugs_get_the_usual_diagnostic(tmp_path, assignment, bug):
    fn, old, new, words = bug
    bodies = dict(reference_bodies(assignment))
    bodies[fn] = bodies[fn].replace(old, new)
    results = trusted.regrade(_write(tmp_path, assignment, fill(read(source_path(assignment)), bodies)), assignment)
    for grade_id, result in results.items():
        if re.fullmatch(rf"test_{fn}(_.*)?", grade_id):
            assert result.score == 0 and words in result.message, result.message
        else:
            assert result.score == result.max_score, f"{grade_id} lost points for a bug in {fn}: {result.message}"
