"""The 02_deep_nn reference gradients agree with finite differences and with PyTorch; the
reference gradient check itself is checked against grader.gradcheck and on known functions."""
import numpy as np
import pytest

from grader.exercises.deep_nn import NETWORKS, network, smooth_cost
from grader.gradcheck import numeric_gradient, relative_error
from solutions import deep_nn as ref


def cost_function(X, Y):
    return lambda parameters: ref.compute_cost(ref.L_model_forward(X, parameters)[0], Y)


@pytest.mark.parametrize("sizes, m, scale, label", NETWORKS)
def test_L_model_backward_matches_finite_differences(sizes, m, scale, label):
    X, Y, parameters = network(np.random.default_rng(7), sizes, m, scale)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    cost = cost_function(X, Y)
    for name in parameters:
        numeric = numeric_gradient(lambda: cost(parameters), parameters[name])
        assert grads["d" + name].shape == parameters[name].shape
        assert relative_error(grads["d" + name], numeric) < 1e-6, f"d{name} ({label})"
    # dA0: the gradient with respect to the input (per example; the cost's 1/m is in dAL only once)
    numeric = numeric_gradient(lambda: cost(parameters) * m, X)
    assert relative_error(grads["dA0"], numeric) < 1e-6, f"dA0 ({label})"


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_finite_differences(activation):
    rng = np.random.default_rng(3)
    A_prev, W, b = rng.standard_normal((4, 6)), rng.standard_normal((3, 4)), rng.standard_normal((3, 1))
    dA = rng.standard_normal((3, 6))
    _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = ref.linear_activation_backward(dA, cache, activation)
    # The scalar whose gradients these are: mean over the examples of sum(dA * A).
    def scalar():
        return float(np.sum(dA * ref.linear_activation_forward(A_prev, W, b, activation)[0])) / 6
    assert relative_error(dW, numeric_gradient(scalar, W)) < 1e-6
    assert relative_error(db, numeric_gradient(scalar, b)) < 1e-6
    assert relative_error(dA_prev / 6, numeric_gradient(scalar, A_prev)) < 1e-6


def test_numerical_gradient_agrees_with_gradcheck_and_leaves_parameters():
    _, _, parameters = network(np.random.default_rng(5), [3, 2, 1], 1, 1.0)
    before = {k: v.copy() for k, v in parameters.items()}
    approx = ref.numerical_gradient(smooth_cost, parameters, 1e-6)
    for k in parameters:
        np.testing.assert_array_equal(parameters[k], before[k])
        expected = numeric_gradient(lambda: smooth_cost(parameters), parameters[k], eps=1e-6)
        np.testing.assert_allclose(approx["d" + k], expected, rtol=1e-9, atol=1e-12)


def test_numerical_gradient_of_a_quadratic_is_exact_up_to_rounding():
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    parameters = {"W1": np.array([[0.3, -1.2]]), "b1": np.array([[0.7]])}
    def quadratic(p):
        w = p["W1"].ravel()
        return float(w @ A @ w + 3 * p["b1"][0, 0] ** 2)
    approx = ref.numerical_gradient(quadratic, parameters, 1e-4)
    np.testing.assert_allclose(approx["dW1"].ravel(), 2 * A @ parameters["W1"].ravel(), rtol=1e-8)
    np.testing.assert_allclose(approx["db1"], 6 * parameters["b1"], rtol=1e-8)


def test_gradient_difference_values():
    g = {"dW1": np.array([[3.0, 0.0]]), "db1": np.array([[4.0]]), "dA0": np.ones((2, 2))}
    assert ref.gradient_difference(g, {"dW1": np.array([[3.0, 0.0]]), "db1": np.array([[4.0]])}) == 0.0
    # ||g|| = 5, g_approx = -g: ||2 g|| / (5 + 5) = 1
    assert ref.gradient_difference(g, {"dW1": -g["dW1"], "db1": -g["db1"]}) == pytest.approx(1.0)
    zero = {"dW1": np.zeros((1, 2)), "db1": np.zeros((1, 1))}
    assert ref.gradient_difference(zero, zero) == 0.0
    assert isinstance(ref.gradient_difference(g, zero), float)


def test_the_notebooks_gradient_check_separates_right_from_wrong():
    X, Y, parameters = network(np.random.default_rng(2), [4, 5, 3, 1], 5, 0.8)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    approx = ref.numerical_gradient(cost_function(X, Y), parameters)
    assert ref.gradient_difference(grads, approx) < 1e-7
    wrong = {**grads, "db2": grads["db2"] * 5}
    assert ref.gradient_difference(wrong, approx) > 1e-3


def test_update_returns_new_dict_and_leaves_input():
    X, Y, parameters = network(np.random.default_rng(1), [2, 3, 1], 4, 1.0)
    before = {k: v.copy() for k, v in parameters.items()}
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    new = ref.update_parameters(parameters, grads, 0.5)
    assert new is not parameters and set(new) == set(parameters)
    for k in before:
        np.testing.assert_array_equal(parameters[k], before[k])
        np.testing.assert_allclose(new[k], before[k] - 0.5 * grads["d" + k])


@pytest.mark.parametrize("sizes, m, scale, label", NETWORKS)
def test_L_model_backward_matches_torch_autograd(sizes, m, scale, label):
    torch = pytest.importorskip("torch")
    X, Y, parameters = network(np.random.default_rng(11), sizes, m, scale)
    AL, caches = ref.L_model_forward(X, parameters)
    grads = ref.L_model_backward(AL, Y, caches)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in parameters.items()}
    A = torch.tensor(X, requires_grad=True)
    L = len(parameters) // 2
    H = A
    for l in range(1, L):
        H = torch.relu(t[f"W{l}"] @ H + t[f"b{l}"])
    logits = t[f"W{L}"] @ H + t[f"b{L}"]
    cost = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.tensor(Y), reduction="mean")
    cost.backward()
    assert ref.compute_cost(AL, Y) == pytest.approx(cost.item(), rel=1e-10)
    for k, v in t.items():
        np.testing.assert_allclose(grads["d" + k], v.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"d{k} ({label})")
    np.testing.assert_allclose(grads["dA0"] / m, A.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"dA0 ({label})")


@pytest.mark.parametrize("hidden_activation", ["relu", "sigmoid"])
def test_gradient_norms_match_finite_differences(hidden_activation):
    X, Y, parameters = network(np.random.default_rng(4), [3, 4, 4, 1], 6, 1.0)
    L = len(parameters) // 2

    def cost():
        A = X
        for l in range(1, L + 1):
            A, _ = ref.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                 hidden_activation if l < L else "sigmoid")
        return ref.compute_cost(A, Y)

    norms = ref.gradient_norms(X, Y, parameters, hidden_activation)
    assert len(norms) == L and all(isinstance(n, float) for n in norms)
    for l in range(1, L + 1):
        expected = np.linalg.norm(numeric_gradient(cost, parameters[f"W{l}"]))
        assert norms[l - 1] == pytest.approx(expected, rel=1e-6), f"layer {l}"
