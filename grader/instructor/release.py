"""Student versions of the assignments, and making sure the gradebook knows each assignment."""
import shutil
import tempfile
import zipfile
from pathlib import Path

from grader.instructor.course import Course


def release(course: Course, assignments: list[str],
            zip_dir: Path | str | None = None) -> list[tuple[str, Path, Path]]:
    """Student versions with plain `nbgrader generate_assignment`, plus one zip per assignment.

    Returns [(assignment, release folder, zip path)]."""
    zip_dir = Path(zip_dir) if zip_dir else course.release
    out = []
    for assignment in assignments:
        course.nbgrader("generate_assignment", assignment, "--force")
        folder = course.release / assignment
        zip_dir.mkdir(parents=True, exist_ok=True)
        target = zip_dir / f"{assignment}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{assignment}/{path.relative_to(folder).as_posix()}")
        out.append((assignment, folder, target))
    return out


def ensure_in_gradebook(course: Course, assignments: list[str]) -> list[str]:
    """Make sure the real gradebook knows each assignment's cells (as generate_assignment does).
    A missing one is registered by generate_assignment in a scratch copy of the course, so the
    course's release/ folder is not touched."""
    from nbgrader.api import MissingEntry
    missing = []
    with course.gradebook() as gb:
        for a in assignments:
            try:
                if not gb.find_assignment(a).notebooks:
                    missing.append(a)
            except MissingEntry:
                missing.append(a)
    if missing:
        with tempfile.TemporaryDirectory(prefix="grader-register-") as tmp:
            scratch = _scratch_course(course, Path(tmp))
            for a in missing:
                course.nbgrader("generate_assignment", a, "--force", cwd=scratch)
    return missing


def _scratch_course(course: Course, tmp: Path) -> Path:
    shutil.copy(course.root / "nbgrader_config.py", tmp / "nbgrader_config.py")
    (tmp / course.source.name).symlink_to(course.source, target_is_directory=True)
    if course.solutions:
        (tmp / "solutions").symlink_to(course.solutions, target_is_directory=True)
    return tmp
