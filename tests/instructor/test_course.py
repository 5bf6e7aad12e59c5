"""grader.instructor.course: finding the course root and reading its nbgrader_config.py without running nbgrader."""
import os
import sys
from pathlib import Path

import pytest

from grader import reference
from grader.instructor.course import (available_assignments, course_config, course_id, default_db_url,
                                      find_course_root, nbgrader_env, source_dir)
from tests.batch_subs import A


def _course(root, config=""):
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text("c = get_config()\n" + config)
    return root


def test_the_nearest_folder_with_a_config_is_the_course_root(tmp_path):
    outer = _course(tmp_path / "outer")
    inner = _course(outer / "term" / "inner")
    (inner / "submitted" / "ann").mkdir(parents=True)
    assert find_course_root(inner / "submitted" / "ann") == inner.resolve()
    assert find_course_root(outer / "term") == outer.resolve()


def test_no_config_above_is_an_error_naming_the_way_out(tmp_path):
    with pytest.raises(SystemExit, match="pass --course"):
        find_course_root(tmp_path)


def test_defaults_when_the_config_sets_nothing(tmp_path):
    root = _course(tmp_path / "course")
    assert default_db_url(root) == f"sqlite:///{root.resolve() / 'gradebook.db'}"
    assert course_id(root) == "default_course"
    assert source_dir(root) == root / "source"


def test_what_the_config_sets_is_read(tmp_path):
    root = _course(tmp_path / "course", 'c.CourseDirectory.db_url = "sqlite:////srv/grades.db"\n'
                                       'c.CourseDirectory.course_id = "backprop"\n'
                                       'c.CourseDirectory.source_directory = "notebooks"\n')
    (root / "notebooks" / A).mkdir(parents=True)
    (root / "notebooks" / A / f"{A}.ipynb").write_text("{}")
    (root / "notebooks" / "02_deep_nn").mkdir()  # a folder without its notebook is no assignment
    assert default_db_url(root) == "sqlite:////srv/grades.db"
    assert course_id(root) == "backprop"
    assert available_assignments(root) == [A]


def test_reading_the_config_leaves_our_environment_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("GRADER_TEST_SET_BY_CONFIG", raising=False)
    root = _course(tmp_path / "course", 'import os\nos.environ["GRADER_TEST_SET_BY_CONFIG"] = "1"\n')
    course_config(root)
    assert "GRADER_TEST_SET_BY_CONFIG" not in os.environ


def test_nbgrader_runs_with_our_tools_and_without_the_references(monkeypatch):
    monkeypatch.setenv(reference.ENV_VAR, "/somewhere/solutions")
    env = nbgrader_env()
    assert reference.ENV_VAR not in env
    assert env["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    assert os.environ[reference.ENV_VAR] == "/somewhere/solutions", "only the child's environment changes"
