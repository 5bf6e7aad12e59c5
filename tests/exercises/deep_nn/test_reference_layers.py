"""The 02_deep_nn reference, one layer at a time: relu_backward, sigmoid_backward, linear_backward and
linear_activation_backward against central finite differences and PyTorch autograd, on shapes that
include the edge cases (one example, one unit, one input feature). Each backward block is the
gradient of the scalar S = (1/m) sum(dA * output): its dW, db are dS/dW, dS/db, and its dA_prev (one
column per example, no 1/m) is m dS/dA_prev."""
import numpy as np
import pytest

from grader.gradcheck import numeric_gradient, relative_error
from solutions import deep_nn as ref

# (n_prev, n, m)
SHAPES = [(4, 3, 6), (1, 1, 1), (3, 1, 5), (1, 4, 1), (5, 2, 1), (2, 6, 3)]
TOL = 1e-6


def layer(shape, seed):
    n_prev, n, m = shape
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n_prev, m)), rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)),
            rng.standard_normal((n, m)))


def away_from_kink(Z, margin=1e-3):
    """Z with no entry within `margin` of 0, where ReLU has no derivative (finite differences straddle it)."""
    return np.where(np.abs(Z) < margin, np.sign(Z + 1e-300) * margin * 10, Z)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name, g", [("relu_backward", ref.relu), ("sigmoid_backward", ref.sigmoid)])
def test_activation_backward_matches_finite_differences(shape, name, g):
    _, _, _, dA = layer(shape, 1)
    Z = away_from_kink(2.0 * layer(shape, 2)[3])
    dZ = getattr(ref, name)(dA, Z)
    assert dZ.shape == Z.shape
    assert relative_error(dZ, numeric_gradient(lambda: float(np.sum(dA * g(Z))), Z)) < TOL


@pytest.mark.parametrize("shape", SHAPES)
def test_linear_backward_matches_finite_differences(shape):
    A_prev, W, b, dZ = layer(shape, 3)
    m = shape[2]
    dA_prev, dW, db = ref.linear_backward(dZ, ref.linear_forward(A_prev, W, b)[1])

    def S():
        return float(np.sum(dZ * ref.linear_forward(A_prev, W, b)[0])) / m
    assert (dA_prev.shape, dW.shape, db.shape) == (A_prev.shape, W.shape, b.shape)
    assert relative_error(dW, numeric_gradient(S, W)) < TOL
    assert relative_error(db, numeric_gradient(S, b)) < TOL
    assert relative_error(dA_prev, m * numeric_gradient(S, A_prev)) < TOL


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_finite_differences(shape, activation):
    A_prev, W, b, dA = layer(shape, 4)
    assert np.abs(W @ A_prev + b).min() > 1e-4, "an input at ReLU's kink: finite differences would straddle it"
    m = shape[2]
    dA_prev, dW, db = ref.linear_activation_backward(dA, ref.linear_activation_forward(A_prev, W, b, activation)[1],
                                                     activation)

    def S():
        return float(np.sum(dA * ref.linear_activation_forward(A_prev, W, b, activation)[0])) / m
    assert relative_error(dW, numeric_gradient(S, W)) < TOL
    assert relative_error(db, numeric_gradient(S, b)) < TOL
    assert relative_error(dA_prev, m * numeric_gradient(S, A_prev)) < TOL


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_linear_activation_backward_matches_torch(shape, activation):
    torch = pytest.importorskip("torch")
    A_prev, W, b, dA = layer(shape, 5)
    m = shape[2]
    _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
    dA_prev, dW, db = ref.linear_activation_backward(dA, cache, activation)
    t = [torch.tensor(v, requires_grad=True) for v in (A_prev, W, b)]
    Z = t[1] @ t[0] + t[2]
    out = torch.relu(Z) if activation == "relu" else torch.sigmoid(Z)
    (torch.sum(torch.tensor(dA) * out) / m).backward()
    np.testing.assert_allclose(dW, t[1].grad.numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(db, t[2].grad.numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(dA_prev, m * t[0].grad.numpy(), rtol=1e-10, atol=1e-13)


def test_relu_backward_at_zero_follows_the_libraries_convention():
    """relu'(0) is taken as 0, as in PyTorch."""
    torch = pytest.importorskip("torch")
    Z = np.array([[-1.0, 0.0, 2.0], [0.0, 3.0, -0.5]])
    dA = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    tZ = torch.tensor(Z, requires_grad=True)
    torch.sum(torch.tensor(dA) * torch.relu(tZ)).backward()
    np.testing.assert_array_equal(ref.relu_backward(dA, Z), tZ.grad.numpy())
    np.testing.assert_array_equal(ref.relu_backward(dA, Z), [[0.0, 0.0, 3.0], [0.0, 5.0, 0.0]])


@pytest.mark.parametrize("name", ["relu_backward", "sigmoid_backward"])
def test_activation_backward_leaves_its_inputs(name):
    _, _, _, dA = layer((3, 4, 5), 6)
    Z = layer((3, 4, 5), 7)[3]
    before = dA.copy(), Z.copy()
    getattr(ref, name)(dA, Z)
    np.testing.assert_array_equal(dA, before[0])
    np.testing.assert_array_equal(Z, before[1])
