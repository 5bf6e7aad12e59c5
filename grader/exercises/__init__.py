"""Per-assignment exercise specifications: how to build test inputs for each graded function.

Each assignment is a package `grader/exercises/<module>/`:
- `__init__.py`: EXERCISES, a dict from function name to Exercise (arguments, outputs, case builder and the
  known mistakes with their causes, the sentences students read);
- `cases.py`: the sizes tables and the case builders, `builder(reference, rng)` yielding Case;
- `mistakes.py`: the output of each known mistake, `output(reference, *args)`;
- `checks.py`, where the notebook imports a check of its own (e.g. 04's check_gradient_total).
Inputs are built with the reference module only (never with a student's other answers), so that
one wrong function costs only its own points. The first cases a builder draws with the fixture seed
are the visible known values: a builder's draws keep their order (new ones go last), or the fixtures
are made anew (`python -m grader fixtures`).
"""
import importlib

from grader.exercise import Exercise

ASSIGNMENTS = {
    "01_shallow_nn": "shallow_nn",
    "02_deep_nn": "deep_nn",
    "03_conv_backward": "conv_backward",
    "04_pool_backward": "pool_backward",
    "05_rnn_bptt": "rnn_bptt",
    "06_one_network": "one_network",
}


def module_name(assignment: str) -> str:
    try:
        return ASSIGNMENTS[assignment]
    except KeyError:
        raise ValueError(f"unknown assignment {assignment!r}; expected one of {list(ASSIGNMENTS)}") from None


def exercises(assignment: str) -> dict[str, Exercise]:
    """{function name: Exercise} of an assignment."""
    return importlib.import_module(f"grader.exercises.{module_name(assignment)}").EXERCISES


def exercise(assignment: str, name: str) -> Exercise:
    table = exercises(assignment)
    if name not in table:
        raise ValueError(f"{assignment} has no graded function {name!r}; it has {list(table)}")
    return table[name]
