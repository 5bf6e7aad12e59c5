"""Hostile and broken submissions are graded as far as possible and never stop the batch.

One batch holds a correct submission and one of each: an endless loop (interruptible, and one
that swallows KeyboardInterrupt), a 40 GB allocation, sys.exit, os._exit, exit(), a stdout flood,
invalid JSON, no notebook, renamed cells, deleted cells. Each loses only the exercise it broke,
with a reason in the report; the correct one keeps full marks."""
import nbformat
import pytest

from grader.instructor.autograde import autograde
from grader.instructor.course import Course
from grader.instructor.summary import summary_table
from grader.instructor.worker import Options
from tests import batch_subs
from tests.batch_subs import A
from tests.course import make_course, release, scores

pytestmark = pytest.mark.pipeline

FULL = {"test_forward_propagation": 3.0, "test_compute_cost": 2.0, "test_backward_one_example": 3.0,
        "test_backward_propagation": 5.0, "test_update_parameters": 2.0}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("batch_robust") / "course")
    released = release(course, A)
    cases = batch_subs.hostile(released)
    cases["aa_correct"] = (batch_subs.correct(released), set(), None)
    for student, (nb, _zero, _words) in cases.items():
        folder = course / "submitted" / student / A
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-01 12:00:00.000000 UTC")
        if isinstance(nb, bytes):
            (folder / f"{A}.ipynb").write_bytes(nb)
        elif nb is None:
            (folder / "notes.txt").write_text("I forgot the notebook")
        else:
            nbformat.write(nb, str(folder / f"{A}.ipynb"))
    options = Options(trusted=False, cell_timeout=5, memory_mb=1024)
    records = autograde(Course.at(course), [A], jobs=2, options=options, show_progress=False)
    return course, cases, {r["student"]: r for r in records}, scores(course, A)


def test_every_submission_is_recorded(graded):
    _, cases, records, table = graded
    assert set(records) == set(cases)
    assert set(table) == set(cases), "every student, even an unreadable one, has a row in the gradebook"


@pytest.mark.parametrize("student", sorted(["aa_correct", "loops", "loops_uninterruptible", "memory_hog", "sys_exit",
                                            "os_exit", "calls_exit", "floods", "renamed_cells", "deleted_cells"]))
def test_only_the_broken_exercise_is_lost(graded, student):
    _, cases, records, table = graded
    _nb, zero, words = cases[student]
    got = {gid: v[0] for gid, v in table[student].items()}
    expected = {gid: (0.0 if gid in zero else pts) for gid, pts in FULL.items()}
    assert got == expected, f"{student}: {got}\nreasons: {records[student]['reasons']}"
    if words:
        assert any(words in r for r in records[student]["reasons"]), records[student]["reasons"]


@pytest.mark.parametrize("student", ["bad_json", "no_notebook"])
def test_unreadable_submissions_score_zero_with_a_reason(graded, student):
    _, cases, records, table = graded
    assert all(v[0] == 0 for v in table[student].values())
    assert records[student]["status"] == "not gradable"
    assert any(cases[student][2] in r for r in records[student]["reasons"])


def test_memory_hog_is_stopped_by_the_limit(graded):
    _, _, records, _ = graded
    message = records["memory_hog"]["messages"][A]["test_forward_propagation"]
    assert "MemoryError" in message


def test_flood_is_truncated_in_the_stored_notebook(graded):
    course, _, _, _ = graded
    nb = nbformat.read(str(course / "autograded" / "floods" / A / f"{A}.ipynb"), as_version=4)
    size = sum(len(nbformat.writes(nbformat.v4.new_notebook(cells=[c]))) for c in nb.cells)
    assert size < 2_000_000


def test_summary_names_each_problem(graded):
    _, _, records, _ = graded
    table = summary_table(list(records.values()))
    for words in ("time limit", "grading kernel died", "not valid JSON", "no 01_shallow_nn.ipynb",
                  "deleted", "renamed"):
        assert words in table
