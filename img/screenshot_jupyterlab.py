"""Refresh img/screenshot_jupyterlab.png, the README's screenshot, from the browser test.

    .venv/bin/python img/screenshot_jupyterlab.py

Runs tests/notebooks/test_browser.py::test_student_buggy_answer_gets_the_diagnosis (JupyterLab served on
127.0.0.1, driven in Debian's chromium), which saves build/screenshots/student_buggy_answer.png: a
released notebook with a student's wrong answer and the diagnosis of its visible check. Copies it here.
"""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOT = ROOT / "build" / "screenshots" / "student_buggy_answer.png"

if __name__ == "__main__":
    test = "tests/notebooks/test_browser.py::test_student_buggy_answer_gets_the_diagnosis"
    subprocess.run([sys.executable, "-m", "pytest", "-q", test], cwd=ROOT, check=True)
    shutil.copyfile(SHOT, ROOT / "img" / "screenshot_jupyterlab.png")
    print("wrote img/screenshot_jupyterlab.png")
