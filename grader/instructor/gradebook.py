"""The main process's side of grading: final scores, the single writer of the real gradebook, and
the JSON record kept per submission for feedback and reports."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from grader.instructor.course import Course

if TYPE_CHECKING:  # nbgrader is imported by whoever opens the gradebook
    from nbgrader.api import Gradebook

SCORE_TOLERANCE = 1e-9


def final_scores(record: dict) -> dict:
    """{notebook: {grade_id: dict(score, max_score, in_kernel, trusted, overridden, message)}}."""
    trusted = record.get("trusted") or {}
    out = {}
    for nb_name, cells in record.get("grades", {}).items():
        msgs = record.get("messages", {}).get(nb_name, {})
        for gid, g in cells.items():
            auto = g["auto_score"] if g["auto_score"] is not None else 0.0
            t = trusted.get(gid)
            score, overridden = auto, False
            if t is not None and abs(t["score"] - auto) > SCORE_TOLERANCE:
                score, overridden = t["score"], True
            message = msgs.get(gid, "")
            if not message and record.get("status") != "graded" and score < g["max_score"]:
                message = "; ".join(record.get("reasons", [])) or "the submission could not be graded"
            if overridden or (not message and t is not None and score < g["max_score"]):
                message = (t["message"] or message)
            out.setdefault(nb_name, {})[gid] = {
                "score": score, "max_score": g["max_score"], "in_kernel": auto,
                "trusted": None if t is None else t["score"], "overridden": overridden,
                "flags": [] if t is None else t["flags"], "message": message,
                "in_kernel_message": msgs.get(gid, "")}
    return out


def record_result(gb: Gradebook, course: Course, record: dict, previous: dict | None = None) -> None:
    """Write one worker record into the real gradebook and course folders (main process only)."""
    assignment, student = record["assignment"], record["student"]
    gb.update_or_create_student(student)
    kwargs = {}
    if record.get("timestamp"):
        kwargs["timestamp"] = record["timestamp"]
    gb.update_or_create_submission(assignment, student, **kwargs)
    finals = final_scores(record)
    prev_overrides = set()
    if previous:
        for nb_name, cells in final_scores(previous).items():
            prev_overrides |= {(nb_name, gid) for gid, f in cells.items() if f["overridden"]}
    for nb_name, cells in finals.items():
        flagged = False
        for gid, f in cells.items():
            grade = gb.find_grade(gid, nb_name, assignment, student)
            grade.auto_score = f["in_kernel"]
            g = record["grades"][nb_name][gid]
            flagged = flagged or bool(f["flags"])
            if f["overridden"]:
                grade.manual_score = f["score"]
                grade.needs_manual_grade = False
                flagged = True
            else:
                if (nb_name, gid) in prev_overrides:
                    grade.manual_score = None
                # as nbgrader's SaveAutoGrades: a grader's manual score, or no auto score, needs a look
                grade.needs_manual_grade = grade.manual_score is not None or bool(g["needs_manual_grade"])
        for gid, text in record.get("comments", {}).get(nb_name, {}).items():
            try:
                gb.find_comment(gid, nb_name, assignment, student).auto_comment = text
            except Exception:  # noqa: BLE001 - comments are cosmetic
                pass
        nb_row = gb.find_submission_notebook(nb_name, assignment, student)
        nb_row.flagged = flagged
        if record.get("late_penalty", {}).get(nb_name) is not None:
            nb_row.late_submission_penalty = record["late_penalty"][nb_name]
    gb.db.commit()
    # autograded/ for formgrader and nbgrader generate_feedback
    folder = course.autograded / student / assignment
    if record.get("autograded"):
        if folder.exists():
            _rmtree_writable(folder)
        folder.mkdir(parents=True)
        for name, data in record["autograded"].items():
            (folder / name).write_bytes(data)
        if record.get("timestamp"):
            (folder / "timestamp.txt").write_text(record["timestamp"])
    save_record(course, record)


def _rmtree_writable(path):
    def onerror(func, p, _exc):
        os.chmod(p, 0o700)
        func(p)
    for p in Path(path).rglob("*"):
        try:
            os.chmod(p, 0o700 if p.is_dir() else 0o600)
        except OSError:
            pass
    shutil.rmtree(path, onerror=onerror)


def record_path(course: Course, assignment: str, student: str) -> Path:
    return course.results / assignment / f"{student}.json"


def save_record(course: Course, record: dict) -> None:
    path = record_path(course, record["assignment"], record["student"])
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in record.items() if k != "autograded"}
    path.write_text(json.dumps(data, indent=1, default=str))


def load_records(course: Course, assignments: list[str] | None = None) -> list[dict]:
    base = course.results
    records = []
    for a in assignments or sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        for path in sorted((base / a).glob("*.json")):
            records.append(json.loads(path.read_text()))
    return records


# ---------------------------------------------------------------------------------------------
# Orchestration
