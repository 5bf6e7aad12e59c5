"""Trusted re-grading of a submission outside the student's kernel (issue: grades that submitted
code cannot forge).

INTERFACE (fixed; the implementation is being written):

    regrade(notebook_path, assignment, *, cell_timeout=60.0, memory_mb=2048) -> dict[str, ExerciseResult]

For every graded function of `assignment`, run the student's code from the submitted notebook in a
fresh isolated process that cannot read solutions/ or the course folder, call the function on
inputs built here with the reference, bring back its outputs as plain float arrays, and compare
them here (the trusted process) with the reference using grader.compare. Keys are the grade_ids of
the test cells (test_<function>). A crash, a time-out, a memory blow-up or a missing function
costs only that exercise.
"""
from dataclasses import dataclass, field


@dataclass
class ExerciseResult:
    grade_id: str           # "test_<function>"
    function: str
    score: float            # points awarded by the trusted comparison
    max_score: float
    message: str = ""       # diagnostic shown to the student ("" when correct)
    flags: list = field(default_factory=list)  # e.g. ["timeout"], ["crashed"], ["missing function"]


def regrade(notebook_path, assignment, *, cell_timeout=60.0, memory_mb=2048):
    raise NotImplementedError("trusted re-grading is not implemented yet")
