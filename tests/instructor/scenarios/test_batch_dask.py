"""Scale-out: `python -m grader autograde --scheduler ADDRESS` grades on a Dask cluster (here a
LocalCluster with two worker processes): submissions travel to the workers as bytes and results
come back; and LMS downloads are collected with nbgrader zip_collect first (--collect)."""
import subprocess
import sys
import zipfile

import nbformat
import pytest

from tests.batch_subs import A, correct, with_body
from tests.course import clean_env, make_course, release, scores, submit

pytestmark = pytest.mark.pipeline
distributed = pytest.importorskip("distributed")


def cli(course, *args):
    proc = subprocess.run([sys.executable, "-m", "grader", *args, "--course", str(course)], cwd=course,
                          env=clean_env(), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_autograde_on_a_dask_cluster(tmp_path):
    course = make_course(tmp_path / "course")
    released = release(course, A)
    submit(course, "correct", A, correct(released))
    submit(course, "raises", A, with_body(released, "compute_cost", 'raise ValueError("I give up")'))
    submit(course, "correct2", A, correct(released))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        proc = cli(course, "autograde", A, "--scheduler", cluster.scheduler_address, "--chunk-size", "1",
                   "--no-trusted", "--no-progress")
    table = scores(course, A)
    assert set(table) == {"correct", "raises", "correct2"}
    assert all(v[0] == v[1] for s in ("correct", "correct2") for v in table[s].values())
    assert table["raises"]["test_compute_cost"][0] == 0
    assert all(v[0] == v[1] for gid, v in table["raises"].items() if gid != "test_compute_cost")
    assert "3 submissions graded" in proc.stdout


def test_collect_from_lms_downloads(tmp_path):
    course = make_course(tmp_path / "course")
    released = release(course, A)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    text = nbformat.writes(correct(released))
    with zipfile.ZipFile(downloads / "alice.zip", "w") as zf:
        zf.writestr(f"{A}/{A}.ipynb", text)
        zf.writestr(f"{A}/numpy.py", "raise SystemExit('shadowing numpy')")
    (downloads / f"bob_{A}.ipynb").write_text(text)
    with zipfile.ZipFile(downloads / "carol.zip", "w") as zf:
        zf.writestr("notes.txt", "I could not finish")
    proc = cli(course, "autograde", A, "--collect", str(downloads), "--jobs", "2", "--no-trusted", "--no-progress")
    table = scores(course, A)
    assert set(table) == {"alice", "bob", "carol"}, proc.stdout
    for student in ("alice", "bob"):
        assert all(v[0] == v[1] for v in table[student].values()), (student, table[student], proc.stdout)
    assert all(v[0] == 0 for v in table["carol"].values())
    assert "no 01_shallow_nn.ipynb" in proc.stdout
    assert not (course / "autograded" / "alice" / A / "numpy.py").exists(), "extra files are never graded"


def test_autograde_with_dask_flag_starts_a_local_cluster(tmp_path):
    course = make_course(tmp_path / "course")
    released = release(course, A)
    submit(course, "correct", A, correct(released))
    submit(course, "raises", A, with_body(released, "compute_cost", 'raise ValueError("I give up")'))
    proc = cli(course, "autograde", A, "--dask", "--jobs", "2", "--no-trusted", "--no-progress")
    table = scores(course, A)
    assert all(v[0] == v[1] for v in table["correct"].values())
    assert table["raises"]["test_compute_cost"][0] == 0
    assert "2 submissions graded" in proc.stdout
