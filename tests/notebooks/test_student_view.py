"""What a student has: the released notebook folder and the course environment, no solutions/.

Visible checks and `nbgrader validate` must work there: success for right answers, a specific
diagnosis for a wrong one, and `solutions` must not be importable.
"""
import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from grader.exercises import exercises
from grader.instructor.notebook import available, fill, reference_bodies
from tests.course import BIN, clean_env, make_course, release

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("course") / "course")
    return {a: release(course, a) for a in available()}


@pytest.fixture(autouse=True)
def no_reference_variable(monkeypatch):
    monkeypatch.delenv("BACKPROP_LAB_SOLUTIONS", raising=False)


def run_as_student(nb, folder):
    """Execute nb with the kernel's working directory in `folder`, outside any course."""
    folder.mkdir(parents=True)
    NotebookClient(nb, timeout=300, allow_errors=True, resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def outputs_of(nb, grade_id):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return "\n".join(o.get("text", "") + o.get("ename", "") + ": " + o.get("evalue", "") for o in cell.outputs)
    raise KeyError(grade_id)


@pytest.mark.parametrize("assignment", available())
def test_visible_checks_pass_without_solutions(released, assignment, tmp_path):
    bodies = reference_bodies(assignment)
    nb = fill(released[assignment], bodies)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import importlib.util, os\n"
        "print('solutions importable:', importlib.util.find_spec('solutions') is not None)\n"
        "print('reference variable set:', 'BACKPROP_LAB_SOLUTIONS' in os.environ)"))
    ran = run_as_student(nb, tmp_path / "student")
    for name in exercises(assignment):
        text = outputs_of(ran, f"test_{name}")
        assert f"\u2713 {name}: " in text and "Error" not in text, text
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    last = "".join(o.get("text", "") for o in ran.cells[-1].outputs)
    assert "solutions importable: False" in last and "reference variable set: False" in last


def test_wrong_answer_gets_a_diagnosis_in_the_student_view(released, tmp_path):
    bodies = reference_bodies("01_shallow_nn")
    wrong = bodies["backward_propagation"].replace("dW2 = dZ2 @ A1.T / m", "dW2 = A1 @ dZ2.T / m")
    ran = run_as_student(fill(released["01_shallow_nn"], {**bodies, "backward_propagation": wrong}), tmp_path / "s")
    text = outputs_of(ran, "test_backward_propagation")
    assert "WrongAnswer" in text and 'grads["dW2"] has shape (4, 1) but should have shape (1, 4)' in text
    assert "transpose" in text


def test_nbgrader_validate_for_a_student(released, tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    good, bad = folder / "good.ipynb", folder / "bad.ipynb"
    bodies = reference_bodies("01_shallow_nn")
    nbformat.write(fill(released["01_shallow_nn"], bodies), str(good))
    nbformat.write(fill(released["01_shallow_nn"], {**bodies, "compute_cost": "return 0.0"}), str(bad))
    for path, words in ((good, "Success! Your notebook passes all the tests."), (bad, "compute_cost, known-value case 1:")):
        proc = subprocess.run([str(BIN / "nbgrader"), "validate", path.name], cwd=folder, env=clean_env(),
                              capture_output=True, text=True, timeout=300)
        assert words in proc.stdout, proc.stdout + proc.stderr
        # Validate cuts lines longer than 87 characters with "...": the diagnosis must be wrapped shorter,
        # and show nothing of the grader's own code.
        assert not [line for line in proc.stdout.splitlines() if line.endswith("...")], proc.stdout
        assert "grader/" not in proc.stdout and "Traceback" not in proc.stdout, proc.stdout
    shutil.rmtree(folder)
