"""The sandbox and the wire format of trusted re-grading: isolation, limits, robustness."""
import json
import os
import struct
import textwrap

import nbformat
import numpy as np
import pytest

from grader.sandbox import isolate as sandbox
from grader.sandbox import trusted
from grader.sandbox import child, wire
from grader import reference
from grader.instructor.notebook import COURSE_ROOT, fill, read, reference_bodies, source_path

A = "01_shallow_nn"
BWRAP_OK, BWRAP_REASON = sandbox.bwrap_status()
BACKENDS = [pytest.param("bwrap", marks=pytest.mark.skipif(not BWRAP_OK, reason=f"bubblewrap not usable: {BWRAP_REASON}")),
            "subprocess"]


def _regrade(path, assignment, **options):
    """trusted.regrade with the points and test cells of this repository's source notebook."""
    return trusted.regrade(path, assignment, source=source_path(assignment), **options)


def run(code, backend, timeout=10, memory_mb=1024):
    """Run `code` in the sandbox; return (stdout text, Outcome)."""
    out = sandbox.run_python(code, b"", timeout=timeout, memory_mb=memory_mb, output_cap=1 << 20, backend=backend)
    return out.output.decode(errors="replace"), out


# ----------------------------------------------------------------------------- isolation
@pytest.mark.parametrize("backend", BACKENDS)
def test_environment_is_scrubbed(backend, monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_SOLUTIONS", str(COURSE_ROOT / "solutions"))
    text, outcome = run("import os, sys; print(sorted(os.environ)); print(sys.flags.isolated, os.getcwd())", backend)
    assert outcome.returncode == 0, outcome.stderr
    assert "BACKPROP_LAB_SOLUTIONS" not in text
    assert "1" in text.splitlines()[1] and str(COURSE_ROOT) not in text


@pytest.mark.skipif(not BWRAP_OK, reason=f"bubblewrap not usable: {BWRAP_REASON}")
def test_bwrap_hides_the_course_and_the_network():
    code = textwrap.dedent(f"""
        import os, socket
        print(os.path.exists({str(COURSE_ROOT / 'solutions')!r}), os.path.exists({str(COURSE_ROOT / 'notebooks')!r}))
        print(sorted(os.listdir(os.path.dirname({str(sandbox.GRADER_DIR)!r}))))
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=2)
            print("network")
        except OSError:
            print("no network")
        try:
            open("/usr/escape", "w")
        except OSError:
            print("read-only")
        print(os.getuid())
        """)
    text, outcome = run(code, "bwrap")
    lines = text.splitlines()
    assert outcome.returncode == 0, outcome.stderr
    assert lines[0] == "False False"
    assert lines[1] in ("['grader']", "['.venv', 'grader']"), "only the interpreter and grader/ are bound"
    assert lines[2] == "no network" and lines[3] == "read-only"


def test_bwrap_is_preferred_when_it_works(monkeypatch):
    monkeypatch.delenv(sandbox.ENV_BACKEND, raising=False)
    assert sandbox.choose_backend() == ("bwrap" if BWRAP_OK else "subprocess")
    monkeypatch.setenv(sandbox.ENV_BACKEND, "subprocess")
    assert sandbox.choose_backend() == "subprocess"
    monkeypatch.setenv(sandbox.ENV_BACKEND, "nonsense")
    with pytest.raises(ValueError):
        sandbox.choose_backend()


# ----------------------------------------------------------------------------- limits
@pytest.mark.parametrize("backend", BACKENDS)
def test_wall_clock_limit_kills_a_loop(backend):
    # The limit runs from the first complete record (here an empty one): start-up is not counted.
    code = "import os, sys, time\nos.write(1, bytes(8))\nwhile True: time.sleep(0.01)"
    _, outcome = run(code, backend, timeout=0.5)
    assert outcome.timed_out and outcome.seconds < 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_cpu_limit_kills_a_busy_loop(backend):
    _, outcome = run("while True: pass", backend, timeout=1)
    assert outcome.returncode is not None and outcome.returncode < 0 or outcome.timed_out


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_limit(backend):
    text, outcome = run("import numpy as np\ntry:\n    np.ones((20000, 20000))\nexcept MemoryError:\n    print('refused')",
                        backend, memory_mb=512)
    assert "refused" in text


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_cap(backend):
    _, outcome = run("import sys\nwhile True: sys.stdout.write('x' * 65536)", backend, timeout=20)
    assert outcome.overflow and len(outcome.output) <= 1 << 20


# ----------------------------------------------------------------------------- wire format
def test_pack_unpack_round_trip():
    value = {"A2": np.arange(6.0).reshape(2, 3), "m": np.bool_(True), "t": (1, 2.5, "relu", None),
             "l": [np.float64(0.5), np.int32(3)], "mask": np.array([[True, False]])}
    back, end = wire.unpack(wire.pack(value))
    assert set(back) == set(value) and back["t"] == value["t"] and type(back["l"][0]) is np.float64
    assert np.array_equal(back["A2"], value["A2"]) and back["mask"].dtype == bool


def test_foreign_objects_travel_as_type_names_only():
    class Sneaky:
        def __eq__(self, other):
            return True
    back, _ = wire.unpack(wire.pack({"x": Sneaky(), "o": np.array([Sneaky()], dtype=object)}))
    assert type(back["x"]).__name__ == "Sneaky" and not (back["x"] == 1)
    assert back["o"].dtype == object and back["o"][0] is None


def _forge(header, data=b""):
    raw = json.dumps(header).encode()
    return struct.pack(">Q", len(raw)) + raw + data


@pytest.mark.parametrize("header,data", [
    ({"v": {"__array__": 0}, "a": [["|O", [1], 8]]}, b"\0" * 8),             # object dtype (pickle)
    ({"v": {"__array__": 0}, "a": [["<f8", [10**6], 8 * 10**6]]}, b"\0" * 8),  # truncated
    ({"v": {"__array__": 0}, "a": [["<f8", [2], 8]]}, b"\0" * 8),             # size mismatch
    ({"v": {"__array__": 1}, "a": []}, b""),                                  # dangling reference
    ({"v": {"__reduce__": "os.system"}, "a": []}, b""),                       # unknown tag
    ({"v": {"__array__": 0}, "a": [["[('a', '<f8')]", [1], 8]]}, b"\0" * 8),  # structured dtype
])
def test_unpack_rejects_forged_records(header, data):
    with pytest.raises(wire.ProtocolError):
        wire.unpack(_forge(header, data))


def test_definitions_keep_only_what_defines_things():
    source = textwrap.dedent("""
        import numpy as np
        from math import pi
        EPS = 1e-12
        act = lambda z: np.tanh(z)
        X = np.random.randn(3)
        print("training")
        def f(x):
            return x
        class C:
            pass
        for i in range(3):
            pass
        """)
    kept, dropped = child.definitions(source)
    assert [type(n).__name__ for n in kept] == ["Import", "ImportFrom", "Assign", "Assign", "FunctionDef", "ClassDef"]
    assert dropped == 3


# ----------------------------------------------------------------------------- regrade robustness
def _notebook(tmp_path, bodies=None, edit=None):
    all_bodies = dict(reference_bodies(A))
    all_bodies.update(bodies or {})
    nb = fill(read(source_path(A)), all_bodies)
    if edit:
        edit(nb)
    path = tmp_path / f"{A}.ipynb"
    nbformat.write(nb, str(path))
    return path


def _full_except(results, grade_id):
    return all(r.score == r.max_score for k, r in results.items() if k != grade_id) and results[grade_id].score == 0


def test_infinite_loop_costs_one_exercise(tmp_path):
    results = _regrade(_notebook(tmp_path, {"compute_cost": "while True:\n    pass"}), A, cell_timeout=2)
    assert _full_except(results, "test_compute_cost")
    assert "timeout" in results["test_compute_cost"].flags
    assert "2 s" in results["test_compute_cost"].message


def test_memory_blow_up_costs_one_exercise(tmp_path):
    body = "big = [np.ones((4000, 4000)) for _ in range(1000)]\nreturn 0.5"
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A, memory_mb=1024)
    assert _full_except(results, "test_compute_cost")
    assert "MemoryError" in results["test_compute_cost"].message


