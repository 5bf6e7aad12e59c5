"""grader.sandbox.submission: a submitted notebook read as JSON only, the cells the sandbox runs for one
function, and the static signs of tampering, all without running student code."""
import json

import pytest

from grader.sandbox.submission import UnreadableNotebook, indicators, program_for, student_cells


def _cell(cell_type, source, **nbgrader):
    return {"cell_type": cell_type, "source": source, "metadata": {"nbgrader": nbgrader} if nbgrader else {}}


def test_code_cells_are_named_by_grade_id_or_position(tmp_path):
    path = tmp_path / "nb.ipynb"
    cells = [_cell("markdown", "# Title"), _cell("code", ["import numpy as np\n", "X = 1"]),
             _cell("code", "def f():\n    pass", solution=True, grade_id="f"), "not a cell",
             _cell("code", "assert f() is None", grade=True, grade_id="test_f")]
    path.write_text(json.dumps({"cells": cells}))
    raw, found = student_cells(path)
    assert raw == path.read_bytes()
    assert found == [("2", "import numpy as np\nX = 1", {}),
                     ("f", "def f():\n    pass", {"solution": True, "grade_id": "f"}),
                     ("test_f", "assert f() is None", {"grade": True, "grade_id": "test_f"})]


@pytest.mark.parametrize("content, words", [
    (None, "no notebook at nb.ipynb"),
    (b'{"cells": [', "not valid JSON"),
    (b'{"cells": {}}', "no list of cells"),
    (b"[1, 2]", "no list of cells"),
])
def test_an_unreadable_notebook_is_refused_with_a_reason(tmp_path, content, words):
    path = tmp_path / "nb.ipynb"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UnreadableNotebook, match=words):
        student_cells(path)


CELLS = [("1", "import numpy as np", {}), ("test_g", "assert g()", {"grade": True, "grade_id": "test_g"}),
         ("f", "def f(): ...", {"solution": True, "grade_id": "f"}), ("g", "def g(): ...", {"solution": True})]


def test_the_program_runs_up_to_the_answer_cell_without_test_cells():
    assert program_for(CELLS, "f") == [["1", "import numpy as np"], ["f", "def f(): ..."]]


def test_a_deleted_answer_cell_runs_every_cell_but_the_tests():
    assert program_for(CELLS, "h") == [["1", "import numpy as np"], ["f", "def f(): ..."], ["g", "def g(): ..."]]


def test_tampering_patterns_are_named():
    source = ("import numpy as np\nnp.allclose = lambda *a, **k: True\nsetattr(np.linalg, 'norm', len)\n"
              "class Fake:\n    def __eq__(self, other):\n        return True\n")
    assert indicators(source) == ["replaces np.allclose", "setattr on np.linalg",
                                  "defines __eq__ (objects that fake comparisons are not accepted)"]


def test_comments_are_no_sign_but_text_is_when_the_cell_does_not_parse():
    assert indicators("x = 1  # the solutions are elsewhere\n") == []
    assert indicators("import os\nos._exit(0)\n") == ["calls os._exit (os._exit)"]
    assert indicators("open('solutions/shallow_nn.py'  # unclosed") == [
        "mentions the hidden solutions folder (solutions)"]
