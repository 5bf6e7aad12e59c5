"""Batch grading for instructors: release, parallel and robust autograde, one gradebook writer.

How `autograde` works (see docs/instructors.md):

1. The main process reads every submission of nbgrader's `submitted/<student>/<assignment>/` as
   bytes (only the notebooks and timestamp.txt: extra files never reach the grading folder) and
   packs a *bundle*: the course's nbgrader_config.py, a template gradebook holding the
   assignment's cells, the reference solutions and each notebook's cell layout.
2. Submissions are split into chunks. A *worker* (`grade_chunk`, run in a thread locally or on a
   Dask worker) unpacks the bundle into its own temporary course directory and runs one plain
   `nbgrader autograde` process over its whole chunk (one grading process per core, grading many
   students), with:
   - kernels on the ipc transport under a per-worker absolute socket path (no TCP port races);
   - a kernel spec that starts each kernel under RLIMIT_AS (`--memory-mb`), forked from the
     worker's kernel zygote (grader/instructor/kernels/zygote.py: ipykernel, numpy, matplotlib imported once);
   - `grader.instructor.execute.RobustExecute`: a per-cell time limit, a cap on stored output, and a
     rerun with the offending cell neutralised when a cell kills the kernel or hangs;
   - notebooks repaired first when cells were renamed or deleted, unreadable ones recorded as 0.
   Then, unless `trusted=False`, `grader.sandbox.trusted.regrade` grades each answer again outside the
   student's kernel. The worker returns plain data (scores, messages, the autograded notebook).
3. The main process is the only writer of the real gradebook (SQLite or any SQLAlchemy URL): it
   records nbgrader's scores, stores the trusted score as the grade's manual_score where the two
   disagree (and flags the notebook), writes `autograded/`, and keeps one JSON record per
   submission in `reports/results/<assignment>/<student>.json` for feedback and reports.
"""
import base64
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from grader.exercises import ASSIGNMENTS

SCORE_TOLERANCE = 1e-9
RESULTS_DIR = Path("reports") / "results"


# ---------------------------------------------------------------------------------------------
# Course configuration
# ---------------------------------------------------------------------------------------------

def find_course_root(start=None):
    """The nearest folder at or above `start` (default: cwd) holding nbgrader_config.py."""
    start = Path(start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        if (folder / "nbgrader_config.py").is_file():
            return folder
    raise SystemExit(f"no nbgrader_config.py at or above {start}: run from the course root or pass --course")


def course_config(root):
    """The traitlets Config of the course's nbgrader_config.py (without running nbgrader)."""
    from traitlets.config.loader import PyFileConfigLoader
    saved = dict(os.environ)
    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    finally:  # the course config may set environment variables; keep ours clean
        os.environ.clear()
        os.environ.update(saved)


def default_db_url(root):
    cfg = course_config(root)
    url = cfg.get("CourseDirectory", {}).get("db_url")
    return url or f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def course_id(root):
    return course_config(root).get("CourseDirectory", {}).get("course_id", "default_course")


def source_dir(root):
    return Path(root) / course_config(root).get("CourseDirectory", {}).get("source_directory", "source")


def available_assignments(root):
    src = source_dir(root)
    return [a for a in ASSIGNMENTS if (src / a / f"{a}.ipynb").is_file()]


def _venv_on_path():
    """nbgrader's Gradebook runs `alembic` from PATH when it creates a database."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def _env():
    env = dict(os.environ)
    env.pop("BACKPROP_LAB_SOLUTIONS", None)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(root, *args, db_url=None, check=True, env=None):
    """Run plain `nbgrader ARGS` in `root` (with --CourseDirectory.db_url when given)."""
    cmd = [sys.executable, "-m", "nbgrader", *args]
    if db_url:
        cmd.append(f"--CourseDirectory.db_url={db_url}")
    proc = subprocess.run(cmd, cwd=root, env=env or _env(), capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return proc


# ---------------------------------------------------------------------------------------------
# release
# ---------------------------------------------------------------------------------------------

def release(root, assignments, db_url=None, zip_dir=None):
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


# ---------------------------------------------------------------------------------------------
# Collecting submissions
# ---------------------------------------------------------------------------------------------

@dataclass
class Submission:
    student: str
    assignment: str
    files: dict                       # {file name: bytes}: notebooks (*.ipynb) only
    timestamp: str = None             # content of timestamp.txt, if any
    notes: list = field(default_factory=list)


# Written by `nbgrader submit` next to the notebooks (feedback/ needs them back: batch_report).
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def collect_submitted(root, assignments, students=None):
    """Submissions in nbgrader's submitted/<student>/<assignment>/, read as bytes."""
    subs = []
    submitted = Path(root) / "submitted"
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


def zip_collect(root, assignment, folder, regexp=None, db_url=None):
    """Bring a folder of zips/notebooks downloaded from an LMS into submitted/ with plain
    `nbgrader zip_collect` (archive -> extracted -> submitted). A student whose archive holds no
    notebook gets an empty submitted folder, so the batch reports them instead of skipping them.
    Returns the collected student ids."""
    root = Path(root).resolve()
    archive = root / "downloaded" / assignment / "archive"
    if archive.exists():
        shutil.rmtree(archive)
    archive.mkdir(parents=True)
    for path in sorted(Path(folder).iterdir()):
        if path.is_file():
            shutil.copy(path, archive / path.name)
        elif path.is_dir():
            shutil.copytree(path, archive / path.name)
    # zip_collect checks notebook names against the release folder (a warning only)
    run_nbgrader(root, "zip_collect", assignment, "--force",
                 f"--FileNameCollectorPlugin.named_regexp={regexp or DEFAULT_COLLECT_REGEXP}", db_url=db_url)
    students = set()
    extracted = root / "downloaded" / assignment / "extracted"
    for entry in sorted(extracted.iterdir()) if extracted.is_dir() else []:
        m = STUDENT_OF_NAME.match(entry.name)
        if not m:
            continue
        student = m.group("student_id")
        folder = root / "submitted" / student / assignment
        if not folder.is_dir():
            folder.mkdir(parents=True)
        students.add(student)
    return sorted(students)


# ---------------------------------------------------------------------------------------------
# The bundle shipped to workers
# ---------------------------------------------------------------------------------------------

def _sqlite_path(url):
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):])
    return None


