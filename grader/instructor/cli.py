"""The instructor command line: `python -m grader <command> --help`.

Each command is a function registered with @command; its arguments come from its entry in CONFIGURE.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from grader.exercises import ASSIGNMENTS
from grader.instructor.course import Course  # cheap: it loads traitlets and nbgrader only when used

Command = Callable[[argparse.Namespace], "int | None"]
COMMANDS: dict[str, tuple[Command, str]] = {}


def command(name: str, help_text: str) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = (fn, help_text)
        return fn
    return register


def assignment_ids(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in ASSIGNMENTS]
    if unknown:
        raise SystemExit(f"unknown assignment(s) {unknown}; expected some of {list(ASSIGNMENTS)}")
    return values


@command("solve", "write the solved notebooks (source notebook + solutions/) for instructors and nbval")
def solve(args: argparse.Namespace) -> int | None:
    from grader.instructor.notebook import build_solved
    for path in build_solved(args.out, assignment_ids(args.assignments) or None):
        print(path)


def _solve_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every notebook)")
    parser.add_argument("--out", default="build/solved", type=Path, help="output folder (default build/solved)")


@command("fixtures", "regenerate the known values of the visible checks from solutions/")
def fixtures(args: argparse.Namespace) -> int | None:
    from grader.instructor import known_values as fx
    for path in fx.write_all(assignment_ids(args.assignments) or None):
        print(path)


@command("lesson-outputs", "store the outputs of the lesson cells (tag nbval-check-output) in the source notebooks")
def lesson_outputs(args: argparse.Namespace) -> int | None:
    from grader.instructor.notebook import available, refresh_lesson_outputs
    for assignment in assignment_ids(args.assignments) or available():
        print(refresh_lesson_outputs(assignment))


def _assignments_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every notebook)")


# ---- instructor batch commands (grader/instructor/autograde.py and its modules, report.py) ------------------

def _course(args: argparse.Namespace) -> Course:
    """The one Course object every batch command passes down (its config read once, here)."""
    from grader.instructor.notebook import COURSE_ROOT
    db_url = getattr(args, "db", None)
    if args.course:
        return Course.find(args.course, db_url)
    try:
        return Course.find(None, db_url)
    except SystemExit:
        return Course.at(COURSE_ROOT, db_url)


def _batch_assignments(args: argparse.Namespace, course: Course) -> list[str]:
    return assignment_ids(args.assignments) or course.assignments()


def _course_args(parser: argparse.ArgumentParser, db: bool = True) -> None:
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every notebook of the course)")
    parser.add_argument("--course", type=Path, default=None,
                        help="course root holding nbgrader_config.py (default: the nearest one above the "
                             "current folder, else this repository)")
    if db:
        parser.add_argument("--db", default=None, metavar="URL",
                            help="gradebook as an SQLAlchemy URL nbgrader accepts, e.g. "
                                 "sqlite:////path/gradebook.db or postgresql://user@host/course "
                                 "(default: CourseDirectory.db_url of the course config)")


@command("release", "generate the student versions (plain nbgrader generate_assignment) and a zip per assignment")
def release_cmd(args: argparse.Namespace) -> int | None:
    from grader.instructor.release import release
    course = _course(args)
    for assignment, folder, zipped in release(course, _batch_assignments(args, course), args.zip_dir):
        print(f"{assignment}: {folder}  {zipped}")


def _release_args(parser: argparse.ArgumentParser) -> None:
    _course_args(parser)
    parser.add_argument("--zip-dir", type=Path, default=None,
                        help="where to write <assignment>.zip (default: the course's release/ folder)")


@command("autograde", "grade every submission in parallel, robustly, with trusted re-grading; "
                      "one writer records the results in the gradebook")
def autograde_cmd(args: argparse.Namespace) -> int | None:
    from grader.instructor.autograde import autograde
    from grader.instructor.collect import zip_collect
    from grader.instructor.worker import Options
    course = _course(args)
    assignments = _batch_assignments(args, course)
    if args.collect:
        if len(assignments) != 1:
            raise SystemExit("--collect needs exactly one assignment id")
        students = zip_collect(course, assignments[0], args.collect, args.regexp)
        print(f"collected {len(students)} submission(s) from {args.collect} into submitted/")
    options = Options(cell_timeout=args.cell_timeout, memory_mb=args.memory_mb, trusted=not args.no_trusted,
                      kernel_zygote=not args.no_kernel_zygote,
                      trusted_timeout=args.trusted_timeout, max_output_bytes=args.max_output_bytes)
    records = autograde(course, assignments, jobs=args.jobs, options=options,
                        students=args.student or None, scheduler=args.scheduler, dask_local=args.dask,
                        chunk_size=args.chunk_size, show_progress=not args.no_progress)
    return 0 if records is not None else 1


def _autograde_args(parser: argparse.ArgumentParser) -> None:
    import os
    _course_args(parser)
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count(),
                        help="parallel grading processes (default: CPU count = %(default)s)")
    parser.add_argument("--student", action="append", metavar="ID", help="grade only this student (repeatable)")
    parser.add_argument("--collect", type=Path, metavar="FOLDER",
                        help="first bring a folder of zips/notebooks downloaded from an LMS into submitted/ "
                             "with nbgrader zip_collect (one assignment)")
    parser.add_argument("--regexp", default=None,
                        help="nbgrader FileNameCollectorPlugin.named_regexp for --collect (groups student_id, "
                             "file_id, optional timestamp); default: files named <student>.zip or "
                             "<student>_<anything>.ipynb")
    parser.add_argument("--cell-timeout", type=float, default=None, metavar="SECONDS",
                        help="time limit per cell (default: Execute.timeout of the course config, 120 s here)")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit of each grading kernel in MB, 0 for none (default 2048)")
    parser.add_argument("--max-output-bytes", type=int, default=200_000,
                        help="output kept per cell; a flood beyond it is truncated (default 200000)")
    parser.add_argument("--no-trusted", action="store_true",
                        help="keep nbgrader's in-kernel scores only (skip the trusted re-grade)")
    parser.add_argument("--trusted-timeout", type=float, default=60.0,
                        help="time limit per function call of the trusted re-grade (default 60 s)")
    parser.add_argument("--no-kernel-zygote", action="store_true",
                        help="start every grading kernel from scratch instead of forking it from a process "
                             "that has already imported ipykernel, numpy and matplotlib (slower)")
    parser.add_argument("--dask", action="store_true", help="grade on a local Dask cluster (LocalCluster, --jobs workers)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="grade on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (see docs/instructors.md)")
    parser.add_argument("--chunk-size", type=int, default=None,
                        help="submissions per Dask task (default: about two tasks per worker)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


@command("feedback", "per-student HTML feedback: messages and the student's own code, never hidden tests")
def feedback_cmd(args: argparse.Namespace) -> int | None:
    from grader.instructor.report import write_feedback
    paths = write_feedback(_course(args), assignment_ids(args.assignments) or None, args.student or None)
    for path in paths:
        print(path)
    if not paths:
        print("no graded submissions: run `python -m grader autograde` first")


def _feedback_args(parser: argparse.ArgumentParser) -> None:
    _course_args(parser, db=False)
    parser.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")


@command("report", "class report: CSV of every student x exercise and an HTML report with plots")
def report_cmd(args: argparse.Namespace) -> int | None:
    from grader.instructor.report import write_report
    for path in write_report(_course(args), assignment_ids(args.assignments) or None, args.out):
        print(path)


def _report_args(parser: argparse.ArgumentParser) -> None:
    _course_args(parser, db=False)
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: <course>/reports)")


@command("export", "grades as a CSV for an LMS: one row per student, one column per assignment")
def export_cmd(args: argparse.Namespace) -> int | None:
    from grader.instructor.report import export_grades
    course = _course(args)
    out = args.out or course.root / "reports" / "grades.csv"
    print(export_grades(course, out, assignment_ids(args.assignments) or None,
                        args.missing))


def _export_args(parser: argparse.ArgumentParser) -> None:
    _course_args(parser)
    parser.add_argument("--out", type=Path, default=None, help="CSV file (default: <course>/reports/grades.csv)")
    parser.add_argument("--missing", choices=["blank", "zero"], default="blank",
                        help="what an unsubmitted assignment shows (default blank; nbgrader export writes 0.0)")


CONFIGURE = {"solve": _solve_args, "fixtures": _assignments_arg, "lesson-outputs": _assignments_arg, "release": _release_args,
             "autograde": _autograde_args, "feedback": _feedback_args, "report": _report_args,
             "export": _export_args}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (fn, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        CONFIGURE.get(name, lambda _: None)(p)
        p.set_defaults(func=fn)
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
