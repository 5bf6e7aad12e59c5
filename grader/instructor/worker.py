"""A worker: grades a chunk of submissions in its own temporary course with one plain
`nbgrader autograde`, then (unless told not to) re-grades each answer outside the student's kernel."""
import json
import math
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from grader import reference
from grader.instructor.bundle import stable_solutions
from grader.instructor.collect import Submission
from grader.instructor.course import nbgrader_env
from grader.instructor.nbgrader_log import LogWatcher, collect_autograded, read_events, read_grades
from grader.instructor.repair import repair_notebook
from grader.sandbox.process import kill_group

KERNELS = Path(__file__).parent / "kernels"


@dataclass
class Options:
    cell_timeout: float | None = None  # seconds per cell; None: the course config's Execute.timeout
    memory_mb: int = 2048             # address-space limit of each grading kernel (0: none)
    trusted: bool = True              # re-grade outside the kernel with grader.sandbox.trusted.regrade
    trusted_timeout: float = 60.0
    max_output_bytes: int = 200_000   # output kept per cell
    max_restarts: int = 4             # neutralised cells per notebook before giving up
    kernel_zygote: bool = True        # fork kernels from grader/instructor/kernels/zygote.py (numpy etc. imported once)


CONFIG_OVERRIDES = '''

# ---- added by grader.instructor.worker for this worker's temporary course ----
import os as _os
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db_url!r}
# this worker writes and reads these folders by these names, whatever the course calls its own
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
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
_os.environ[{env_var!r}] = {solutions!r}
'''


def write_worker_course(tmp: Path | str, bundle: dict, options: "Options", zygote: Path | None = None) -> None:
    """The worker's private course: its own gradebook, solutions, ipc folder and memory-limited kernel spec."""
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
        env_var=reference.ENV_VAR, solutions=str(tmp / "solutions"))
    (tmp / "nbgrader_config.py").write_text(config)
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        # the launcher runs as a script: importing the grader package would slow every kernel start
        "argv": [sys.executable, str(KERNELS / "launch.py"),
                 *(["--zygote", str(zygote)] if zygote else []),
                 "--memory-mb", str(int(options.memory_mb or 0)),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (grading, memory-limited)", "language": "python",
        "metadata": {"debugger": False}}))

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


def _trusted_regrade(path, assignment, options, solutions, layout=None):
    from grader.sandbox import trusted
    # Points and cells come from the course being graded (its gradebook), as the in-kernel scores do.
    results = trusted.regrade(str(path), assignment, cell_timeout=options.trusted_timeout,
                              memory_mb=options.memory_mb or 2048, layout=layout,
                              solutions=solutions)
    out = {}
    for gid, r in results.items():
        out[gid] = {"score": float(r.score), "max_score": float(r.max_score), "message": r.message or "",
                    "flags": list(r.flags or []), "function": getattr(r, "function", "")}
    return out


def grade_chunk(bundle: dict, submissions: list[Submission], options: Options | None = None,
                progress: Callable[[dict], None] | None = None, solutions: Path | str | None = None) -> list[dict]:
    """Grade a list of Submission in a private temporary course; return one record per submission.

    Runs anywhere the course's Python environment is installed (a thread, a process, a Dask
    worker): everything it needs comes in `bundle` and `submissions` as bytes, and everything it
    produces goes back as plain data. `progress(record)` is called as each submission finishes.
    `solutions`: the course's reference folder when this machine has it (the trusted re-grade reads
    it); otherwise a per-machine copy of the bundle's reference is used."""
    from nbgrader.api import Gradebook, MissingEntry
    options = options or Options()
    tmp = Path(tempfile.mkdtemp(prefix="grader-worker-"))
    records = {}
    zygote = None
    try:
        if options.trusted and solutions is None and bundle["solutions"]:
            # on a Dask worker the reference is not on disk: the trusted grader reads this copy
            solutions = stable_solutions(bundle)
        zygote_path = tmp / "ipc" / "zygote" if options.kernel_zygote else None
        write_worker_course(tmp, bundle, options, zygote_path)
        gradable = {}
        for sub in submissions:
            record, ok = _prepare(tmp, sub, bundle["layouts"])
            records[(sub.assignment, sub.student)] = record
            if ok:
                gradable.setdefault(sub.assignment, []).append(sub.student)
            elif progress:
                progress(record)
        env = nbgrader_env()
        env.update(JUPYTER_PATH=str(tmp / "jupyter"),
                   GRADER_BATCH_EVENTS=str(tmp / "events.jsonl"), PYTHONUNBUFFERED="1")
        env.pop("JUPYTER_CONFIG_DIR", None)
        if zygote_path and gradable:
            zygote = start_zygote(tmp, zygote_path, env)
        for assignment, students in gradable.items():
            pool = ThreadPoolExecutor(max_workers=1)
            pending = {}

            def finished(student, assignment=assignment):
                record = records[(assignment, student)]
                if options.trusted:
                    pending[student] = pool.submit(_trusted_for, tmp, record, options, solutions, bundle["layouts"])
                elif progress:
                    progress(record)

            watcher = LogWatcher(finished)
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
                    watcher.finish()
            for student in students:
                if student not in watcher.done:
                    watcher.current = student
                    watcher.finish()
            pool.shutdown(wait=True)
            for student, fut in pending.items():
                fut.result()
                if progress:
                    progress(records[(assignment, student)])
            collect_autograded(tmp, assignment, students, records, watcher.lines, time.time() - started)
        read_events(tmp, records)
        with Gradebook(f"sqlite:///{tmp / 'gradebook.db'}") as gb:
            for (assignment, student), record in records.items():
                read_grades(gb, assignment, student, record, bundle["layouts"][assignment], MissingEntry)
    finally:
        stop_zygote(zygote)
        shutil.rmtree(tmp, ignore_errors=True)
    return [records[(s.assignment, s.student)] for s in submissions]


def start_zygote(tmp: Path | str, path: Path | str, env: dict) -> "subprocess.Popen | None":
    """Start grader/instructor/kernels/zygote.py on socket `path` with nbgrader's environment. Returns the
    process, or None when it does not come up (each kernel then starts the usual way)."""
    proc = subprocess.Popen([sys.executable, str(KERNELS / "zygote.py"), str(path)],
                            cwd=tmp, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    deadline = threading.Timer(60, proc.kill)
    deadline.start()
    try:
        ready = proc.stdout.readline().strip() == "ready"
    finally:
        deadline.cancel()
    if not ready:
        stop_zygote(proc)
        return None
    return proc


def stop_zygote(proc: "subprocess.Popen | None") -> None:
    """Stop the zygote; on SIGTERM it kills every kernel it forked that is still running."""
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        kill_group(proc.pid)  # it leads its own session: this takes any kernel it left too
        proc.wait()
    proc.stdout.close()


def _trusted_for(tmp, record, options, solutions, layouts=None):
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
                notebooks = (layouts or {}).get(assignment, {})
                # a notebook saved under another name is graded against the assignment's one notebook
                layout = notebooks.get(path.stem) or (next(iter(notebooks.values())) if len(notebooks) == 1 else None)
                if layout is not None:
                    record["trusted"].update(_trusted_regrade(copy, assignment, options, solutions, layout))
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

