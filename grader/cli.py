"""The instructor command line: `python -m grader <command> --help`.

Each command is a function registered with @command; its parser is built by `configure`.
"""
import argparse
import sys
from pathlib import Path

from grader.exercises import ASSIGNMENTS

COMMANDS = {}


def command(name, help_text):
    def register(fn):
        COMMANDS[name] = (fn, help_text)
        return fn
    return register


def assignment_ids(values):
    unknown = [v for v in values if v not in ASSIGNMENTS]
    if unknown:
        raise SystemExit(f"unknown assignment(s) {unknown}; expected some of {list(ASSIGNMENTS)}")
    return values


@command("solve", "write the solved notebooks (source notebook + solutions/) for instructors and nbval")
def solve(args):
    from grader.notebook import build_solved
    for path in build_solved(args.out, assignment_ids(args.assignments) or None):
        print(path)


def _solve_args(parser):
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every notebook)")
    parser.add_argument("--out", default="build/solved", type=Path, help="output folder (default build/solved)")


@command("fixtures", "regenerate the known values of the visible checks from solutions/")
def fixtures(args):
    from grader import fixtures as fx
    for path in fx.write_all():
        print(path)


@command("lesson-outputs", "store the outputs of the cells marked # NBVAL_CHECK_OUTPUT in the source notebooks")
def lesson_outputs(args):
    from grader.notebook import available, refresh_lesson_outputs
    for assignment in assignment_ids(args.assignments) or available():
        print(refresh_lesson_outputs(assignment))


def _assignments_arg(parser):
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: every notebook)")


CONFIGURE = {"solve": _solve_args, "lesson-outputs": _assignments_arg}


def main(argv=None):
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
