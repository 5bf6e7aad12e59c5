"""The visible known values try every branch of every graded function's options (each activation, each pooling
mode, ...), in a case where the branch matters: Validate never says "Success" for an answer that a hidden test
fails on a branch the visible checks never tried."""
import copy

import numpy as np
import pytest

from grader import compare, fixtures, reference
from grader.exercises import ASSIGNMENTS, exercises


def option_positions(args):
    return [i for i, a in enumerate(args) if isinstance(a, (str, bool))]


def output(ref, name, args):
    return getattr(ref, name)(*copy.deepcopy(args))


def matters(ref, name, args, position, values):
    """True when giving the option another of its values changes the reference's output on these inputs."""
    base = output(ref, name, args)
    for other in values - {args[position]}:
        changed = list(args)
        changed[position] = other
        try:
            if compare.diagnose(output(ref, name, tuple(changed)), base, "out"):
                return True
        except Exception:  # noqa: BLE001 - a value that does not apply to these inputs
            continue
    return False


CASES = [(a, n) for a in ASSIGNMENTS for n in exercises(a)]


@pytest.mark.parametrize("assignment,name", CASES, ids=[f"{a}-{n}" for a, n in CASES])
def test_every_option_value_is_tried_by_a_visible_case_where_it_matters(assignment, name):
    ref, ex = reference.load(assignment), exercises(assignment)[name]
    hidden = list(ex.cases(ref, np.random.default_rng(ex.seed)))
    positions = {i for case in hidden for i in option_positions(case.args)}
    visible = [fixtures.decode(row["args"]) for row in fixtures.load(assignment)[name]]
    for position in positions:
        values = {case.args[position] for case in hidden}
        for value in values:
            tried = [args for args in visible if args[position] == value and matters(ref, name, args, position, values)]
            assert tried, (f"{name}: no visible case tries {ex.arg_names[position]} = {value!r} where it changes "
                           f"the result; make one of the first {ex.n_known} cases use it")


def test_the_coverage_test_sees_an_option_that_does_not_matter():
    # A one-layer network has no hidden layer: its hidden activation changes nothing.
    ref, ex = reference.load("02_deep_nn"), exercises("02_deep_nn")["gradient_norms"]
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((2, 4)), (rng.random((1, 4)) > 0.5).astype(float)
    single = {"W1": rng.standard_normal((1, 2)), "b1": np.zeros((1, 1))}
    assert not matters(ref, "gradient_norms", (X, Y, single, "sigmoid"), 3, {"relu", "sigmoid"})
    deep = {"W1": rng.standard_normal((3, 2)), "b1": np.zeros((3, 1)), "W2": rng.standard_normal((1, 3)),
            "b2": np.zeros((1, 1))}
    assert matters(ref, "gradient_norms", (X, Y, deep, "sigmoid"), 3, {"relu", "sigmoid"})
    assert ex.arg_names[3] == "hidden_activation"


def test_gradient_norms_through_L_model_backward_fails_the_visible_checks_with_its_cause():
    from grader import WrongAnswer, check_visible
    ref = reference.load("02_deep_nn")

    def gradient_norms(X, Y, parameters, hidden_activation):  # L_model_backward assumes ReLU hidden layers
        L = len(parameters) // 2
        A, caches = X, []
        for l in range(1, L + 1):
            A, cache = ref.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                     hidden_activation if l < L else "sigmoid")
            caches.append(cache)
        grads = ref.L_model_backward(A, Y, caches)
        return [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, L + 1)]
    with pytest.raises(WrongAnswer) as err:
        check_visible("02_deep_nn", "gradient_norms", gradient_norms)
    assert "backpropagating with L_model_backward" in str(err.value).splitlines()[0]
