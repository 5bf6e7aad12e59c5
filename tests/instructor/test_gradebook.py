"""grader.instructor.gradebook: final scores (a disagreeing trusted score wins and is flagged) and the JSON
record kept per submission."""
import json

from grader.instructor.gradebook import final_scores, load_records, record_path, save_record
from grader.instructor.summary import summary_table
from tests.batch_subs import A
from tests.course import bare_course
from tests.instructor.records import record


def test_trusted_score_wins_and_is_flagged():
    trusted = {"test_compute_cost": {"score": 0.0, "max_score": 2.0, "message": "compute_cost returned a fake",
                                     "flags": ["tampered"]},
               "test_forward_propagation": {"score": 3.0, "max_score": 3.0, "message": "", "flags": []}}
    rec = record("x", {}, {"test_compute_cost": (2, 2), "test_forward_propagation": (3, 3)}, trusted=trusted)
    f = final_scores(rec)[A]
    assert f["test_compute_cost"]["score"] == 0 and f["test_compute_cost"]["overridden"]
    assert f["test_compute_cost"]["message"] == "compute_cost returned a fake"
    assert f["test_forward_propagation"]["score"] == 3 and not f["test_forward_propagation"]["overridden"]
    assert "trusted score differs" in summary_table([rec])




def test_records_are_saved_without_notebook_bytes_and_loaded_by_assignment(tmp_path):
    ann = {**record("ann", {}, {"test_f": (1, 2)}), "autograded": {f"{A}.ipynb": b"{}"}}
    bob = record("bob", {}, {"test_f": (2, 2)})
    other = {**record("ann", {}, {"test_g": (0, 1)}), "assignment": "02_deep_nn"}
    course = bare_course(tmp_path)
    for rec in (bob, ann, other):
        save_record(course, rec)
    assert record_path(course, A, "ann") == tmp_path / "reports" / "results" / A / "ann.json"
    assert "autograded" not in json.loads(record_path(course, A, "ann").read_text())
    ann.pop("autograded")
    assert load_records(course, [A]) == [ann, bob]
    assert load_records(course) == [ann, bob, other], "every assignment, in name order"
    assert load_records(bare_course(tmp_path / "elsewhere")) == []
