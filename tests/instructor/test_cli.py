"""grader.instructor.cli: every subcommand is registered and answers --help."""
import subprocess
import sys

import pytest

from grader.instructor.cli import COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_help(name):
    proc = subprocess.run([sys.executable, "-m", "grader", name, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "usage: python -m grader " + name in proc.stdout


def test_batch_commands_are_registered():
    assert {"release", "autograde", "feedback", "report", "export"} <= set(COMMANDS)