def test_print_flood_is_bounded(tmp_path):
    body = "import os\nfor _ in range(2000):\n    print('x' * 10000)\n    os.write(1, b'y' * 10000)\n" + \
        reference_bodies(A)["compute_cost"]
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A)
    assert results["test_compute_cost"].score == 2


def test_deleted_answer_cell(tmp_path):
    def delete(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "update_parameters"]
    results = _regrade(_notebook(tmp_path, edit=delete), A)
    assert _full_except(results, "test_update_parameters")
    assert "missing function" in results["test_update_parameters"].flags


def test_renamed_answer_cell_still_found(tmp_path):
    def rename(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.metadata["nbgrader"]["grade_id"] = "my_cost"
    results = _regrade(_notebook(tmp_path, edit=rename), A)
    assert all(r.score == r.max_score for r in results.values())


def test_syntax_error_costs_only_that_cell(tmp_path):
    results = _regrade(_notebook(tmp_path, {"compute_cost": "return (("}), A)
    assert _full_except(results, "test_compute_cost")
    assert "not valid Python" in results["test_compute_cost"].message


def test_top_level_training_code_is_not_run(tmp_path):
    def slow(nb):
        nb.cells[-1].source = "import time\ntime.sleep(100)\n"
    results = _regrade(_notebook(tmp_path, edit=slow), A, cell_timeout=5)
    assert all(r.score == r.max_score for r in results.values())


@pytest.mark.parametrize("content", [b"not json", b'{"cells": 3}', b""])
def test_unreadable_notebook(tmp_path, content):
    path = tmp_path / f"{A}.ipynb"
    path.write_bytes(content)
    results = _regrade(path, A)
    assert set(results) == {"test_forward_propagation", "test_compute_cost", "test_backward_one_example",
                            "test_backward_propagation", "test_update_parameters"}
    assert all(r.score == 0 and "unreadable notebook" in r.flags for r in results.values())


def test_missing_notebook(tmp_path):
    results = _regrade(tmp_path / "nothing.ipynb", A)
    assert all(r.score == 0 for r in results.values())


def test_mutating_an_input_is_wrong(tmp_path):
    body = "for key in ('W1', 'b1', 'W2', 'b2'):\n    parameters[key] -= learning_rate * grads['d' + key]\nreturn parameters"
    results = _regrade(_notebook(tmp_path, {"update_parameters": body}), A)
    assert _full_except(results, "test_update_parameters")
    assert "modified its input parameters" in results["test_update_parameters"].message


def test_numpy_warning_does_not_cost_points(tmp_path):
    body = "with np.errstate(all='warn'):\n    np.log(np.array([0.0]))\n" + reference_bodies(A)["compute_cost"]
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}), A)
    assert results["test_compute_cost"].score == 2