def ensure_in_gradebook(root, assignments, db_url):
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


def _layouts(db_url, assignments):
    """{assignment: {notebook: [cell dict in notebook order]}} from the gradebook's source cells."""
    from nbgrader.api import Gradebook
    layouts = {}
    with Gradebook(db_url) as gb:
        for a in assignments:
            layouts[a] = {}
            for nb in gb.find_assignment(a).notebooks:
                grades = {c.name: c.max_score for c in nb.grade_cells}
                solutions = {c.name for c in nb.solution_cells}
                cells = []
                for c in nb.source_cells:
                    cells.append({"grade_id": c.name, "cell_type": c.cell_type, "source": c.source,
                                  "locked": bool(c.locked), "checksum": c.checksum,
                                  "grade": c.name in grades, "points": grades.get(c.name, 0.0),
                                  "solution": c.name in solutions})
                layouts[a][nb.name] = cells
    return layouts


def _template_gradebook(db_url, assignments, duedates):
    """Bytes of a fresh SQLite gradebook holding only the assignments' cells.

    Built by copying the assignment structure with nbgrader's API (fast, and works whatever
    database the real gradebook uses)."""
    import nbgrader.api as api
    from sqlalchemy import text
    with tempfile.TemporaryDirectory(prefix="grader-template-") as tmp:
        path = Path(tmp) / "gradebook.db"
        real = api.Gradebook(db_url)
        # a new gradebook asks `alembic heads` (a subprocess, ~2 s) for its schema version: take it
        # from the real gradebook instead
        try:
            version = real.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - no version table: let nbgrader ask alembic
            version = None
        saved = api.get_alembic_version
        if version:
            api.get_alembic_version = lambda: version
        try:
            gb = api.Gradebook(f"sqlite:///{path}")
        finally:
            api.get_alembic_version = saved
        with real, gb:
            for a in assignments:
                ra = real.find_assignment(a)
                gb.update_or_create_assignment(a, duedate=ra.duedate)
                for nb in ra.notebooks:
                    gb.add_notebook(nb.name, a)
                    for c in nb.grade_cells:
                        gb.add_grade_cell(c.name, nb.name, a, max_score=c.max_score, cell_type=c.cell_type)
                    for c in nb.solution_cells:
                        gb.add_solution_cell(c.name, nb.name, a)
                    for c in nb.task_cells:
                        gb.add_task_cell(c.name, nb.name, a, max_score=c.max_score, cell_type=c.cell_type)
                    for c in nb.source_cells:
                        gb.add_source_cell(c.name, nb.name, a, cell_type=c.cell_type, locked=c.locked,
                                           source=c.source, checksum=c.checksum)
        return path.read_bytes()


def make_bundle(root, assignments, db_url):
    root = Path(root).resolve()
    solutions = {}
    if (root / "solutions").is_dir():
        solutions = {p.name: p.read_bytes() for p in sorted((root / "solutions").glob("*.py"))}
    return {
        "config": (root / "nbgrader_config.py").read_text(),
        "gradebook": _template_gradebook(db_url, assignments, None),
        "solutions": solutions,
        "layouts": _layouts(db_url, assignments),
    }


# ---------------------------------------------------------------------------------------------
# Worker side
# ---------------------------------------------------------------------------------------------

