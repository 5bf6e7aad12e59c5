"""For the record: what the tamper suite's attacks do to plain in-kernel `nbgrader autograde`.

The attacks of tests/sandbox/scenarios/test_tamper.py are submitted to a throw-away course and graded with
plain nbgrader (the kernel runs the student's code and then the hidden tests, with the grader's
permissions). This test asserts what happens there, attack by attack (Attack.inkernel), so that the
claims of docs/security.md are backed: most attacks get full marks for a wrong answer, one kills
nbgrader itself. It then checks that trusted re-grading of the same submitted folders gives 0 on
each attacked exercise, i.e. that every forged in-kernel score is a disagreement the batch
autograde reports and overrides.
"""
import signal

import pytest

from grader.sandbox import trusted
from grader.instructor.notebook import fill, reference_bodies, source_path
from tests.course import make_course, nbgrader, release, scores, submit
from tests.sandbox.scenarios.test_tamper import ATTACKS, A, build

pytestmark = pytest.mark.pipeline


def _submit_attack(course, student, attack, released, honest_path):
    folder = submit(course, student, A, build(attack, released, other_notebook=str(honest_path)))
    for name, text in attack.extra_files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


@pytest.fixture(scope="module")
def inkernel(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("inkernel") / "course")
    released = release(course, A)
    honest = submit(course, "honest", A, fill(released, reference_bodies(A))) / f"{A}.ipynb"
    students = {}
    for i, attack in enumerate(ATTACKS):
        if attack.inkernel != "kills":
            students[attack.name] = f"attacker{i:02d}"
            _submit_attack(course, students[attack.name], attack, released, honest)
    proc = nbgrader(course, "autograde", A, check=False)
    return course, students, scores(course, A), proc


def test_honest_submission_full_marks_in_kernel(inkernel):
    _, _, table, _ = inkernel
    assert all(score == max_score for score, max_score in table["honest"].values()), table["honest"]


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.inkernel != "kills"], ids=lambda a: a.name)
def test_what_plain_nbgrader_does(inkernel, attack):
    course, students, table, _ = inkernel
    cells = table.get(students[attack.name], {})
    attacked = f"test_{attack.function}"
    if attack.inkernel == "forged":
        assert cells[attacked][0] == cells[attacked][1] > 0, f"expected a forged full score: {cells}"
    elif attack.inkernel == "zero":
        assert cells[attacked][0] == 0, cells
    elif attack.inkernel == "lost":
        assert all(score == 0 for score, _ in cells.values()), f"expected the kernel to die: {cells}"
    # Trusted re-grading of the very same submitted folder (extra files included): 0.
    path = course / "submitted" / students[attack.name] / A / f"{A}.ipynb"
    again = trusted.regrade(path, A, source=source_path(A), cell_timeout=20)
    assert again[attacked].score == 0
    if attack.inkernel == "forged":
        assert again[attacked].score != cells[attacked][0], "the disagreement the batch autograde flags"


def test_a_submission_can_kill_plain_nbgrader(tmp_path):
    """The kernel's parent is nbgrader: a signal from the student's function stops the whole
    batch (students after it are not graded). Under trusted re-grading the signal is refused."""
    attack = next(a for a in ATTACKS if a.inkernel == "kills")
    course = make_course(tmp_path / "course")
    released = release(course, A)
    _submit_attack(course, "aaa_attacker", attack, released, "")
    submit(course, "zzz_honest", A, fill(released, reference_bodies(A)))
    proc = nbgrader(course, "autograde", A, check=False)
    assert proc.returncode == -signal.SIGUSR1, proc.returncode
    assert "zzz_honest" not in scores(course, A), "the honest student after the attacker was never graded"
