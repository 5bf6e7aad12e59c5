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

from grader import reference, runner
from grader.sandbox import trusted
from grader.sandbox import wire
from grader.exercises import exercises, module_name
from grader.instructor.notebook import available, fill, read, reference_bodies, solve, source_path

ASSIGNMENTS = available()


def _regrade(path, assignment, **options):
    """trusted.regrade with the points and test cells of this repository's source notebook."""
    return trusted.regrade(path, assignment, source=source_path(assignment), **options)


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
    results = _regrade(_write(tmp_path, assignment, solve(assignment)), assignment)
    assert results and set(results) == {g for g, _, _ in trusted.graded_cells(assignment, source=source_path(assignment))}
    for grade_id, result in results.items():
        assert result.score == result.max_score > 0, f"{grade_id}: {result.message}"
        assert result.flags == [], f"{grade_id}: {result.flags}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stub_notebook_scores_zero(tmp_path, assignment):
    results = _regrade(_write(tmp_path, assignment, read(source_path(assignment))), assignment)
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
    results = _regrade(_write(tmp_path, assignment, fill(read(source_path(assignment)), bodies)), assignment)
    for grade_id, result in results.items():
        if re.fullmatch(rf"test_{fn}(_.*)?", grade_id):
            assert result.score == 0 and words in result.message, result.message
        else:
            assert result.score == result.max_score, f"{grade_id} lost points for a bug in {fn}: {result.message}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_helpers_never_hold_the_graded_function(assignment):
    for function in exercises(assignment):
        source, names = trusted.reference_helpers(assignment, function)
        assert function not in names
        assert f"def {function}(" not in source, f"{function}'s reference would reach its own sandbox"
        for name in names:
            assert f"def {name}(" in source


def test_a_wrong_helper_costs_only_its_own_points_in_the_sandbox(tmp_path):
    A = "02_deep_nn"
    bodies = dict(reference_bodies(A))
    bodies["linear_backward"] = bodies["linear_backward"].replace("dW = dZ @ A_prev.T / m", "dW = dZ @ A_prev.T")
    bodies["linear_activation_backward"] = (  # a correct answer that calls the student's helpers
        "linear_cache, Z = cache\n"
        "dZ = relu_backward(dA, Z) if activation == 'relu' else sigmoid_backward(dA, Z)\n"
        "return linear_backward(dZ, linear_cache)")
    results = _regrade(_write(tmp_path, A, fill(read(source_path(A)), bodies)), A)
    assert results["test_linear_backward"].score == 0
    assert "m times too large" in results["test_linear_backward"].message
    full = results["test_linear_activation_backward"]
    assert full.score == full.max_score, full.message
