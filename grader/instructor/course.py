"""One course: where it is, what its nbgrader_config.py says, and how nbgrader is run in it.

The instructor's commands build a `Course` once (`Course.find` in cli) and pass it down, so the
config is read once and every module agrees on the course's folders and gradebook.
"""
from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # traitlets is imported only when a config is read
    from traitlets.config import Config

from grader import reference
from grader.exercises import ASSIGNMENTS

# nbgrader's own defaults for the CourseDirectory folders a batch reads or writes
FOLDER_DEFAULTS = {"source": "source", "release": "release", "submitted": "submitted",
                   "autograded": "autograded", "feedback": "feedback"}


def find_course_root(start: Path | str | None = None) -> Path:
    """The nearest folder at or above `start` (default: cwd) holding nbgrader_config.py."""
    start = Path(start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise SystemExit(f"no nbgrader_config.py at or above {start}: run from the course root or pass --course")


def course_config(root: Path | str) -> Config:
    """The traitlets Config of the course's nbgrader_config.py (without running nbgrader)."""
    from traitlets.config.loader import PyFileConfigLoader
    saved = dict(os.environ)
    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    finally:  # the course config may set environment variables; keep ours clean
        os.environ.clear()
        os.environ.update(saved)


@dataclass(frozen=True)
class Course:
    """A course folder and the settings of its nbgrader_config.py that the batch tools use."""
    root: Path
    db_url: str
    course_id: str
    source: Path
    release: Path
    submitted: Path
    autograded: Path
    feedback: Path

    @classmethod
    def at(cls, root: Path | str, db_url: str | None = None) -> Course:
        """The course whose nbgrader_config.py is in `root`; `db_url` overrides its gradebook."""
        root = Path(root).resolve()
        settings = course_config(root).get("CourseDirectory", {})
        folders = {name: root / settings.get(f"{name}_directory", default)
                   for name, default in FOLDER_DEFAULTS.items()}
        return cls(root=root, db_url=db_url or settings.get("db_url") or f"sqlite:///{root / 'gradebook.db'}",
                   course_id=settings.get("course_id", "default_course"), **folders)

    @classmethod
    def find(cls, start: Path | str | None = None, db_url: str | None = None) -> Course:
        """The course at or above `start` (default: the current folder)."""
        return cls.at(find_course_root(start), db_url)

    @property
    def solutions(self) -> Path | None:
        """The course's reference solutions, if it has them (what the trusted re-grade compares with)."""
        folder = self.root / "solutions"
        return folder if folder.is_dir() else None

    @property
    def results(self) -> Path:
        """One JSON record per graded submission: reports/results/<assignment>/<student>.json."""
        return self.root / "reports" / "results"

    def assignments(self) -> list[str]:
        """The course's assignments that have a source notebook, in course order."""
        return [a for a in ASSIGNMENTS if (self.source / a / f"{a}.ipynb").is_file()]

    def nbgrader(self, *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run plain `nbgrader ARGS` on this course's gradebook (in `cwd`, default the course root)."""
        cmd = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.db_url={self.db_url}"]
        proc = subprocess.run(cmd, cwd=cwd or self.root, env=nbgrader_env(), capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
        return proc

    @contextmanager
    def gradebook(self) -> Iterator:
        """nbgrader's Gradebook of this course, opened in this process.

        A Gradebook that creates a new database runs `alembic` from PATH; so a missing database is
        first created by an nbgrader child, whose PATH has this environment's tools."""
        from nbgrader.api import Gradebook
        if not _has_tables(self.db_url):
            self.nbgrader("db", "assignment", "list")
        with Gradebook(self.db_url, course_id=self.course_id) as gb:
            yield gb


def _has_tables(db_url: str) -> bool:
    from sqlalchemy import create_engine, inspect
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).is_file():
        return False  # don't let the check itself create the file
    engine = create_engine(db_url)
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def nbgrader_env() -> dict:
    """The environment of an nbgrader child: ours, with this environment's tools first and without
    the reference-solutions variable (a grading kernel gets that only when it is handed over)."""
    env = dict(os.environ)
    env.pop(reference.ENV_VAR, None)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env

