"""nbgrader configuration of the Backprop Lab course; the course root is this folder."""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when nbgrader loads this file

COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "backprop-lab"
c.CourseDirectory.source_directory = "notebooks"
c.CourseDirectory.db_url = f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Seconds a single cell may run before it is interrupted (a looping answer scores 0, not forever).
c.Execute.timeout = 120

# Hidden tests find the references through this variable; the kernel inherits it at autograde.
os.environ.setdefault("BACKPROP_LAB_SOLUTIONS", str(COURSE_ROOT / "solutions"))

# nbgrader runs `alembic` by name when it creates a gradebook: make the tools of the environment
# running nbgrader findable even when that environment is not activated (e.g. .venv/bin/nbgrader).
_bin = os.path.dirname(sys.executable)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
