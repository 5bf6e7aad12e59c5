"""Benchmark: median seconds to autograde one submission with plain nbgrader, and for a
student's `nbgrader validate`, on a correct submission of each notebook (default 01_shallow_nn).

    .venv/bin/python bench/bench_autograde.py [--repeat 5] [assignment ...]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from grader.instructor.notebook import fill, reference_bodies  # noqa: E402
from tests.course import BIN, clean_env, make_course, nbgrader, release, submit  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench(assignment, repeat):
    with tempfile.TemporaryDirectory() as tmp:
        course = make_course(Path(tmp) / "course")
        nb = fill(release(course, assignment), reference_bodies(assignment))
        submit(course, "student", assignment, nb)
        grade = [timed(lambda: nbgrader(course, "autograde", assignment, "--force")) for _ in range(repeat)]
        student = Path(tmp) / "student"
        student.mkdir()
        nbformat.write(nb, str(student / f"{assignment}.ipynb"))

        def validate():
            proc = subprocess.run([str(BIN / "nbgrader"), "validate", f"{assignment}.ipynb"], cwd=student,
                                  env=clean_env(), capture_output=True, text=True)
            assert "Success!" in proc.stdout, proc.stdout + proc.stderr
        checks = [timed(validate) for _ in range(repeat)]
    return grade, checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", default=["01_shallow_nn"])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'assignment':<18} {'autograde median s':>19} {'validate median s':>18}  (n={args.repeat} each)")
    for assignment in args.assignments:
        grade, checks = bench(assignment, args.repeat)
        print(f"{assignment:<18} {statistics.median(grade):>19.2f} {statistics.median(checks):>18.2f}"
              f"   autograde min/max {min(grade):.2f}/{max(grade):.2f}, validate min/max {min(checks):.2f}/{max(checks):.2f}")


if __name__ == "__main__":
    main()
