"""How the checks treat the corpus of student-style wrong answers (tests/feedback_corpus/): for each, caught by the
visible checks? by the hidden ones? does the first line of the message name the cause? Prints the table and the
percentages, per assignment and in total.

    .venv/bin/python bench/feedback_corpus.py [assignment ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.feedback_corpus import corpus, measure, percentages, table  # noqa: E402


def main(argv: list) -> None:
    entries = [e for e in corpus() if not argv or e.assignment in argv]
    results = [measure(e) for e in entries]
    print(table(results))
    print()
    print(f"{'assignment':18s} {'entries':>7s} {'visible':>8s} {'hidden':>8s} {'named':>8s}")
    groups = {}
    for r in results:
        groups.setdefault(r.entry.assignment, []).append(r)
    for name, group in list(groups.items()) + [("total", results)]:
        p = percentages(group)
        print(f"{name:18s} {len(group):7d} {p['visible']:7.1f}% {p['hidden']:7.1f}% {p['named']:7.1f}%")
    missed = [r for r in results if not r.visible or not r.named]
    if missed:
        print("\nnot caught by the visible checks, or cause not named in the first line:")
        for r in missed:
            print(f"  {r.entry.assignment} {r.entry.function} ({r.entry.label}): "
                  f"{'' if r.visible else 'NOT VISIBLE; '}wants {r.entry.cause!r}\n    {r.first_line}")


if __name__ == "__main__":
    main(sys.argv[1:])
