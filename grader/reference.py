"""Find and load the hidden reference module of an assignment (instructor side only)."""
import importlib.util
import os
import sys
from pathlib import Path

from grader.exercises import module_name

ENV_VAR = "BACKPROP_LAB_SOLUTIONS"


class ReferenceUnavailable(RuntimeError):
    pass


def solutions_dir():
    """The `solutions/` folder: $BACKPROP_LAB_SOLUTIONS, else the nearest course root above cwd."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
            return folder / "solutions"
    raise ReferenceUnavailable(
        "The hidden tests need the instructor's reference solutions, which are not part of a "
        "student's copy of the course. Your visible checks above are what you can run.")


def load(assignment):
    """The reference module of `assignment`, imported from its file (cached)."""
    key = f"_backprop_lab_reference_{module_name(assignment)}"
    if key in sys.modules:
        return sys.modules[key]
    path = solutions_dir() / f"{module_name(assignment)}.py"
    if not path.is_file():
        raise ReferenceUnavailable(f"no reference module at {path}")
    spec = importlib.util.spec_from_file_location(key, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module
