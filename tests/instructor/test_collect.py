"""grader.instructor.collect: submissions read from nbgrader's submitted/ folder as bytes, notebooks only."""
from grader.instructor.collect import collect_submitted
from tests.batch_subs import A
from tests.course import bare_course


def _write(path, data=b"{}"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_only_notebooks_are_read_and_every_other_file_is_noted(tmp_path):
    ann = tmp_path / "submitted" / "ann" / A
    _write(ann / f"{A}.ipynb", b'{"cells": []}')
    _write(ann / "timestamp.txt", b"2026-11-01 12:00:00.000000 UTC\n")
    _write(ann / "submission_secret.txt", b"secret")
    _write(ann / "numpy.py", b"raise SystemExit")
    _write(ann / ".ipynb_checkpoints" / f"{A}-checkpoint.ipynb")
    _write(tmp_path / "submitted" / "bob" / A / "extra" / "scratch.ipynb")
    _write(tmp_path / "submitted" / "bob" / "02_deep_nn" / "02_deep_nn.ipynb")
    subs = collect_submitted(bare_course(tmp_path), [A])
    assert [(s.student, s.assignment) for s in subs] == [("ann", A), ("bob", A)]
    ann_sub, bob_sub = subs
    assert ann_sub.files == {f"{A}.ipynb": b'{"cells": []}'}
    assert ann_sub.timestamp == "2026-11-01 12:00:00.000000 UTC"
    assert ann_sub.notes == [f"extra file .ipynb_checkpoints/{A}-checkpoint.ipynb ignored (only notebooks are graded)",
                             "extra file numpy.py ignored (only notebooks are graded)"]
    assert bob_sub.files == {"extra/scratch.ipynb": b"{}"} and bob_sub.timestamp is None


def test_students_can_be_picked(tmp_path):
    for student in ("ann", "bob", "cid"):
        _write(tmp_path / "submitted" / student / A / f"{A}.ipynb")
    assert [s.student for s in collect_submitted(bare_course(tmp_path), [A], students=["cid", "ann"])] == ["ann", "cid"]


def test_no_submitted_folder_is_no_submission(tmp_path):
    assert collect_submitted(bare_course(tmp_path), [A]) == []