@dataclass
class Options:
    cell_timeout: float = None        # seconds per cell; None: the course config's Execute.timeout
    memory_mb: int = 2048             # address-space limit of each grading kernel (0: none)
    trusted: bool = True              # re-grade outside the kernel with grader.sandbox.trusted.regrade
    trusted_timeout: float = 60.0
    max_output_bytes: int = 200_000   # output kept per cell
    max_restarts: int = 4             # neutralised cells per notebook before giving up
    kernel_zygote: bool = True        # fork kernels from grader/instructor/kernels/zygote.py (numpy etc. imported once)


CONFIG_OVERRIDES = '''

# ---- added by grader.instructor.batch for this worker's temporary course ----
import os as _os
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}
c.CourseDirectory.source_directory = "source"
from nbgrader.preprocessors import (AssignLatePenalties as _ALP, CheckCellMetadata as _CCM,
    IgnorePattern as _IP, LimitOutput as _LO, SaveAutoGrades as _SAG)
from nbconvert.preprocessors import ClearMetadataPreprocessor as _CMP
from grader.instructor.execute import RobustExecute as _RE
c.Autograde.autograde_preprocessors = [_RE, _IP, _CMP, _LO, _SAG, _ALP, _CCM]
c.RobustExecute.max_output_bytes = {max_output_bytes!r}
c.RobustExecute.max_restarts = {max_restarts!r}
{timeout_line}
# kernels talk over unix sockets under this worker's own folder: no TCP port races
c.KernelManager.transport = "ipc"
c.KernelManager.ip = {ipc!r}
_os.environ["BACKPROP_LAB_SOLUTIONS"] = {solutions!r}
'''


def _write_worker_course(tmp, bundle, options, zygote=None):
    tmp = Path(tmp)
    (tmp / "source").mkdir()
    (tmp / "solutions").mkdir()
    for name, data in bundle["solutions"].items():
        (tmp / "solutions" / name).write_bytes(data)
    (tmp / "gradebook.db").write_bytes(bundle["gradebook"])
    (tmp / "ipc").mkdir()
    timeout_line = ""
    if options.cell_timeout:
        timeout_line = (f"c.Execute.timeout = {int(math.ceil(options.cell_timeout))}\n"
                        f"c.RobustExecute.timeout = {int(math.ceil(options.cell_timeout))}")
    config = bundle["config"] + CONFIG_OVERRIDES.format(
        root=str(tmp), db_url=f"sqlite:///{tmp / 'gradebook.db'}", max_output_bytes=options.max_output_bytes,
        max_restarts=options.max_restarts, timeout_line=timeout_line, ipc=str(tmp / "ipc" / "kernel"),
        solutions=str(tmp / "solutions"))
    (tmp / "nbgrader_config.py").write_text(config)
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        # the launcher runs as a script: importing the grader package would slow every kernel start
        "argv": [sys.executable, str(Path(__file__).parent / "kernels" / "launch.py"),
                 *(["--zygote", str(zygote)] if zygote else []),
                 "--memory-mb", str(int(options.memory_mb or 0)),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (grading, memory-limited)", "language": "python",
        "metadata": {"debugger": False}}))


def _nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}


def _layout_cell(entry):
    """A notebook cell rebuilt from the gradebook's record of a source cell."""
    meta = {"grade": entry["grade"], "grade_id": entry["grade_id"], "locked": entry["locked"],
            "schema_version": 3, "solution": entry["solution"]}
    if entry["grade"]:
        meta["points"] = entry["points"]
    if entry["checksum"]:
        meta["checksum"] = entry["checksum"]
    cell = {"cell_type": entry["cell_type"], "metadata": {"nbgrader": meta}, "source": entry["source"],
            "id": "restored-" + re.sub(r"[^A-Za-z0-9_-]", "-", entry["grade_id"])[:50]}
    if entry["cell_type"] == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def repair_notebook(data, layout):
    """(notebook dict, [reasons]) for submitted notebook bytes; raises ValueError when unreadable.

    - a cell whose grade_id is unknown (renamed) becomes an ordinary cell;
    - an answer cell whose nbgrader metadata was removed or renamed is found again by the
      `def <name>(` it holds;
    - a deleted cell of the release is put back where it was (a deleted answer comes back as the
      stub, which scores 0; a deleted test cell comes back and is then restored by nbgrader)."""
    import nbformat
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"the notebook is not valid JSON ({err.__class__.__name__}: {err}); nothing could be graded")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("the file is JSON but not a notebook (no list of cells); nothing could be graded")
    try:
        nb = nbformat.reads(json.dumps(nb), as_version=4)
    except Exception as err:  # noqa: BLE001 - any nbformat failure means unreadable
        raise ValueError(f"the notebook could not be read by nbformat ({err}); nothing could be graded")
    reasons = []
    expected = {e["grade_id"]: e for e in layout}
    present = {}
    for i, cell in enumerate(nb.cells):
        gid = _nbgrader_meta(cell).get("grade_id")
        if gid is None and cell.get("metadata", {}).get("nbgrader"):
            del cell.metadata["nbgrader"]
        if gid is None:
            continue
        if gid not in expected:
            reasons.append(f"cell '{gid}' is not a cell of the assignment (renamed?); graded as an ordinary cell")
            del cell.metadata["nbgrader"]
        elif gid in present:
            reasons.append(f"cell '{gid}' appears twice; the copy was graded as an ordinary cell")
            del cell.metadata["nbgrader"]
        else:
            present[gid] = i
    for entry in layout:
        gid = entry["grade_id"]
        if gid in present:
            continue
        if entry["solution"] and entry["cell_type"] == "code":
            pattern = re.compile(rf"^\s*def\s+{re.escape(gid)}\s*\(", re.M)
            match = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                          and not _nbgrader_meta(c) and pattern.search(c.source)), None)
            if match is not None:
                nb.cells[match].metadata["nbgrader"] = _layout_cell(entry)["metadata"]["nbgrader"]
                present[gid] = match
                reasons.append(f"answer cell '{gid}' had lost its nbgrader id; found again by its def line")
                continue
        # put the release's cell back after the nearest earlier cell of the layout that is present
        order = [e["grade_id"] for e in layout]
        before = [present[g] for g in order[:order.index(gid)] if g in present]
        at = max(before) + 1 if before else 0
        nb.cells.insert(at, nbformat.from_dict(_layout_cell(entry)))
        present = {g: (i + 1 if i >= at else i) for g, i in present.items()}
        present[gid] = at
        if entry["solution"]:
            reasons.append(f"answer cell '{gid}' was deleted; it was put back as the stub (0 points for it)")
        elif entry["grade"]:
            reasons.append(f"test cell '{gid}' was deleted or renamed; the original test was put back and run")
        else:
            reasons.append(f"locked cell '{gid}' was deleted or renamed; the original was put back")
    return nb, reasons


