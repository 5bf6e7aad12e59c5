"""grader.instructor.repair: a submitted notebook is put back into the release's cell layout, keeping the
student's code, and an unreadable file is refused with a reason."""
import nbformat
import pytest

from grader.instructor.notebook import fill, read, reference_bodies, source_path
from grader.instructor.repair import repair_notebook
from tests.batch_subs import A


def _layout():
    """The cell layout the gradebook would hold, taken from the source notebook."""
    cells = []
    for cell in read(source_path(A)).cells:
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("grade_id"):
            cells.append({"grade_id": meta["grade_id"], "cell_type": cell.cell_type, "source": cell.source,
                          "locked": bool(meta.get("locked")), "checksum": None, "grade": bool(meta.get("grade")),
                          "points": float(meta.get("points", 0)), "solution": bool(meta.get("solution"))})
    return cells


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _solved():
    return fill(read(source_path(A)), reference_bodies(A))


def test_repair_keeps_an_intact_notebook():
    nb = _solved()
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == []
    assert _ids(repaired) == _ids(nb)


def test_repair_renamed_and_deleted_cells():
    nb = _solved()
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    by_id["test_compute_cost"].metadata["nbgrader"]["grade_id"] = "my_own_test"
    del by_id["forward_propagation"].metadata["nbgrader"]
    nb.cells.remove(by_id["test_update_parameters"])
    nb.cells.remove(by_id["backward_propagation"])
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    text = "\n".join(reasons)
    assert "'my_own_test' is not a cell of the assignment" in text
    assert "answer cell 'forward_propagation' had lost its nbgrader id" in text
    assert "test cell 'test_update_parameters' was deleted" in text
    assert "answer cell 'backward_propagation' was deleted" in text
    ids = [i for i in _ids(repaired) if i]
    expected = [c["grade_id"] for c in _layout()]
    assert [i for i in ids if i in expected] == expected, "every cell of the release is back, in order"
    assert "my_own_test" not in ids
    fp = next(c for c in repaired.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward_propagation")
    assert "np.tanh" in fp.source or "tanh" in fp.source, "the student's own code is kept"
    bp = next(c for c in repaired.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "backward_propagation")
    assert "raise NotImplementedError()" in bp.source


def test_repair_makes_a_cell_with_malformed_nbgrader_metadata_ordinary():
    nb = _solved()
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward_propagation")
    answer.metadata["nbgrader"] = "forward_propagation"
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == ["answer cell 'forward_propagation' had lost its nbgrader id; found again by its def line"]
    assert _ids(repaired) == _ids(_solved())


@pytest.mark.parametrize("bad_id", [["test_compute_cost"], {"id": "test_compute_cost"}, 7])
def test_repair_makes_a_cell_whose_id_is_not_a_string_ordinary(bad_id):
    nb = _solved()
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_compute_cost")
    test.metadata["nbgrader"]["grade_id"] = bad_id
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == [f"cell '{bad_id}' is not a cell of the assignment (renamed?); graded as an ordinary cell",
                       "test cell 'test_compute_cost' was deleted or renamed; the original test was put back and run"]
    assert [i for i in _ids(repaired) if i] == [c["grade_id"] for c in _layout()]


@pytest.mark.parametrize("data, words", [
    (b'{"cells": [', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b'["a list"]', "not a notebook"),
])
def test_repair_rejects_unreadable_files(data, words):
    with pytest.raises(ValueError, match=words):
        repair_notebook(data, _layout())

