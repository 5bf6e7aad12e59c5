"""The 03_conv_backward references agree with finite differences, with plain loops, with each other and with PyTorch."""
import numpy as np
import pytest

from grader.exercises.conv_backward import LAYERS, layer
from grader.gradcheck import numeric_gradient, relative_error
from solutions import conv_backward as ref

BACKWARDS = [ref.conv_backward, ref.fixed_conv_backward, ref.conv_backward_vectorized]


def loops_forward(A_prev, W, b, hparameters):
    """The definition, one output entry at a time (independent of the vectorized reference)."""
    s, p = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    A_pad = np.zeros((m, n_H_prev + 2 * p, n_W_prev + 2 * p, A_prev.shape[3]))
    A_pad[:, p:p + n_H_prev, p:p + n_W_prev] = A_prev
    n_H, n_W = (n_H_prev + 2 * p - f) // s + 1, (n_W_prev + 2 * p - f) // s + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    for i, h, w, c in np.ndindex(Z.shape):
        Z[i, h, w, c] = np.sum(A_pad[i, h * s:h * s + f, w * s:w * s + f] * W[..., c]) + b[0, 0, 0, c]
    return Z


@pytest.mark.parametrize("sizes", LAYERS, ids=[row[-1] for row in LAYERS])
def test_forward_matches_the_definition(sizes):
    A_prev, W, b, hp = layer(np.random.default_rng(0), *sizes[:-1])
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    np.testing.assert_allclose(Z, loops_forward(A_prev, W, b, hp), rtol=1e-12, atol=1e-12)
    assert cache[0] is A_prev and cache[1] is W and cache[2] is b and cache[3] is hp


@pytest.mark.parametrize("backward", BACKWARDS, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("sizes", LAYERS, ids=[row[-1] for row in LAYERS])
def test_backward_matches_finite_differences(sizes, backward):
    rng = np.random.default_rng(5)
    A_prev, W, b, hp = layer(rng, *sizes[:-1])
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    G = rng.standard_normal(Z.shape)  # the cost sum(G * Z) has dZ = G

    def cost():
        return float(np.sum(G * ref.conv_forward(A_prev, W, b, hp)[0]))

    dA_prev, dW, db = backward(G, cache)
    for got, x, name in ((dA_prev, A_prev, "dA_prev"), (dW, W, "dW"), (db, b, "db")):
        assert got.shape == x.shape, name
        assert relative_error(got, numeric_gradient(cost, x)) < 1e-7, f"{name} ({sizes[-1]})"


@pytest.mark.parametrize("sizes", LAYERS, ids=[row[-1] for row in LAYERS])
def test_both_backward_forms_agree_and_leave_inputs_alone(sizes):
    rng = np.random.default_rng(9)
    A_prev, W, b, hp = layer(rng, *sizes[:-1])
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    before = [x.copy() for x in (dZ, A_prev, W, b)]
    for other in (ref.fixed_conv_backward, ref.conv_backward_vectorized):
        for x, y in zip(ref.conv_backward(dZ, cache), other(dZ, cache)):
            np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12)
    for x, y in zip(before, (dZ, A_prev, W, b)):
        np.testing.assert_array_equal(x, y)
    assert hp == {"stride": sizes[6], "pad": sizes[7]}


@pytest.mark.parametrize("f, n_C_prev", [(1, 1), (2, 3), (3, 2), (4, 1)])
def test_single_step_backward_matches_finite_differences(f, n_C_prev):
    rng = np.random.default_rng(f * 10 + n_C_prev)
    a, W, b = rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((1, 1, 1))
    dz = float(rng.standard_normal())

    def cost():
        return dz * ref.conv_single_step(a, W, b)

    da, dW, db = ref.single_step_backward(dz, a, W)
    assert isinstance(db, float) and da.shape == a.shape and dW.shape == W.shape
    for got, x in ((da, a), (dW, W), (np.array(db), b)):
        assert relative_error(got, numeric_gradient(cost, x)) < 1e-7


def test_single_step_backward_summed_over_the_windows_is_conv_backward():
    # The loop of section 2.2: every output entry adds what single_step_backward returns into its window.
    A_prev, W, b, hp = layer(np.random.default_rng(4), 2, 7, 6, 3, 3, 2, 2, 1)
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    dZ = np.random.default_rng(5).standard_normal(Z.shape)
    s, p, f = hp["stride"], hp["pad"], W.shape[0]
    A_pad = ref.zero_pad(A_prev, p)
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros_like(b)
    for i, h, w, c in np.ndindex(*dZ.shape):
        window = (i, slice(h * s, h * s + f), slice(w * s, w * s + f))
        da, dw, dbias = ref.single_step_backward(dZ[i, h, w, c], A_pad[window], W[..., c])
        dA_pad[window] += da
        dW[..., c] += dw
        db[..., c] += dbias
    for x, y in zip((dA_pad[:, p:-p, p:-p], dW, db), ref.conv_backward(dZ, cache)):
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12)


def test_rows_in_no_window_get_no_gradient():
    # stride 2, pad 0, 5 rows, f = 2: windows cover rows 0-3, row 4 is never read.
    A_prev, W, b, hp = layer(np.random.default_rng(1), 2, 5, 6, 2, 2, 3, 2, 0)
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    dA_prev, _, _ = ref.conv_backward(np.ones_like(Z), cache)
    assert Z.shape == (2, 2, 3, 3)
    assert np.all(dA_prev[:, 4] == 0) and np.all(np.abs(dA_prev[:, :4]).sum(axis=(0, 2, 3)) > 0)


def test_zero_pad_and_single_step():
    X = np.arange(12.0).reshape(1, 2, 3, 2)
    X_pad = ref.zero_pad(X, 2)
    assert X_pad.shape == (1, 6, 7, 2) and X_pad.sum() == X.sum()
    np.testing.assert_array_equal(X_pad[:, 2:4, 2:5], X)
    assert ref.zero_pad(X, 0).shape == X.shape and ref.zero_pad(X, 0) is not X
    a, W = np.ones((2, 2, 3)), np.full((2, 2, 3), 0.5)
    value = ref.conv_single_step(a, W, np.full((1, 1, 1), -1.0))
    assert isinstance(value, float) and value == 5.0


def _torch_layer(torch, A_prev, W, b, hp):
    x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
    w = torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)
    bias = torch.tensor(b.ravel().copy(), requires_grad=True)
    out = torch.nn.functional.conv2d(x, w, bias, stride=hp["stride"], padding=hp["pad"])
    return x, w, bias, out


@pytest.mark.parametrize("sizes", LAYERS, ids=[row[-1] for row in LAYERS])
def test_forward_and_backward_match_torch(sizes):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(13)
    A_prev, W, b, hp = layer(rng, *sizes[:-1])
    Z, cache = ref.conv_forward(A_prev, W, b, hp)
    dZ = rng.standard_normal(Z.shape)
    x, w, bias, out = _torch_layer(torch, A_prev, W, b, hp)
    np.testing.assert_allclose(Z, out.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-10, atol=1e-12)
    out.backward(torch.tensor(dZ.transpose(0, 3, 1, 2).copy()))
    dA_prev, dW, db = ref.conv_backward(dZ, cache)
    np.testing.assert_allclose(dA_prev, x.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dW, w.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(db.ravel(), bias.grad.numpy(), rtol=1e-10, atol=1e-12)
