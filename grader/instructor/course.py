"""Where the course is and how nbgrader is run in it: config, gradebook URL, source folder, tools."""
import os
import subprocess
import sys
from pathlib import Path

from grader import reference
from grader.exercises import ASSIGNMENTS


def find_course_root(start: Path | str | None = None) -> Path:
    """The nearest folder at or above `start` (default: cwd) holding nbgrader_config.py."""
    start = Path(start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise SystemExit(f"no nbgrader_config.py at or above {start}: run from the course root or pass --course")


def course_config(root: Path | str):
    """The traitlets Config of the course's nbgrader_config.py (without running nbgrader)."""
    from traitlets.config.loader import PyFileConfigLoader
    saved = dict(os.environ)
    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    finally:  # the course config may set environment variables; keep ours clean
        os.environ.clear()
        os.environ.update(saved)


def default_db_url(root: Path | str) -> str:
    cfg = course_config(root)
    url = cfg.get("CourseDirectory", {}).get("db_url")
    return url or f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def course_id(root: Path | str) -> str:
    return course_config(root).get("CourseDirectory", {}).get("course_id", "default_course")


def source_dir(root: Path | str) -> Path:
    return Path(root) / course_config(root).get("CourseDirectory", {}).get("source_directory", "source")


def available_assignments(root: Path | str) -> list[str]:
    src = source_dir(root)
    return [a for a in ASSIGNMENTS if (src / a / f"{a}.ipynb").is_file()]


def tools_on_path() -> None:
    """Put this environment's bin/ on PATH: nbgrader's Gradebook runs `alembic` from PATH when it
    creates a database, in this process, so no env can be handed to it."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_env() -> dict:
    """The environment of an nbgrader child: ours, with this environment's tools first and without
    the reference-solutions variable (a grading kernel gets that only when it is handed over)."""
    env = dict(os.environ)
    env.pop(reference.ENV_VAR, None)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(root: Path | str, *args: str, db_url: str | None = None, check: bool = True,
                 env: dict | None = None) -> subprocess.CompletedProcess:
    """Run plain `nbgrader ARGS` in `root` (with --CourseDirectory.db_url when given)."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    if db_url:
        cmd.append(f"--CourseDirectory.db_url={db_url}")
    proc = subprocess.run(cmd, cwd=root, env=env or nbgrader_env(), capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc
