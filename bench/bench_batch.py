"""Benchmark: plain serial `nbgrader autograde` vs `python -m grader autograde --jobs 2`.

Both grade the same 40 synthetic submissions of 01_shallow_nn (correct ones, buggy ones, one
whose answer raises), each in its own throw-away copy of the course. Prints both wall times,
their ratio, and whether every cell's final score is identical (the gradebook's score: the
manual score where the trusted re-grade overrode the kernel's, else the kernel's).

    .venv/bin/python bench/bench_batch.py [--n 40] [--jobs 2] [--no-trusted] [--no-kernel-zygote]

Target on a 2-core machine: ratio >= 1.7 with identical scores.
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grader.instructor.notebook import fill, reference_bodies  # noqa: E402
from tests.course import clean_env, make_course, nbgrader, release, submit  # noqa: E402

A = "01_shallow_nn"


def submissions(released, n):
    bodies = reference_bodies(A)
    from tests.bugs.shallow_nn import BUGS, RAISES
    variants = [bodies]
    for fn, old, new, _ in BUGS:
        variants.append({**bodies, fn: bodies[fn].replace(old, new)})
    variants.append({**bodies, RAISES: 'raise ValueError("I give up")'})
    return {f"student{i:03d}": fill(released, variants[i % len(variants)] if i % 3 == 0 else bodies)
            for i in range(n)}


def final_scores(course):
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                for g in nb.grades:
                    out[(sub.student.id, g.name)] = g.score
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-trusted", action="store_true")
    parser.add_argument("--no-kernel-zygote", action="store_true")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        serial, parallel = make_course(tmp / "serial"), make_course(tmp / "parallel")
        released = release(serial, A)
        release(parallel, A)
        for student, nb in submissions(released, args.n).items():
            submit(serial, student, A, nb)
            submit(parallel, student, A, nb)

        t0 = time.perf_counter()
        proc = nbgrader(serial, "autograde", A, check=False, timeout=3600)
        t_serial = time.perf_counter() - t0

        cmd = [sys.executable, "-m", "grader", "autograde", A, "--jobs", str(args.jobs), "--no-progress"]
        if args.no_trusted:
            cmd.append("--no-trusted")
        if args.no_kernel_zygote:
            cmd.append("--no-kernel-zygote")
        t0 = time.perf_counter()
        ours = subprocess.run(cmd, cwd=parallel, env=clean_env(), capture_output=True, text=True, timeout=3600)
        t_parallel = time.perf_counter() - t0
        if ours.returncode != 0:
            print(ours.stdout[-3000:], ours.stderr[-3000:])

        a, b = final_scores(serial), final_scores(parallel)
        same = a == b and len(a) > 0
        print(f"submissions: {args.n}, cells graded: serial {len(a)}, parallel {len(b)}")
        print(f"plain serial nbgrader autograde: {t_serial:7.1f} s (exit {proc.returncode})")
        print(f"python -m grader autograde --jobs {args.jobs}{' --no-trusted' if args.no_trusted else ''}: "
              f"{t_parallel:7.1f} s (exit {ours.returncode})")
        print(f"speed-up: {t_serial / t_parallel:.2f}x   identical scores: {same}")
        if not same:
            diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
            print("differences:", dict(list(diff.items())[:10]))
        return 0 if same else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
