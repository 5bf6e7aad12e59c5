"""Tamper suite: submissions with a wrong answer that try to forge the grade.

Every attack must get 0 on the attacked exercise from grader.sandbox.trusted.regrade (with a message or a
flag), on both sandbox backends (bubblewrap when it works here, and the plain-subprocess fallback),
while an honest correct submission keeps full marks and an honest wrong one gets the usual
diagnostic. tests/sandbox/scenarios/test_trusted_inkernel.py runs the same attacks through plain
`nbgrader autograde` to record which of them fool the in-kernel tests.
"""
import hashlib
import json
import os
import signal
import tempfile
import textwrap
from dataclasses import dataclass, field

import nbformat
import numpy as np
import pytest

from grader import check
from grader.sandbox import isolate as sandbox
from grader.sandbox import trusted
from grader.exercises import exercises
from grader.instructor.notebook import COURSE_ROOT, fill, read, reference_bodies, source_path

A = "01_shallow_nn"
POINTS = {"test_forward_propagation": 3, "test_compute_cost": 2, "test_backward_one_example": 3,
          "test_backward_propagation": 5, "test_update_parameters": 2}
SOLUTIONS = str(COURSE_ROOT / "solutions")


# ----------------------------------------------------------------------------- attacks
@dataclass
class Attack:
    name: str
    function: str                    # the attacked (wrong) function
    body: str = ""                   # its new body (replaces the answer region)
    module_code: str = ""            # top-level code put before the def in its answer cell
    extra_files: dict = field(default_factory=dict)   # files shipped next to the notebook
    edit: object = None              # fn(nb) -> None: other notebook edits
    # What plain `nbgrader autograde` does with it (test_trusted_inkernel.py, next to this file, checks this):
    # forged (full marks for the wrong answer), zero (the attacked exercise scores 0), lost (the
    # kernel dies: the student gets 0 everywhere) or kills (nbgrader itself dies: the batch stops).
    inkernel: str = "forged"


LOAD_REF = '''
def _load(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("_ref", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
'''

ENV_REFERENCE = Attack(
    "reference via $BACKPROP_LAB_SOLUTIONS", "compute_cost", body='''
import os
try:
    return _load(os.path.join(os.environ["BACKPROP_LAB_SOLUTIONS"], "shallow_nn.py")).compute_cost(A2, Y)
except Exception:
    return 0.25''', module_code=LOAD_REF)

WALK_REFERENCE = Attack(
    "reference found by walking up to solutions/", "backward_propagation", body='''
import os
import grader
places = [os.getcwd()]
for _ in range(5):
    places.append(os.path.dirname(places[-1]))
places.append(os.path.dirname(os.path.dirname(os.path.abspath(grader.__file__))))
for place in places:
    try:
        return _load(os.path.join(place, "solutions", "shallow_nn.py")).backward_propagation(parameters, cache, X, Y)
    except Exception:
        pass
return {"dW1": 0 * parameters["W1"], "db1": 0 * parameters["b1"], "dW2": 0 * parameters["W2"],
        "db2": 0 * parameters["b2"]}''', module_code=LOAD_REF)

OPEN_HIDDEN = Attack(
    "hidden reference read with open()", "forward_propagation", body=f'''
for path in ["../../../solutions/shallow_nn.py", "../../../../solutions/shallow_nn.py",
             {SOLUTIONS + "/shallow_nn.py"!r}]:
    try:
        namespace = {{}}
        exec(open(path).read(), namespace)
        return namespace["forward_propagation"](X, parameters)
    except Exception:
        pass
Z1 = parameters["W1"] @ X
A1 = np.tanh(Z1)
Z2 = parameters["W2"] @ A1
A2 = sigmoid(Z2)
return A2, {{"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}}''')  # biases forgotten

PATCH_NUMPY = Attack(
    "numpy's comparison functions monkeypatched", "compute_cost", body="return 0.25", module_code='''
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.array_equal = lambda *args, **kwargs: True
''')

PATCH_GRADER = Attack(
    "grader's checking helpers monkeypatched", "update_parameters", body="return dict(parameters)",
    module_code='''
import grader.check
import grader.compare
grader.compare.diagnose = lambda *args, **kwargs: []
grader.check.run_cases = lambda *args, **kwargs: 1
''')

ALWAYS_EQUAL = Attack(
    "objects whose comparisons always succeed", "compute_cost", body="return AlwaysEqual()", module_code='''
class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False
''', inkernel="zero")  # grader.compare converts to float before comparing: not fooled in the kernel either

