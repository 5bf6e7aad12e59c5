"""grader.instructor.course: one Course object, its config read once, its gradebook opened without
touching this process's environment."""
import os
import sys
from pathlib import Path

import pytest

from grader import reference
from grader.exercises import ASSIGNMENTS
from grader.instructor.course import Course, find_course_root, nbgrader_env
from tests.course import BIN, ROOT, make_course


def write_config(folder: Path, lines: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nbgrader_config.py").write_text("c = get_config()\n" + lines)
    return folder


def test_folders_course_id_and_gradebook_come_from_the_config(tmp_path):
    root = write_config(tmp_path / "c", 'c.CourseDirectory.course_id = "ml-101"\n'
                                        'c.CourseDirectory.source_directory = "src"\n'
                                        'c.CourseDirectory.submitted_directory = "inbox"\n'
                                        'c.CourseDirectory.autograded_directory = "graded"\n'
                                        'c.CourseDirectory.feedback_directory = "returned"\n')
    course = Course.at(root)
    assert course.course_id == "ml-101"
    assert (course.source, course.submitted, course.autograded, course.feedback, course.release) == (
        root / "src", root / "inbox", root / "graded", root / "returned", root / "release")
    assert course.db_url == f"sqlite:///{root.resolve() / 'gradebook.db'}"
    assert course.results == root / "reports" / "results"
    assert course.solutions is None


def test_an_explicit_gradebook_wins_over_the_config(tmp_path):
    root = write_config(tmp_path / "c", 'c.CourseDirectory.db_url = "sqlite:////nowhere/in.config"\n')
    assert Course.at(root).db_url == "sqlite:////nowhere/in.config"
    assert Course.at(root, "postgresql://u@h/db").db_url == "postgresql://u@h/db"


def test_nbgrader_defaults_when_the_config_says_nothing(tmp_path):
    course = Course.at(write_config(tmp_path / "c", ""))
    assert course.course_id == "default_course"
    assert [p.name for p in (course.source, course.submitted, course.autograded, course.feedback)] == [
        "source", "submitted", "autograded", "feedback"]


def test_reading_the_config_leaves_the_environment_alone(monkeypatch):
    # this course's config sets the reference variable and PATH for nbgrader's kernels
    monkeypatch.delenv("BACKPROP_LAB_SOLUTIONS", raising=False)
    before = dict(os.environ)
    course = Course.at(ROOT)
    assert dict(os.environ) == before
    assert course.source == ROOT / "notebooks" and course.solutions == ROOT / "solutions"
    assert course.course_id == "backprop-lab"


def test_find_walks_up_and_says_what_is_missing(tmp_path):
    root = write_config(tmp_path / "c", "")
    (root / "a" / "b").mkdir(parents=True)
    assert Course.find(root / "a" / "b").root == root.resolve()
    assert find_course_root(root / "a") == root.resolve()
    with pytest.raises(SystemExit, match="no nbgrader_config.py at or above"):
        find_course_root(tmp_path)


def test_assignments_are_the_source_notebooks_in_course_order(tmp_path):
    root = write_config(tmp_path / "c", 'c.CourseDirectory.source_directory = "src"\n')
    for a in ("05_rnn_bptt", "02_deep_nn"):
        (root / "src" / a).mkdir(parents=True)
        (root / "src" / a / f"{a}.ipynb").write_text("{}")
    (root / "src" / "03_conv_backward").mkdir()  # a folder without its notebook is no assignment
    assert Course.at(root).assignments() == ["02_deep_nn", "05_rnn_bptt"]
    assert Course.at(make_course(tmp_path / "full")).assignments() == [
        a for a in ASSIGNMENTS if (ROOT / "notebooks" / a / f"{a}.ipynb").is_file()]


def test_a_new_gradebook_is_made_without_this_environment_on_path(tmp_path, monkeypatch):
    # nbgrader's Gradebook runs `alembic` from PATH when it creates a database; the course must
    # not need PATH to hold this environment's bin/, nor change PATH to get it
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if Path(p) != BIN)
    monkeypatch.setenv("PATH", path)
    course = Course.at(make_course(tmp_path / "c"), f"sqlite:///{tmp_path / 'new.db'}")
    with course.gradebook() as gb:
        gb.add_student("ann")
    assert os.environ["PATH"] == path
    with course.gradebook() as gb:
        assert [s.id for s in gb.students] == ["ann"]
        assert gb.course_id == "backprop-lab"


def test_the_nearest_folder_with_a_config_is_the_course_root(tmp_path):
    outer = write_config(tmp_path / "outer", "")
    inner = write_config(outer / "term" / "inner", "")
    (inner / "submitted" / "ann").mkdir(parents=True)
    assert find_course_root(inner / "submitted" / "ann") == inner.resolve()
    assert find_course_root(outer / "term") == outer.resolve()


def test_a_config_that_sets_variables_leaves_ours_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADER_TEST_SET_BY_CONFIG", raising=False)
    root = write_config(tmp_path / "course", 'import os\nos.environ["GRADER_TEST_SET_BY_CONFIG"] = "1"\n')
    Course.at(root)
    assert "GRADER_TEST_SET_BY_CONFIG" not in os.environ


def test_an_nbgrader_child_gets_our_tools_first_and_no_reference_folder(monkeypatch):
    monkeypatch.setenv(reference.ENV_VAR, "/somewhere/solutions")
    env = nbgrader_env()
    assert reference.ENV_VAR not in env
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert os.environ[reference.ENV_VAR] == "/somewhere/solutions", "only the child's environment changes"
