"""grader.instructor.nbgrader_log: what an `nbgrader autograde` run left behind (its log, RobustExecute's
events, the autograded notebooks) read back into the batch's records."""
import json

from grader.instructor.nbgrader_log import LogWatcher, collect_autograded, grade_messages, read_events
from tests.batch_subs import A

# What nbgrader autograde logs for two students, the second of whom it failed to grade.
LOG = [
    "[AutogradeApp | INFO] Creating/updating student with ID 'ann': {}",
    "[AutogradeApp | INFO] Sanitizing /tmp/w/submitted/ann/01_shallow_nn/01_shallow_nn.ipynb",
    "[AutogradeApp | INFO] Setting destination file permissions to 444",
    "[AutogradeApp | INFO] Creating/updating student with ID 'bob': {}",
    "[AutogradeApp | ERROR] There was an error processing assignment: /tmp/w/submitted/bob/01_shallow_nn",
    "[AutogradeApp | ERROR] Traceback (most recent call last):",
    "[AutogradeApp | WARNING] Removing failed assignment: /tmp/w/autograded/bob/01_shallow_nn",
    "[AutogradeApp | INFO] Creating/updating student with ID 'cid': {}",
]


def _cell(cell_type, outputs=(), **nbgrader):
    return {"cell_type": cell_type, "source": "", "outputs": list(outputs), "metadata": {"nbgrader": nbgrader}}


def test_grade_messages_are_the_error_outputs_of_grade_cells():
    error = {"output_type": "error", "ename": "WrongAnswer", "evalue": "cost is 0.5 but should be 0.25",
             "traceback": ["Traceback (most recent call last)", "..."]}
    printed = {"output_type": "stream", "name": "stdout", "text": "checking"}
    nb = {"cells": [_cell("code", [printed, error], grade=True, grade_id="test_cost"),
                    _cell("code", [printed], grade=True, grade_id="test_ok"),
                    _cell("code", [error], solution=True, grade_id="cost"),
                    _cell("markdown", grade=True, grade_id="essay")]}
    assert grade_messages(nb) == {"test_cost": "WrongAnswer: cost is 0.5 but should be 0.25", "test_ok": ""}


def test_log_watcher_reports_each_student_once_in_order():
    done = []
    watcher = LogWatcher(done.append)
    for line in LOG:
        watcher.feed(line)
    assert done == ["ann", "bob"] and watcher.current == "cid"
    watcher.finish()
    assert done == ["ann", "bob", "cid"]
    assert watcher.completed == {"ann", "bob"}, "cid's grading never reached its end"
    assert watcher.lines == LOG


def test_a_student_without_an_autograded_notebook_fails_with_nbgraders_errors(tmp_path):
    folder = tmp_path / "autograded" / "ann" / A
    folder.mkdir(parents=True)
    (folder / f"{A}.ipynb").write_bytes(b"{}")
    records = {(A, s): {"status": "graded", "reasons": []} for s in ("ann", "bob")}
    collect_autograded(tmp_path, A, ["ann", "bob"], records, LOG, elapsed=10.0)
    ann, bob = records[(A, "ann")], records[(A, "bob")]
    assert ann["autograded"] == {f"{A}.ipynb": b"{}"} and ann["status"] == "graded" and ann["reasons"] == []
    assert bob["status"] == "failed" and bob["autograded"] == {}
    assert bob["reasons"] == ["nbgrader could not grade this submission: There was an error processing "
                              "assignment: /tmp/w/submitted/bob/01_shallow_nn"]
    assert ann["nbgrader_seconds"] == bob["nbgrader_seconds"] == 5.0


def test_events_become_sentences_in_the_students_reasons(tmp_path):
    events = [{"student": "ann", "assignment": A, "event": "skipped", "why": "timeout", "grade_id": "cost"},
              {"student": "ann", "assignment": A, "event": "output truncated", "why": "output flood",
               "grade_id": None, "cell_index": 4, "first_line": "print('spam')"},
              {"student": "nobody", "assignment": A, "event": "skipped", "why": "timeout", "grade_id": "cost"}]
    (tmp_path / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    records = {(A, "ann"): {"reasons": []}}
    read_events(tmp_path, records)
    assert records[(A, "ann")]["reasons"] == [
        "cell 'cost' ran past the time limit; it was stopped and the notebook rerun without it",
        "cell 4 (\"print('spam')\") printed too much output; it was truncated"]


def test_no_events_file_changes_nothing(tmp_path):
    records = {(A, "ann"): {"reasons": []}}
    read_events(tmp_path, records)
    assert records == {(A, "ann"): {"reasons": []}}