def test_fresh_cases_can_be_fixed_or_disabled(tmp_path, monkeypatch):
    path = _notebook(tmp_path)
    monkeypatch.setenv(trusted.ENV_SEED, "7")
    assert all(r.score == r.max_score for r in _regrade(path, A).values())
    monkeypatch.setenv(trusted.ENV_FRESH, "0")
    assert all(r.score == r.max_score for r in _regrade(path, A).values())


def test_helpers_from_provided_cells_and_constants_are_available(tmp_path):
    body = "EPS_LOCAL = EPSILON\nm = Y.shape[1]\nreturn float(-np.sum(Y * np.log(A2 + 0 * EPS_LOCAL) + (1 - Y) * np.log(1 - A2)) / m)"
    def constant(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.source = "EPSILON = 1e-300\n\n" + cell.source
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}, edit=constant), A)
    assert results["test_compute_cost"].score == 2, results["test_compute_cost"].message
    # sigmoid() comes from a provided cell.
    assert results["test_forward_propagation"].score == 3


def test_source_of_points_is_the_course_notebook():
    cells = trusted.graded_cells(A, source=source_path(A))
    assert cells == [("test_forward_propagation", 3.0, ["forward_propagation"]),
                     ("test_compute_cost", 2.0, ["compute_cost"]),
                     ("test_backward_one_example", 3.0, ["backward_one_example"]),
                     ("test_backward_propagation", 5.0, ["backward_propagation"]),
                     ("test_update_parameters", 2.0, ["update_parameters"])]


def test_secrets_never_bound(monkeypatch):
    for root in sandbox.interpreter_roots():
        for secret in sandbox.secret_paths([COURSE_ROOT / "solutions", reference.solutions_dir()]):
            assert not (os.path.realpath(secret) + os.sep).startswith(os.path.realpath(root) + os.sep)


def test_named_public_functions_travel_by_name_only():
    from grader import gradcheck
    packed = wire.pack((np.tanh, gradcheck.numeric_gradient, np.sum))
    inside, _ = wire.unpack(packed, resolve=True)
    assert inside == (np.tanh, gradcheck.numeric_gradient, np.sum)
    outside, _ = wire.unpack(packed)  # the trusted side never imports on request
    assert all(isinstance(f, wire.Foreign) for f in outside)
    local = wire.unpack(wire.pack(lambda x: x))[0]
    assert isinstance(local, wire.Foreign), "closures (which could hold reference code) are not sent"


def test_broken_sandbox_raises_instead_of_scoring_zero(tmp_path):
    with pytest.raises(trusted.SandboxError, match="before running any student code"):
        _regrade(_notebook(tmp_path), A, memory_mb=40)


def test_name_error_explains_what_runs(tmp_path):
    def global_rng(nb):
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "compute_cost":
                cell.source = "SCALE = np.float64(1.0)\n\n" + cell.source
    body = reference_bodies(A)["compute_cost"].replace("return ", "return SCALE * ")
    results = _regrade(_notebook(tmp_path, {"compute_cost": body}, edit=global_rng), A)
    message = results["test_compute_cost"].message
    assert "NameError: name 'SCALE' is not defined" in message
    assert "only the definitions of your cells are run" in message
