"""Test inputs for 04_pool_backward (channels-last max and average pooling with any stride).

The geometries cover both modes, stride < f (overlapping windows), stride = f, stride > 1 with
f = 3, non-square inputs, several channels, m = 1, a window as large as the input, and sizes where
(n_H_prev - f) is not a multiple of the stride, so that the last input rows or columns are in no
window (their gradient is 0). Max pooling is also tested on inputs with tied maxima: windows of
ReLU zeros, and small integers. pool_activation_backward (the step from a pooling layer's gradient to
the delta of the layer before it) is tested with each activation and each mode, its cache made by
pool_forward from A_prev = g(Z_prev). Known mistakes are built from the reference module only.
"""
import numpy as np

from grader import compare, runner
from grader.helpers import helpers_rule
from grader.messages import WrongAnswer
from grader.exercise import Case, Exercise, Mistake

# (m, n_H_prev, n_W_prev, n_C, f, stride, mode, label)
LAYERS = [
    (1, 4, 4, 1, 2, 2, "max", "max, f = 2, stride 2, one 4x4 channel"),
    (2, 4, 5, 2, 3, 1, "average", "average, f = 3, stride 1 (overlapping windows), 4x5 input"),
    (2, 5, 7, 3, 2, 1, "max", "max, f = 2, stride 1 (overlapping windows), 5x7 input, 3 channels"),
    (1, 7, 7, 2, 3, 2, "max", "max, f = 3, stride 2 (overlapping windows), m = 1"),
    (3, 7, 5, 2, 3, 2, "average", "average, f = 3, stride 2 (overlapping windows), 7x5 input"),
    (2, 6, 8, 3, 2, 2, "average", "average, f = stride = 2, 6x8 input"),
    (1, 9, 6, 4, 3, 3, "max", "max, f = stride = 3, 9x6 input, m = 1, 4 channels"),
    (2, 8, 7, 2, 3, 3, "average", "average, f = stride = 3; the last rows and column are in no window"),
    (2, 6, 5, 3, 4, 1, "max", "max, f = 4, stride 1 (overlapping windows), 6x5 input"),
    (2, 7, 6, 2, 2, 3, "max", "max, f = 2, stride 3: rows and columns between windows are in no window"),
    (2, 5, 5, 1, 5, 1, "average", "average, a window as large as the input: a single output"),
    (1, 3, 5, 2, 3, 1, "max", "max, a window as tall as the input, m = 1"),
]


def layer(rng, m, n_H_prev, n_W_prev, n_C, f, stride):
    return rng.standard_normal((m, n_H_prev, n_W_prev, n_C)), {"f": f, "stride": stride}


def forward_cases(ref, rng):
    for *sizes, mode, label in LAYERS:
        A_prev, hparameters = layer(rng, *sizes)
        yield Case(label, (A_prev, hparameters, mode), sizes[0])


def mask_cases(ref, rng):
    yield Case("2x2 window", (rng.standard_normal((2, 2)),))
    # The -5 at [1, 0] has the largest magnitude: a mask of np.argmax(np.abs(x)) points there.
    yield Case("3x3 window whose maximum occurs twice (first at [0, 2], then at [2, 1]), with a -5",
               (np.array([[1.0, 0.0, 4.0], [-5.0, 3.0, 1.0], [0.5, 4.0, -1.0]]),))
    yield Case("3x3 window", (rng.standard_normal((3, 3)),))
    yield Case("3x3 window of ReLU zeros: every entry is a maximum", (np.zeros((3, 3)),))
    yield Case("4x4 window", (rng.standard_normal((4, 4)),))
    yield Case("1x1 window", (rng.standard_normal((1, 1)),))
    yield Case("4x4 window of small integers with tied maxima", (_tied(rng, (4, 4)),))
    yield Case("2x2 window whose maximum occurs twice (at [0, 1] and [1, 0])",
               (np.array([[0.2, 0.9], [0.9, -0.3]]),))
    yield Case("5x5 window", (rng.standard_normal((5, 5)),))


