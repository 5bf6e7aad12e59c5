"""The checks that notebooks run: messages, mutation, warnings, errors, isolation of exercises."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.notebook import function_body
from solutions import shallow_nn as ref

A = "01_shallow_nn"


@pytest.mark.parametrize("name", ["forward_propagation", "compute_cost", "backward_propagation",
                                  "update_parameters"])
def test_reference_passes_visible_and_hidden(name, capsys):
    check_visible(A, name, getattr(ref, name))
    check_hidden(A, name, getattr(ref, name))
    out = capsys.readouterr()
    assert "known-value checks passed" in out.out and "hidden cases passed" in out.out
    assert out.err == ""


def test_missing_average_is_named():
    def backward(parameters, cache, X, Y):
        grads = ref.backward_propagation(parameters, cache, X, Y)
        return {k: v * X.shape[1] for k, v in grads.items()}
    with pytest.raises(WrongAnswer, match=r'grads\["dW2"\] is m times too large'):
        check_hidden(A, "backward_propagation", backward)


def test_wrong_tanh_derivative_points_at_first_difference():
    def backward(parameters, cache, X, Y):
        m = X.shape[1]
        dZ2 = cache["A2"] - Y
        dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"])
        return {"dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m,
                "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m}
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "backward_propagation", backward)
    message = str(err.value)
    assert 'grads["dW1"]' in message and "first difference" in message
    assert 'grads["dW2"]' not in message


def test_mutating_inputs_is_wrong():
    def update(parameters, grads, learning_rate):
        for k in ("W1", "b1", "W2", "b2"):
            parameters[k] -= learning_rate * grads["d" + k]
        return parameters
    with pytest.raises(WrongAnswer, match=r'modified its input parameters\["W1"\] in place'):
        check_hidden(A, "update_parameters", update)


def test_numpy_warning_does_not_fail_a_correct_answer(capsys):
    def cost(A2, Y):
        with np.errstate(all="warn"):
            np.log(np.zeros(1))  # a RuntimeWarning that a correct answer may well trigger
        return ref.compute_cost(A2, Y)
    check_hidden(A, "compute_cost", cost)
    assert capsys.readouterr().err == ""


def test_errors_and_not_implemented_are_explained():
    def stub(A2, Y):
        raise NotImplementedError()
    with pytest.raises(WrongAnswer, match="not implemented yet"):
        check_visible(A, "compute_cost", stub)

    def broken(A2, Y):
        return A2 @ Y
    with pytest.raises(WrongAnswer, match=r"raised ValueError: .*`return A2 @ Y`"):
        check_visible(A, "compute_cost", broken)

    def exits(A2, Y):
        raise SystemExit(3)
    with pytest.raises(WrongAnswer, match=r"called sys.exit\(3\)"):
        check_visible(A, "compute_cost", exits)


def test_output_flood_is_bounded():
    def noisy(A2, Y):
        print("x" * 10_000_000)
        return 0.0
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "compute_cost", noisy)
    assert len(str(err.value)) < 5000


def test_function_body_excludes_docstring():
    body = function_body(open(ref.__file__).read(), "compute_cost")
    assert '"""' not in body and body.startswith("m = Y.shape[1]")
