"""grader.instructor.gradebook: final scores (a disagreeing trusted score wins and is flagged) and the JSON
record kept per submission."""
from grader.instructor.gradebook import final_scores
from grader.instructor.summary import summary_table
from tests.batch_subs import A
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