def _prepare(tmp, sub, layouts):
    """Write a submission into the worker course; returns (record, gradable)."""
    import nbformat
    record = {"student": sub.student, "assignment": sub.assignment, "timestamp": sub.timestamp,
              "reasons": list(sub.notes), "status": "graded", "notebooks": {}}
    folder = Path(tmp) / "submitted" / sub.student / sub.assignment
    folder.mkdir(parents=True)
    if sub.timestamp:
        (folder / "timestamp.txt").write_text(sub.timestamp)
    gradable = False
    layout = layouts[sub.assignment]
    files = dict(sub.files)
    for nb_name, cells in layout.items():
        wanted = f"{nb_name}.ipynb"
        data = files.pop(wanted, None)
        if data is None:
            others = [n for n in files if n.endswith(".ipynb")]
            if len(others) == 1:
                data = files.pop(others[0])
                record["reasons"].append(f"no {wanted} in the submission; graded its only notebook {others[0]}")
            else:
                found = f" (found {', '.join(others)})" if others else ""
                record["reasons"].append(f"no {wanted} in the submission{found}: that notebook scores 0")
                continue
        try:
            nb, reasons = repair_notebook(data, cells)
        except ValueError as err:
            record["reasons"].append(f"{wanted}: {err}")
            continue
        record["reasons"] += [f"{wanted}: {r}" for r in reasons]
        nbformat.write(nb, str(folder / wanted))
        gradable = True
    if not gradable:
        record["status"] = "not gradable"
    return record, gradable


def _messages(nb_json):
    """{grade_id: diagnostic text} of the error outputs of grade cells (no tracebacks)."""
    out = {}
    for cell in nb_json.get("cells", []):
        meta = _nbgrader_meta(cell)
        if not meta.get("grade") or cell.get("cell_type") != "code":
            continue
        texts = [f"{o.get('ename', '')}: {o.get('evalue', '')}" for o in cell.get("outputs", [])
                 if o.get("output_type") == "error"]
        out[meta["grade_id"]] = "\n".join(texts)
    return out


class _LogWatcher:
    """Follows nbgrader's log to tell when each student is done."""
    START = re.compile(r"Creating/updating student with ID '([^']+)'")
    DONE = re.compile(r"Setting destination file permissions|Removing failed assignment")

    def __init__(self, on_done):
        self.on_done, self.current, self.done, self.lines = on_done, None, [], []
        self.completed = set()  # students whose grading nbgrader finished (well or not)

    def feed(self, line):
        self.lines.append(line)
        m = self.START.search(line)
        if m:
            self._finish()
            self.current = m.group(1)
        elif self.DONE.search(line):
            self.completed.add(self.current)
            self._finish()

    def _finish(self):
        if self.current is not None and self.current not in self.done:
            self.done.append(self.current)
            self.on_done(self.current)
        self.current = None


def _trusted_regrade(path, assignment, options, layout=None):
    from grader.sandbox import trusted
    # Points and cells come from the course being graded (its gradebook), as the in-kernel scores do.
    results = trusted.regrade(str(path), assignment, cell_timeout=options.trusted_timeout,
                              memory_mb=options.memory_mb or 2048, layout=layout)
    out = {}
    for gid, r in results.items():
        out[gid] = {"score": float(r.score), "max_score": float(r.max_score), "message": r.message or "",
                    "flags": list(r.flags or []), "function": getattr(r, "function", "")}
    return out


