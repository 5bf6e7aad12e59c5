"""Synthetic submissions for the batch-grading tests: correct, buggy and hostile ones."""

from grader.instructor.notebook import fill, reference_bodies

A = "01_shallow_nn"


def bodies():
    return reference_bodies(A)


def correct(released):
    return fill(released, bodies())


def with_body(released, fn, body):
    return fill(released, {**bodies(), fn: body})


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def hostile(released):
    """{student: (notebook or raw bytes or None, exercise(s) that must score 0, words in the reasons)}."""
    b = bodies()
    out = {}
    out["loops"] = (with_body(released, "compute_cost", "while True:\n    pass"),
                    {"test_compute_cost"}, "time limit")
    nb = correct(released)
    _cell(nb, "forward_propagation").source += ("\n\nwhile True:\n    try:\n        pass\n"
                                                "    except BaseException:\n        pass\n")
    out["loops_uninterruptible"] = (nb, {"test_forward_propagation"}, "time limit")
    out["memory_hog"] = (with_body(released, "forward_propagation",
                                   "hog = np.ones(5 * 10**9)\n" + b["forward_propagation"]),
                         {"test_forward_propagation"}, None)  # MemoryError in the test: its message says so
    out["sys_exit"] = (with_body(released, "compute_cost", "import sys\nsys.exit(3)"), {"test_compute_cost"}, None)
    out["os_exit"] = (with_body(released, "backward_propagation", "import os\nos._exit(1)"),
                      {"test_backward_propagation"}, "grading kernel died")
    nb = correct(released)
    _cell(nb, "update_parameters").source += "\n\nexit()\n"
    out["calls_exit"] = (nb, set(), "grading kernel died")
    nb = correct(released)
    _cell(nb, "update_parameters").source += "\n\nfor _ in range(20000):\n    print('spam ' * 200)\n"
    out["floods"] = (nb, set(), "too much output")
    out["bad_json"] = (b'{"cells": [{"cell_type": "code", "source": "def f(', None, "not valid JSON")
    out["no_notebook"] = (None, None, "no 01_shallow_nn.ipynb")
    nb = correct(released)
    _cell(nb, "test_compute_cost").metadata["nbgrader"]["grade_id"] = "my_test"
    del _cell(nb, "forward_propagation").metadata["nbgrader"]
    out["renamed_cells"] = (nb, set(), "renamed")
    nb = correct(released)
    nb.cells.remove(_cell(nb, "test_update_parameters"))
    nb.cells.remove(_cell(nb, "compute_cost"))
    out["deleted_cells"] = (nb, {"test_compute_cost"}, "deleted")
    return out
