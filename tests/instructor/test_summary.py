"""grader.instructor.summary: the table printed after a batch (one line per submission, its notes, the totals)."""
from grader.instructor.summary import summary_table
from tests.batch_subs import A
from tests.instructor.records import record


def test_one_line_per_submission_sorted_with_its_total_status_and_notes():
    ok = record("bob", {}, {"test_f": (3, 3), "test_g": (2, 2)})
    broken = record("ann", {}, {"test_f": (0, 3), "test_g": (1, 2)}, reasons=["first reason", "second reason"],
                    status="failed")
    lines = summary_table([ok, broken], elapsed=12.34).splitlines()
    rows = lines[2:-2]
    assert len(rows) == 3
    assert rows[0].split()[:4] == [A, "ann", "1/5", "failed"] and rows[0].endswith("first reason")
    assert rows[1].strip() == "second reason", "each further note gets a line of its own"
    assert rows[2].split()[:4] == [A, "bob", "5/5", "graded"]
    assert lines[-1] == "2 submissions graded in 12.3 s; 1 with notes, 0 with trusted-score overrides"


def test_trusted_overrides_and_flags_come_first_and_are_counted():
    trusted = {"test_f": {"score": 0.0, "max_score": 3.0, "message": "fake", "flags": ["tampered"]},
               "test_g": {"score": 2.0, "max_score": 2.0, "message": "", "flags": []}}
    rec = record("eve", {}, {"test_f": (3, 3), "test_g": (2, 2)}, reasons=["a reason"], trusted=trusted)
    lines = summary_table([rec]).splitlines()
    assert lines[2].split()[2] == "2/5", "the trusted score counts in the total"
    assert lines[2].endswith("trusted score differs from the kernel's: test_f")
    assert [line.strip() for line in lines[3:5]] == ["trusted re-grade flags: test_f (tampered)", "a reason"]
    assert lines[-1] == "1 submissions graded; 1 with notes, 1 with trusted-score overrides"