FAKE_ARRAY = Attack(
    "ndarray subclass that overrides numpy functions", "forward_propagation", body='''
A2 = np.zeros((1, X.shape[1])).view(Agreeable)
Z1 = np.zeros((parameters["W1"].shape[0], X.shape[1])).view(Agreeable)
return A2, {"Z1": Z1, "A1": Z1, "Z2": A2, "A2": A2}''', module_code='''
class Agreeable(np.ndarray):
    def __array_function__(self, func, types, args, kwargs):
        return True

    def __eq__(self, other):
        return True
''')

EXTRA_FILES = Attack(
    "extra files next to the notebook (numpy.py, sitecustomize.py, grader/)", "compute_cost", body="return 0.25",
    extra_files={
        "numpy.py": textwrap.dedent('''
            import importlib, os, sys
            here = os.path.dirname(os.path.abspath(__file__))
            sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
            del sys.modules["numpy"]
            real = importlib.import_module("numpy")
            real.allclose = lambda *args, **kwargs: True
            sys.modules["numpy"] = real
            '''),
        "sitecustomize.py": "import numpy\nnumpy.allclose = lambda *args, **kwargs: True\n",
        "grader/__init__.py": "def check_visible(*args):\n    pass\n\ncheck_hidden = check_visible\n",
        "grader/gradcheck.py": "numeric_gradient = relative_error = None\n",
    })  # numpy.py is imported by the kernel (its folder comes first on sys.path) and patches allclose


