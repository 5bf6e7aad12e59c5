"""A graded function that calls the student's other graded functions (02_deep_nn's
linear_activation_backward calls linear_backward, L_model_backward calls both) is graded, in the
hidden tests, with the reference versions of those: one wrong function costs only its own points.
The visible check says which of the student's functions it called. The student's namespace is
restored afterwards."""
import textwrap

import pytest

from grader import WrongAnswer, check_hidden, check_visible, reference

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
def student(monkeypatch):
    """A student's machine: no reference solutions."""
    def unavailable(assignment):
        raise reference.ReferenceUnavailable("no solutions here")
    monkeypatch.setattr(reference, "load", unavailable)


@pytest.fixture
def notebook():
    namespace = {}
    exec(compile(NOTEBOOK, "<notebook>", "exec"), namespace)
    return namespace


def test_the_wrong_helper_fails_its_own_check(notebook):
    with pytest.raises(WrongAnswer) as err:
        check_hidden(A, "linear_backward", notebook["linear_backward"])
    assert "dW is m times too large" in str(err.value)


@pytest.mark.parametrize("name", ["linear_activation_backward", "L_model_backward"])
def test_callers_of_a_wrong_helper_pass_the_hidden_tests(notebook, name):
    own = notebook["linear_backward"]
    check_hidden(A, name, notebook[name])
    assert notebook["linear_backward"] is own, "the student's namespace was not restored"


@pytest.mark.parametrize("name, calls", [("linear_activation_backward", "relu_backward, sigmoid_backward, linear_backward"),
                                         ("L_model_backward", "linear_activation_backward")])
def test_the_visible_check_names_the_helpers_it_called(notebook, name, calls, student):
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, name, notebook[name])
    message = str(err.value)
    assert "m times too large" in message
    assert f"{name} calls your {calls}" in message, message


def test_a_wrong_caller_still_fails_with_correct_helpers(notebook):
    exec(compile(textwrap.dedent('''
        def linear_activation_backward(dA, cache, activation):
            linear_cache, Z = cache
            return linear_backward(relu_backward(dA, Z), linear_cache)   # ignores the activation
    '''), "<cell>", "exec"), notebook)
    with pytest.raises(WrongAnswer) as err:
        check_hidden(A, "linear_activation_backward", notebook["linear_activation_backward"])
    assert "using the other activation's derivative" in str(err.value)


def test_the_namespace_is_restored_when_the_check_fails(notebook):
    exec(compile("def L_model_backward(AL, Y, caches):\n    return linear_activation_backward(None, None, None)\n",
                 "<cell>", "exec"), notebook)
    own = notebook["linear_activation_backward"]
    with pytest.raises(WrongAnswer):
        check_hidden(A, "L_model_backward", notebook["L_model_backward"])
    assert notebook["linear_activation_backward"] is own


@pytest.mark.parametrize("name", ["linear_activation_backward", "L_model_backward"])
def test_at_autograde_the_visible_check_also_uses_correct_helpers(notebook, name):
    own = notebook["linear_backward"]
    check_visible(A, name, notebook[name])  # the reference is available here, as under nbgrader autograde
    assert notebook["linear_backward"] is own
