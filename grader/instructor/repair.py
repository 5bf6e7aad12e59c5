"""Submitted notebooks made gradable again when cells were renamed, stripped or deleted."""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from grader.cells import nbgrader_meta

if TYPE_CHECKING:  # imported when a notebook is repaired (nbformat is slow to import)
    from nbformat import NotebookNode


def _layout_cell(entry):
    """A notebook cell rebuilt from the gradebook's record of a source cell."""
    meta = {"grade": entry["grade"], "grade_id": entry["grade_id"], "locked": entry["locked"],
            "schema_version": 3, "solution": entry["solution"]}
    if entry["grade"]:
        meta["points"] = entry["points"]
    if entry["checksum"]:
        meta["checksum"] = entry["checksum"]
    cell = {"cell_type": entry["cell_type"], "metadata": {"nbgrader": meta}, "source": entry["source"],
            "id": "restored-" + re.sub(r"[^A-Za-z0-9_-]", "-", entry["grade_id"])[:50]}
    if entry["cell_type"] == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def repair_notebook(data: bytes, layout: list[dict]) -> tuple[NotebookNode, list[str]]:
    """(notebook dict, [reasons]) for submitted notebook bytes; raises ValueError when unreadable.

    - a cell whose grade_id is unknown (renamed) becomes an ordinary cell;
    - an answer cell whose nbgrader metadata was removed or renamed is found again by the
      `def <name>(` it holds;
    - a deleted cell of the release is put back where it was (a deleted answer comes back as the
      stub, which scores 0; a deleted test cell comes back and is then restored by nbgrader)."""
    import nbformat
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"the notebook is not valid JSON ({err.__class__.__name__}: {err}); nothing could be graded")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("the file is JSON but not a notebook (no list of cells); nothing could be graded")
    try:
        nb = nbformat.reads(json.dumps(nb), as_version=4)
    except Exception as err:  # noqa: BLE001 - any nbformat failure means unreadable
        raise ValueError(f"the notebook could not be read by nbformat ({err}); nothing could be graded")
    reasons = []
    expected = {e["grade_id"]: e for e in layout}
    present = {}
    for i, cell in enumerate(nb.cells):
        # the id as written, not grader.cells.grade_id: an id that is not a string is reported like a renamed one
        gid = nbgrader_meta(cell).get("grade_id")
        if gid is None and cell.get("metadata", {}).get("nbgrader"):
            del cell.metadata["nbgrader"]
        if gid is None:
            continue
        # an id that is not a string (a list, say) would not even be a key: it is no cell of the assignment
        if not isinstance(gid, str) or gid not in expected:
            reasons.append(f"cell '{gid}' is not a cell of the assignment (renamed?); graded as an ordinary cell")
            del cell.metadata["nbgrader"]
        elif gid in present:
            reasons.append(f"cell '{gid}' appears twice; the copy was graded as an ordinary cell")
            del cell.metadata["nbgrader"]
        else:
            present[gid] = i
    for entry in layout:
        gid = entry["grade_id"]
        if gid in present:
            continue
        if entry["solution"] and entry["cell_type"] == "code":
            pattern = re.compile(rf"^\s*def\s+{re.escape(gid)}\s*\(", re.M)
            match = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                          and not nbgrader_meta(c) and pattern.search(c.source)), None)
            if match is not None:
                nb.cells[match].metadata["nbgrader"] = _layout_cell(entry)["metadata"]["nbgrader"]
                present[gid] = match
                reasons.append(f"answer cell '{gid}' had lost its nbgrader id; found again by its def line")
                continue
        # put the release's cell back after the nearest earlier cell of the layout that is present
        order = [e["grade_id"] for e in layout]
        before = [present[g] for g in order[:order.index(gid)] if g in present]
        at = max(before) + 1 if before else 0
        nb.cells.insert(at, nbformat.from_dict(_layout_cell(entry)))
        present = {g: (i + 1 if i >= at else i) for g, i in present.items()}
        present[gid] = at
        if entry["solution"]:
            reasons.append(f"answer cell '{gid}' was deleted; it was put back as the stub (0 points for it)")
        elif entry["grade"]:
            reasons.append(f"test cell '{gid}' was deleted or renamed; the original test was put back and run")
        else:
            reasons.append(f"locked cell '{gid}' was deleted or renamed; the original was put back")
    return nb, reasons

