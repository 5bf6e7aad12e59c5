"""Find and load the hidden reference module of an assignment (instructor side only).

The one place that knows where `solutions/` is: an explicit folder from the caller (the instructor's
tools and the trusted re-grade pass the course's), else $BACKPROP_LAB_SOLUTIONS (how the hidden tests
in a grading kernel learn it: `environ` writes it for a child process), else the nearest course root
above the working folder."""
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

from grader.exercises import module_name

ENV_VAR = "BACKPROP_LAB_SOLUTIONS"
MODULE_PREFIX = "_backprop_lab_reference_"  # the name of a loaded reference (runner hides its source lines)


class ReferenceUnavailable(RuntimeError):
    pass


def solutions_dir(solutions: Path | str | None = None) -> Path:
    """`solutions` when given, else $BACKPROP_LAB_SOLUTIONS, else `solutions/` of the nearest course root above cwd."""
    if solutions is not None:
        return Path(solutions)
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
            return folder / "solutions"
    raise ReferenceUnavailable(
        "The hidden tests need the instructor's reference solutions, which are not part of a "
        "student's copy of the course. Your visible checks above are what you can run.")


def environ(solutions: Path | str) -> dict[str, str]:
    """The variables that tell a child process (a grading kernel) where the references are."""
    return {ENV_VAR: str(Path(solutions).resolve())}


def path_of(assignment: str, solutions: Path | str | None = None) -> Path:
    return solutions_dir(solutions) / f"{module_name(assignment)}.py"


def load(assignment: str, solutions: Path | str | None = None) -> ModuleType:
    """The reference module of `assignment`, imported from its file (cached per file)."""
    path = path_of(assignment, solutions).resolve()
    key = f"{MODULE_PREFIX}{module_name(assignment)}"
    cached = sys.modules.get(key)
    if cached is not None and getattr(cached, "__file__", None) == str(path):
        return cached
    if not path.is_file():
        raise ReferenceUnavailable(f"no reference module at {path}")
    spec = importlib.util.spec_from_file_location(key, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
