"""grader.instructor.report: message causes and their grouping, feedback pages, the LMS export."""
import csv
import json

import nbformat

from grader.instructor.course import Course
from grader.instructor.notebook import fill, read, reference_bodies, source_path
from grader.instructor.report import common_mistakes, export_grades, feedback_html, message_cause
from tests.batch_subs import A
from tests.course import make_course
from tests.instructor.records import record


def test_message_cause_strips_numbers_and_labels():
    a = ("WrongAnswer: backward_propagation is wrong on the hidden case 'n_h=4, m=7'.\n"
         "  - dW1 is m times too large (m = 7): divide by m\n  inputs: X=array(3, 7)")
    b = ("WrongAnswer: backward_propagation is wrong on the hidden case 'n_h=1, m=1'.\n"
         "  - dW1 is m times too large (m = 1): divide by m\n  inputs: X=array(2, 1)")
    assert message_cause(a) == message_cause(b) == ["dW1 is m times too large (m = N): divide by m"]
    one = "WrongAnswer: compute_cost, hidden case 3: cost is 0.5 but should be 0.25\n  the case: m=7\n  inputs: A2=array(1, 7)"
    assert message_cause(one) == ["cost is N but should be N"]
    two = ("WrongAnswer: backward_propagation, known-value case 1: dW1 is m times too large (m = 5):\n"
           "  divide by m\n  - db1 is all zeros\n  the case: 'm=5'\n  inputs: X=array(3, 5)")
    assert message_cause(two) == ["dW1 is m times too large (m = N): divide by m", "db1 is all zeros"]
    assert message_cause("ValueError: shapes (3,4) and (5,6) not aligned") == ["ValueError: shapes (N,N) and (N,N) not aligned"]
    assert message_cause("") is None


def test_common_mistakes_groups_by_cause():
    recs = [record(f"s{i}", {"test_backward_propagation": f"WrongAnswer: x '{i}'.\n  - dW1 is m times too large (m = {i})"},
                    {"test_backward_propagation": (0, 5)}) for i in range(3)]
    recs.append(record("ok", {}, {"test_backward_propagation": (5, 5)}))
    top = common_mistakes(recs)
    assert top[0] == (f"{A}:backward_propagation", "dW1 is m times too large (m = N)", 3)


def test_feedback_shows_message_and_code_but_no_test_source():
    nb = fill(read(source_path(A)), {**reference_bodies(A), "compute_cost": 'raise ValueError("I give up")'})
    nb_json = json.loads(nbformat.writes(nb))
    rec = record("s", {"test_compute_cost": "WrongAnswer: compute_cost raised ValueError: I give up"},
                  {"test_compute_cost": (0, 2), "test_forward_propagation": (3, 3)})
    page = feedback_html(rec, nb_json)
    assert "compute_cost raised ValueError: I give up" in page
    assert "raise ValueError(&quot;I give up&quot;)" in page
    for cell in read(source_path(A)).cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            for line in cell.source.splitlines():
                if len(line.strip()) > 10:
                    assert line.strip() not in page, f"test source leaked: {line!r}"
    assert "check_hidden" not in page and "HIDDEN" not in page


def test_export_leaves_unsubmitted_blank(tmp_path):
    course = Course.at(make_course(tmp_path / "course"), f"sqlite:///{tmp_path / 'gb.db'}")
    with course.gradebook() as gb:
        for name in ("01_shallow_nn", "02_deep_nn"):
            gb.add_assignment(name)
            gb.add_notebook(name, name)
            gb.add_grade_cell("test_f", name, name, max_score=4, cell_type="code")
            gb.add_solution_cell("f", name, name)
            gb.add_source_cell("test_f", name, name, cell_type="code", locked=True, source="", checksum="x")
        gb.add_student("ann")
        gb.add_student("bob")
        gb.add_submission("01_shallow_nn", "ann")
        gb.find_grade("test_f", "01_shallow_nn", "01_shallow_nn", "ann").auto_score = 3
        gb.db.commit()
    rows = list(csv.DictReader(export_grades(course, tmp_path / "g.csv").open()))
    assert [r["student_id"] for r in rows] == ["ann", "bob"]
    assert rows[0]["01_shallow_nn"] == "3.0" and rows[0]["02_deep_nn"] == "" and rows[1]["01_shallow_nn"] == ""
    assert rows[0]["total"] == "3.0" and rows[0]["max_total"] == "8.0"
    rows = list(csv.DictReader(export_grades(course, tmp_path / "z.csv", missing="zero").open()))
    assert rows[1]["01_shallow_nn"] == "0.0"


