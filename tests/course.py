"""Helpers for tests that run nbgrader on a throw-away copy of the course."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def make_course(path):
    """A course root at `path`: our nbgrader_config.py, with notebooks/ and solutions/ linked in."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", path / "nbgrader_config.py")
    for name in ("notebooks", "solutions"):
        (path / name).symlink_to(ROOT / name, target_is_directory=True)
    return path


def bare_course(path, config="", db_url=None):
    """The Course of a folder holding only an nbgrader_config.py with `config` (nbgrader's defaults otherwise)."""
    from grader.instructor.course import Course
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    (path / "nbgrader_config.py").write_text("c = get_config()\n" + config)
    return Course.at(path, db_url)


def clean_env():
    """The caller's environment without the reference variable, and without the venv on PATH:
    nbgrader is run as `.venv/bin/nbgrader`, as an instructor who did not activate it would."""
    env = dict(os.environ)
    env.pop("BACKPROP_LAB_SOLUTIONS", None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN)
    return env


def nbgrader(course, *args, check=True, timeout=900):
    """Run plain `nbgrader ARGS` in the course root, as an instructor would."""
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=clean_env(),
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def release(course, assignment):
    """Generate the student version with plain nbgrader and return its notebook."""
    nbgrader(course, "generate_assignment", assignment, "--force")
    return nbformat.read(str(Path(course) / "release" / assignment / f"{assignment}.ipynb"), as_version=4)


def submit(course, student, assignment, nb):
    folder = Path(course) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(folder / f"{assignment}.ipynb"))
    (folder / "timestamp.txt").write_text("2026-11-01 12:00:00.000000 UTC")
    return folder


def scores(course, assignment):
    """{student: {grade_id: (score, max_score)}} read from the course gradebook."""
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            cells = {}
            for nb in sub.notebooks:
                for grade in nb.grades:
                    cells[grade.name] = (grade.score, grade.max_score)
            out[sub.student.id] = cells
    return out


def autograded_outputs(course, student, assignment):
    """{grade_id: text of every output} of the autograded notebook of a student."""
    path = Path(course) / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb = json.loads(path.read_text())
    texts = {}
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and cell["cell_type"] == "code":
            parts = []
            for out in cell.get("outputs", []):
                parts.append("".join(out.get("text", "")) + out.get("ename", "") + ": " + out.get("evalue", ""))
            texts[grade_id] = "\n".join(parts)
    return texts
