"""`python -m grader autograde --course OTHER`: the trusted re-grade takes the graded cells and their points from the
course being graded (its gradebook), like the in-kernel scores, not from this repository's notebooks. A course whose
notebook gives a cell other points than ours is graded without a false disagreement."""
import json
import shutil
import subprocess
import sys

import pytest

from grader.instructor.notebook import fill, read, reference_bodies, source_path
from tests.course import ROOT, clean_env
from tests.sandbox.scenarios.test_tamper import write_submission

pytestmark = pytest.mark.pipeline
A, CELL, POINTS = "01_shallow_nn", "test_compute_cost", 7


def grader_cli(course, *args):
    return subprocess.run([sys.executable, "-m", "grader", *args, "--course", str(course)], cwd=course,
                          env=clean_env(), capture_output=True, text=True, timeout=1800)


def test_the_trusted_regrade_reads_the_points_of_the_course_graded(tmp_path):
    course = tmp_path / "course"
    (course / "notebooks" / A).mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    (course / "solutions").symlink_to(ROOT / "solutions", target_is_directory=True)
    nb = json.loads(source_path(A).read_text())
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == CELL)
    assert cell["metadata"]["nbgrader"]["points"] != POINTS
    cell["metadata"]["nbgrader"]["points"] = POINTS
    (course / "notebooks" / A / f"{A}.ipynb").write_text(json.dumps(nb))
    assert grader_cli(course, "release", A).returncode == 0
    write_submission(course / "submitted" / "honest" / A, fill(read(source_path(A)), reference_bodies(A)))
    proc = grader_cli(course, "autograde", A, "--jobs", "1", "--no-progress")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook(A, A, "honest")
        grades = {g.name: (g.score, g.max_score) for g in notebook.grades}
        flagged = notebook.flagged
    assert grades[CELL] == (POINTS, POINTS), grades
    assert not flagged, "an honest submission was flagged: the trusted re-grade read other points"
