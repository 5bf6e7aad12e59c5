"""Refresh img/screenshot_hub.png, the README's JupyterHub screenshot, from the hub test.

    .venv/bin/python img/screenshot_hub.py        (as root: the test creates unix accounts)

Runs tests/instructor/scenarios/test_hub.py (the course's JupyterHub on 127.0.0.1, a class round trip in Debian's
chromium), which saves build/screenshots/hub_bob_feedback.png: the feedback a student with a
wrong answer fetched in the Assignments tab and opened in JupyterLab. Copies it here.
"""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOT = ROOT / "build" / "screenshots" / "hub_bob_feedback.png"

if __name__ == "__main__":
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "tests/instructor/scenarios/test_hub.py"], cwd=ROOT,
                   check=True)
    shutil.copyfile(SHOT, ROOT / "img" / "screenshot_hub.png")
    print("wrote img/screenshot_hub.png")
