"""What instructors and students read after a batch: feedback, class report, LMS export.

All three read the records that `python -m grader autograde` keeps in
reports/results/<assignment>/<student>.json, the autograded notebooks, and the gradebook.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from grader.cells import answer_cells, cell_source
from grader.instructor.collect import EXCHANGE_FILES
from grader.instructor.course import Course
from grader.instructor.gradebook import final_scores, load_records

if TYPE_CHECKING:  # matplotlib is imported only when a report is drawn
    from matplotlib.figure import Figure

# ---------------------------------------------------------------------------------------------
# feedback
# ---------------------------------------------------------------------------------------------

FEEDBACK_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
pre{background:#f6f8fa;padding:.8rem;overflow-x:auto;border-radius:4px;font-size:.85rem}
.ok{color:#1a7f37} .bad{color:#b42318} .note{background:#fff8e1;padding:.5rem .8rem;border-radius:4px}
table{border-collapse:collapse} td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
"""


def _function_of(grade_id):
    return grade_id[len("test_"):] if grade_id.startswith("test_") else grade_id


def feedback_html(record: dict, autograded_nb: dict | None = None) -> str:
    """HTML feedback for one submission: score per test, the diagnostic message, the student's
    answer code. Test-cell source (visible or hidden) and tracebacks are never included."""
    finals = final_scores(record)
    student, assignment = record["student"], record["assignment"]
    answers = {gid: cell_source(cell) for cell, gid in answer_cells(autograded_nb)} if autograded_nb else {}
    total = sum(f["score"] for c in finals.values() for f in c.values())
    max_total = sum(f["max_score"] for c in finals.values() for f in c.values())
    e = html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{e(assignment)}: feedback for "
             f"{e(student)}</title><style>{FEEDBACK_CSS}</style></head><body>",
             f"<h1>{e(assignment)}: feedback for {e(student)}</h1>",
             f"<p><strong>Score: {total:g} / {max_total:g}</strong></p>"]
    if record.get("reasons"):
        parts.append("<div class='note'><p>Notes from the grader:</p><ul>"
                     + "".join(f"<li>{e(r)}</li>" for r in record["reasons"]) + "</ul></div>")
    rows = []
    for nb_name, cells in finals.items():
        for gid, f in cells.items():
            mark = "ok" if f["score"] >= f["max_score"] else "bad"
            rows.append(f"<tr><td>{e(_function_of(gid))}</td><td class='{mark}'>{f['score']:g} / {f['max_score']:g}</td></tr>")
    parts.append("<table><tr><th>exercise</th><th>points</th></tr>" + "".join(rows) + "</table>")
    for nb_name, cells in finals.items():
        for gid, f in cells.items():
            fn = _function_of(gid)
            parts.append(f"<h2>{e(fn)}</h2>")
            if f["score"] >= f["max_score"]:
                parts.append("<p class='ok'>All checks passed.</p>")
            else:
                message = f["message"] or "This test did not pass (no message was recorded)."
                parts.append(f"<p class='bad'>Not passed ({f['score']:g} / {f['max_score']:g}):</p><pre>{e(message)}</pre>")
            if f["overridden"]:
                parts.append("<p class='note'>This score comes from the trusted re-grade, which ran your function "
                             "outside the notebook; it differs from what the notebook's own test reported.</p>")
            code = answers.get(fn)
            if code is not None:
                parts.append(f"<p>Your code:</p><pre>{e(code)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_feedback(course: Course, assignments: list[str] | None = None,
                   students: list[str] | None = None) -> list[Path]:
    """feedback/<student>/<assignment>/<assignment>.html (nbgrader's layout, so
    `nbgrader release_feedback` can hand it out). Returns the written paths."""
    written = []
    for record in load_records(course, assignments):
        if students and record["student"] not in students:
            continue
        a, s = record["assignment"], record["student"]
        nb_path = course.autograded / s / a / f"{a}.ipynb"
        nb = json.loads(nb_path.read_text()) if nb_path.is_file() else None
        target = course.feedback / s / a / f"{a}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(feedback_html(record, nb))
        # `nbgrader release_feedback` needs both next to the HTML: the exchange names released
        # feedback by a hash of the submission's secret, which only the submitting student holds.
        for name in EXCHANGE_FILES:
            source = next((f / name for f in (course.autograded / s / a, course.submitted / s / a)
                           if (f / name).is_file()), None)
            if source is not None:
                (target.parent / name).write_bytes(source.read_bytes())
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------

CSV_FIELDS = ["assignment", "student", "exercise", "grade_id", "score", "max_score", "in_kernel_score",
              "trusted_score", "overridden", "flags", "status", "message", "notes"]


