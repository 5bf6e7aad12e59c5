"""A submission's record as grader.instructor.autograde keeps it (reports/results/<assignment>/<student>.json),
built by hand for the unit tests of gradebook, report and summary."""
from tests.batch_subs import A


def record(student: str, messages: dict, scores: dict, reasons=(), trusted: dict | None = None,
           status: str = "graded") -> dict:
    """A graded record of assignment A with only what final_scores, summary_table and report read."""
    grades = {A: {gid: {"auto_score": s, "max_score": m, "needs_manual_grade": False}
                  for gid, (s, m) in scores.items()}}
    return {"student": student, "assignment": A, "status": status, "reasons": list(reasons),
            "grades": grades, "messages": {A: messages}, "trusted": trusted}

