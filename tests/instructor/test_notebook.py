"""grader.instructor.notebook: splicing reference code into answer cells, and checking that an answer cell's
`def` matches its reference, on a course made in a temporary folder."""
import nbformat
import pytest

from grader.instructor.notebook import available, fill, fill_region, read, signature_mismatches, source_path
from tests.batch_subs import A

REGION = ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    # YOUR CODE HERE\n"
          "    raise NotImplementedError()\n    ### END SOLUTION\n")
STUB = "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"


def test_fill_region_replaces_the_solution_region_at_its_indent():
    filled = fill_region(REGION, "y = x + 1\n\nreturn y")
    assert filled == ("def f(x):\n    \"\"\"Doc.\"\"\"\n    ### BEGIN SOLUTION\n    y = x + 1\n\n    return y\n"
                      "    ### END SOLUTION")


def test_fill_region_replaces_nbgraders_stub_in_a_released_cell():
    assert fill_region(STUB, "return x") == "def f(x):\n    return x"


def test_a_cell_without_a_region_or_stub_is_refused():
    with pytest.raises(ValueError, match="neither a solution region nor nbgrader's code stub"):
        fill_region("def f(x):\n    return x\n", "return 1")


def _course(root, cell_def="def f(x):", reference="def f(x):\n    return x\n"):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Write f."),
        nbformat.v4.new_code_cell(REGION.replace("def f(x):", cell_def),
                                  metadata={"nbgrader": {"solution": True, "grade": False, "grade_id": "f"}}),
        nbformat.v4.new_code_cell("assert f(1) == 1",
                                  metadata={"nbgrader": {"grade": True, "grade_id": "test_f", "points": 1}})])
    path = source_path(A, root)
    path.parent.mkdir(parents=True)
    nbformat.write(nb, str(path))
    (root / "solutions").mkdir()
    (root / "solutions" / "shallow_nn.py").write_text(reference)
    return root


def test_fill_fills_only_the_named_answer_cells_of_a_copy(tmp_path):
    nb = read(source_path(A, _course(tmp_path)))
    filled = fill(nb, {"f": "return x", "g": "return 0"})
    assert "    return x\n" in filled.cells[1].source and "NotImplementedError" not in filled.cells[1].source
    assert filled.cells[2].source == "assert f(1) == 1", "test cells are never touched"
    assert "NotImplementedError" in nb.cells[1].source, "the notebook given is left as it was"


def test_an_assignment_is_available_when_its_notebook_exists(tmp_path):
    assert available(tmp_path) == []
    assert available(_course(tmp_path)) == [A]


def test_matching_signatures_give_no_sentence(tmp_path):
    assert signature_mismatches(A, _course(tmp_path)) == []


@pytest.mark.parametrize("cell_def, reference, sentence", [
    ("def f(x, y=1):", "def f(x):\n    return x\n", f"{A}: f(x, y=1) in the notebook, (x) in solutions"),
    ("def g(x):", "def f(x):\n    return x\n", f"{A}: answer cell 'f' defines no function f()"),
    ("def f(x):", "def h(x):\n    return x\n", f"{A}: solutions has no function f()"),
])
def test_a_differing_signature_is_named(tmp_path, cell_def, reference, sentence):
    assert signature_mismatches(A, _course(tmp_path, cell_def, reference)) == [sentence]
