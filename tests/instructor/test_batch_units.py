"""Fast tests of the batch grader's pieces (no kernels): CLI help, notebook repair, message
grouping, feedback HTML, export of unsubmitted assignments."""
import csv
import json
import subprocess
import sys

import nbformat
import pytest

from grader.instructor.autograde import chunked
from grader.instructor.course import Course
from grader.instructor.gradebook import final_scores
from grader.instructor.repair import repair_notebook
from grader.instructor.summary import summary_table
from grader.instructor.worker import Options, write_worker_course
from grader.instructor.report import common_mistakes, export_grades, feedback_html, message_cause
from grader.instructor.cli import COMMANDS
from grader.instructor.notebook import fill, read, reference_bodies, source_path
from tests.course import make_course

A = "01_shallow_nn"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_help(name):
    proc = subprocess.run([sys.executable, "-m", "grader", name, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "usage: python -m grader " + name in proc.stdout


def test_batch_commands_are_registered():
    assert {"release", "autograde", "feedback", "report", "export"} <= set(COMMANDS)


def _layout():
    """The cell layout the gradebook would hold, taken from the source notebook."""
    cells = []
    for cell in read(source_path(A)).cells:
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("grade_id"):
            cells.append({"grade_id": meta["grade_id"], "cell_type": cell.cell_type, "source": cell.source,
                          "locked": bool(meta.get("locked")), "checksum": None, "grade": bool(meta.get("grade")),
                          "points": float(meta.get("points", 0)), "solution": bool(meta.get("solution"))})
    return cells


def _ids(nb):
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _solved():
    return fill(read(source_path(A)), reference_bodies(A))


def test_repair_keeps_an_intact_notebook():
    nb = _solved()
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == []
    assert _ids(repaired) == _ids(nb)


def test_repair_renamed_and_deleted_cells():
    nb = _solved()
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    by_id["test_compute_cost"].metadata["nbgrader"]["grade_id"] = "my_own_test"
    del by_id["forward_propagation"].metadata["nbgrader"]
    nb.cells.remove(by_id["test_update_parameters"])
    nb.cells.remove(by_id["backward_propagation"])
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    text = "\n".join(reasons)
    assert "'my_own_test' is not a cell of the assignment" in text
    assert "answer cell 'forward_propagation' had lost its nbgrader id" in text
    assert "test cell 'test_update_parameters' was deleted" in text
    assert "answer cell 'backward_propagation' was deleted" in text
    ids = [i for i in _ids(repaired) if i]
    expected = [c["grade_id"] for c in _layout()]
    assert [i for i in ids if i in expected] == expected, "every cell of the release is back, in order"
    assert "my_own_test" not in ids
    fp = next(c for c in repaired.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward_propagation")
    assert "np.tanh" in fp.source or "tanh" in fp.source, "the student's own code is kept"
    bp = next(c for c in repaired.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "backward_propagation")
    assert "raise NotImplementedError()" in bp.source


def test_repair_makes_a_cell_with_malformed_nbgrader_metadata_ordinary():
    nb = _solved()
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "forward_propagation")
    answer.metadata["nbgrader"] = "forward_propagation"
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == ["answer cell 'forward_propagation' had lost its nbgrader id; found again by its def line"]
    assert _ids(repaired) == _ids(_solved())


@pytest.mark.parametrize("bad_id", [["test_compute_cost"], {"id": "test_compute_cost"}, 7])
def test_repair_makes_a_cell_whose_id_is_not_a_string_ordinary(bad_id):
    nb = _solved()
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_compute_cost")
    test.metadata["nbgrader"]["grade_id"] = bad_id
    repaired, reasons = repair_notebook(nbformat.writes(nb).encode(), _layout())
    assert reasons == [f"cell '{bad_id}' is not a cell of the assignment (renamed?); graded as an ordinary cell",
                       "test cell 'test_compute_cost' was deleted or renamed; the original test was put back and run"]
    assert [i for i in _ids(repaired) if i] == [c["grade_id"] for c in _layout()]


@pytest.mark.parametrize("data, words", [
    (b'{"cells": [', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b'["a list"]', "not a notebook"),
])
def test_repair_rejects_unreadable_files(data, words):
    with pytest.raises(ValueError, match=words):
        repair_notebook(data, _layout())


def test_chunks_cover_every_submission_once():
    items = list(range(11))
    chunks = chunked(items, 3)
    assert len(chunks) == 3 and sorted(sum(chunks, [])) == items
    assert chunked(items[:1], 4) == [[0]]
    assert chunked([], 2) == []


def test_message_cause_strips_numbers_and_labels():
    a = ("WrongAnswer: backward_propagation is wrong on the hidden case 'n_h=4, m=7'.\n"
         "  - dW1 is m times too large (m = 7): divide by m\n  inputs: X=array(3, 7)")
    b = ("WrongAnswer: backward_propagation is wrong on the hidden case 'n_h=1, m=1'.\n"
         "  - dW1 is m times too large (m = 1): divide by m\n  inputs: X=array(2, 1)")
    assert message_cause(a) == message_cause(b) == ["dW1 is m times too large (m = N): divide by m"]
    one = "WrongAnswer: compute_cost, hidden case 3: cost is 0.5 but should be 0.25\n  the case: m=7\n  inputs: A2=array(1, 7)"
    assert message_cause(one) == ["cost is N but should be N"]
    two = ("WrongAnswer: backward_propagation, known-value case 1: dW1 is m times too large (m = 5):\n"
           "  divide by m\n  - db1 is all zeros\n  the case: 'm=5'\n  inputs: X=array(3, 5)")
    assert message_cause(two) == ["dW1 is m times too large (m = N): divide by m", "db1 is all zeros"]
    assert message_cause("ValueError: shapes (3,4) and (5,6) not aligned") == ["ValueError: shapes (N,N) and (N,N) not aligned"]
    assert message_cause("") is None


def _record(student, messages, scores, reasons=(), trusted=None, status="graded"):
    grades = {A: {gid: {"auto_score": s, "max_score": m, "needs_manual_grade": False}
                  for gid, (s, m) in scores.items()}}
    return {"student": student, "assignment": A, "status": status, "reasons": list(reasons),
            "grades": grades, "messages": {A: messages}, "trusted": trusted}


def test_common_mistakes_groups_by_cause():
    recs = [_record(f"s{i}", {"test_backward_propagation": f"WrongAnswer: x '{i}'.\n  - dW1 is m times too large (m = {i})"},
                    {"test_backward_propagation": (0, 5)}) for i in range(3)]
    recs.append(_record("ok", {}, {"test_backward_propagation": (5, 5)}))
    top = common_mistakes(recs)
    assert top[0] == (f"{A}:backward_propagation", "dW1 is m times too large (m = N)", 3)


def test_trusted_score_wins_and_is_flagged():
    trusted = {"test_compute_cost": {"score": 0.0, "max_score": 2.0, "message": "compute_cost returned a fake",
                                     "flags": ["tampered"]},
               "test_forward_propagation": {"score": 3.0, "max_score": 3.0, "message": "", "flags": []}}
    rec = _record("x", {}, {"test_compute_cost": (2, 2), "test_forward_propagation": (3, 3)}, trusted=trusted)
    f = final_scores(rec)[A]
    assert f["test_compute_cost"]["score"] == 0 and f["test_compute_cost"]["overridden"]
    assert f["test_compute_cost"]["message"] == "compute_cost returned a fake"
    assert f["test_forward_propagation"]["score"] == 3 and not f["test_forward_propagation"]["overridden"]
    assert "trusted score differs" in summary_table([rec])


def test_feedback_shows_message_and_code_but_no_test_source():
    nb = fill(read(source_path(A)), {**reference_bodies(A), "compute_cost": 'raise ValueError("I give up")'})
    nb_json = json.loads(nbformat.writes(nb))
    rec = _record("s", {"test_compute_cost": "WrongAnswer: compute_cost raised ValueError: I give up"},
                  {"test_compute_cost": (0, 2), "test_forward_propagation": (3, 3)})
    page = feedback_html(rec, nb_json)
    assert "compute_cost raised ValueError: I give up" in page
    assert "raise ValueError(&quot;I give up&quot;)" in page
    for cell in read(source_path(A)).cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            for line in cell.source.splitlines():
                if len(line.strip()) > 10:
                    assert line.strip() not in page, f"test source leaked: {line!r}"
    assert "check_hidden" not in page and "HIDDEN" not in page


def test_export_leaves_unsubmitted_blank(tmp_path):
    course = Course.at(make_course(tmp_path / "course"), f"sqlite:///{tmp_path / 'gb.db'}")
    with course.gradebook() as gb:
        for name in ("01_shallow_nn", "02_deep_nn"):
            gb.add_assignment(name)
            gb.add_notebook(name, name)
            gb.add_grade_cell("test_f", name, name, max_score=4, cell_type="code")
            gb.add_solution_cell("f", name, name)
            gb.add_source_cell("test_f", name, name, cell_type="code", locked=True, source="", checksum="x")
        gb.add_student("ann")
        gb.add_student("bob")
        gb.add_submission("01_shallow_nn", "ann")
        gb.find_grade("test_f", "01_shallow_nn", "01_shallow_nn", "ann").auto_score = 3
        gb.db.commit()
    rows = list(csv.DictReader(export_grades(course, tmp_path / "g.csv").open()))
    assert [r["student_id"] for r in rows] == ["ann", "bob"]
    assert rows[0]["01_shallow_nn"] == "3.0" and rows[0]["02_deep_nn"] == "" and rows[1]["01_shallow_nn"] == ""
    assert rows[0]["total"] == "3.0" and rows[0]["max_total"] == "8.0"
    rows = list(csv.DictReader(export_grades(course, tmp_path / "z.csv", missing="zero").open()))
    assert rows[1]["01_shallow_nn"] == "0.0"


def test_worker_course_uses_ipc_kernels_limits_and_robust_execute(tmp_path):
    bundle = {"config": "c = get_config()\nc.Execute.timeout = 120\n", "gradebook": b"", "solutions": {"m.py": b"x = 1"},
              "layouts": {}}
    write_worker_course(tmp_path, bundle, Options(cell_timeout=7, memory_mb=123, max_output_bytes=999))
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert 'c.KernelManager.transport = "ipc"' in config
    assert f"c.KernelManager.ip = {str(tmp_path / 'ipc' / 'kernel')!r}" in config
    assert "c.Execute.timeout = 7" in config and "c.RobustExecute.max_output_bytes = 999" in config
    assert "RobustExecute as _RE" in config and "c.Autograde.autograde_preprocessors = [_RE," in config
    spec = json.loads((tmp_path / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][1].endswith("kernels/launch.py") and spec["argv"][2:4] == ["--memory-mb", "123"]
    assert (tmp_path / "solutions" / "m.py").read_bytes() == b"x = 1"


def test_kernel_launcher_sets_the_memory_limit(tmp_path):
    """The launcher's limit is inherited by the kernel: checked here by launching a tiny script
    through the same rlimit code path instead of a kernel."""
    import resource
    code = ("import sys, resource; sys.argv = ['x', '--memory-mb', '321']\n"
            "import runpy\n"
            "import ipykernel.kernelapp as k\n"
            "k.launch_new_instance = lambda: print(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
            "from grader.instructor.kernels import launch as kernel_launch\n"
            "kernel_launch.main(sys.argv[1:])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) == 321 * 1024 * 1024
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 321 * 1024 * 1024
