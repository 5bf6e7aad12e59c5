"""Parallel batch grading loses no grade: the same submissions graded by plain serial
`nbgrader autograde` and by `grader.instructor.autograde.autograde(jobs=2)` get the same score in every cell.
Also: release zips, trusted-score overrides (with a fake grader.sandbox.trusted.regrade), a gradebook at
another SQLAlchemy URL (--db), and the feedback / report / export commands on the result."""
import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grader.instructor.autograde import autograde
from grader.instructor.course import Course
from grader.instructor.summary import summary_table
from grader.instructor.worker import Options
from grader.instructor.notebook import read, reference_bodies, source_path
from tests.batch_subs import A, correct, with_body
from tests.course import clean_env, make_course, nbgrader, release, scores, submit

pytestmark = pytest.mark.pipeline
# Points of each graded cell, from the course notebook (scores below follow it when exercises are added).
POINTS = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in read(source_path(A)).cells
          if c.metadata.get("nbgrader", {}).get("grade")}


def grader_cli(course, *args):
    proc = subprocess.run([sys.executable, "-m", "grader", *args, "--course", str(course)], cwd=course,
                          env=clean_env(), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"grader {args} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def fake_regrade(notebook_path, assignment, *, cell_timeout=60.0, memory_mb=2048, layout=None, solutions=None):
    """Stand-in for grader.sandbox.trusted.regrade: full marks when the answer holds the reference body,
    except that student 'cheater' gets 0 for compute_cost (as if the kernel's test was fooled)."""
    from grader.sandbox.trusted import ExerciseResult
    nb = json.loads(Path(notebook_path).read_text())
    student = Path(notebook_path).parent.parent.name
    answers = {c["metadata"]["nbgrader"]["grade_id"]: "".join(c["source"]) for c in nb["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"] for c in nb["cells"]
              if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    out = {}
    for fn, body in reference_bodies(assignment).items():
        gid = f"test_{fn}"
        ok = all(line.strip() in answers.get(fn, "") for line in body.splitlines() if line.strip())
        if student == "cheater" and fn == "compute_cost":
            ok = False
        out[gid] = ExerciseResult(gid, fn, points[gid] if ok else 0.0, points[gid],
                                  "" if ok else f"{fn} disagrees with the reference (fake trusted grader)",
                                  ["fake"] if student == "cheater" and not ok else [])
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch_parallel")
    serial, parallel = make_course(base / "serial"), make_course(base / "parallel")
    released = release(serial, A)
    grader_cli(parallel, "release", A)
    bodies = reference_bodies(A)
    subs = {
        "correct": correct(released),
        "correct2": correct(released),
        "bug0": with_body(released, "backward_propagation",
                          bodies["backward_propagation"].replace("dW1 = dZ1 @ X.T / m", "dW1 = dZ1 @ X.T")),
        "raises": with_body(released, "compute_cost", 'raise ValueError("I give up")'),
        "cheater": correct(released),
    }
    for student, nb in subs.items():
        submit(serial, student, A, nb)
        submit(parallel, student, A, nb)
    nbgrader(serial, "autograde", A)
    db = base / "elsewhere" / "grades.db"
    db.parent.mkdir()
    db_url = f"sqlite:///{db}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("grader.sandbox.trusted.regrade", fake_regrade)
        records = autograde(Course.at(parallel, db_url), [A], jobs=2, options=Options(), show_progress=False)
    return serial, parallel, db_url, records


def _cells(db_url):
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(db_url) as gb:
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student.id, g.name)] = (g.auto_score, g.manual_score, g.score, nb.flagged)
    return out


def test_release_makes_a_zip_with_only_the_notebook(graded):
    _, parallel, _, _ = graded
    with zipfile.ZipFile(parallel / "release" / f"{A}.zip") as zf:
        assert zf.namelist() == [f"{A}/{A}.ipynb"]
        text = zf.read(f"{A}/{A}.ipynb").decode()
    assert "BEGIN HIDDEN TESTS" not in text and "check_hidden" not in text


def test_parallel_scores_equal_serial_scores_in_every_cell(graded):
    serial, _, db_url, records = graded
    expected = {(s, gid): v[0] for s, cells in scores(serial, A).items() for gid, v in cells.items()}
    got = {k: v[0] for k, v in _cells(db_url).items()}
    assert len(expected) == 5 * len(POINTS)
    assert got == expected, {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got)
                             if expected.get(k) != got.get(k)}
    assert expected[("bug0", "test_backward_propagation")] == 0
    assert expected[("raises", "test_compute_cost")] == 0
    assert {r["student"] for r in records} == {"correct", "correct2", "bug0", "raises", "cheater"}


