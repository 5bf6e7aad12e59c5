"""The 06_one_network references agree with finite differences, with 03's and 04's references, with plain
loops and with PyTorch (skipped when torch is not installed)."""
import numpy as np
import pytest

from grader.exercises.one_network import FLATTEN, LAYERS, MODELS, layer, model_parameters
from grader.gradcheck import numeric_gradient, relative_error
from solutions import conv_backward as ref03
from solutions import one_network as ref
from solutions import pool_backward as ref04

IDS = [row[-1] for row in LAYERS]


def loops_im2col(A_pad, f, s):
    """The layout, one entry at a time."""
    m, n_H_pad, n_W_pad, n_C = A_pad.shape
    n_H, n_W = (n_H_pad - f) // s + 1, (n_W_pad - f) // s + 1
    cols = np.zeros((m * n_H * n_W, f * f * n_C))
    for i, h, w, u, v, k in np.ndindex(m, n_H, n_W, f, f, n_C):
        cols[(i * n_H + h) * n_W + w, (u * f + v) * n_C + k] = A_pad[i, h * s + u, w * s + v, k]
    return cols


@pytest.mark.parametrize("sizes", LAYERS, ids=IDS)
def test_im2col_layout_and_col2im_is_its_adjoint(sizes):
    m, n_H, n_W, n_C_prev, f, _, s, p, _ = sizes
    rng = np.random.default_rng(1)
    A_pad = rng.standard_normal((m, n_H + 2 * p, n_W + 2 * p, n_C_prev))
    cols = ref.im2col(A_pad, f, s)
    np.testing.assert_array_equal(cols, loops_im2col(A_pad, f, s))
    # Adjoint: <im2col(A), D> = <A, col2im(D)> for every A and D.
    D = rng.standard_normal(cols.shape)
    back = ref.col2im(D, A_pad.shape, f, s)
    assert back.shape == A_pad.shape
    assert np.isclose(np.sum(cols * D), np.sum(A_pad * back), rtol=1e-12)
    # col2im is the gradient of the cost sum(D * im2col(A)) with respect to A.
    assert relative_error(back, numeric_gradient(lambda: float(np.sum(D * ref.im2col(A_pad, f, s))), A_pad)) < 1e-7


def test_col2im_adds_where_windows_overlap():
    # f = 3, stride 1 on a 5x5 image: the centre pixel lies in all 9 windows, a corner in 1.
    ones = ref.col2im(np.ones((9, 9)), (1, 5, 5, 1), 3, 1)[0, :, :, 0]
    assert ones[2, 2] == 9 and ones[0, 0] == 1 and ones[0, 2] == 3
    # col2im(im2col(A)) is A times the number of windows of each pixel: the adjoint, not the inverse.
    A = np.random.default_rng(2).standard_normal((1, 5, 5, 1))
    np.testing.assert_allclose(ref.col2im(ref.im2col(A, 3, 1), A.shape, 3, 1), A * ones[None, :, :, None])


