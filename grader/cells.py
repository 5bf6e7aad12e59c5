"""nbgrader's marks on a notebook's cells, read in one place.

Notebooks reach us as plain JSON (a submission read by the trusted re-grade, an autograded notebook read back
for feedback) or as nbformat's NotebookNode (a dict subclass, so both are read alike). A submitted notebook
is written by the student: any of its metadata may be missing or of the wrong type, so every reader here
answers "not marked" rather than raising. Standard library only: the sandbox and the instructor's room
import it, and it sits in the student's room below both.
"""

__all__ = ["answer_cells", "cell_source", "grade_cells", "grade_id", "is_code", "nbgrader_meta", "text"]


def text(source: object) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    if isinstance(source, list):
        return "".join(s for s in source if isinstance(s, str))
    return source if isinstance(source, str) else ""


def cell_source(cell: object) -> str:
    return text(cell.get("source", "")) if isinstance(cell, dict) else ""


def is_code(cell: object) -> bool:
    return isinstance(cell, dict) and cell.get("cell_type") == "code"


def nbgrader_meta(cell: object) -> dict:
    """The cell's nbgrader metadata (the object itself, so a caller may edit it), or {} when the cell, its
    metadata or their nbgrader entry is not a mapping."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    meta = meta.get("nbgrader") if isinstance(meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def grade_id(cell: object) -> str | None:
    """The cell's nbgrader grade_id, or None when it has none that is a string (nothing else can name a cell)."""
    gid = nbgrader_meta(cell).get("grade_id")
    return gid if isinstance(gid, str) else None


def _marked(nb: object, mark: str) -> list[tuple[dict, str]]:
    cells = nb.get("cells") if isinstance(nb, dict) else None
    return [(cell, grade_id(cell)) for cell in (cells if isinstance(cells, list) else [])
            if is_code(cell) and nbgrader_meta(cell).get(mark) and grade_id(cell) is not None]


def answer_cells(nb: object) -> list[tuple[dict, str]]:
    """[(cell, grade_id)] of the code cells that students fill in (nbgrader's solution cells), in order."""
    return _marked(nb, "solution")


def grade_cells(nb: object) -> list[tuple[dict, str]]:
    """[(cell, grade_id)] of the code cells that carry points (nbgrader's grade cells: the tests, and any
    answer graded by hand), in order."""
    return _marked(nb, "grade")