def distribute_cases(ref, rng):
    yield Case("dz = 2.0 over a 2x2 window", (2.0, (2, 2)))
    yield Case("dz = -1.5 over a 2x3 window", (-1.5, (2, 3)))
    yield Case("3x3 window", (float(rng.standard_normal()), (3, 3)))
    yield Case("3x2 window", (float(rng.standard_normal()), (3, 2)))
    yield Case("1x4 window", (float(rng.standard_normal()), (1, 4)))
    yield Case("1x1 window", (float(rng.standard_normal()), (1, 1)))
    yield Case("5x4 window", (float(rng.standard_normal()), (5, 4)))
    yield Case("dz = 0", (0.0, (2, 2)))


def _tied(rng, shape):
    """Small integers: many windows hold their maximum more than once."""
    return rng.integers(0, 3, size=shape).astype(np.float64)


def backward_cases(ref, rng):
    # First the two known-value cases: small, one of each mode, the max one with tied maxima.
    A_prev = np.maximum(rng.standard_normal((1, 4, 5, 2)), 0.0)
    A_prev[0, :2, :2, 0] = 0.0  # a window of ReLU zeros: every entry ties
    yield _backward_case(ref, rng, A_prev, 2, 1, "max",
                         "max, f = 2, stride 1 (overlapping windows), ReLU output with tied zeros")
    yield _backward_case(ref, rng, rng.standard_normal((2, 5, 7, 2)), 3, 2, "average",
                         "average, f = 3, stride 2 (overlapping windows), 5x7 input")
    for (m, n_H_prev, n_W_prev, n_C, f, stride, mode, label) in LAYERS[2:]:
        A_prev, _ = layer(rng, m, n_H_prev, n_W_prev, n_C, f, stride)
        yield _backward_case(ref, rng, A_prev, f, stride, mode, label)
    yield _backward_case(ref, rng, _tied(rng, (2, 6, 7, 2)), 3, 2, "max",
                         "max, f = 3, stride 2, small integers: tied maxima in overlapping windows")
    yield _backward_case(ref, rng, np.maximum(rng.standard_normal((3, 6, 6, 2)) - 0.8, 0.0), 2, 2, "max",
                         "max, f = stride = 2, ReLU output: many windows of zeros")


def _backward_case(ref, rng, A_prev, f, stride, mode, label):
    A, cache = ref.pool_forward(A_prev, {"f": f, "stride": stride}, mode)
    return Case(label, (rng.standard_normal(A.shape), cache, mode), A_prev.shape[0])


# Known mistakes, each an output computed with the reference.
def _other(mode):
    return "average" if mode == "max" else "max"


def _mask_all_ties(ref, x):
    return x == np.max(x)


def _mask_last_max(ref, x):
    return ref.create_mask_from_window(x[::-1, ::-1])[::-1, ::-1]


def _mask_largest_magnitude(ref, x):
    return ref.create_mask_from_window(np.abs(x))


def _distribute_copy(ref, dz, shape):
    return np.full(shape, float(dz))


def _distribute_one_side(ref, dz, shape):
    return np.full(shape, dz / shape[0])


def _forward_ignoring_stride(ref, A_prev, hparameters, mode):
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    A1, _ = ref.pool_forward(A_prev, {**hparameters, "stride": 1}, mode)
    return A1[:, :A.shape[1], :A.shape[2]], cache


def _forward_over_channels(ref, A_prev, hparameters, mode):
    """pool_forward whose window spans every channel (A_prev[i, rows, cols, :]): one value for all channels."""
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    pooled, _ = ref.pool_forward(A_prev.max(axis=3, keepdims=True) if mode == "max" else
                                 A_prev.mean(axis=3, keepdims=True), hparameters, mode)
    return np.broadcast_to(pooled, A.shape).copy(), cache


def _forward_summing(ref, A_prev, hparameters, mode):
    if mode != "average":
        raise ValueError("only average pooling divides")
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    return A * hparameters["f"] ** 2, cache


