"""Wall time of trusted re-grading of one correct 01_shallow_nn submission, per sandbox backend.

    .venv/bin/python bench/bench_trusted.py [--runs 5]

Prints the median and the range of `grader.sandbox.trusted.regrade` (every graded function of the
notebook, each in a fresh child of the shared sandboxed interpreter) for bubblewrap (when it
works here) and the fallback.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from grader.sandbox import isolate as sandbox
from grader.sandbox import trusted  # noqa: E402
from grader.instructor.notebook import solve, source_path  # noqa: E402

A = "01_shallow_nn"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{A}.ipynb"
        nbformat.write(solve(A), str(path))
        backends = (["bwrap"] if sandbox.bwrap_status()[0] else []) + ["subprocess"]
        for backend in backends:
            os.environ[sandbox.ENV_BACKEND] = backend
            trusted.regrade(path, A, source=source_path(A))  # warm-up (bwrap probe, reference import)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                results = trusted.regrade(path, A, source=source_path(A))
                times.append(time.perf_counter() - start)
                assert all(r.score == r.max_score for r in results.values()), results
            print(f"{backend:10s} regrade of one {A} submission ({len(results)} exercises): median "
                  f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)")


if __name__ == "__main__":
    main()
