"""Notebook plumbing: answer cells, splicing reference code into them, signature checks.

The source notebooks in notebooks/ hold only stubs; the one copy of each solution is the function
of the same name in solutions/<module>.py. `solve` makes the instructors' solved notebook by
putting each reference function's body (after its docstring) into the answer cell's solution
region; `fill` does the same to a released notebook (used to make synthetic submissions).
"""
import ast
import copy
import textwrap
from collections.abc import Iterable
from pathlib import Path

import nbformat

from grader.cells import answer_cells
from grader.exercises import ASSIGNMENTS, module_name

__all__ = ["COURSE_ROOT", "LESSON_TAG", "available", "build_solved", "fill", "fill_region",
           "function_body", "is_lesson_cell", "read", "reference_bodies", "reference_path", "refresh_lesson_outputs",
           "signature_mismatches", "solve", "source_path"]

COURSE_ROOT = Path(__file__).resolve().parents[2]
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError()")


def source_path(assignment: str, root: str | Path = COURSE_ROOT) -> Path:
    return Path(root) / "notebooks" / assignment / f"{assignment}.ipynb"


def reference_path(assignment: str, root: str | Path = COURSE_ROOT) -> Path:
    return Path(root) / "solutions" / f"{module_name(assignment)}.py"


def read(path: str | Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def _function_node(tree, name):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def function_body(module_source: str, name: str) -> str:
    """Source of the body of top-level function `name`, docstring excluded, dedented."""
    node = _function_node(ast.parse(module_source), name)
    if node is None:
        raise KeyError(name)
    body = node.body
    has_doc = isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
        and isinstance(body[0].value.value, str)
    lines = module_source.splitlines()
    start = body[0].end_lineno if has_doc else node.body[0].lineno - 1
    return textwrap.dedent("\n".join(lines[start:node.end_lineno])).strip("\n")


def _region(lines):
    """(first, last) line indexes of what replaces: the solution region or the nbgrader stub."""
    for i, line in enumerate(lines):
        if line.strip() == BEGIN:
            for j in range(i + 1, len(lines)):
                if lines[j].strip() == END:
                    return i + 1, j - 1
    for i in range(len(lines) - 1):
        if lines[i].strip() == STUB_LINES[0] and lines[i + 1].strip() == STUB_LINES[1]:
            return i, i + 1
    return None


def fill_region(cell_source: str, body: str) -> str:
    """cell_source with its solution region (or stub) replaced by `body`, indented to match."""
    lines = cell_source.splitlines()
    where = _region(lines)
    if where is None:
        raise ValueError("the cell has neither a solution region nor nbgrader's code stub")
    first, last = where
    anchor = lines[first] if first <= last else lines[first - 1]
    indent = anchor[:len(anchor) - len(anchor.lstrip())]
    new = [indent + line if line.strip() else "" for line in body.splitlines()]
    return "\n".join(lines[:first] + new + lines[last + 1:])


def fill(nb: nbformat.NotebookNode, bodies: dict[str, str]) -> nbformat.NotebookNode:
    """Copy of nb whose answer cells named in `bodies` {grade_id: body source} are filled."""
    nb = copy.deepcopy(nb)
    for cell, grade_id in answer_cells(nb):
        if grade_id in bodies:
            cell.source = fill_region(cell.source, bodies[grade_id])
    return nb


def reference_bodies(assignment: str, root: str | Path = COURSE_ROOT) -> dict[str, str]:
    """{function name: body source} for every answer cell of the assignment."""
    module_source = reference_path(assignment, root).read_text()
    return {grade_id: function_body(module_source, grade_id)
            for _, grade_id in answer_cells(read(source_path(assignment, root)))}


def solve(assignment: str, root: str | Path = COURSE_ROOT) -> nbformat.NotebookNode:
    """The solved notebook: the source notebook with every answer cell filled from solutions/."""
    return fill(read(source_path(assignment, root)), reference_bodies(assignment, root))


def build_solved(out_dir: str | Path, assignments: Iterable[str] | None = None,
                 root: str | Path = COURSE_ROOT) -> list[Path]:
    written = []
    for assignment in assignments or available(root):
        target = Path(out_dir) / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(solve(assignment, root), str(target))
        written.append(target)
    return written


def available(root: str | Path = COURSE_ROOT) -> list[str]:
    return [a for a in ASSIGNMENTS if source_path(a, root).is_file()]


def _signature_of_def(source, name):
    node = _function_node(ast.parse(source), name)
    if node is None:
        return None
    return ast.unparse(node.args)


def signature_mismatches(assignment: str, root: str | Path = COURSE_ROOT) -> list[str]:
    """Sentences naming each answer cell whose `def` differs from the reference's."""
    module_source = reference_path(assignment, root).read_text()
    problems = []
    for cell, grade_id in answer_cells(read(source_path(assignment, root))):
        in_cell = _signature_of_def(cell.source, grade_id)
        in_ref = _signature_of_def(module_source, grade_id)
        if in_cell is None:
            problems.append(f"{assignment}: answer cell {grade_id!r} defines no function {grade_id}()")
        elif in_ref is None:
            problems.append(f"{assignment}: solutions has no function {grade_id}()")
        elif in_cell != in_ref:
            problems.append(f"{assignment}: {grade_id}({in_cell}) in the notebook, ({in_ref}) in solutions")
    return problems


# Cells whose output is part of the lesson carry this cell tag (nbval compares their outputs; a tag, unlike
# nbval's comment marker, is not shown to students).
LESSON_TAG = "nbval-check-output"


def is_lesson_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and LESSON_TAG in cell.metadata.get("tags", [])


def refresh_lesson_outputs(assignment: str, root: str | Path = COURSE_ROOT, timeout: float = 600) -> Path:
    """Run the solved notebook and store, in the source notebook, the outputs of the cells tagged
    LESSON_TAG (the deterministic outputs nbval compares); strip every other output."""
    import os
    import tempfile

    from nbclient import NotebookClient

    from grader import reference
    solved = solve(assignment, root)
    # the kernel's hidden checks read the course's reference; our own environment is left alone
    env = {**os.environ, **reference.environ(Path(root) / "solutions")}
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(solved, timeout=timeout, resources={"metadata": {"path": tmp}}).execute(env=env)
    path = source_path(assignment, root)
    nb = read(path)
    for cell, ran in zip(nb.cells, solved.cells):
        if cell.cell_type == "code":
            lesson = is_lesson_cell(cell)
            cell.outputs = ran.outputs if lesson else []
            # nbval treats a cell with outputs but no execution count as never run.
            cell.execution_count = ran.execution_count if lesson else None
    nbformat.write(nb, str(path))
    return path
