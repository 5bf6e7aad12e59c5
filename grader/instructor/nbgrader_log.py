"""What one `nbgrader autograde` run left behind, read back into records: its log (who is done,
who failed and why), RobustExecute's events, the worker gradebook's scores and the error
messages of the autograded notebooks."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from grader.cells import grade_cells

if TYPE_CHECKING:  # nbgrader is imported by whoever opens the gradebook, not by reading logs
    from nbgrader.api import Gradebook


def grade_messages(nb_json: dict) -> dict[str, str]:
    """{grade_id: diagnostic text} of the error outputs of grade cells (no tracebacks)."""
    out = {}
    for cell, grade_id in grade_cells(nb_json):
        texts = [f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in cell.get("outputs", [])
                 if o.get("output_type") == "error"]
        out[grade_id] = "\n".join(texts)
    return out


class LogWatcher:
    """Follows nbgrader's log to tell when each student is done."""
    START = re.compile(r"Creating/updating student with ID '([^']+)'")
    DONE = re.compile(r"Setting destination file permissions|Removing failed assignment")

    def __init__(self, on_done: Callable[[str], None]) -> None:
        self.on_done, self.current, self.done, self.lines = on_done, None, [], []
        self.completed = set()  # students whose grading nbgrader finished (well or not)

    def feed(self, line: str) -> None:
        self.lines.append(line)
        m = self.START.search(line)
        if m:
            self.finish()
            self.current = m.group(1)
        elif self.DONE.search(line):
            self.completed.add(self.current)
            self.finish()

    def finish(self) -> None:
        if self.current is not None and self.current not in self.done:
            self.done.append(self.current)
            self.on_done(self.current)
        self.current = None

def collect_autograded(tmp: Path | str, assignment: str, students: list[str], records: dict, log_lines: list[str],
                       elapsed: float) -> None:
    for student in students:
        record = records[(assignment, student)]
        folder = Path(tmp) / "autograded" / student / assignment
        record["autograded"] = {}
        if folder.is_dir():
            for path in folder.glob("*.ipynb"):
                record["autograded"][path.name] = path.read_bytes()
        if not record["autograded"]:
            record["status"] = "failed"
            errors = _student_errors(log_lines, student)
            record["reasons"].append("nbgrader could not grade this submission" + (f": {errors}" if errors else ""))
        record["nbgrader_seconds"] = elapsed / max(1, len(students))


def _student_errors(lines, student):
    picked, inside = [], False
    for line in lines:
        if f"ID '{student}'" in line:
            inside = True
        elif "Creating/updating student with ID" in line:
            inside = False
        if inside and ("ERROR" in line or "Error" in line) and "Traceback" not in line:
            picked.append(line.split("]", 1)[-1].strip())
    return "; ".join(picked[-3:])[:600]


def read_events(tmp: Path | str, records: dict) -> None:
    path = Path(tmp) / "events.jsonl"
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        ev = json.loads(line)
        record = records.get((ev.get("assignment"), ev.get("student")))
        if record is None:
            continue
        where = f"cell '{ev['grade_id']}'" if ev.get("grade_id") else f"cell {ev.get('cell_index')} ({ev.get('first_line')!r})"
        text = {"skipped": {"timeout": f"{where} ran past the time limit; it was stopped and the notebook rerun without it",
                            "kernel died": f"the grading kernel died while {where} ran (os._exit, exit(), a crash "
                                           "or the memory limit); the notebook was rerun without that cell"},
                "gave up": {"timeout": f"{where} timed out after several earlier stops; it and the cells after it were not run",
                            "kernel died": f"the kernel died again while {where} ran, after several earlier crashes; "
                                           "it and the cells after it were not run"},
                "output truncated": {"output flood": f"{where} printed too much output; it was truncated"}}
        record["reasons"].append(text.get(ev["event"], {}).get(ev["why"], json.dumps(ev)))


def read_grades(gb: Gradebook, assignment: str, student: str, record: dict, layout: dict,
                MissingEntry: type[Exception]) -> None:
    """In-kernel scores from the worker's gradebook (0 for every cell when nothing was graded)."""
    grades, comments, penalty = {}, {}, {}
    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        sub = None
    if sub is not None and record["status"] == "graded":
        for nb in sub.notebooks:
            penalty[nb.name] = nb.late_submission_penalty
            for g in nb.grades:
                grades.setdefault(nb.name, {})[g.name] = {
                    "auto_score": g.auto_score, "max_score": g.max_score, "needs_manual_grade": g.needs_manual_grade}
            for c in nb.comments:
                comments.setdefault(nb.name, {})[c.name] = c.auto_comment
    for nb_name, cells in layout.items():
        for entry in cells:
            if entry["grade"] and entry["grade_id"] not in grades.get(nb_name, {}):
                grades.setdefault(nb_name, {})[entry["grade_id"]] = {
                    "auto_score": 0.0, "max_score": entry["points"], "needs_manual_grade": False}
    record["grades"] = grades
    record["comments"] = comments
    record["late_penalty"] = penalty
    messages = {}
    for name, data in record.get("autograded", {}).items():
        try:
            messages[name[:-len(".ipynb")]] = grade_messages(json.loads(data))
        except ValueError:
            pass
    record["messages"] = messages


# ---------------------------------------------------------------------------------------------
# Final scores and the single gradebook writer
# ---------------------------------------------------------------------------------------------
