"""Per-assignment exercise specifications: how to build test inputs for each graded function.

Each `grader/exercises/<module>.py` defines EXERCISES, a dict from function name to Exercise.
Inputs are built with the reference module only (never with a student's other answers), so that
one wrong function costs only its own points.
"""
import importlib

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


def exercises(assignment: str) -> dict:
    """{function name: Exercise} of an assignment."""
    return importlib.import_module(f"grader.exercises.{module_name(assignment)}").EXERCISES


def exercise(assignment: str, name: str):
    table = exercises(assignment)
    if name not in table:
        raise ValueError(f"{assignment} has no graded function {name!r}; it has {list(table)}")
    return table[name]
