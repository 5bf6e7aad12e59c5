"""grader.instructor.release: the student version and its zip, and registering an assignment in a gradebook
without touching the course's release/ folder."""
import zipfile

import pytest

from grader.instructor.course import Course
from grader.instructor.release import ensure_in_gradebook, release
from tests.batch_subs import A
from tests.course import make_course

pytestmark = pytest.mark.pipeline  # runs plain nbgrader generate_assignment


def test_release_writes_the_student_version_and_a_zip_of_it(tmp_path):
    course = make_course(tmp_path / "course")
    zips = tmp_path / "zips"
    [(assignment, folder, target)] = release(Course.at(course), [A], zip_dir=zips)
    assert (assignment, folder, target) == (A, course.resolve() / "release" / A, zips / f"{A}.zip")
    with zipfile.ZipFile(target) as zf:
        assert zf.namelist() == [f"{A}/{A}.ipynb"]
        assert zf.read(f"{A}/{A}.ipynb") == (folder / f"{A}.ipynb").read_bytes()


def test_a_missing_assignment_is_registered_once_and_release_is_left_alone(tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    course = Course.at(make_course(tmp_path / "course"), url)
    assert ensure_in_gradebook(course, [A]) == [A]
    assert not course.release.exists()
    from nbgrader.api import Gradebook
    with Gradebook(url) as gb:
        assert any(c.name == "test_compute_cost" for c in gb.find_notebook(A, A).grade_cells)
    assert ensure_in_gradebook(course, [A]) == []
