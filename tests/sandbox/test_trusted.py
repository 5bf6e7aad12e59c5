"""grader.sandbox.trusted.regrade on one assignment: each broken or hostile answer costs only its own exercise,
an unreadable notebook scores 0 with a flag, the points come from the course notebook, and a broken sandbox
raises instead of scoring 0."""
import nbformat
import pytest

from grader.sandbox import trusted
from grader.instructor.notebook import fill, read, reference_bodies, source_path

A = "01_shallow_nn"


def _regrade(path, assignment, **options):
    """trusted.regrade with the points and test cells of this repository's source notebook."""
    return trusted.regrade(path, assignment, source=source_path(assignment), **options)


# ----------------------------------------------------------------------------- regrade robustness
def _notebook(tmp_path, bodies=None, edit=None):
    all_bodies = dict(reference_bodies(A))
    all_bodies.update(bodies or {})
    nb = fill(read(source_path(A)), all_bodies)
    if edit:
        edit(nb)
    path = tmp_path / f"{A}.ipynb"
    nbformat.write(nb, str(path))
    return path


def _full_except(results, grade_id):
    return all(r.score == r.max_score for k, r in results.items() if k != grade_id) and results[grade_id].score == 0


def test_infinite_loop_costs_one_exercise(tmp_path):
    results = _regrade(_notebook(tmp_path, {"compute_cost": "while True:\n    pass"}), A, cell_timeout=2)
    assert _full_except(results, "test_compute_cost")
    assert "timeout" in results["test_compute_cost"].flags
    assert "2 s" in results["test_compute_cost"].message


def test_memory_blow_up_costs_one_exercise(tmp_path):
    body = "big = [np.ones((4000, 4000)) for _ in range(1000)]\nreturn 0.5"
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A, memory_mb=1024)
    assert _full_except(results, "test_compute_cost")
    assert "MemoryError" in results["test_compute_cost"].message


def test_print_flood_is_bounded(tmp_path):
    body = "import os\nfor _ in range(2000):\n    print('x' * 10000)\n    os.write(1, b'y' * 10000)\n" + \
        reference_bodies(A)["compute_cost"]
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A)
    assert results["test_compute_cost"].score == 2


def test_deleted_answer_cell(tmp_path):
    def delete(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "update_parameters"]
    results = _regrade(_notebook(tmp_path, edit=delete), A)
    assert _full_except(results, "test_update_parameters")
    assert "missing function" in results["test_update_parameters"].flags


def test_renamed_answer_cell_still_found(tmp_path):
    def rename(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.metadata["nbgrader"]["grade_id"] = "my_cost"
    results = _regrade(_notebook(tmp_path, edit=rename), A)
    assert all(r.score == r.max_score for r in results.values())


def test_syntax_error_costs_only_that_cell(tmp_path):
    results = _regrade(_notebook(tmp_path, {"compute_cost": "return (("}), A)
    assert _full_except(results, "test_compute_cost")
    assert "not valid Python" in results["test_compute_cost"].message


def test_top_level_training_code_is_not_run(tmp_path):
    def slow(nb):
        nb.cells[-1].source = "import time\ntime.sleep(100)\n"
    results = _regrade(_notebook(tmp_path, edit=slow), A, cell_timeout=5)
    assert all(r.score == r.max_score for r in results.values())


@pytest.mark.parametrize("content", [b"not json", b'{"cells": 3}', b""])
def test_unreadable_notebook(tmp_path, content):
    path = tmp_path / f"{A}.ipynb"
    path.write_bytes(content)
    results = _regrade(path, A)
    assert set(results) == {"test_forward_propagation", "test_compute_cost", "test_backward_one_example",
                            "test_backward_propagation", "test_update_parameters"}
    assert all(r.score == 0 and "unreadable notebook" in r.flags for r in results.values())


def test_missing_notebook(tmp_path):
    results = _regrade(tmp_path / "nothing.ipynb", A)
    assert all(r.score == 0 for r in results.values())


def test_mutating_an_input_is_wrong(tmp_path):
    body = "for key in ('W1', 'b1', 'W2', 'b2'):\n    parameters[key] -= learning_rate * grads['d' + key]\nreturn parameters"
    results = _regrade(_notebook(tmp_path, {"update_parameters": body}), A)
    assert _full_except(results, "test_update_parameters")
    assert "modified its input parameters" in results["test_update_parameters"].message


def test_numpy_warning_does_not_cost_points(tmp_path):
    body = "with np.errstate(all='warn'):\n    np.log(np.array([0.0]))\n" + reference_bodies(A)["compute_cost"]
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A)
    assert results["test_compute_cost"].score == 2


def test_fresh_cases_can_be_fixed_or_disabled(tmp_path, monkeypatch):
    path = _notebook(tmp_path)
    monkeypatch.setenv(trusted.ENV_SEED, "7")
    assert all(r.score == r.max_score for r in _regrade(path, A).values())
    monkeypatch.setenv(trusted.ENV_FRESH, "0")
    assert all(r.score == r.max_score for r in _regrade(path, A).values())


def test_helpers_from_provided_cells_and_constants_are_available(tmp_path):
    body = "EPS_LOCAL = EPSILON\nm = Y.shape[1]\nreturn float(-np.sum(Y * np.log(A2 + 0 * EPS_LOCAL) + (1 - Y) * np.log(1 - A2)) / m)"
    def constant(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.source = "EPSILON = 1e-300\n\n" + cell.source
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}, edit=constant), A)
    assert results["test_compute_cost"].score == 2, results["test_compute_cost"].message
    # sigmoid() comes from a provided cell.
    assert results["test_forward_propagation"].score == 3


def test_source_of_points_is_the_course_notebook():
    cells = trusted.graded_cells(A, source=source_path(A))
    assert cells == [("test_forward_propagation", 3.0, ["forward_propagation"]),
                     ("test_compute_cost", 2.0, ["compute_cost"]),
                     ("test_backward_one_example", 3.0, ["backward_one_example"]),
                     ("test_backward_propagation", 5.0, ["backward_propagation"]),
                     ("test_update_parameters", 2.0, ["update_parameters"])]


def test_broken_sandbox_raises_instead_of_scoring_zero(tmp_path):
    with pytest.raises(trusted.SandboxError, match="before running any student code"):
        _regrade(_notebook(tmp_path), A, memory_mb=40)


def test_name_error_explains_what_runs(tmp_path):
    def global_rng(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.source = "SCALE = np.float64(1.0)\n\n" + cell.source
    body = reference_bodies(A)["compute_cost"].replace("return ", "return SCALE * ")
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}, edit=global_rng), A)
    message = results["test_compute_cost"].message
    assert "NameError: name 'SCALE' is not defined" in message
    assert "only the definitions of your cells are run" in message