def grade_chunk(bundle, submissions, options=None, progress=None):
    """Grade a list of Submission in a private temporary course; return one record per submission.

    Runs anywhere the course's Python environment is installed (a thread, a process, a Dask
    worker): everything it needs comes in `bundle` and `submissions` as bytes, and everything it
    produces goes back as plain data. `progress(record)` is called as each submission finishes."""
    from nbgrader.api import Gradebook, MissingEntry
    options = options or Options()
    tmp = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    records = {}
    zygote = None
    try:
        if options.trusted and bundle["solutions"] and not os.environ.get("BACKPROP_LAB_SOLUTIONS"):
            # on a Dask worker the reference is not on disk: the trusted grader finds it here
            os.environ["BACKPROP_LAB_SOLUTIONS"] = str(_stable_solutions(bundle))
        zygote_path = tmp / "ipc" / "zygote" if options.kernel_zygote else None
        _write_worker_course(tmp, bundle, options, zygote_path)
        gradable = {}
        for sub in submissions:
            record, ok = _prepare(tmp, sub, bundle["layouts"])
            records[(sub.assignment, sub.student)] = record
            if ok:
                gradable.setdefault(sub.assignment, []).append(sub.student)
            elif progress:
                progress(record)
        env = _env()
        env.update(JUPYTER_PATH=str(tmp / "jupyter"), BACKPROP_LAB_SOLUTIONS=str(tmp / "solutions"),
                   GRADER_BATCH_EVENTS=str(tmp / "events.jsonl"), PYTHONUNBUFFERED="1")
        env.pop("JUPYTER_CONFIG_DIR", None)
        if zygote_path and gradable:
            zygote = _start_zygote(tmp, zygote_path, env)
        for assignment, students in gradable.items():
            pool = ThreadPoolExecutor(max_workers=1)
            pending = {}

            def finished(student, assignment=assignment):
                record = records[(assignment, student)]
                if options.trusted:
                    pending[student] = pool.submit(_trusted_for, tmp, record, options, bundle["layouts"])
                elif progress:
                    progress(record)

            watcher = _LogWatcher(finished)
            started = time.time()

            def run_nbgrader(*extra, assignment=assignment, watcher=watcher):
                proc = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", assignment, *extra],
                                        cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True, errors="replace")
                for line in proc.stderr:
                    watcher.feed(line.rstrip("\n"))
                return proc.wait()

            code = run_nbgrader()
            if code != 0:
                # nbgrader itself died (a kernel can signal its parent): the submission being graded
                # and those after it in this chunk have no result yet. Grade each of them alone, so
                # that only the submission that kills nbgrader is left without an in-kernel result.
                watcher.current = None
                for student in [s for s in students if s not in watcher.completed]:
                    code = run_nbgrader("--student", student, "--force")
                    if student not in watcher.completed:
                        why = f"killed by {_signal_name(-code)}" if code < 0 else f"stopped with exit code {code}"
                        records[(assignment, student)]["reasons"].append(
                            f"the grading process was {why} while running this notebook")
                        shutil.rmtree(tmp / "autograded" / student, ignore_errors=True)
                    watcher.current = student
                    watcher._finish()
            for student in students:
                if student not in watcher.done:
                    watcher.current = student
                    watcher._finish()
            pool.shutdown(wait=True)
            for student, fut in pending.items():
                fut.result()
                if progress:
                    progress(records[(assignment, student)])
            _collect(tmp, assignment, students, records, watcher.lines, time.time() - started)
        _read_events(tmp, records)
        with Gradebook(f"sqlite:///{tmp / 'gradebook.db'}") as gb:
            for (assignment, student), record in records.items():
                _read_grades(gb, assignment, student, record, bundle["layouts"][assignment], MissingEntry)
    finally:
        _stop_zygote(zygote)
        shutil.rmtree(tmp, ignore_errors=True)
    return [records[(s.assignment, s.student)] for s in submissions]


def _start_zygote(tmp, path, env):
    """Start grader/instructor/kernels/zygote.py on socket `path` with nbgrader's environment. Returns the
    process, or None when it does not come up (each kernel then starts the usual way)."""
    proc = subprocess.Popen([sys.executable, str(Path(__file__).parent / "kernels" / "zygote.py"), str(path)],
                            cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    deadline = threading.Timer(60, proc.kill)
    deadline.start()
    try:
        ready = proc.stdout.readline().strip() == "ready"
    finally:
        deadline.cancel()
    if not ready:
        _stop_zygote(proc)
        return None
    return proc


def _stop_zygote(proc):
    """Stop the zygote; on SIGTERM it kills every kernel it forked that is still running."""
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    proc.stdout.close()


def _stable_solutions(bundle):
    """A per-machine copy of the reference solutions that outlives the chunk (the trusted grader
    loads and caches the reference in this process), keyed by their content."""
    import hashlib
    digest = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(bundle["solutions"].items()))).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"grader-solutions-{os.getuid()}-{digest}"
    if not folder.is_dir():
        part = Path(tempfile.mkdtemp(prefix="grader-solutions-part-"))
        for name, data in bundle["solutions"].items():
            (part / name).write_bytes(data)
        try:
            part.rename(folder)
        except OSError:  # another worker got there first
            shutil.rmtree(part, ignore_errors=True)
    return folder