def score_rows(records: list[dict]) -> list[dict]:
    rows = []
    for r in sorted(records, key=lambda r: (r["assignment"], r["student"])):
        notes = "; ".join(r.get("reasons", []) + ([r["trusted_error"]] if r.get("trusted_error") else []))
        for nb_name, cells in final_scores(r).items():
            for gid, f in cells.items():
                rows.append({"assignment": r["assignment"], "student": r["student"], "exercise": _function_of(gid),
                             "grade_id": gid, "score": f["score"], "max_score": f["max_score"],
                             "in_kernel_score": f["in_kernel"], "trusted_score": f["trusted"],
                             "overridden": f["overridden"], "flags": "; ".join(f["flags"]), "status": r["status"],
                             "message": f["message"] if f["score"] < f["max_score"] else "", "notes": notes})
    return rows


_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_QUOTED = re.compile(r"'[^']*'")


def message_cause(message: str | None) -> list[str] | None:
    """The causes of a diagnostic, for grouping: the problems of a WrongAnswer (the first one starts after
    "<function>, <kind> case <n>: " and may go on in the next line; the others are '  - ...' lines), or the
    first line otherwise; numbers, shapes and quoted labels replaced by placeholders."""
    if not message:
        return None
    lines = message.splitlines()
    head = re.match(r"^WrongAnswer: \w+, (?:known-value|hidden) case(?: \d+)?: (.*)", lines[0])
    if head:
        first = head.group(1)
        if len(lines) > 1 and lines[1].startswith("  ") and not re.match(r"  (- |the case: |inputs: )", lines[1]):
            first += " " + lines[1].strip()
        causes = [first] + [ln.strip()[2:] for ln in lines[1:] if ln.startswith("  - ")]
    else:
        causes = [ln.strip()[2:] for ln in lines if ln.strip().startswith("- ")]
        if not causes:
            causes = [re.sub(r"^(\w+(?:Error|Answer|Exception|NotRun)):\s*", r"\1: ", lines[0])]
    out = []
    for c in causes:
        c = _QUOTED.sub("'…'", c)
        c = _NUMBER.sub("N", c)
        out.append(re.sub(r"\s+", " ", c).strip()[:140])
    return out


def common_mistakes(records: list[dict], top: int = 15) -> list[tuple[str, str, int]]:
    """[(exercise, cause, count)] most frequent first; each submission counts once per cause."""
    counter = Counter()
    for r in records:
        for cells in final_scores(r).values():
            for gid, f in cells.items():
                if f["score"] < f["max_score"]:
                    for cause in set(message_cause(f["message"]) or ["(no message)"]):
                        counter[(r["assignment"] + ":" + _function_of(gid), cause)] += 1
    return [(ex, cause, n) for (ex, cause), n in counter.most_common(top)]


