"""The tamper suite end to end: `python -m grader autograde` (trusted re-grading on by default)
records 0 for every attacked exercise in the gradebook, keeps the student's other points, flags the
notebook, and names the attack in the summary and in the report; an honest submission keeps full
marks. tests/sandbox/scenarios/test_tamper.py checks grader.sandbox.trusted.regrade itself on every attack and
backend."""
import csv
import subprocess
import sys

import pytest

from grader.instructor.notebook import read, reference_bodies, source_path, fill
from tests.course import clean_env, make_course
from tests.sandbox.scenarios.test_tamper import A, ATTACKS, POINTS, build, write_submission

pytestmark = pytest.mark.pipeline


def grader_cli(course, *args):
    return subprocess.run([sys.executable, "-m", "grader", *args, "--course", str(course)], cwd=course,
                          env=clean_env(), capture_output=True, text=True, timeout=1800)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("tamper_cli") / "course")
    assert grader_cli(course, "release", A).returncode == 0
    base = read(source_path(A))
    honest = write_submission(course / "submitted" / "honest" / A, fill(base, reference_bodies(A)))
    students = {"honest": None}
    for i, attack in enumerate(ATTACKS):
        student = f"attacker{i:02d}"
        write_submission(course / "submitted" / student / A, build(attack, base, other_notebook=str(honest)),
                         attack.extra_files)
        students[student] = attack
    proc = grader_cli(course, "autograde", A, "--jobs", "2", "--no-progress", "--cell-timeout", "30")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = grader_cli(course, "report")
    assert report.returncode == 0, report.stdout + report.stderr
    return course, students, proc.stdout


def gradebook(course):
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                out[sub.student.id] = ({g.name: g.score for g in nb.grades}, nb.flagged)
    return out


def test_every_submission_is_in_the_gradebook(graded):
    course, students, _ = graded
    assert set(gradebook(course)) == set(students)


def test_honest_submission_keeps_full_marks_unflagged(graded):
    course, _, _ = graded
    cells, flagged = gradebook(course)["honest"]
    assert cells == POINTS and not flagged


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_gets_zero_and_a_flag(graded, attack):
    course, students, summary = graded
    student = next(s for s, a in students.items() if a is attack)
    cells, flagged = gradebook(course)[student]
    attacked = f"test_{attack.function}"
    assert cells[attacked] == 0, f"{attack.name}: forged {cells[attacked]} points"
    others = {gid: score for gid, score in cells.items() if gid != attacked}
    assert others == {gid: p for gid, p in POINTS.items() if gid != attacked}, f"{attack.name} cost other points"
    line = next(ln for ln in summary.splitlines() if f" {student} " in ln)
    rows = list(csv.DictReader(open(course / "reports" / "scores.csv")))
    row = next(r for r in rows if r["student"] == student and r["grade_id"] == attacked)
    assert float(row["score"]) == 0 and row["message"], row
    if flagged:
        assert "trusted" in line, f"the summary does not say why {student} is flagged:\n{line}"
    else:
        # Unflagged only when the attack failed in the grading kernel too, so no score disagrees.
        assert float(row["in_kernel_score"]) == 0, row
    if attack.extra_files:
        notes = summary[summary.index(f" {student} "):].split("\n" + A)[0]
        assert all(f"extra file {name} ignored" in notes for name in attack.extra_files), notes


def test_the_report_lists_flagged_submissions(graded):
    course, students, _ = graded
    html = (course / "reports" / "report.html").read_text()
    assert "Flagged for review" in html
    flagged = [s for s, (_, f) in gradebook(course).items() if f]
    assert flagged and all(s in html for s in flagged)


def test_an_attack_on_nbgrader_costs_no_one_else_the_in_kernel_grading(graded):
    """The signal attack kills the nbgrader process of its worker; everyone else in that worker's
    chunk is still graded by nbgrader (their autograded notebook exists), and the summary says what
    happened to the attacker."""
    course, students, summary = graded
    killer = next(s for s, a in students.items() if a is not None and a.inkernel == "kills")
    for student in students:
        if student != killer:
            assert (course / "autograded" / student / A / f"{A}.ipynb").is_file(), student
    notes = summary[summary.index(f" {killer} "):].split("\n" + A)[0]
    assert "killed by SIGUSR1" in notes, notes
