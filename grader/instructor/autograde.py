"""Batch autograde: parallel and robust, with one gradebook writer.

How `autograde` works (see docs/instructors.md):

1. The main process reads every submission of nbgrader's `submitted/<student>/<assignment>/` as
   bytes (only the notebooks and timestamp.txt: extra files never reach the grading folder) and
   packs a *bundle*: the course's nbgrader_config.py, a template gradebook holding the
   assignment's cells, the reference solutions and each notebook's cell layout.
2. Submissions are split into chunks. A *worker* (`grader.instructor.worker.grade_chunk`, run in
   a thread locally or on a Dask worker) unpacks the bundle into its own temporary course directory and runs one plain
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
import json
import math
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TextIO

from grader.instructor.bundle import make_bundle
from grader.instructor.collect import collect_submitted
from grader.instructor.course import Course
from grader.instructor.gradebook import record_path, record_result
from grader.instructor.release import ensure_in_gradebook
from grader.instructor.summary import summary_table
from grader.instructor.worker import Options, grade_chunk


def chunked(items: list, n: int) -> list[list]:
    """Round-robin split into at most n non-empty lists."""
    n = max(1, min(n, len(items)))
    return [items[i::n] for i in range(n)] if items else []


def autograde(course: Course, assignments: list[str], *, jobs: int | None = None,
              options: Options | None = None, students: list[str] | None = None, scheduler: str | None = None,
              dask_local: bool = False, chunk_size: int | None = None, show_progress: bool = True,
              out: TextIO = sys.stdout) -> list[dict]:
    """Grade every submission of `assignments`; returns the list of records (see grade_chunk)."""
    from tqdm import tqdm
    options = options or Options()
    jobs = jobs or os.cpu_count() or 1
    subs = collect_submitted(course, assignments, students)
    if not subs:
        print("no submissions found in submitted/", file=out)
        return []
    submitted = sorted({s.assignment for s in subs})
    ensure_in_gradebook(course, submitted)
    bundle = make_bundle(course, submitted)
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
    with course.gradebook() as gb:
        def write(chunk_records):
            for record in chunk_records:
                prev_path = record_path(course, record["assignment"], record["student"])
                previous = json.loads(prev_path.read_text()) if prev_path.is_file() else None
                record_result(gb, course, record, previous)
                records.append(record)

        if scheduler or dask_local:
            _autograde_dask(bundle, subs, options, jobs, scheduler, chunk_size, bar, write)
        else:
            chunks = chunked(subs, jobs)
            with ThreadPoolExecutor(max_workers=len(chunks)) as ex:
                futures = [ex.submit(grade_chunk, bundle, chunk, options, tick, course.solutions) for chunk in chunks]
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