def _trusted_for(tmp, record, options, layouts=None):
    assignment, student = record["assignment"], record["student"]
    folder = Path(tmp) / "submitted" / student / assignment
    try:
        record["trusted"] = {}
        for path in sorted(folder.glob("*.ipynb")):
            # hand the trusted grader a copy outside the worker's course folder (which holds solutions/)
            with tempfile.TemporaryDirectory(prefix="grader-trusted-") as alone:
                copy = Path(alone) / student / assignment / path.name
                copy.parent.mkdir(parents=True)
                shutil.copy(path, copy)
                layout = (layouts or {}).get(assignment, {}).get(path.stem)
                record["trusted"].update(_trusted_regrade(copy, assignment, options, layout))
    except NotImplementedError:
        record["trusted"] = None
        record["trusted_error"] = "trusted re-grading is not available yet: in-kernel scores kept"
    except Exception as err:  # noqa: BLE001 - a trusted failure must not stop the batch
        record["trusted"] = None
        record["trusted_error"] = f"trusted re-grading failed: {err.__class__.__name__}: {err}"
    return record


def _signal_name(number):
    import signal
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _collect(tmp, assignment, students, records, log_lines, elapsed):
    for student in students:
        record = records[(assignment, student)]
        folder = Path(tmp) / "autograded" / student / assignment
        record["autograded"] = {}
        if folder.is_dir():
            for path in folder.glob("*.ipynb"):
                record["autograded"][path.name] = path.read_bytes()
        if not record["autograded"]:
            record["status"] = "failed"
            errors = _student_errors(log_lines, student)
            record["reasons"].append("nbgrader could not grade this submission" + (f": {errors}" if errors else ""))
        record["nbgrader_seconds"] = elapsed / max(1, len(students))


def _student_errors(lines, student):
    picked, inside = [], False
    for line in lines:
        if f"ID '{student}'" in line:
            inside = True
        elif "Creating/updating student with ID" in line:
            inside = False
        if inside and ("ERROR" in line or "Error" in line) and "Traceback" not in line:
            picked.append(line.split("]", 1)[-1].strip())
    return "; ".join(picked[-3:])[:600]


def _read_events(tmp, records):
    path = Path(tmp) / "events.jsonl"
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        ev = json.loads(line)
        record = records.get((ev.get("assignment"), ev.get("student")))
        if record is None:
            continue
        where = f"cell '{ev['grade_id']}'" if ev.get("grade_id") else f"cell {ev.get('cell_index')} ({ev.get('first_line')!r})"
        text = {"skipped": {"timeout": f"{where} ran past the time limit; it was stopped and the notebook rerun without it",
                            "kernel died": f"the grading kernel died while {where} ran (os._exit, exit(), a crash "
                                           "or the memory limit); the notebook was rerun without that cell"},
                "gave up": {"timeout": f"{where} timed out after several earlier stops; it and the cells after it were not run",
                            "kernel died": f"the kernel died again while {where} ran, after several earlier crashes; "
                                           "it and the cells after it were not run"},
                "output truncated": {"output flood": f"{where} printed too much output; it was truncated"}}
        record["reasons"].append(text.get(ev["event"], {}).get(ev["why"], json.dumps(ev)))


def _read_grades(gb, assignment, student, record, layout, MissingEntry):
    """In-kernel scores from the worker's gradebook (0 for every cell when nothing was graded)."""
    grades, comments, penalty = {}, {}, {}
    try:
        sub = gb.find_submission(assignment, student)
    except MissingEntry:
        sub = None
    if sub is not None and record["status"] == "graded":
        for nb in sub.notebooks:
            penalty[nb.name] = nb.late_submission_penalty
            for g in nb.grades:
                grades.setdefault(nb.name, {})[g.name] = {
                    "auto_score": g.auto_score, "max_score": g.max_score, "needs_manual_grade": g.needs_manual_grade}
            for c in nb.comments:
                comments.setdefault(nb.name, {})[c.name] = c.auto_comment
    for nb_name, cells in layout.items():
        for entry in cells:
            if entry["grade"] and entry["grade_id"] not in grades.get(nb_name, {}):
                grades.setdefault(nb_name, {})[entry["grade_id"]] = {
                    "auto_score": 0.0, "max_score": entry["points"], "needs_manual_grade": False}
    record["grades"] = grades
    record["comments"] = comments
    record["late_penalty"] = penalty
    messages = {}
    for name, data in record.get("autograded", {}).items():
        try:
            messages[name[:-len(".ipynb")]] = _messages(json.loads(data))
        except ValueError:
            pass
    record["messages"] = messages


