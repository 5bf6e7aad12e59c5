"""02_deep_nn's chain of graded functions in one notebook namespace (L_model_backward calls
linear_activation_backward, which calls linear_backward): a wrong linear_backward costs only its own
points at autograde, even two calls down; without the reference, the callers' visible checks name the
failing helper; the student's namespace is left as it was, also when a check fails."""
import sys
import textwrap

import pytest

from grader import WrongAnswer, check_hidden, check_visible

A = "02_deep_nn"

NOTEBOOK = textwrap.dedent('''
    import numpy as np

    def sigmoid(Z):
        return 1.0 / (1.0 + np.exp(-Z))

    def relu_backward(dA, cache):
        return dA * (cache > 0)

    def sigmoid_backward(dA, cache):
        s = sigmoid(cache)
        return dA * s * (1 - s)

    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True) / m   # forgot the 1/m in dW

    def linear_activation_backward(dA, cache, activation):
        linear_cache, Z = cache
        dZ = relu_backward(dA, Z) if activation == "relu" else sigmoid_backward(dA, Z)
        return linear_backward(dZ, linear_cache)

    def L_model_backward(AL, Y, caches):
        L = len(caches)
        grads = {}
        dA = -(Y / AL - (1 - Y) / (1 - AL))
        for l in range(L, 0, -1):
            dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(
                dA, caches[l - 1], "sigmoid" if l == L else "relu")
            grads[f"dA{l - 1}"] = dA
        return grads
''')


@pytest.fixture
def notebook():
    namespace = {}
    exec(compile(NOTEBOOK, "<notebook>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("check", [check_visible, check_hidden])
def test_the_wrong_helper_fails_its_own_check(notebook, check):
    with pytest.raises(WrongAnswer, match="dW is m times too large"):
        check(A, "linear_backward", notebook["linear_backward"])


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name", ["linear_activation_backward", "L_model_backward"])
def test_its_callers_keep_their_points_at_autograde(notebook, check, name):
    before = dict(notebook)
    check(A, name, notebook[name])  # the reference is available here, as under nbgrader autograde
    assert all(notebook[k] is v for k, v in before.items()), "the student's namespace changed"


@pytest.mark.parametrize("name, helper", [("linear_activation_backward", "linear_backward"),
                                          ("L_model_backward", "linear_activation_backward")])
def test_without_the_reference_a_caller_names_its_failing_helper(notebook, monkeypatch, tmp_path, name, helper):
    monkeypatch.delenv("BACKPROP_LAB_SOLUTIONS", raising=False)
    monkeypatch.chdir(tmp_path)  # a student's folder: no solutions/ anywhere above
    monkeypatch.delitem(sys.modules, "_backprop_lab_reference_deep_nn", raising=False)
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, name, notebook[name])
    assert f"calls {helper}, which does not pass its own checks" in str(err.value), str(err.value)


def test_the_namespace_is_restored_when_the_check_fails(notebook):
    exec(compile("def L_model_backward(AL, Y, caches):\n    return linear_activation_backward(None, None, None)\n",
                 "<cell>", "exec"), notebook)
    before = dict(notebook)
    with pytest.raises(WrongAnswer):
        check_hidden(A, "L_model_backward", notebook["L_model_backward"])
    assert all(notebook[k] is v for k, v in before.items()), "the student's namespace changed"
