"""Submissions as the batch reads them: nbgrader's submitted/ folder, or an LMS download."""
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from grader.instructor.course import Course


@dataclass
class Submission:
    student: str
    assignment: str
    files: dict                       # {file name: bytes}: notebooks (*.ipynb) only
    timestamp: str = None             # content of timestamp.txt, if any
    notes: list = field(default_factory=list)


# Written by `nbgrader submit` next to the notebooks (feedback/ needs them back: batch_report).
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def collect_submitted(course: Course, assignments: list[str], students: list[str] | None = None) -> list[Submission]:
    """Submissions in nbgrader's submitted/<student>/<assignment>/, read as bytes."""
    subs = []
    submitted = course.submitted
    if not submitted.is_dir():
        return subs
    for student_dir in sorted(p for p in submitted.iterdir() if p.is_dir()):
        if students and student_dir.name not in students:
            continue
        for assignment in assignments:
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            files, notes = {}, []
            for path in sorted(folder.rglob("*")):
                # nbgrader's own files of an exchange submission, not the student's
                if not path.is_file() or path.name in EXCHANGE_FILES:
                    continue
                if path.suffix == ".ipynb" and ".ipynb_checkpoints" not in path.parts:
                    files[path.relative_to(folder).as_posix()] = path.read_bytes()
                else:
                    notes.append(f"extra file {path.relative_to(folder).as_posix()} ignored (only notebooks are graded)")
            stamp = folder / "timestamp.txt"
            subs.append(Submission(student_dir.name, assignment, files,
                                   stamp.read_text().strip() if stamp.is_file() else None, notes))
    return subs


# One archive or loose notebook per student, named after the student: `<student>.zip` (the
# student's folder, zipped) or `<student>_<anything>.ipynb`. Override with --regexp (nbgrader's
# FileNameCollectorPlugin.named_regexp: groups student_id, file_id, optional timestamp).
DEFAULT_COLLECT_REGEXP = (r".*[/\\]extracted[/\\](?P<student_id>[A-Za-z0-9.@+-]+)(?:_[^/\\]*?)?[/\\_]"
                          r"(?:.*[/\\])?(?P<file_id>[^/\\]+\.ipynb)$")
STUDENT_OF_NAME = re.compile(r"^(?P<student_id>[A-Za-z0-9.@+-]+)")


def zip_collect(course: Course, assignment: str, folder: Path | str, regexp: str | None = None) -> list[str]:
    """Bring a folder of zips/notebooks downloaded from an LMS into submitted/ with plain
    `nbgrader zip_collect` (archive -> extracted -> submitted). A student whose archive holds no
    notebook gets an empty submitted folder, so the batch reports them instead of skipping them.
    Returns the collected student ids."""
    archive = course.root / "downloaded" / assignment / "archive"
    if archive.exists():
        shutil.rmtree(archive)
    archive.mkdir(parents=True)
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            shutil.copy(path, archive / path.name)
        elif path.is_dir():
            shutil.copytree(path, archive / path.name)
    # zip_collect checks notebook names against the release folder (a warning only)
    course.nbgrader("zip_collect", assignment, "--force",
                    f"--FileNameCollectorPlugin.named_regexp={regexp or DEFAULT_COLLECT_REGEXP}")
    students = set()
    extracted = course.root / "downloaded" / assignment / "extracted"
    for entry in sorted(extracted.iterdir()) if extracted.is_dir() else []:
        m = STUDENT_OF_NAME.match(entry.name)
        if not m:
            continue
        student = m.group("student_id")
        folder = course.submitted / student / assignment
        if not folder.is_dir():
            folder.mkdir(parents=True)
        students.add(student)
    return sorted(students)


# ---------------------------------------------------------------------------------------------
# The bundle shipped to workers
