"""grader.cells: nbgrader's marks read off cells, the same on plain JSON and on nbformat's NotebookNode, and
never raising on a submission's malformed metadata (a student can write anything there)."""
import nbformat
import pytest

from grader.cells import answer_cells, cell_source, grade_cells, grade_id, is_code, nbgrader_meta, text


def _cell(cell_type="code", source="x = 1\n", **nbgrader):
    return {"cell_type": cell_type, "metadata": {"nbgrader": nbgrader} if nbgrader else {}, "source": source}


def _notebook():
    return {"cells": [
        _cell("markdown", "# title", grade_id="intro", solution=True),  # not code: never an answer
        _cell(source=["def f(x):\n", "    return x\n"], grade_id="f", solution=True),
        _cell(source="check_hidden('a', 'f', f)", grade_id="test_f", grade=True, points=2),
        _cell(source="def g(): pass", grade_id="g", solution=True, grade=True, points=1),  # answer graded by hand
        _cell(source="helper = 1"),
        _cell(source="def h(): pass", solution=True),  # marked but nameless: answers nothing
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_answer_and_grade_cells_of_a_plain_notebook():
    nb = _notebook()
    assert [(gid, cell_source(cell)) for cell, gid in answer_cells(nb)] == [
        ("f", "def f(x):\n    return x\n"), ("g", "def g(): pass")]
    assert [gid for _, gid in grade_cells(nb)] == ["test_f", "g"]
    assert answer_cells(nb)[0][0] is nb["cells"][1], "the notebook's own cell, so a caller may edit it"


def test_a_notebook_node_reads_the_same():
    node = nbformat.from_dict(_notebook())
    assert [gid for _, gid in answer_cells(node)] == ["f", "g"]
    assert [gid for _, gid in grade_cells(node)] == ["test_f", "g"]
    cell, _ = answer_cells(node)[0]
    assert isinstance(cell, nbformat.NotebookNode) and nbgrader_meta(cell) is cell.metadata["nbgrader"]


@pytest.mark.parametrize("cell", [
    None, "a string", [], {}, {"metadata": None}, {"metadata": []}, {"metadata": {"nbgrader": "x"}},
    {"metadata": {"nbgrader": ["grade_id", "f"]}}, {"metadata": {"nbgrader": None}},
])
def test_malformed_metadata_reads_as_unmarked(cell):
    assert nbgrader_meta(cell) == {} and grade_id(cell) is None


@pytest.mark.parametrize("value", [5, None, ["f"], {"id": "f"}])
def test_only_a_string_names_a_cell(value):
    cell = _cell(grade_id=value, solution=True, grade=True)
    assert grade_id(cell) is None
    assert answer_cells({"cells": [cell]}) == [] and grade_cells({"cells": [cell]}) == []


@pytest.mark.parametrize("nb", [None, [], {}, {"cells": "x"}, {"cells": [None, 3, "cell", []]}])
def test_malformed_notebooks_have_no_marked_cells(nb):
    assert answer_cells(nb) == [] and grade_cells(nb) == []


def test_unmarked_and_false_marks():
    assert not is_code(_cell("raw")) and not is_code(None) and is_code(_cell())
    assert answer_cells({"cells": [_cell(grade_id="f", solution=False, grade=False)]}) == []


def test_sources():
    assert text(["a\n", "b"]) == "a\nb" and text("ab") == "ab"
    assert text(["a", 3, None, "b"]) == "ab" and text(None) == "" and text(7) == ""
    assert cell_source({"source": ["x", "y"]}) == "xy" and cell_source({}) == "" and cell_source(None) == ""
