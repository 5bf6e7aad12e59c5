"""The 04_pool_backward references agree with the definition, finite differences, loops and PyTorch."""
import numpy as np
import pytest

from grader.exercises.pool_backward import ACTIVATIONS, CHAIN_LAYERS, LAYERS
from grader.gradcheck import numeric_gradient, relative_error
from solutions import pool_backward as ref

IDS = [row[-1] for row in LAYERS]


def distinct_input(rng, shape):
    """Entries at least 0.05 apart (a shuffled grid plus noise below 0.01): with eps = 1e-6 the
    maximum of every window stays where it is, so max pooling is differentiable there."""
    n = int(np.prod(shape))
    return (0.05 * rng.permutation(n) + 0.01 * rng.random(n)).reshape(shape) - 0.025 * n


def loops_forward(A_prev, hp, mode):
    """The definition, one output entry at a time (independent of the vectorized reference)."""
    f, s = hp["f"], hp["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    A = np.zeros((m, (n_H_prev - f) // s + 1, (n_W_prev - f) // s + 1, n_C))
    for i, h, w, c in np.ndindex(A.shape):
        window = A_prev[i, h * s:h * s + f, w * s:w * s + f, c]
        A[i, h, w, c] = window.max() if mode == "max" else window.mean()
    return A


def loops_backward(dA, cache, mode):
    """The lesson's loops: each output's gradient routed to its window, shares accumulated."""
    A_prev, hp = cache
    f, s = hp["f"], hp["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w, c in np.ndindex(dA.shape):
        rows, cols = slice(h * s, h * s + f), slice(w * s, w * s + f)
        if mode == "max":
            share = ref.create_mask_from_window(A_prev[i, rows, cols, c]) * dA[i, h, w, c]
        else:
            share = ref.distribute_value(dA[i, h, w, c], (f, f))
        dA_prev[i, rows, cols, c] += share
    return dA_prev


def sizes_of(row):
    m, n_H_prev, n_W_prev, n_C, f, stride, mode, _ = row
    return (m, n_H_prev, n_W_prev, n_C), {"f": f, "stride": stride}, mode


@pytest.mark.parametrize("row", LAYERS, ids=IDS)
def test_forward_matches_the_definition(row):
    shape, hp, mode = sizes_of(row)
    A_prev = np.random.default_rng(0).standard_normal(shape)
    A, cache = ref.pool_forward(A_prev, hp, mode)
    np.testing.assert_allclose(A, loops_forward(A_prev, hp, mode), rtol=1e-12, atol=1e-12)
    assert cache[0] is A_prev and cache[1] is hp


@pytest.mark.parametrize("row", LAYERS, ids=IDS)
def test_backward_matches_finite_differences(row):
    shape, hp, mode = sizes_of(row)
    rng = np.random.default_rng(5)
    A_prev = distinct_input(rng, shape)
    A, cache = ref.pool_forward(A_prev, hp, mode)
    G = rng.standard_normal(A.shape)  # the cost sum(G * A) has dA = G

    def cost():
        return float(np.sum(G * ref.pool_forward(A_prev, hp, mode)[0]))

    dA_prev = ref.pool_backward(G, cache, mode)
    assert dA_prev.shape == A_prev.shape
    assert relative_error(dA_prev, numeric_gradient(cost, A_prev)) < 1e-7


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("row", LAYERS, ids=IDS)
def test_backward_matches_the_loops_even_with_ties(row, mode):
    shape, hp, _ = sizes_of(row)
    rng = np.random.default_rng(3)
    for A_prev in (rng.standard_normal(shape), rng.integers(0, 3, size=shape).astype(float),
                   np.maximum(rng.standard_normal(shape), 0.0)):
        A, cache = ref.pool_forward(A_prev, hp, mode)
        dA = rng.standard_normal(A.shape)
        before = (dA.copy(), A_prev.copy())
        np.testing.assert_allclose(ref.pool_backward(dA, cache, mode), loops_backward(dA, cache, mode),
                                   rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(before[0], dA)
        np.testing.assert_array_equal(before[1], A_prev)


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("row", LAYERS, ids=IDS)
def test_the_gradient_total_is_preserved(row, mode):
    shape, hp, _ = sizes_of(row)
    rng = np.random.default_rng(4)
    A_prev = np.maximum(rng.standard_normal(shape), 0.0)  # with ties: still one winner per window
    A, cache = ref.pool_forward(A_prev, hp, mode)
    dA = rng.standard_normal(A.shape)
    assert np.isclose(ref.pool_backward(dA, cache, mode).sum(), dA.sum(), rtol=1e-12, atol=1e-12)


def test_rows_in_no_window_get_no_gradient():
    # f = 2, stride 3, 7 rows: windows cover rows 0-1 and 3-4, rows 2, 5 and 6 are never read.
    A_prev = np.random.default_rng(1).standard_normal((2, 7, 6, 2))
    for mode in ("max", "average"):
        A, cache = ref.pool_forward(A_prev, {"f": 2, "stride": 3}, mode)
        dA_prev = ref.pool_backward(np.ones_like(A), cache, mode)
        assert A.shape == (2, 2, 2, 2)
        assert np.all(dA_prev[:, [2, 5, 6]] == 0) and np.all(dA_prev[:, :, [2, 5]] == 0)
        assert np.all(dA_prev[:, [0, 1, 3, 4]][:, :, [0, 1, 3, 4]].sum(axis=(1, 2)) > 0)


def test_mask_and_distribute_value():
    x = np.array([[1.0, 3.0], [4.0, 2.0]])
    mask = ref.create_mask_from_window(x)
    assert mask.dtype == bool and mask.tolist() == [[False, False], [True, False]]
    tied = np.array([[1.0, 5.0, 0.0], [5.0, 2.0, 5.0], [0.0, 0.0, 0.0]])
    assert np.argwhere(ref.create_mask_from_window(tied)).tolist() == [[0, 1]]  # the first in row-major order
    assert np.argwhere(ref.create_mask_from_window(np.zeros((3, 3)))).tolist() == [[0, 0]]
    a = ref.distribute_value(2.0, (2, 3))
    assert a.shape == (2, 3) and np.allclose(a, 1.0 / 3.0) and np.isclose(a.sum(), 2.0)


def test_the_average_backward_is_an_upsampling_when_stride_equals_f():
    # stride = f: each input pixel is in exactly one window, and dA_prev is dA upsampled by
    # np.kron with a block of 1 / f^2 (the "upsample" of section 4).
    rng = np.random.default_rng(2)
    A_prev, hp = rng.standard_normal((1, 6, 9, 1)), {"f": 3, "stride": 3}
    A, cache = ref.pool_forward(A_prev, hp, "average")
    dA = rng.standard_normal(A.shape)
    up = np.kron(dA[0, :, :, 0], np.full((3, 3), 1 / 9))
    np.testing.assert_allclose(ref.pool_backward(dA, cache, "average")[0, :, :, 0], up, rtol=1e-12)


def _torch_pool(torch, A_prev, hp, mode):
    x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)  # NHWC -> NCHW
    pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    return x, pool(x, hp["f"], hp["stride"])


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("row", LAYERS, ids=IDS)
def test_forward_and_backward_match_torch(row, mode, ties):
    torch = pytest.importorskip("torch")
    shape, hp, _ = sizes_of(row)
    rng = np.random.default_rng(13)
    # With ties (ReLU zeros and small integers), PyTorch's CPU max_pool2d also keeps the first
    # maximum of each window in row-major order: the reference's tie policy gives the same gradient.
    A_prev = rng.integers(-1, 3, size=shape).clip(0).astype(float) if ties else rng.standard_normal(shape)
    A, cache = ref.pool_forward(A_prev, hp, mode)
    dA = rng.standard_normal(A.shape)
    x, out = _torch_pool(torch, A_prev, hp, mode)
    np.testing.assert_allclose(A, out.detach().numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
    out.backward(torch.tensor(dA.transpose(0, 3, 1, 2).copy()))
    np.testing.assert_allclose(ref.pool_backward(dA, cache, mode), x.grad.numpy().transpose(0, 2, 3, 1),
                               rtol=1e-12, atol=1e-12)


# pool_activation_backward: delta^{l-1} = upsample(delta^l) * g'(z^{l-1}), checked through g and the pooling.
CHAIN_IDS = [row[-1] for row in CHAIN_LAYERS]


def chain_sizes(row):
    m, n_H_prev, n_W_prev, n_C, f, stride, mode, activation, _ = row
    return (m, n_H_prev, n_W_prev, n_C), {"f": f, "stride": stride}, mode, activation


@pytest.mark.parametrize("row", CHAIN_LAYERS, ids=CHAIN_IDS)
def test_the_chain_matches_finite_differences(row):
    shape, hp, mode, activation = chain_sizes(row)
    g = ACTIVATIONS[activation][0]
    rng = np.random.default_rng(8)
    # Entries 0.05 apart and away from 0 (the ReLU's kink): maxima and signs stay put under eps = 1e-6.
    Z_prev = distinct_input(rng, shape)
    Z_prev[np.abs(Z_prev) < 0.01] += 0.02
    A, cache = ref.pool_forward(g(Z_prev), hp, mode)
    G = rng.standard_normal(A.shape)

    def cost():
        return float(np.sum(G * ref.pool_forward(g(Z_prev), hp, mode)[0]))

    before = Z_prev.copy()
    dZ_prev = ref.pool_activation_backward(G, cache, Z_prev, activation, mode)
    np.testing.assert_array_equal(Z_prev, before)
    assert dZ_prev.shape == Z_prev.shape
    assert relative_error(dZ_prev, numeric_gradient(cost, Z_prev)) < 1e-7


@pytest.mark.parametrize("row", CHAIN_LAYERS, ids=CHAIN_IDS)
def test_the_chain_is_the_pooling_backward_times_g_prime(row):
    # With ReLU zeros (ties), too: a window of zeros has g' = 0 at every pixel, whatever the tie policy picks.
    shape, hp, mode, activation = chain_sizes(row)
    g, g_prime = ACTIVATIONS[activation]
    rng = np.random.default_rng(9)
    Z_prev = rng.standard_normal(shape) - 0.5
    A, cache = ref.pool_forward(g(Z_prev), hp, mode)
    dA = rng.standard_normal(A.shape)
    np.testing.assert_allclose(ref.pool_activation_backward(dA, cache, Z_prev, activation, mode),
                               loops_backward(dA, cache, mode) * g_prime(Z_prev), rtol=1e-12, atol=1e-12)


def test_the_chain_rejects_an_unknown_activation():
    A, cache = ref.pool_forward(np.zeros((1, 2, 2, 1)), {"f": 2, "stride": 2})
    with pytest.raises(ValueError, match="activation"):
        ref.pool_activation_backward(np.ones(A.shape), cache, np.zeros((1, 2, 2, 1)), "softplus")


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("row", CHAIN_LAYERS, ids=CHAIN_IDS)
def test_the_chain_matches_torch(row, ties):
    torch = pytest.importorskip("torch")
    shape, hp, mode, activation = chain_sizes(row)
    rng = np.random.default_rng(14)
    Z_prev = rng.standard_normal(shape) - (1.0 if ties else 0.0)  # shifted: many windows of ReLU zeros
    A, cache = ref.pool_forward(ACTIVATIONS[activation][0](Z_prev), hp, mode)
    dA = rng.standard_normal(A.shape)
    z = torch.tensor(Z_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)  # NHWC -> NCHW
    act = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[activation]
    pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
    pool(act(z), hp["f"], hp["stride"]).backward(torch.tensor(dA.transpose(0, 3, 1, 2).copy()))
    np.testing.assert_allclose(ref.pool_activation_backward(dA, cache, Z_prev, activation, mode),
                               z.grad.numpy().transpose(0, 2, 3, 1), rtol=1e-12, atol=1e-12)