def _backward_over_channels(ref, dA, cache, mode):
    """Max pooling whose window spans every channel: each dA[i, h, w, c] goes to the first maximum of the
    (f, f, n_C) block, whatever its channel."""
    if mode != "max":
        raise ValueError("the average mode of this answer is right")
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for i, h, w in np.ndindex(*dA.shape[:3]):
        block = A_prev[i, h * s:h * s + f, w * s:w * s + f, :]
        first = np.unravel_index(np.argmax(block), block.shape)
        dA_prev[i, h * s + first[0], w * s + first[1], first[2]] += np.sum(dA[i, h, w, :])
    return dA_prev


def _backward_dividing_by_f(ref, dA, cache, mode):
    if mode != "average":
        raise ValueError("only average pooling divides")
    return ref.pool_backward(dA, cache, mode) * cache[1]["f"]


def _forward_other_mode(ref, A_prev, hparameters, mode):
    A, cache = ref.pool_forward(A_prev, hparameters, _other(mode))
    return A, (A_prev, hparameters)


def _backward_other_mode(ref, dA, cache, mode):
    return ref.pool_backward(dA, cache, _other(mode))


def _backward_ignoring_stride(ref, dA, cache, mode):
    # Windows that start at (h, w) instead of (h stride, w stride): a stride-1 layer on the top-left
    # n_H + f - 1 rows and n_W + f - 1 columns of the input, with the same dA.
    A_prev, hparameters = cache
    f = hparameters["f"]
    n_H, n_W = dA.shape[1:3]
    corner = A_prev[:, :n_H + f - 1, :n_W + f - 1, :]
    dA_prev = np.zeros(A_prev.shape)
    dA_prev[:, :n_H + f - 1, :n_W + f - 1, :] = ref.pool_backward(dA, (corner, {"f": f, "stride": 1}), mode)
    return dA_prev


def _backward_copying(ref, dA, cache, mode):
    if mode != "average":
        raise ValueError("only average pooling divides")
    f = cache[1]["f"]
    return ref.pool_backward(dA, cache, mode) * (f * f)


def _backward_overwriting(ref, dA, cache, mode):
    # `dA_prev[i, window, c] = ...` instead of `+=`: in the loops over h and w, the last window that
    # contains a pixel decides its gradient (the other windows' shares are lost).
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    dA_prev = np.zeros(A_prev.shape)
    for h in range(dA.shape[1]):
        for w in range(dA.shape[2]):
            only = np.zeros(dA.shape)
            only[:, h, w, :] = dA[:, h, w, :]
            window = (slice(None), slice(h * s, h * s + f), slice(w * s, w * s + f))
            dA_prev[window] = ref.pool_backward(only, cache, mode)[window]
    return dA_prev


def _backward_all_ties(ref, dA, cache, mode):
    # A mask `a_slice == np.max(a_slice)`: every tied maximum of a window receives the whole gradient.
    if mode != "max":
        raise ValueError("only max pooling has a mask")
    A_prev, hparameters = cache
    f, s = hparameters["f"], hparameters["stride"]
    A, _ = ref.pool_forward(A_prev, hparameters, "max")
    n_H, n_W = dA.shape[1:3]
    dA_prev = np.zeros(A_prev.shape)
    for u in range(f):
        for v in range(f):
            grid = (slice(None), slice(u, u + s * (n_H - 1) + 1, s), slice(v, v + s * (n_W - 1) + 1, s))
            dA_prev[grid] += np.where(A_prev[grid] == A, dA, 0.0)
    return dA_prev


