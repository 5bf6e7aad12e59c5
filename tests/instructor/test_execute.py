"""grader.instructor.execute.RobustExecute, on a small notebook in a real kernel: a cell that kills the kernel or
runs past the time limit costs only that cell (the notebook is rerun without it), a flood of output is capped,
and each event is logged for the batch's report."""
import json

import nbformat
import pytest

from grader.instructor.execute import EVENTS_ENV, RobustExecute
from tests.batch_subs import A


@pytest.fixture
def run(tmp_path, monkeypatch):
    events = tmp_path / "events.jsonl"
    monkeypatch.setenv(EVENTS_ENV, str(events))

    def run(sources, **config):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        resources = {"metadata": {"path": str(tmp_path)}, "nbgrader": {"student": "ann", "assignment": A,
                                                                      "notebook": A}}
        done, _ = RobustExecute(**{"timeout": 20, **config}).preprocess(nb, resources)
        logged = [json.loads(line) for line in events.read_text().splitlines()] if events.is_file() else []
        return done.cells, logged
    return run


def test_a_cell_that_kills_the_kernel_costs_only_itself(run):
    cells, events = run(["x = 1", "import os\nos._exit(1)", "print(x + 1)"])
    assert [o["ename"] for o in cells[1].outputs] == ["CellNotRun"]
    assert "the grading kernel died while this cell ran" in cells[1].outputs[0]["evalue"]
    assert cells[2].outputs[0]["text"] == "2\n", "the cells after it ran in the rerun"
    assert [(e["event"], e["why"], e["cell_index"], e["first_line"], e["student"]) for e in events] == [
        ("skipped", "kernel died", 1, "import os", "ann")]


def test_a_flood_of_output_is_capped(run):
    cells, events = run(["for _ in range(200):\n    print('x' * 1000)", "1 / 0"], max_output_bytes=5000)
    text = "".join(o.get("text", "") for o in cells[0].outputs)
    assert len(text) < 20_000 and text.endswith("[grader: output truncated after 5000 bytes]\n")
    assert cells[1].outputs[-1]["ename"] == "ZeroDivisionError", "errors are always kept"
    assert [(e["event"], e["cell_index"]) for e in events] == [("output truncated", 0)]


def test_a_cell_past_the_time_limit_is_stopped_and_the_rest_still_runs(run):
    cells, events = run(["x = 1", "while True:\n    pass", "print(x + 1)"], timeout=2)
    assert cells[1].outputs[0]["ename"] == "CellNotRun"
    assert "stopped after the time limit of 2 s" in cells[1].outputs[0]["evalue"]
    assert cells[2].outputs[0]["text"] == "2\n"
    assert [(e["event"], e["why"], e["cell_index"]) for e in events] == [("skipped", "timeout", 1)]
