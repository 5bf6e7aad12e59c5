"""The bundle shipped to each worker: course config, template gradebook, reference solutions and
each notebook's cell layout, all as plain data so a worker on another machine needs no course folder."""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from grader.instructor.course import Course

if TYPE_CHECKING:  # nbgrader is imported by whoever opens the gradebook
    from nbgrader.api import Gradebook


def _layouts(gb: Gradebook, assignments: list[str]) -> dict:
    """{assignment: {notebook: [cell dict in notebook order]}} from the gradebook's source cells (its rows, not
    any notebook's metadata, which grader.cells reads: the layout must come from the course, never a submission)."""
    layouts = {}
    for a in assignments:
        layouts[a] = {}
        for nb in gb.find_assignment(a).notebooks:
            grades = {c.name: c.max_score for c in nb.grade_cells}
            solutions = {c.name for c in nb.solution_cells}
            cells = []
            for c in nb.source_cells:
                cells.append({"grade_id": c.name, "cell_type": c.cell_type, "source": c.source,
                              "locked": bool(c.locked), "checksum": c.checksum,
                              "grade": c.name in grades, "points": grades.get(c.name, 0.0),
                              "solution": c.name in solutions})
            layouts[a][nb.name] = cells
    return layouts


def _template_gradebook(real: Gradebook, assignments: list[str]) -> bytes:
    """Bytes of a fresh SQLite gradebook holding only the assignments' cells.

    Built by copying the assignment structure with nbgrader's API (fast, and works whatever
    database the real gradebook uses)."""
    import nbgrader.api as api
    from sqlalchemy import text
    with tempfile.TemporaryDirectory(prefix="grader-template-") as tmp:
        path = Path(tmp) / "gradebook.db"
        # a new gradebook asks `alembic heads` (a subprocess, ~2 s) for its schema version: take it
        # from the real gradebook instead
        try:
            version = real.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - no version table: let nbgrader ask alembic
            real.db.rollback()  # the failed query must not spoil the session the layouts are read with
            version = None
        saved = api.get_alembic_version
        if version:
            api.get_alembic_version = lambda: version
        try:
            gb = api.Gradebook(f"sqlite:///{path}")
        finally:
            api.get_alembic_version = saved
        with gb:
            for a in assignments:
                ra = real.find_assignment(a)
                gb.update_or_create_assignment(a, duedate=ra.duedate)
                for nb in ra.notebooks:
                    gb.add_notebook(nb.name, a)
                    for c in nb.grade_cells:
                        gb.add_grade_cell(c.name, nb.name, a, max_score=c.max_score, cell_type=c.cell_type)
                    for c in nb.solution_cells:
                        gb.add_solution_cell(c.name, nb.name, a)
                    for c in nb.task_cells:
                        gb.add_task_cell(c.name, nb.name, a, max_score=c.max_score, cell_type=c.cell_type)
                    for c in nb.source_cells:
                        gb.add_source_cell(c.name, nb.name, a, cell_type=c.cell_type, locked=c.locked,
                                           source=c.source, checksum=c.checksum)
        return path.read_bytes()


def make_bundle(course: Course, assignments: list[str]) -> dict:
    solutions = {}
    if course.solutions:
        solutions = {p.name: p.read_bytes() for p in sorted(course.solutions.glob("*.py"))}
    with course.gradebook() as gb:
        return {
            "config": (course.root / "nbgrader_config.py").read_text(),
            "gradebook": _template_gradebook(gb, assignments),
            "solutions": solutions,
            "layouts": _layouts(gb, assignments),
        }


def stable_solutions(bundle: dict) -> Path:
    """A per-machine copy of the reference solutions that outlives the chunk (the trusted grader
    loads and caches the reference in this process), keyed by their content."""
    digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(bundle["solutions"].items()))).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"grader-solutions-{os.getuid()}-{digest}"
    if not folder.is_dir():
        part = Path(tempfile.mkdtemp(prefix="grader-solutions-part-"))
        for name, data in bundle["solutions"].items():
            (part / name).write_bytes(data)
        try:
            part.rename(folder)
        except OSError:  # another worker got there first
            shutil.rmtree(part, ignore_errors=True)
    return folder