@pytest.mark.parametrize("sizes", LAYERS, ids=IDS)
def test_fast_conv_matches_03(sizes):
    rng = np.random.default_rng(3)
    A_prev, W, b, hp = layer(rng, *sizes[:-1])
    Z, cache = ref.conv_forward_fast(A_prev, W, b, hp)
    Z03, cache03 = ref03.conv_forward(A_prev, W, b, hp)
    np.testing.assert_allclose(Z, Z03, rtol=1e-12, atol=1e-12)
    assert all(x is y for x, y in zip(cache, cache03))
    dZ = rng.standard_normal(Z.shape)
    for backward in (ref.conv_backward_fast, ref.conv_backward):
        for x, y in zip(backward(dZ, cache), ref03.conv_backward(dZ, cache)):
            np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("backward", [ref.conv_backward_fast, ref.conv_backward], ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("sizes", LAYERS, ids=IDS)
def test_conv_backward_matches_finite_differences(sizes, backward):
    rng = np.random.default_rng(5)
    A_prev, W, b, hp = layer(rng, *sizes[:-1])
    Z, cache = ref.conv_forward_fast(A_prev, W, b, hp)
    G = rng.standard_normal(Z.shape)  # the cost sum(G * Z) has dZ = G
    before = [x.copy() for x in (G, A_prev, W, b)]
    grads = backward(G, cache)
    for x, y in zip(before, (G, A_prev, W, b)):
        np.testing.assert_array_equal(x, y)

    def cost():
        return float(np.sum(G * ref.conv_forward_fast(A_prev, W, b, hp)[0]))

    for got, x, name in zip(grads, (A_prev, W, b), ("dA_prev", "dW", "db")):
        assert got.shape == x.shape, name
        assert relative_error(got, numeric_gradient(cost, x)) < 1e-7, name


def test_pasted_pool_and_relu_match_04_and_finite_differences():
    rng = np.random.default_rng(6)
    for mode in ("max", "average"):
        for shape, f, s in [((2, 7, 6, 3), 3, 2), ((1, 6, 6, 2), 2, 2), ((2, 5, 7, 1), 2, 1)]:
            A = rng.standard_normal(shape)
            P, cache = ref.pool_forward(A, {"f": f, "stride": s}, mode)
            np.testing.assert_array_equal(P, ref04.pool_forward(A, {"f": f, "stride": s}, mode)[0])
            G = rng.standard_normal(P.shape)
            dA = ref.pool_backward(G, cache, mode)
            np.testing.assert_allclose(dA, ref04.pool_backward(G, cache, mode), atol=1e-15)
            num = numeric_gradient(lambda: float(np.sum(G * ref.pool_forward(A, {"f": f, "stride": s}, mode)[0])), A)
            assert relative_error(dA, num) < 1e-7
    Z = rng.standard_normal((2, 4, 4, 3))
    A, cache = ref.relu_forward(Z)
    assert cache is Z and np.array_equal(A, np.maximum(Z, 0))
    G = rng.standard_normal(Z.shape)
    num = numeric_gradient(lambda: float(np.sum(G * ref.relu_forward(Z)[0])), Z)
    assert relative_error(ref.relu_backward(G, Z), num) < 1e-7


@pytest.mark.parametrize("shape", [row[0] for row in FLATTEN])
def test_flatten_round_trip_and_gradient(shape):
    rng = np.random.default_rng(7)
    A = rng.standard_normal(shape)
    X, cache = ref.flatten_forward(A)
    assert X.shape == (int(np.prod(shape[1:])), shape[0])
    np.testing.assert_array_equal(X[:, 0], A[0].ravel())  # column i is example i, in (h, w, c) order
    np.testing.assert_array_equal(ref.flatten_backward(X, cache), A)
    G = rng.standard_normal(X.shape)
    num = numeric_gradient(lambda: float(np.sum(G * ref.flatten_forward(A)[0])), A)
    assert relative_error(ref.flatten_backward(G, cache), num) < 1e-7


@pytest.mark.parametrize("n_classes, m, scale", [(3, 4, 1.0), (2, 1, 2.0), (10, 20, 0.5), (5, 7, 3.0)])
def test_softmax_cross_entropy_matches_finite_differences(n_classes, m, scale):
    rng = np.random.default_rng(8)
    scores = scale * rng.standard_normal((n_classes, m))
    Y = np.eye(n_classes)[:, rng.integers(0, n_classes, size=m)]
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    assert type(cost) is float
    probs = np.exp(scores) / np.exp(scores).sum(axis=0)
    assert np.isclose(cost, -np.mean(np.log(probs[Y == 1])))
    num = numeric_gradient(lambda: ref.softmax_cross_entropy(scores, Y)[0], scores)
    assert relative_error(dscores, num) < 1e-7
    np.testing.assert_allclose(dscores, (probs - Y) / m, rtol=1e-10, atol=1e-14)


def test_softmax_cross_entropy_is_stable():
    scores = np.array([[1000.0, -1000.0], [999.0, -1002.0], [0.0, -999.0]])
    Y = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    shifted, dshifted = ref.softmax_cross_entropy(scores - scores.max(axis=0), Y)
    assert np.isfinite(cost) and np.isclose(cost, shifted) and np.allclose(dscores, dshifted)
    assert np.isclose(cost, (np.log(1 + np.exp(-1.0) + np.exp(-1000.0)) + np.log(1 + np.exp(-1.0) + np.exp(-3.0))) / 2)


@pytest.mark.parametrize("sizes", MODELS, ids=[row[-1] for row in MODELS])
def test_model_backward_matches_finite_differences(sizes):
    m, n_H, n_W, n_C_prev, f, n_C, n_classes, _ = sizes
    rng = np.random.default_rng(10)
    parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
    X = rng.standard_normal((m, n_H, n_W, n_C_prev))
    Y = np.eye(n_classes)[:, rng.integers(0, n_classes, size=m)]

    def cost():
        return ref.softmax_cross_entropy(ref.model_forward(X, parameters)[0], Y)[0]

    scores, caches = ref.model_forward(X, parameters)
    grads = ref.model_backward(ref.softmax_cross_entropy(scores, Y)[1], caches)
    assert sorted(grads) == ["dW1", "dW2", "db1", "db2"]
    for key in ("W1", "b1", "W2", "b2"):
        assert grads["d" + key].shape == parameters[key].shape
        # Random inputs almost never put a max-pool tie or a ReLU kink within 1e-6 of an entry.
        assert relative_error(grads["d" + key], numeric_gradient(cost, parameters[key])) < 1e-7, key


def test_conv_and_model_match_torch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(13)
    for sizes in LAYERS:
        A_prev, W, b, hp = layer(rng, *sizes[:-1])
        Z, cache = ref.conv_forward_fast(A_prev, W, b, hp)
        x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
        w = torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)
        bias = torch.tensor(b.ravel().copy(), requires_grad=True)
        out = F.conv2d(x, w, bias, stride=hp["stride"], padding=hp["pad"])
        np.testing.assert_allclose(Z, out.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-10, atol=1e-12)
        dZ = rng.standard_normal(Z.shape)
        out.backward(torch.tensor(dZ.transpose(0, 3, 1, 2).copy()))
        dA_prev, dW, db = ref.conv_backward_fast(dZ, cache)
        np.testing.assert_allclose(dA_prev, x.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(dW, w.grad.numpy().transpose(2, 3, 1, 0), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(db.ravel(), bias.grad.numpy(), rtol=1e-10, atol=1e-12)
    for m, n_H, n_W, n_C_prev, f, n_C, n_classes, _ in MODELS:
        parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
        X = rng.standard_normal((m, n_H, n_W, n_C_prev))
        labels = rng.integers(0, n_classes, size=m)
        scores, caches = ref.model_forward(X, parameters)
        cost, dscores = ref.softmax_cross_entropy(scores, np.eye(n_classes)[:, labels])
        grads = ref.model_backward(dscores, caches)
        t = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in parameters.items()}
        x = torch.tensor(X.transpose(0, 3, 1, 2).copy())
        z = F.conv2d(x, t["W1"].permute(3, 2, 0, 1), t["b1"].reshape(-1), padding=1)
        p = F.max_pool2d(F.relu(z), 2, 2)
        flat = p.permute(0, 2, 3, 1).reshape(m, -1).T  # channels-last order, as flatten_forward
        s = t["W2"] @ flat + t["b2"]
        loss = F.cross_entropy(s.T, torch.tensor(labels))
        loss.backward()
        np.testing.assert_allclose(scores, s.detach().numpy(), rtol=1e-10, atol=1e-12)
        assert np.isclose(cost, loss.item(), rtol=1e-10)
        for key in parameters:
            np.testing.assert_allclose(grads["d" + key], t[key].grad.numpy(), rtol=1e-9, atol=1e-12)