# ---------------------------------------------------------------------------------------------
# Final scores and the single gradebook writer
# ---------------------------------------------------------------------------------------------

def final_scores(record):
    """{notebook: {grade_id: dict(score, max_score, in_kernel, trusted, overridden, message)}}."""
    trusted = record.get("trusted") or {}
    out = {}
    for nb_name, cells in record.get("grades", {}).items():
        msgs = record.get("messages", {}).get(nb_name, {})
        for gid, g in cells.items():
            auto = g["auto_score"] if g["auto_score"] is not None else 0.0
            t = trusted.get(gid)
            score, overridden = auto, False
            if t is not None and abs(t["score"] - auto) > SCORE_TOLERANCE:
                score, overridden = t["score"], True
            message = msgs.get(gid, "")
            if not message and record.get("status") != "graded" and score < g["max_score"]:
                message = "; ".join(record.get("reasons", [])) or "the submission could not be graded"
            if overridden or (not message and t is not None and score < g["max_score"]):
                message = (t["message"] or message)
            out.setdefault(nb_name, {})[gid] = {
                "score": score, "max_score": g["max_score"], "in_kernel": auto,
                "trusted": None if t is None else t["score"], "overridden": overridden,
                "flags": [] if t is None else t["flags"], "message": message,
                "in_kernel_message": msgs.get(gid, "")}
    return out


def record_result(gb, root, record, previous=None):
    """Write one worker record into the real gradebook and course folders (main process only)."""
    assignment, student = record["assignment"], record["student"]
    gb.update_or_create_student(student)
    kwargs = {}
    if record.get("timestamp"):
        kwargs["timestamp"] = record["timestamp"]
    gb.update_or_create_submission(assignment, student, **kwargs)
    finals = final_scores(record)
    prev_overrides = set()
    if previous:
        for nb_name, cells in final_scores(previous).items():
            prev_overrides |= {(nb_name, gid) for gid, f in cells.items() if f["overridden"]}
    for nb_name, cells in finals.items():
        flagged = False
        for gid, f in cells.items():
            grade = gb.find_grade(gid, nb_name, assignment, student)
            grade.auto_score = f["in_kernel"]
            g = record["grades"][nb_name][gid]
            flagged = flagged or bool(f["flags"])
            if f["overridden"]:
                grade.manual_score = f["score"]
                grade.needs_manual_grade = False
                flagged = True
            else:
                if (nb_name, gid) in prev_overrides:
                    grade.manual_score = None
                # as nbgrader's SaveAutoGrades: a grader's manual score, or no auto score, needs a look
                grade.needs_manual_grade = grade.manual_score is not None or bool(g["needs_manual_grade"])
        for gid, text in record.get("comments", {}).get(nb_name, {}).items():
            try:
                gb.find_comment(gid, nb_name, assignment, student).auto_comment = text
            except Exception:  # noqa: BLE001 - comments are cosmetic
                pass
        nb_row = gb.find_submission_notebook(nb_name, assignment, student)
        nb_row.flagged = flagged
        if record.get("late_penalty", {}).get(nb_name) is not None:
            nb_row.late_submission_penalty = record["late_penalty"][nb_name]
    gb.db.commit()
    # autograded/ for formgrader and nbgrader generate_feedback
    folder = Path(root) / "autograded" / student / assignment
    if record.get("autograded"):
        if folder.exists():
            _rmtree_writable(folder)
        folder.mkdir(parents=True)
        for name, data in record["autograded"].items():
            (folder / name).write_bytes(data)
        if record.get("timestamp"):
            (folder / "timestamp.txt").write_text(record["timestamp"])
    save_record(root, record)


def _rmtree_writable(path):
    def onerror(func, p, _exc):
        os.chmod(p, 0o700)
        func(p)
    for p in Path(path).rglob("*"):
        try:
            os.chmod(p, 0o700 if p.is_dir() else 0o600)
        except OSError:
            pass
    shutil.rmtree(path, onerror=onerror)


def record_path(root, assignment, student):
    return Path(root) / RESULTS_DIR / assignment / f"{student}.json"


def save_record(root, record):
    path = record_path(root, record["assignment"], record["student"])
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in record.items() if k != "autograded"}
    path.write_text(json.dumps(data, indent=1, default=str))


def load_records(root, assignments=None):
    base = Path(root) / RESULTS_DIR
    records = []
    for a in assignments or sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        for path in sorted((base / a).glob("*.json")):
            records.append(json.loads(path.read_text()))
    return records


# ---------------------------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------------------------

def chunked(items, n):
    """Round-robin split into at most n non-empty lists."""
    n = max(1, min(n, len(items)))
    return [items[i::n] for i in range(n)] if items else []


