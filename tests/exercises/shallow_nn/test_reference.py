"""The 01_shallow_nn reference gradients agree with finite differences and with PyTorch."""
import numpy as np
import pytest

from grader.exercises.shallow_nn import SIZES, network
from grader.gradcheck import numeric_gradient, relative_error
from solutions import shallow_nn as ref


@pytest.mark.parametrize("n_x, n_h, m, scale, label", SIZES)
def test_backward_matches_finite_differences(n_x, n_h, m, scale, label):
    X, Y, parameters = network(np.random.default_rng(7), n_x, n_h, m, scale)
    _, cache = ref.forward_propagation(X, parameters)
    grads = ref.backward_propagation(parameters, cache, X, Y)

    def cost():
        return ref.compute_cost(ref.forward_propagation(X, parameters)[0], Y)

    for name in ("W1", "b1", "W2", "b2"):
        numeric = numeric_gradient(cost, parameters[name])
        assert grads["d" + name].shape == parameters[name].shape
        assert relative_error(grads["d" + name], numeric) < 1e-6, f"d{name} ({label})"


def test_forward_shapes_and_cost_value():
    X = np.array([[1.0, -2.0], [0.5, 0.0]])
    parameters = {"W1": np.eye(2), "b1": np.zeros((2, 1)), "W2": np.ones((1, 2)), "b2": np.zeros((1, 1))}
    A2, cache = ref.forward_propagation(X, parameters)
    assert A2.shape == (1, 2) and set(cache) == {"Z1", "A1", "Z2", "A2"}
    z = np.tanh(X).sum(axis=0)
    np.testing.assert_allclose(A2[0], 1 / (1 + np.exp(-z)))
    Y = np.array([[1.0, 0.0]])
    expected = -(np.log(A2[0, 0]) + np.log(1 - A2[0, 1])) / 2
    assert ref.compute_cost(A2, Y) == pytest.approx(expected, rel=1e-12)
    assert isinstance(ref.compute_cost(A2, Y), float)


def test_update_returns_new_dict_and_leaves_input():
    X, Y, parameters = network(np.random.default_rng(1), 2, 3, 4, 1.0)
    before = {k: v.copy() for k, v in parameters.items()}
    grads = ref.backward_propagation(parameters, ref.forward_propagation(X, parameters)[1], X, Y)
    new = ref.update_parameters(parameters, grads, 0.5)
    assert new is not parameters
    for k in before:
        np.testing.assert_array_equal(parameters[k], before[k])
        np.testing.assert_allclose(new[k], before[k] - 0.5 * grads["d" + k])


@pytest.mark.parametrize("n_x, n_h, m, scale, label", SIZES[:5])
def test_backward_matches_torch_autograd(n_x, n_h, m, scale, label):
    torch = pytest.importorskip("torch")
    X, Y, parameters = network(np.random.default_rng(11), n_x, n_h, m, scale)
    grads = ref.backward_propagation(parameters, ref.forward_propagation(X, parameters)[1], X, Y)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in parameters.items()}
    Xt, Yt = torch.tensor(X), torch.tensor(Y)
    A1 = torch.tanh(t["W1"] @ Xt + t["b1"])
    logits = t["W2"] @ A1 + t["b2"]
    cost = torch.nn.functional.binary_cross_entropy_with_logits(logits, Yt, reduction="mean")
    cost.backward()
    assert ref.compute_cost(ref.forward_propagation(X, parameters)[0], Y) == pytest.approx(cost.item(), rel=1e-10)
    for k, v in t.items():
        np.testing.assert_allclose(grads["d" + k], v.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"d{k} ({label})")