def test_trusted_score_is_recorded_as_manual_score_and_flagged(graded):
    _, parallel, db_url, records = graded
    cells = _cells(db_url)
    auto, manual, final, flagged = cells[("cheater", "test_compute_cost")]
    assert (auto, manual, final, flagged) == (2.0, 0.0, 0.0, True)
    others = {k: v for k, v in cells.items() if k != ("cheater", "test_compute_cost")}
    assert all(v[1] is None for v in others.values()), "only the disagreeing cell gets a manual score"
    assert not any(v[3] for k, v in others.items() if k[0] != "cheater")
    table = summary_table(records)
    assert re.search(r"cheater .*trusted score differs from the kernel's: test_compute_cost", table)


def test_autograded_outputs_match_serial_nbgrader_plots_included(graded):
    """The kernels forked by the kernel zygote produce the same kinds of output as nbgrader's own."""
    serial, parallel, _, _ = graded

    def kinds(course):
        nb = json.loads((course / "autograded" / "correct" / A / f"{A}.ipynb").read_text())
        # A set per cell: how many stream messages two prints become depends on the kernel's flush timing.
        return [sorted({o["output_type"] + ":" + ",".join(sorted(o.get("data", {}))) for o in cell.get("outputs", [])})
                for cell in nb["cells"] if cell["cell_type"] == "code"]

    assert kinds(parallel) == kinds(serial)
    assert any("display_data:image/png,text/plain" in cell for cell in kinds(parallel))


def test_results_reach_the_course_folders(graded):
    _, parallel, _, _ = graded
    for student in ("correct", "bug0", "raises", "cheater"):
        assert (parallel / "autograded" / student / A / f"{A}.ipynb").is_file()
        assert (parallel / "reports" / "results" / A / f"{student}.json").is_file()


def test_feedback_never_shows_hidden_tests_or_reference_code(graded):
    _, parallel, _, _ = graded
    grader_cli(parallel, "feedback")
    pages = {s: (parallel / "feedback" / s / A / f"{A}.html").read_text() for s in ("raises", "bug0", "cheater")}
    test_lines = set()
    for cell in read(source_path(A)).cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            test_lines |= {ln.strip() for ln in cell.source.splitlines() if len(ln.strip()) > 10}
    for student, page in pages.items():
        leaked = [ln for ln in test_lines if ln in page]
        assert not leaked, f"test-cell source in {student}'s feedback: {leaked[:3]}"
        assert "check_hidden" not in page and "BEGIN HIDDEN" not in page and "solutions" not in page
    raises = pages["raises"]
    assert "raised ValueError: I give up" in raises
    assert "raise ValueError(&quot;I give up&quot;)" in raises, "the student's own code is shown"
    reference = reference_bodies(A)["compute_cost"]
    leaked = [ln.strip() for ln in reference.splitlines() if len(ln.strip()) > 10 and ln.strip() in raises]
    assert not leaked, f"reference code of compute_cost in feedback of a student who did not write it: {leaked}"
    assert "m times too large" in pages["bug0"]
    assert "fake trusted grader" in pages["cheater"]


def test_report_csv_and_html(graded):
    _, parallel, _, _ = graded
    grader_cli(parallel, "report")
    rows = list(csv.DictReader((parallel / "reports" / "scores.csv").open()))
    assert len(rows) == 5 * len(POINTS)
    row = next(r for r in rows if r["student"] == "bug0" and r["exercise"] == "backward_propagation")
    assert float(row["score"]) == 0 and "m times too large" in row["message"]
    page = (parallel / "reports" / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 2
    assert "Most common mistakes" in page and "m times too large" in page
    assert "cheater" in page  # listed among the trusted overrides


def test_export_reads_the_db_given(graded):
    _, parallel, db_url, _ = graded
    out = parallel / "reports" / "lms.csv"
    grader_cli(parallel, "export", "--db", db_url, "--out", str(out))
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    assert set(rows) == {"correct", "correct2", "bug0", "raises", "cheater"}
    total = sum(POINTS.values())
    assert float(rows["correct"][A]) == total
    assert float(rows["bug0"][A]) == total - POINTS["test_backward_propagation"]
    assert float(rows["cheater"][A]) == total - POINTS["test_compute_cost"]