def autograde(root, assignments, *, jobs=None, db_url=None, options=None, students=None,
              scheduler=None, dask_local=False, chunk_size=None, show_progress=True, out=sys.stdout):
    """Grade every submission of `assignments`; returns the list of records (see grade_chunk)."""
    from nbgrader.api import Gradebook
    from tqdm import tqdm
    root = Path(root).resolve()
    _venv_on_path()
    options = options or Options()
    db_url = db_url or default_db_url(root)
    jobs = jobs or os.cpu_count() or 1
    subs = collect_submitted(root, assignments, students)
    if not subs:
        print("no submissions found in submitted/", file=out)
        return []
    ensure_in_gradebook(root, sorted({s.assignment for s in subs}), db_url)
    bundle = make_bundle(root, sorted({s.assignment for s in subs}), db_url)
    if (root / "solutions").is_dir():  # local workers: the trusted grader reads the course's reference
        os.environ.setdefault("BACKPROP_LAB_SOLUTIONS", str(root / "solutions"))
    records = []
    lock = threading.Lock()
    bar = tqdm(total=len(subs), desc="autograde", unit="sub", disable=not show_progress, file=sys.stderr,
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]")

    def tick(_record):
        with lock:
            bar.update(1)

    started = time.time()
    import warnings
    from sqlalchemy.exc import SAWarning
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own autoflush warnings
    with Gradebook(db_url) as gb:
        def write(chunk_records):
            for record in chunk_records:
                prev_path = record_path(root, record["assignment"], record["student"])
                previous = json.loads(prev_path.read_text()) if prev_path.is_file() else None
                record_result(gb, root, record, previous)
                records.append(record)

        if scheduler or dask_local:
            _autograde_dask(bundle, subs, options, jobs, scheduler, chunk_size, bar, write)
        else:
            chunks = chunked(subs, jobs)
            with ThreadPoolExecutor(max_workers=len(chunks)) as ex:
                futures = [ex.submit(grade_chunk, bundle, chunk, options, tick) for chunk in chunks]
                for fut in as_completed(futures):
                    write(fut.result())
    bar.close()
    elapsed = time.time() - started
    print(summary_table(records, elapsed), file=out)
    return records


def _autograde_dask(bundle, subs, options, jobs, scheduler, chunk_size, bar, write):
    from distributed import Client, LocalCluster, as_completed as dask_completed
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        size = chunk_size or max(1, math.ceil(len(subs) / (2 * n_workers)))
        chunks = [subs[i:i + size] for i in range(0, len(subs), size)]
        remote_bundle = client.scatter(bundle, broadcast=True)
        futures = [client.submit(grade_chunk, remote_bundle, chunk, options, pure=False) for chunk in chunks]
        for fut in dask_completed(futures):
            chunk_records = fut.result()
            write(chunk_records)
            bar.update(len(chunk_records))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def summary_table(records, elapsed=None):
    """Plain-text table: one line per submission (total, flags, reasons), then totals."""
    lines = []
    header = f"{'assignment':<18} {'student':<16} {'score':>11}  {'status':<12} notes"
    lines += [header, "-" * len(header)]
    for r in sorted(records, key=lambda r: (r["assignment"], r["student"])):
        finals = final_scores(r)
        score = sum(f["score"] for cells in finals.values() for f in cells.values())
        total = sum(f["max_score"] for cells in finals.values() for f in cells.values())
        overridden = [gid for cells in finals.values() for gid, f in cells.items() if f["overridden"]]
        notes = list(r.get("reasons", []))
        flagged = [f"{gid} ({'; '.join(f['flags'])})" for cells in finals.values() for gid, f in cells.items()
                   if f["flags"]]
        if flagged:
            notes.insert(0, "trusted re-grade flags: " + ", ".join(flagged))
        if overridden:
            notes.insert(0, "trusted score differs from the kernel's: " + ", ".join(overridden))
        if r.get("trusted_error") and "not available" not in r["trusted_error"]:
            notes.append(r["trusted_error"])
        first = notes[0] if notes else ""
        lines.append(f"{r['assignment']:<18} {r['student']:<16} {score:>5g}/{total:<5g}  {r['status']:<12} {first}")
        for extra in notes[1:]:
            lines.append(" " * 60 + extra)
    n = len(records)
    problems = sum(1 for r in records if r["status"] != "graded" or r.get("reasons"))
    flagged = sum(1 for r in records if any(f["overridden"] for c in final_scores(r).values() for f in c.values()))
    tail = f"{n} submissions graded"
    if elapsed is not None:
        tail += f" in {elapsed:.1f} s"
    tail += f"; {problems} with notes, {flagged} with trusted-score overrides"
    lines += ["-" * len(header), tail]
    unavailable = sorted({r["trusted_error"] for r in records if "not available" in (r.get("trusted_error") or "")})
    lines += [f"warning: {text}" for text in unavailable]
    return "\n".join(lines)


def encode_png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")
