"""Student versions of the assignments, and making sure the gradebook knows each assignment."""
import shutil
import tempfile
import zipfile
from pathlib import Path

from grader.instructor.course import run_nbgrader, source_dir


def release(root: Path | str, assignments: list[str], db_url: str | None = None,
            zip_dir: Path | str | None = None) -> list[tuple[str, Path, Path]]:
    """Student versions with plain `nbgrader generate_assignment`, plus one zip per assignment.

    Returns [(assignment, release folder, zip path)]."""
    root = Path(root).resolve()
    zip_dir = Path(zip_dir) if zip_dir else root / "release"
    out = []
    for assignment in assignments:
        run_nbgrader(root, "generate_assignment", assignment, "--force", db_url=db_url)
        folder = root / "release" / assignment
        zip_dir.mkdir(parents=True, exist_ok=True)
        target = zip_dir / f"{assignment}.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{assignment}/{path.relative_to(folder).as_posix()}")
        out.append((assignment, folder, target))
    return out


def ensure_in_gradebook(root: Path | str, assignments: list[str], db_url: str) -> list[str]:
    """Make sure the real gradebook knows each assignment's cells (as generate_assignment does).
    A missing one is registered by generate_assignment in a scratch copy of the course, so the
    course's release/ folder is not touched."""
    from nbgrader.api import Gradebook, MissingEntry
    missing = []
    with Gradebook(db_url) as gb:
        for a in assignments:
            try:
                if not gb.find_assignment(a).notebooks:
                    missing.append(a)
            except MissingEntry:
                missing.append(a)
    if missing:
        with tempfile.TemporaryDirectory(prefix="grader-register-") as tmp:
            scratch = _scratch_course(root, Path(tmp))
            for a in missing:
                run_nbgrader(scratch, "generate_assignment", a, "--force", db_url=db_url)
    return missing


def _scratch_course(root, tmp):
    root = Path(root).resolve()
    shutil.copy(root / "nbgrader_config.py", tmp / "nbgrader_config.py")
    src = source_dir(root)
    (tmp / src.name).symlink_to(src, target_is_directory=True)
    if (root / "solutions").is_dir():
        (tmp / "solutions").symlink_to(root / "solutions", target_is_directory=True)
    return tmp