# pool_activation_backward: the activation g between the layer before and the pooling layer.
ACTIVATIONS = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64)),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
}
# (m, n_H_prev, n_W_prev, n_C, f, stride, mode, activation, label); the first three are the known values.
CHAIN_LAYERS = [
    (1, 4, 5, 2, 2, 1, "max", "relu", "relu then max, f = 2, stride 1 (overlapping windows), windows of tied ReLU zeros"),
    (2, 5, 5, 1, 3, 2, "average", "tanh", "tanh then average, f = 3, stride 2 (overlapping windows)"),
    (1, 6, 5, 2, 2, 2, "max", "sigmoid", "sigmoid then max, f = stride = 2, 6x5 input"),
    (2, 7, 7, 2, 3, 2, "max", "tanh", "tanh then max, f = 3, stride 2 (overlapping windows)"),
    (3, 6, 8, 3, 2, 2, "average", "relu", "relu then average, f = stride = 2, 6x8 input"),
    (2, 7, 6, 2, 2, 3, "average", "sigmoid", "sigmoid then average, f = 2, stride 3: rows in no window"),
    (1, 9, 6, 4, 3, 3, "max", "relu", "relu then max, f = stride = 3, m = 1, 4 channels"),
    (2, 6, 5, 3, 4, 1, "average", "tanh", "tanh then average, f = 4, stride 1 (overlapping windows)"),
    (2, 5, 7, 3, 2, 1, "max", "sigmoid", "sigmoid then max, f = 2, stride 1, 5x7 input, 3 channels"),
    (2, 8, 7, 2, 3, 3, "max", "relu", "relu then max, f = stride = 3; the last rows and column are in no window"),
    (1, 5, 5, 1, 5, 1, "average", "relu", "relu then average, a window as large as the input"),
]


def chain_cases(ref, rng):
    for m, n_H_prev, n_W_prev, n_C, f, stride, mode, activation, label in CHAIN_LAYERS:
        Z_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C))
        if activation == "relu" and mode == "max":
            # After a ReLU, max pooling's gradient reaches a pixel with g' = 0 only through a window of
            # ReLU zeros (tied maxima): make some, or a missing g' would go unnoticed.
            Z_prev[:, :f, :f, 0] = -np.abs(Z_prev[:, :f, :f, 0])
            Z_prev[..., -1] -= 1.0
        if activation == "relu":
            # A pre-activation of exactly 0 (ReLU'(0) = 0 in this course, as in 02 and torch): in max mode it is
            # the first maximum of the window of zeros above, so a ReLU' written z >= 0 routes a gradient there.
            Z_prev[:, 0, 0, 0] = 0.0
        A_prev = ACTIVATIONS[activation][0](Z_prev)
        A, cache = ref.pool_forward(A_prev, {"f": f, "stride": stride}, mode)
        yield Case(label, (rng.standard_normal(A.shape), cache, Z_prev, activation, mode), m)


def _chain_relu_prime_at_zero(ref, dA, cache, Z_prev, activation, mode):
    if activation != "relu":
        raise ValueError("only a ReLU has this mistake")
    return ref.pool_backward(dA, cache, mode) * (Z_prev >= 0)


def _chain_without_g_prime(ref, dA, cache, Z_prev, activation, mode):
    return ref.pool_backward(dA, cache, mode)


def _chain_copying(ref, dA, cache, Z_prev, activation, mode):
    return _backward_copying(ref, dA, cache, mode) * ACTIVATIONS[activation][1](Z_prev)


def _chain_times_g(ref, dA, cache, Z_prev, activation, mode):
    return ref.pool_backward(dA, cache, mode) * ACTIVATIONS[activation][0](Z_prev)


def _chain_g_prime_at_a(ref, dA, cache, Z_prev, activation, mode):
    return ref.pool_backward(dA, cache, mode) * ACTIVATIONS[activation][1](cache[0])


def _chain_ignoring_stride(ref, dA, cache, Z_prev, activation, mode):
    return _backward_ignoring_stride(ref, dA, cache, mode) * ACTIVATIONS[activation][1](Z_prev)


def _chain_other_mode(ref, dA, cache, Z_prev, activation, mode):
    return ref.pool_backward(dA, cache, _other(mode)) * ACTIVATIONS[activation][1](Z_prev)


STRIDE_CAUSE = ("ignoring the stride: the window of output (h, w) starts at row h * stride and column "
                "w * stride of A_prev, not at (h, w)")
