"""The checks that notebooks run: messages, mutation, warnings, errors, isolation of exercises."""
import sys

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


# ----------------------------------------------------------------------------- a wrong helper costs only itself
from solutions import deep_nn as deep_ref  # noqa: E402

D = "02_deep_nn"


def _wrong_linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)  # no 1/m


def _composite():
    """A correct linear_activation_backward whose module has a wrong linear_backward."""
    scope = {"np": np, "linear_backward": _wrong_linear_backward,
             "relu_backward": deep_ref.relu_backward, "sigmoid_backward": deep_ref.sigmoid_backward}
    exec("def linear_activation_backward(dA, cache, activation):\n"  # noqa: S102
         "    linear_cache, Z = cache\n"
         "    dZ = relu_backward(dA, Z) if activation == 'relu' else sigmoid_backward(dA, Z)\n"
         "    return linear_backward(dZ, linear_cache)\n", scope)
    return scope


def test_hidden_check_grades_a_function_with_the_reference_helpers(capsys):
    scope = _composite()
    check_hidden(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "hidden cases passed" in capsys.readouterr().out
    assert scope["linear_backward"] is _wrong_linear_backward, "the student's helper was not put back"
    with pytest.raises(WrongAnswer, match="m times too large"):
        check_hidden(D, "linear_backward", scope["linear_backward"])


def test_visible_check_at_autograde_uses_the_reference_helpers(capsys):
    scope = _composite()  # the reference is available here, as at autograde
    check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "known-value checks passed" in capsys.readouterr().out


def test_visible_check_without_reference_names_the_failing_helper(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKPROP_LAB_SOLUTIONS", raising=False)
    monkeypatch.chdir(tmp_path)  # a student's folder: no solutions/ anywhere above
    monkeypatch.delitem(sys.modules, "_backprop_lab_reference_deep_nn", raising=False)  # loaded by other tests
    scope = _composite()
    with pytest.raises(WrongAnswer) as err:
        check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "calls linear_backward, which does not pass its own checks" in str(err.value)
    scope["linear_backward"] = deep_ref.linear_backward
    check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])
