"""02_deep_nn: the reference output delta of the squared loss, squared_loss_output_delta, is the gradient of
sum over the examples of 1/2 ||g(z) - y||^2 with respect to ZL (one column per example, no 1/m), against
central finite differences and PyTorch autograd, for each output activation and for the shapes of the
exercise (one example, several output units); and it differs from the classic dL/da answer."""
import numpy as np
import pytest

from grader.exercises.deep_nn import squared_delta_cases
from grader.gradcheck import AGREE, BUG, numeric_gradient, relative_error
from solutions import deep_nn as ref

ACTIVATIONS = {"relu": ref.relu, "sigmoid": ref.sigmoid}
CASES = list(squared_delta_cases(ref, np.random.default_rng(0)))


def total_loss(ZL, Y, activation):
    return float(0.5 * np.sum((ACTIVATIONS[activation](ZL) - Y) ** 2))


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_output_delta_matches_finite_differences(case):
    AL, Y, ZL, activation = case.args
    assert np.abs(ZL).min() > 1e-4, "an input at ReLU's kink: finite differences would straddle it"
    delta = ref.squared_loss_output_delta(AL, Y, ZL, activation)
    assert delta.shape == ZL.shape
    Z = ZL.copy()
    assert relative_error(delta, numeric_gradient(lambda: total_loss(Z, Y, activation), Z)) < AGREE


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_output_delta_matches_torch(case):
    torch = pytest.importorskip("torch")
    AL, Y, ZL, activation = case.args
    Z = torch.tensor(ZL, requires_grad=True)
    A = torch.relu(Z) if activation == "relu" else torch.sigmoid(Z)
    (0.5 * torch.sum((A - torch.tensor(Y)) ** 2)).backward()
    np.testing.assert_allclose(ref.squared_loss_output_delta(AL, Y, ZL, activation), Z.grad.numpy(),
                               rtol=1e-12, atol=1e-14)


def test_the_gradient_with_respect_to_a_is_not_delta():
    """delta^L = dL/da^L (no g'(z)) fails the gradient check by far for a sigmoid output."""
    ZL = np.array([[2.0, -1.0, 0.5]])
    Y = np.array([[1.0, 0.0, 0.2]])
    AL = ref.sigmoid(ZL)
    numeric = numeric_gradient(lambda: total_loss(ZL, Y, "sigmoid"), ZL)
    assert relative_error(ref.squared_loss_output_delta(AL, Y, ZL, "sigmoid"), numeric) < AGREE
    assert relative_error(AL - Y, numeric) > BUG
    # the numbers of the notebook's common-mistake box: z = 2, y = 1
    assert (AL - Y)[0, 0] == pytest.approx(-0.119, abs=5e-4)
    assert ref.squared_loss_output_delta(AL, Y, ZL, "sigmoid")[0, 0] == pytest.approx(-0.0125, abs=5e-5)


def test_output_delta_rejects_an_unknown_activation():
    with pytest.raises(ValueError):
        ref.squared_loss_output_delta(np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), "tanh")