ALL_TIES_CAUSE = ("marking every tied maximum: when a window holds its maximum more than once (windows of "
                  "ReLU zeros do), only the first one in row-major order, the one np.argmax points to, "
                  "takes the gradient; marking all of them passes the window's gradient on several times")
COPY_CAUSE = ("copying the gradient into every entry of the window without dividing by f_H * f_W: "
              "the average gives each entry the weight 1 / (f_H * f_W), so each gets dz / (f_H * f_W) "
              "and the window's total stays dz; a copy makes every gradient below this layer f_H * f_W "
              "times too large")

EXERCISES = {
    "pool_forward": Exercise("pool_forward", ("A_prev", "hparameters", "mode"), ("A", "cache"),
                             forward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, _forward_ignoring_stride),
        Mistake("other_mode", "using the wrong mode: mode \"max\" takes the maximum of each window, "
                "mode \"average\" its mean", _forward_other_mode),
        Mistake("over_channels", "pooling over every channel at once (A_prev[i, rows, cols, :]): pooling keeps the "
                "channels apart, one window per channel c, A_prev[i, rows, cols, c]", _forward_over_channels),
        Mistake("summing", "summing the window instead of averaging it: mode \"average\" divides the sum by f * f "
                "(np.mean)", _forward_summing))),
    "create_mask_from_window": Exercise("create_mask_from_window", ("x",), "mask", mask_cases, mistakes=(
        Mistake("all_ties", ALL_TIES_CAUSE, _mask_all_ties),
        Mistake("last_max", "marking the last maximum: when the maximum occurs more than once, the "
                "mask marks the first one in row-major order (the one np.argmax points to)",
                _mask_last_max),
        Mistake("largest_magnitude", "marking the entry of largest magnitude (np.abs): max pooling keeps the "
                "largest value, so a negative entry is never the maximum of a window that holds a larger one",
                _mask_largest_magnitude))),
    "distribute_value": Exercise("distribute_value", ("dz", "shape"), "a", distribute_cases, mistakes=(
        Mistake("copy", COPY_CAUSE.replace("window without", "(f_H, f_W) window without"), _distribute_copy),
        Mistake("one_side", "dividing by one side of the window only: divide by the number of entries, "
                "f_H * f_W", _distribute_one_side))),
    "pool_backward": Exercise("pool_backward", ("dA", "cache", "mode"), "dA_prev", backward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, _backward_ignoring_stride),
        Mistake("copy", COPY_CAUSE.replace("f_H * f_W", "f * f"), _backward_copying),
        Mistake("overwritten", "overwriting instead of accumulating: when windows overlap (stride < f), a "
                "pixel of A_prev gets a share from every window that contains it, so add them up, "
                "dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += ...", _backward_overwriting),
        Mistake("all_ties", ALL_TIES_CAUSE, _backward_all_ties),
        Mistake("other_mode", "using the other mode's rule: \"max\" sends each gradient to the window's "
                "maximum, \"average\" splits it evenly over the window", _backward_other_mode),
        Mistake("over_channels", "taking the maximum over every channel at once (A_prev[i, rows, cols, :]): pooling "
                "keeps the channels apart, so the window of dA[i, h, w, c] is A_prev[i, rows, cols, c], one channel",
                _backward_over_channels),
        Mistake("divided_by_f", "dividing by f instead of f * f: the window has f * f entries, each gets "
                "dz / (f * f)", _backward_dividing_by_f))),
    "pool_activation_backward": Exercise(
        "pool_activation_backward", ("dA", "cache", "Z_prev", "activation", "mode"), "dZ_prev", chain_cases,
        n_known=3, mistakes=(
            Mistake("relu_prime_at_zero", "taking ReLU'(0) = 1 (Z_prev >= 0): ReLU'(z) is 1 only for z > 0, so "
                    "write Z_prev > 0, as in 02 and in PyTorch", _chain_relu_prime_at_zero),
            Mistake("no_g_prime", "stopping after the pooling layer: upsampling dA gives dJ/dA_prev, the "
                    "gradient with respect to the activation; the delta dJ/dZ_prev needs one more step of the "
                    "chain rule, the elementwise product with g'(Z_prev)", _chain_without_g_prime),
            Mistake("copy", "upsampling without the 1 / f^2 of average pooling: "
                    + COPY_CAUSE.replace("f_H * f_W", "f * f"), _chain_copying),
            Mistake("times_g", "multiplying by the activation g(Z_prev) = A_prev instead of its derivative "
                    "g'(Z_prev)", _chain_times_g),
            Mistake("g_prime_at_a", "evaluating g' at the activation A_prev instead of at the pre-activation "
                    "Z_prev: the chain rule needs dA_prev/dZ_prev = g'(Z_prev)", _chain_g_prime_at_a),
            Mistake("ignore_stride", "upsampling while " + STRIDE_CAUSE, _chain_ignoring_stride),
            Mistake("other_mode", "upsampling with the other mode's rule: \"max\" sends each gradient to "
                    "the window's maximum, \"average\" splits it evenly over the window", _chain_other_mode))),
}


