"""release -> submit -> autograde with plain nbgrader, on synthetic submissions.

For each assignment with a notebook and a tests/bugs/<module>.py: a correct submission gets full
marks; each buggy one loses exactly that function's points and sees a message naming the cause;
one whose answer raises keeps the points of its other answers; a correct answer that makes numpy
warn keeps its points; the release leaks nothing.
"""
import importlib
import re

import pytest

from grader.exercises import module_name
from grader.instructor.notebook import available, fill, reference_bodies
from tests.course import autograded_outputs, make_course, nbgrader, release, scores, submit

pytestmark = pytest.mark.pipeline

ASSIGNMENTS = [a for a in available() if importlib.util.find_spec(f"tests.bugs.{module_name(a)}")]


def bugs_of(assignment):
    return importlib.import_module(f"tests.bugs.{module_name(assignment)}")


def test_every_notebook_has_pipeline_bugs():
    assert set(ASSIGNMENTS) == set(available())


def _solution_lines(assignment):
    """Distinctive lines of the reference bodies: none may appear in a release."""
    lines = set()
    for body in reference_bodies(assignment).values():
        for line in body.splitlines():
            line = line.strip()
            if len(line) > 12 and not line.startswith(("#", "return", '"""')):
                lines.add(line)
    return lines


@pytest.fixture(scope="module", params=ASSIGNMENTS)
def graded(request, tmp_path_factory):
    """Release, three kinds of submissions per assignment, one plain `nbgrader autograde`."""
    assignment = request.param
    course = make_course(tmp_path_factory.mktemp(assignment) / "course")
    released = release(course, assignment)
    bodies = reference_bodies(assignment)
    bugs = bugs_of(assignment)
    submit(course, "correct", assignment, fill(released, bodies))
    for i, (fn, old, new, _words) in enumerate(bugs.BUGS):
        assert old in bodies[fn], f"bug text {old!r} not in the reference body of {fn}"
        submit(course, f"bug{i}", assignment, fill(released, {**bodies, fn: bodies[fn].replace(old, new)}))
    raising = {**bodies, bugs.RAISES: 'raise ValueError("I give up")'}
    submit(course, "raises", assignment, fill(released, raising))
    # A correct answer that makes numpy warn on stderr (overflow in exp) must keep its points.
    warning = {**bodies, bugs.RAISES: "np.exp(np.array([1000.0]))\n" + bodies[bugs.RAISES]}
    submit(course, "warns", assignment, fill(released, warning))
    proc = nbgrader(course, "autograde", assignment)
    return assignment, course, released, scores(course, assignment), proc


def test_release_leaks_nothing(graded):
    assignment, course, released, _, _ = graded
    folder = course / "release" / assignment
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [f"{assignment}.ipynb"], f"unexpected files in the release: {files}"
    text = (folder / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN HIDDEN TESTS", "check_hidden", "BEGIN SOLUTION", "solutions", "BACKPROP_LAB_SOLUTIONS"):
        assert marker not in text, f"{marker!r} reached the release"
    leaked = [line for line in _solution_lines(assignment) if line in text]
    assert not leaked, f"reference code reached the release: {leaked[:3]}"


def test_correct_submission_gets_full_marks(graded):
    assignment, _, _, table, _ = graded
    cells = table["correct"]
    assert cells, "no grades recorded"
    lost = {k: v for k, v in cells.items() if v[0] != v[1]}
    assert not lost, f"a correct submission lost points: {lost}"


def test_numpy_warning_does_not_cost_points(graded):
    assignment, _, _, table, _ = graded
    lost = {k: v for k, v in table["warns"].items() if v[0] != v[1]}
    assert not lost, f"a correct answer that triggers a RuntimeWarning lost points: {lost}"


def test_buggy_submission_loses_only_that_function(graded):
    assignment, course, _, table, _ = graded
    for i, (fn, _old, _new, words) in enumerate(bugs_of(assignment).BUGS):
        cells = table[f"bug{i}"]
        for grade_id, (score, max_score) in cells.items():
            if re.fullmatch(rf"test_{fn}(_.*)?", grade_id):
                assert score == 0, f"{grade_id} should score 0 for the bug in {fn}"
            else:
                assert score == max_score, f"{grade_id} lost points for a bug in {fn}"
        message = autograded_outputs(course, f"bug{i}", assignment)[f"test_{fn}"]
        assert words in message, f"the message for the bug in {fn} does not say {words!r}:\n{message}"
        assert "WrongAnswer" in message and fn in message


def test_raising_answer_keeps_other_points(graded):
    assignment, course, _, table, _ = graded
    fn = bugs_of(assignment).RAISES
    for grade_id, (score, max_score) in table["raises"].items():
        expected = 0 if grade_id.startswith(f"test_{fn}") else max_score
        assert score == expected, f"{grade_id}: {score} (expected {expected})"
    message = autograded_outputs(course, "raises", assignment)[f"test_{fn}"]
    assert "raised ValueError: I give up" in message

