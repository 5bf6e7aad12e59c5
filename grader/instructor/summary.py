"""The plain-text table printed after a batch."""
from grader.instructor.gradebook import final_scores


def summary_table(records: list[dict], elapsed: float | None = None) -> str:
    """Plain-text table: one line per submission (total, flags, reasons), then totals."""
    lines = []
    header = f"{'assignment':<18} {'student':<16} {'score':>11}  {'status':<12} notes"
    lines += [header, "-" * len(header)]
    for r in sorted(records, key=lambda r: (r["assignment"], r["student"])):
        finals = final_scores(r)
        score = sum(f["score"] for cells in finals.values() for f in cells.values())
        total = sum(f["max_score"] for cells in finals.values() for f in cells.values())
        overridden = [gid for cells in finals.values() for gid, f in cells.items() if f["overridden"]]
        notes = list(r.get("reasons", []))
        flagged = [f"{gid} ({'; '.join(f['flags'])})" for cells in finals.values() for gid, f in cells.items()
                   if f["flags"]]
        if flagged:
            notes.insert(0, "trusted re-grade flags: " + ", ".join(flagged))
        if overridden:
            notes.insert(0, "trusted score differs from the kernel's: " + ", ".join(overridden))
        if r.get("trusted_error"):
            notes.append(r["trusted_error"])
        first = notes[0] if notes else ""
        lines.append(f"{r['assignment']:<18} {r['student']:<16} {score:>5g}/{total:<5g}  {r['status']:<12} {first}")
        for extra in notes[1:]:
            lines.append(" " * 60 + extra)
    n = len(records)
    problems = sum(1 for r in records if r["status"] != "graded" or r.get("reasons"))
    flagged = sum(1 for r in records if any(f["overridden"] for c in final_scores(r).values() for f in c.values()))
    tail = f"{n} submissions graded"
    if elapsed is not None:
        tail += f" in {elapsed:.1f} s"
    tail += f"; {problems} with notes, {flagged} with trusted-score overrides"
    lines += ["-" * len(header), tail]
    return "\n".join(lines)

