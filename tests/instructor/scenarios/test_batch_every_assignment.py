"""The batch commands work for every assignment whose notebook exists: `release` with no ids
releases them all, and one `autograde` run grades a correct and a buggy submission of each
(several assignments in one run, as an instructor grading a backlog would)."""
import importlib
import re
import subprocess
import sys
import zipfile

import nbformat
import pytest

from grader.exercises import module_name
from grader.instructor.notebook import available, fill, reference_bodies
from tests.course import clean_env, make_course, scores, submit

pytestmark = pytest.mark.pipeline


def test_release_and_autograde_every_assignment(tmp_path):
    course = make_course(tmp_path / "course")
    env = clean_env()
    proc = subprocess.run([sys.executable, "-m", "grader", "release", "--course", str(course)],
                          cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    expected = {}
    for a in available():
        with zipfile.ZipFile(course / "release" / f"{a}.zip") as zf:
            assert zf.namelist() == [f"{a}/{a}.ipynb"]
        released = nbformat.read(str(course / "release" / a / f"{a}.ipynb"), as_version=4)
        bodies = reference_bodies(a)
        submit(course, "correct", a, fill(released, bodies))
        fn, old, new, _ = importlib.import_module(f"tests.bugs.{module_name(a)}").BUGS[0]
        submit(course, "buggy", a, fill(released, {**bodies, fn: bodies[fn].replace(old, new)}))
        expected[a] = fn
    proc = subprocess.run([sys.executable, "-m", "grader", "autograde", "--course", str(course), "--jobs", "2",
                           "--no-trusted", "--no-progress"], cwd=course, env=env, capture_output=True, text=True,
                          timeout=1800)
    assert proc.returncode == 0, proc.stderr
    for a, fn in expected.items():
        table = scores(course, a)
        assert all(v[0] == v[1] for v in table["correct"].values()), (a, table["correct"])
        for gid, (score, max_score) in table["buggy"].items():
            assert score == (0 if re.fullmatch(rf"test_{fn}(_.*)?", gid) else max_score), (a, gid, score)
    assert f"{2 * len(expected)} submissions graded" in proc.stdout