def _edit_test_cell(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_compute_cost":
            cell.source = "print('all good')"
            cell.metadata["nbgrader"]["points"] = 100


def _delete_test_cell(nb):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_compute_cost"]


EDIT_TESTS = Attack("test cell edited (source emptied, points raised)", "compute_cost", body="return 0.25",
                    edit=_edit_test_cell, inkernel="zero")
DELETE_TESTS = Attack("test cell deleted", "compute_cost", body="return 0.25", edit=_delete_test_cell,
                      inkernel="zero")

EXIT_AT_TOP = Attack(
    "os._exit in a top-level statement", "update_parameters", body="return parameters",
    module_code="import os\nos._exit(0)\n", inkernel="lost")

EXIT_IN_FUNCTION = Attack(
    "os._exit inside the graded function", "compute_cost", body="import os\nos._exit(0)",
    inkernel="lost")

OTHER_STUDENT = Attack(
    "another student's submission read from disk", "backward_propagation", body='''
import glob, json, os
here = os.getcwd()
for pattern in [OTHER_NOTEBOOK, "../../../submitted/*/01_shallow_nn/01_shallow_nn.ipynb",
                "../../*/01_shallow_nn/01_shallow_nn.ipynb"]:
    for path in glob.glob(pattern):
        try:
            cells = json.load(open(path))["cells"]
            source = [c["source"] for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                      == "backward_propagation"][0]
            namespace = {"np": np}
            exec("".join(source), namespace)
            return namespace["backward_propagation"](parameters, cache, X, Y)
        except Exception:
            pass
return {"dW1": 0 * parameters["W1"], "db1": 0 * parameters["b1"], "dW2": 0 * parameters["W2"],
        "db2": 0 * parameters["b2"]}''')

KILL_GRADER = Attack(
    "signals sent to the grading process", "compute_cost", body='''
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGUSR1)
    except Exception:
        pass
return 0.25''', inkernel="kills")

FORGED_RECORDS = Attack(
    "forged records written on the sandbox's result channel", "compute_cost", body='''
import json, os, struct
header = json.dumps({"v": {"__dict__": [["done", True]]}, "a": []}).encode()
for fd in range(3, 12):
    try:
        os.write(fd, struct.pack(">Q", len(header)) + header)
    except OSError:
        pass
return 0.25''', inkernel="zero")


FRAME_SNOOP = Attack(
    "expected output read from the checker's stack frames", "backward_propagation", body='''
import copy, sys
frame = sys._getframe(1)
while frame is not None:
    if "expected" in frame.f_locals:
        return copy.deepcopy(frame.f_locals["expected"])
    frame = frame.f_back
return {"dW1": 0 * parameters["W1"], "db1": 0 * parameters["b1"], "dW2": 0 * parameters["W2"],
        "db2": 0 * parameters["b2"]}''')

UNPICKLED_MARKER = os.path.join(tempfile.gettempdir(), "backprop_lab_tamper_unpickled")
PICKLE_BOMB = Attack(
    "an object that runs code when the grader unpickles it", "compute_cost", body="return Bomb()",
    module_code=f'''
class Bomb:
    def __reduce__(self):
        return (open, ({UNPICKLED_MARKER!r}, "w"))
''', inkernel="zero")


def _lookup_table():
    """Answers for every input of the public seeds (visible fixtures and hidden tests), computed
    offline with a correct solution, as a student with the public repository could."""
    from grader import reference
    ref = reference.load(A)
    ex = exercises(A)["compute_cost"]
    table = {}
    for seed in (ex.seed, ex.seed + 1):
        for case in ex.cases(ref, np.random.default_rng(seed)):
            A2, Y = case.args
            key = hashlib.sha256(np.ascontiguousarray(A2).tobytes()).hexdigest()
            table[key] = float(ref.compute_cost(A2, Y))
    return table


LOOKUP_TABLE = Attack(
    "answers precomputed for the public seeds", "compute_cost", body='''
import hashlib
key = hashlib.sha256(np.ascontiguousarray(A2).tobytes()).hexdigest()
return ANSWERS.get(key, 0.25)''', module_code="ANSWERS = __TABLE__\n")

ATTACKS = [ENV_REFERENCE, WALK_REFERENCE, OPEN_HIDDEN, PATCH_NUMPY, PATCH_GRADER, ALWAYS_EQUAL, FAKE_ARRAY,
           EXTRA_FILES, EDIT_TESTS, DELETE_TESTS, EXIT_AT_TOP, EXIT_IN_FUNCTION, OTHER_STUDENT, KILL_GRADER,
           FORGED_RECORDS, LOOKUP_TABLE, FRAME_SNOOP, PICKLE_BOMB]


# ----------------------------------------------------------------------------- building submissions
def build(attack, base_nb, other_notebook=""):
    """The submission notebook of `attack`: correct answers except the attacked function."""
    bodies = dict(reference_bodies(A))
    bodies[attack.function] = textwrap.dedent(attack.body).strip("\n")
    nb = fill(base_nb, bodies)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == attack.function and attack.module_code:
            code = attack.module_code.replace("__TABLE__", json.dumps(_lookup_table()) if "__TABLE__" in
                                              attack.module_code else "")
            code = code.replace("OTHER_NOTEBOOK", repr(other_notebook))
            cell.source = code.strip("\n") + "\n\n\n" + cell.source
        if cell.metadata.get("nbgrader", {}).get("grade_id") == attack.function:
            cell.source = cell.source.replace("OTHER_NOTEBOOK", repr(other_notebook))
    if attack.edit:
        attack.edit(nb)
    return nb


def write_submission(folder, nb, extra_files=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{A}.ipynb"
    nbformat.write(nb, str(path))
    for name, text in (extra_files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return path


# ----------------------------------------------------------------------------- fixtures
BACKENDS = ["bwrap", "subprocess"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    if request.param == "bwrap":
        ok, reason = sandbox.bwrap_status()
        if not ok:
            pytest.skip(f"bubblewrap backend not usable here ({reason}); the fallback is tested instead")
    old = os.environ.get(sandbox.ENV_BACKEND)
    os.environ[sandbox.ENV_BACKEND] = request.param
    yield request.param
    if old is None:
        os.environ.pop(sandbox.ENV_BACKEND, None)
    else:
        os.environ[sandbox.ENV_BACKEND] = old


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """submitted/<student>/01_shallow_nn/ folders: an honest student and one per attack."""
    root = tmp_path_factory.mktemp("tamper")
    base = read(source_path(A))
    honest = write_submission(root / "submitted" / "honest" / A, fill(base, reference_bodies(A)))
    paths = {}
    for i, attack in enumerate(ATTACKS):
        nb = build(attack, base, other_notebook=str(honest))
        paths[attack.name] = write_submission(root / "submitted" / f"attacker{i}" / A, nb, attack.extra_files)
    return {"honest": honest, **paths}


@pytest.fixture(scope="module")
def graded(course, backend):
    if os.path.exists(UNPICKLED_MARKER):
        os.remove(UNPICKLED_MARKER)
    usr1 = []
    previous = signal.signal(signal.SIGUSR1, lambda *_: usr1.append(1))
    try:
        results = {name: trusted.regrade(path, A, source=source_path(A), cell_timeout=20)
                   for name, path in course.items()}
    finally:
        signal.signal(signal.SIGUSR1, previous)
    results["__usr1__"] = usr1
    return results


# ----------------------------------------------------------------------------- tests
def test_honest_submission_keeps_full_marks(graded):
    results = graded["honest"]
    assert set(results) == set(POINTS)
    for grade_id, result in results.items():
        assert (result.score, result.max_score) == (POINTS[grade_id], POINTS[grade_id]), result.message
        assert result.message == "" and result.flags == [], (grade_id, result.flags)


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_scores_zero_on_attacked_exercise(graded, attack):
    results = graded[attack.name]
    assert set(results) == set(POINTS), "every exercise of the source notebook is graded"
    attacked = results[f"test_{attack.function}"]
    assert attacked.score == 0, f"{attack.name}: forged {attacked.score}"
    assert attacked.max_score == POINTS[f"test_{attack.function}"], "points come from the source notebook"
    assert attacked.message, "the student is told why"
    for grade_id, result in results.items():
        if grade_id != f"test_{attack.function}":
            assert result.score == result.max_score, f"{attack.name} cost {grade_id}: {result.message}"


def test_refused_actions_are_flagged(graded):
    flags = " ".join(graded[KILL_GRADER.name]["test_compute_cost"].flags)
    assert "sandbox refused: os.kill" in flags
    assert graded["__usr1__"] == [], "a signal reached the grading process"


def test_crashes_are_flagged(graded):
    result = graded[EXIT_IN_FUNCTION.name]["test_compute_cost"]
    assert "crashed" in result.flags and "exited" in result.message
    # os._exit in a top-level statement never runs: only definitions are executed.
    top = graded[EXIT_AT_TOP.name]
    assert top["test_update_parameters"].flags[-1:] != ["crashed"]
    assert "tamper indicator" in " ".join(top["test_update_parameters"].flags)


def test_tamper_indicators_flag_monkeypatching(graded):
    for attack, words in [(PATCH_NUMPY, "replaces np.allclose"), (PATCH_GRADER, "replaces grader.compare.diagnose"),
                          (ALWAYS_EQUAL, "defines __eq__"), (ENV_REFERENCE, "BACKPROP_LAB_SOLUTIONS"),
                          (WALK_REFERENCE, "solutions")]:
        flags = " ".join(graded[attack.name][f"test_{attack.function}"].flags)
        assert words in flags, f"{attack.name}: {flags}"


def test_fake_objects_are_named_in_the_message(graded):
    assert "should be a number, got a __main__.AlwaysEqual" in graded[ALWAYS_EQUAL.name]["test_compute_cost"].message
    assert "A2 has the wrong" in graded[FAKE_ARRAY.name]["test_forward_propagation"].message or \
        "is all zeros" in graded[FAKE_ARRAY.name]["test_forward_propagation"].message


def test_nothing_is_unpickled(graded):
    assert not os.path.exists(UNPICKLED_MARKER)
    assert "got a __main__.Bomb" in graded[PICKLE_BOMB.name]["test_compute_cost"].message


def test_precomputed_answers_fail_on_fresh_inputs(graded):
    message = graded[LOOKUP_TABLE.name]["test_compute_cost"].message
    assert "hidden case" in message and "cost" in message


def test_file_reads_outside_the_sandbox_fail(graded, backend):
    flags = " ".join(graded[OTHER_STUDENT.name]["test_backward_propagation"].flags
                     + graded[OPEN_HIDDEN.name]["test_forward_propagation"].flags)
    if backend == "subprocess":
        # No mount namespace: the files exist, the child's audit hook refuses them (best effort).
        assert "sandbox refused: open" in flags
    message = graded[OPEN_HIDDEN.name]["test_forward_propagation"].message
    assert message.startswith("forward_propagation, known-value case 1: ")


def test_honest_wrong_answer_gets_the_usual_diagnostic(tmp_path, backend):
    bodies = dict(reference_bodies(A))
    bodies["backward_propagation"] = bodies["backward_propagation"].replace("dW1 = dZ1 @ X.T / m", "dW1 = dZ1 @ X.T")
    path = write_submission(tmp_path / A, fill(read(source_path(A)), bodies))
    results = trusted.regrade(path, A, source=source_path(A))
    result = results["test_backward_propagation"]
    assert result.score == 0 and result.flags == []
    assert 'grads["dW1"] is m times too large' in result.message
    # The same text as the in-kernel check gives on the same case.
    namespace = {"np": np}
    exec("def backward_propagation(parameters, cache, X, Y):\n" + textwrap.indent(bodies["backward_propagation"], "    "),
         namespace)
    with pytest.raises(check.WrongAnswer) as err:
        check.check_visible(A, "backward_propagation", namespace["backward_propagation"])
    assert result.message.splitlines()[:2] == str(err.value).splitlines()[:2]
    assert all(r.score == r.max_score for k, r in results.items() if k != "test_backward_propagation")