# The gradient's total is preserved: a check that needs no reference (the cache of a pooling layer is
# only its input and hyperparameters), run by the hidden tests of pool_backward.
RULE = {
    "average": ("Each output's gradient must be split among the f * f entries of its window, not "
                "copied (divide by f * f), and every window's share must be added (+=) to dA_prev, "
                "not overwrite another window's share."),
    "max": ("Each output's gradient goes whole to exactly one entry of its window (the first maximum), "
            "and every window's share must be added (+=) to dA_prev, not overwrite another window's share."),
}
TOTAL_LAYERS = [((2, 9, 8, 3), 3, 2), ((1, 6, 7, 2), 2, 1), ((3, 8, 8, 2), 2, 2), ((2, 7, 9, 1), 2, 3)]


def check_gradient_total(pool_backward, mode="average"):
    """Raise WrongAnswer unless the total of dA_prev equals the total of dA on several layers (under the helper
    rule of every check: the mask and distribute helpers it calls are the reference's while graded)."""
    __tracebackhide__ = True
    with helpers_rule("04_pool_backward", "pool_backward", pool_backward):
        _check_gradient_total(pool_backward, mode)
    print(f"\u2713 pool_backward ({mode}): the gradient's total is preserved on {len(TOTAL_LAYERS)} layers")


def _check_gradient_total(pool_backward, mode):
    __tracebackhide__ = True
    rng = np.random.default_rng(77)
    for shape, f, stride in TOTAL_LAYERS:
        A_prev = rng.standard_normal(shape)
        hparameters = {"f": f, "stride": stride}
        n_H, n_W = (shape[1] - f) // stride + 1, (shape[2] - f) // stride + 1
        dA = rng.standard_normal((shape[0], n_H, n_W, shape[3]))
        label = f"{mode}, A_prev {shape}, f = {f}, stride {stride}"
        result = runner.call(pool_backward, (dA, (A_prev, hparameters), mode), ("dA", "cache", "mode"))
        if result.error:
            raise WrongAnswer(f"pool_backward {result.error} (case '{label}')")
        got = compare.as_float_array(result.value)
        if got is None:
            raise WrongAnswer(f"pool_backward should return a numpy array of shape {shape}, got "
                              f"{compare.type_name(result.value)} (case '{label}')")
        if got.shape != shape:
            raise WrongAnswer(f"pool_backward returned shape {got.shape} for A_prev of shape {shape} "
                              f"(case '{label}')")
        if not np.isclose(got.sum(), dA.sum(), rtol=1e-9, atol=1e-9):
            raise WrongAnswer(
                f"pool_backward does not preserve the gradient's total on the case '{label}': the "
                f"entries of dA sum to {dA.sum():.6g} but those of dA_prev to {got.sum():.6g} "
                f"({got.sum() / dA.sum():.4g} times as much). {RULE[mode]}")