def write_report(course: Course, assignments: list[str] | None = None,
                 out_dir: Path | str | None = None) -> tuple[Path, Path]:
    """reports/scores.csv (student x exercise) and reports/report.html (embedded PNG plots)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir) if out_dir else course.root / "reports"
    out_dir.mkdir(parents=True, exist_ok=True)
    records = load_records(course, assignments)
    rows = score_rows(records)
    csv_path = out_dir / "scores.csv"
    with csv_path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        w.writerows(rows)

    by_ex = defaultdict(list)
    for row in rows:
        by_ex[(row["assignment"], row["exercise"])].append((row["score"], row["max_score"]))
    e = html.escape
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Class report</title>"
             f"<style>{FEEDBACK_CSS}</style></head><body><h1>Class report</h1>",
             f"<p>{len(records)} submissions, {len(by_ex)} exercises. Scores per student and exercise: "
             f"<code>{e(csv_path.name)}</code>.</p>"]
    if by_ex:
        parts.append("<table><tr><th>assignment</th><th>exercise</th><th>mean</th><th>full marks</th></tr>")
        for (a, ex), vals in sorted(by_ex.items()):
            mean = sum(s for s, _ in vals) / len(vals)
            full = sum(1 for s, m in vals if s >= m) / len(vals)
            parts.append(f"<tr><td>{e(a)}</td><td>{e(ex)}</td><td>{mean:.2f} / {vals[0][1]:g}</td>"
                         f"<td>{full:.0%}</td></tr>")
        parts.append("</table>")
        n = len(by_ex)
        cols = min(4, n)
        rows_n = (n + cols - 1) // cols
        fig, axes = plt.subplots(rows_n, cols, figsize=(3.2 * cols, 2.4 * rows_n), squeeze=False)
        for ax, ((a, ex), vals) in zip(axes.flat, sorted(by_ex.items())):
            scores = [s for s, _ in vals]
            top = vals[0][1]
            ax.hist(scores, bins=[x - 0.25 for x in range(int(top) + 2)] if top <= 20 else 10,
                    color="#4c72b0", edgecolor="white")
            ax.set_title(f"{a[:2]} {ex}", fontsize=9)
            ax.set_xlabel("points", fontsize=8)
            ax.tick_params(labelsize=7)
        for ax in list(axes.flat)[n:]:
            ax.axis("off")
        fig.suptitle("Score distribution per exercise", fontsize=11)
        fig.tight_layout()
        parts.append(f"<h2>Score distribution per exercise</h2><img alt='score distribution' "
                     f"src='data:image/png;base64,{encode_png(fig)}'>")
        plt.close(fig)
    mistakes = common_mistakes(records)
    parts.append("<h2>Most common mistakes (where to re-teach)</h2>")
    if mistakes:
        fig, ax = plt.subplots(figsize=(9, 0.45 * len(mistakes) + 1))
        labels = [f"{ex}: {cause[:70]}" for ex, cause, _ in mistakes][::-1]
        ax.barh(range(len(mistakes)), [n for *_, n in mistakes][::-1], color="#dd8452")
        ax.set_yticks(range(len(mistakes)), labels, fontsize=7)
        ax.set_xlabel("submissions")
        fig.tight_layout()
        parts.append(f"<img alt='most common mistakes' src='data:image/png;base64,{encode_png(fig)}'>")
        plt.close(fig)
        parts.append("<table><tr><th>exercise</th><th>cause</th><th>submissions</th></tr>"
                     + "".join(f"<tr><td>{e(ex)}</td><td>{e(c)}</td><td>{k}</td></tr>" for ex, c, k in mistakes)
                     + "</table>")
    else:
        parts.append("<p>No failed tests.</p>")
    flagged = [r for r in rows if r["overridden"] or r["flags"]]
    if flagged:
        parts.append("<h2>Flagged for review: the trusted re-grade disagrees or saw signs of tampering</h2>"
                     "<table><tr><th>assignment</th><th>student</th><th>exercise</th><th>in kernel</th>"
                     "<th>trusted (recorded)</th><th>flags</th></tr>"
                     + "".join(f"<tr><td>{e(r['assignment'])}</td><td>{e(r['student'])}</td><td>{e(r['exercise'])}</td>"
                               f"<td>{r['in_kernel_score']:g}</td><td>{r['score']:g}</td>"
                               f"<td>{'score differs; ' if r['overridden'] else ''}{e(r['flags'])}</td></tr>"
                               for r in flagged)
                     + "</table>")
    noted = [r for r in records if r.get("reasons") or r["status"] != "graded"]
    if noted:
        parts.append("<h2>Submissions with notes</h2><ul>" + "".join(
            f"<li><b>{e(r['assignment'])} / {e(r['student'])}</b> ({e(r['status'])}): "
            + e("; ".join(r.get("reasons", []))) + "</li>" for r in noted) + "</ul>")
    parts.append("</body></html>")
    html_path = out_dir / "report.html"
    html_path.write_text("\n".join(parts))
    return csv_path, html_path


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------

def export_grades(course: Course, path: Path | str, assignments: list[str] | None = None,
                  missing: str = "blank") -> Path:
    """One row per student, one column per assignment (total points, manual scores included,
    late penalty subtracted), then total and max. Unlike `nbgrader export`, an assignment the
    student did not submit is left blank (missing="blank") instead of reading 0.0; use
    missing="zero" for LMSs that need a number."""
    with course.gradebook() as gb:
        names = [a.name for a in gb.assignments if not assignments or a.name in assignments]
        maxima = {a.name: a.max_score for a in gb.assignments if a.name in names}
        table = {}
        for student in gb.students:
            row = {"student_id": student.id, "first_name": student.first_name or "",
                   "last_name": student.last_name or "", "email": student.email or ""}
            total = 0.0
            for name in names:
                try:
                    sub = gb.find_submission(name, student.id)
                except Exception:  # noqa: BLE001 - MissingEntry: not submitted
                    row[name] = 0.0 if missing == "zero" else ""
                    continue
                score = max(0.0, sub.score - (sub.late_submission_penalty or 0.0))
                row[name] = round(score, 4)
                total += score
            row["total"] = round(total, 4)
            row["max_total"] = sum(maxima.values())
            table[student.id] = row
    fields = ["student_id", "first_name", "last_name", "email", *names, "total", "max_total"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for sid in sorted(table):
            w.writerow(table[sid])
    return path


def encode_png(fig: Figure) -> str:
    """A figure as base64 PNG, so report.html embeds its plots and stays one file."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")
