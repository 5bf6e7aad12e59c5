"""nbgrader's Execute preprocessor, made robust for batch grading.

Used by `python -m grader autograde` (configured in each worker's temporary course as
`Autograde.autograde_preprocessors`). Differences from nbgrader's Execute:

- A cell that kills the kernel (os._exit, exit(), a segfault, the memory limit) or that is still
  running after the per-cell time limit no longer loses the whole submission (stock nbgrader
  deletes the student's autograded folder). The notebook is run again from the start in a fresh
  kernel with that cell replaced by an error output, so the cells before and after it still run
  and only the exercises that depend on it lose points.
- The output a cell may store is capped (`max_output_bytes`): a cell that floods stdout cannot
  exhaust the grader's memory. Error outputs are always kept (they decide the grade).
- Every such event is appended as a JSON line to $GRADER_BATCH_EVENTS, so the batch report can
  say what happened to which student.
"""
import copy
import json
import os

from jupyter_client.manager import KernelManager
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Integer

from nbgrader.preprocessors import Execute

from grader.cells import cell_source, grade_id

EVENTS_ENV = "GRADER_BATCH_EVENTS"


class CellStuck(RuntimeError):
    """A cell ran past the time limit."""


class RobustExecute(Execute):
    max_output_bytes = Integer(200_000, help="Output kept per cell; the rest is dropped.").tag(config=True)
    max_restarts = Integer(4, help="Cells that may be skipped (and the notebook rerun) per notebook.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict | None = None,
                   km: KernelManager | None = None) -> tuple[NotebookNode, dict]:
        original = copy.deepcopy(nb)
        self._skipped = {}
        self._stop_at = None
        while True:
            self._current = None
            self._out_bytes = {}
            self._truncated = set()
            try:
                result = super().preprocess(copy.deepcopy(original), resources, km)
                break
            except (DeadKernelError, CellStuck) as err:
                index = self._current
                why = "timeout" if isinstance(err, CellStuck) else "kernel died"
                if index is None or self._stop_at is not None:
                    raise
                cell = original.cells[index]
                if index in self._skipped or len(self._skipped) >= self.max_restarts:
                    # graded as far as possible: this cell and every later one are not run
                    self._event(resources, "gave up", index, cell, why)
                    self._stop_at = index
                    self._skipped[index] = why
                else:
                    self._event(resources, "skipped", index, cell, why)
                    self._skipped[index] = why
        for index in sorted(self._truncated):
            self._event(resources, "output truncated", index, result[0].cells[index], "output flood")
        return result

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        self._current = index
        if index in self._skipped or (self._stop_at is not None and index >= self._stop_at):
            if cell.cell_type == "code":
                cell.outputs = [new_output("error", ename="CellNotRun", evalue=self._skip_message(index),
                                           traceback=[f"CellNotRun: {self._skip_message(index)}"])]
                cell.execution_count = None
            return cell, self.resources
        return super().preprocess_cell(cell, resources, index)

    def _skip_message(self, index):
        if index not in self._skipped or (self._stop_at is not None and index > self._stop_at):
            return "not run: grading of this notebook stopped after repeated time-outs or kernel crashes"
        if self._skipped[index] == "timeout":
            return (f"this cell was stopped after the time limit of {self.timeout} s "
                    "(an endless loop?) and was not run again")
        return ("the grading kernel died while this cell ran (os._exit, exit(), a crash or the memory limit); "
                "it was not run again")

    async def _async_handle_timeout(self, timeout, cell=None):
        raise CellStuck(f"cell ran longer than {timeout} s")

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        if msg["msg_type"] != "error":
            size = len(json.dumps(msg.get("content", {}), default=str))
            used = self._out_bytes.get(cell_index, 0) + size
            self._out_bytes[cell_index] = used
            if used > self.max_output_bytes:
                if cell_index not in self._truncated:
                    self._truncated.add(cell_index)
                    outs.append(new_output("stream", name="stdout", text=(
                        f"\n[grader: output truncated after {self.max_output_bytes} bytes]\n")))
                return None
        return super().output(outs, msg, display_id, cell_index)

    def _event(self, resources, what, index, cell, why):
        path = os.environ.get(EVENTS_ENV)
        if not path:
            return
        nbgrader = (resources or {}).get("nbgrader", {})
        # the student's notebook: its metadata may be anything, and an event must still be written
        first_line = (cell_source(cell).strip().splitlines() or [""])[0][:120]
        record = {"student": nbgrader.get("student"), "assignment": nbgrader.get("assignment"),
                  "notebook": nbgrader.get("notebook"), "event": what, "cell_index": index,
                  "grade_id": grade_id(cell), "first_line": first_line, "why": why}
        with open(path, "a") as f:
            f.write(json.dumps(record) + "\n")
