"""A graded function that calls the student's other graded functions (02_deep_nn's
linear_activation_backward calls linear_backward, L_model_backward calls linear_activation_backward)
fails when one of those is wrong; its message then names the helpers it called, so that the student
fixes the helper first. Functions that call no graded function get no such note."""
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
def test_the_wrong_helper_fails_its_own_check_without_a_note(notebook, check):
    with pytest.raises(WrongAnswer) as err:
        check(A, "linear_backward", notebook["linear_backward"])
    assert "dW is m times too large" in str(err.value) and "note:" not in str(err.value)


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, calls", [("linear_activation_backward", "relu_backward, sigmoid_backward, linear_backward"),
                                         ("L_model_backward", "linear_activation_backward")])
def test_a_caller_names_the_helpers_it_called(notebook, check, name, calls):
    own = dict(notebook)
    with pytest.raises(WrongAnswer) as err:
        check(A, name, notebook[name])
    message = str(err.value)
    assert "m times too large" in message
    assert f"note: {name} calls your {calls}; if one of them fails its own check, fix that one first" in message
    assert all(notebook[k] is v for k, v in own.items()), "the student's namespace changed"


def test_a_correct_caller_of_correct_helpers_passes(notebook):
    exec(compile(textwrap.dedent('''
        def linear_backward(dZ, cache):
            A_prev, W, b = cache
            m = A_prev.shape[1]
            return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
    '''), "<cell>", "exec"), notebook)
    for name in ("linear_backward", "linear_activation_backward", "L_model_backward"):
        check_visible(A, name, notebook[name])
        check_hidden(A, name, notebook[name])


@pytest.mark.xfail(strict=True, raises=WrongAnswer, reason=(
    "known gap: a caller is graded with the student's own helpers (in the kernel and in the trusted "
    "re-grade), so a wrong linear_backward also costs linear_activation_backward and L_model_backward "
    "their points; isolating them needs the trusted sandbox to obtain reference helper results"))
def test_a_wrong_helper_costs_only_its_own_points(notebook):
    check_hidden(A, "linear_activation_backward", notebook["linear_activation_backward"])
