"""Test inputs for 03_conv_backward (channels-last convolution layer with stride and padding).

The geometries cover stride 1, 2 and 3, pad 0, 1 and 2, non-square inputs, several input channels,
m = 1, a 1 x 1 filter, a filter as large as the padded input, and sizes where
(n_H_prev + 2 pad - f) is not a multiple of the stride, so that the last input rows or columns
are in no window (their gradient is 0). Known mistakes are built from the reference module only.
"""
import numpy as np

from grader.exercise import Case, Exercise, Mistake

# (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad, label)
LAYERS = [
    (1, 4, 5, 2, 3, 2, 1, 1, "stride 1, pad 1, 4x5 input"),
    (2, 5, 6, 2, 2, 3, 2, 0, "stride 2, pad 0; the last input row is in no window"),
    (1, 7, 5, 3, 3, 2, 3, 2, "stride 3, pad 2, m = 1"),
    (3, 6, 7, 4, 1, 2, 2, 0, "1x1 filter, stride 2, pad 0"),
    (2, 9, 7, 3, 4, 5, 3, 1, "4x4 filter, stride 3, pad 1; the last input column is in no window"),
    (1, 3, 3, 1, 3, 1, 1, 0, "filter as large as the input: a single output"),
    (4, 8, 10, 3, 3, 6, 1, 2, "stride 1, pad 2, 8x10 input"),
    (2, 11, 6, 2, 5, 3, 2, 2, "5x5 filter, stride 2, pad 2, 11x6 input"),
    (1, 6, 9, 5, 2, 4, 3, 0, "stride 3, pad 0, m = 1; the last row and column are in no window"),
]


def layer(rng, m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad):
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b, {"stride": stride, "pad": pad}


def pad_cases(ref, rng):
    for shape, pad, label in [((1, 3, 3, 1), 1, "pad 1, a single 3x3 channel"),
                              ((2, 3, 4, 2), 2, "pad 2, 3x4 input, 2 channels"),
                              ((3, 2, 5, 3), 0, "pad 0 (nothing to add)"),
                              ((1, 4, 2, 1), 3, "pad 3, 4x2 input, m = 1"),
                              ((4, 5, 5, 2), 1, "pad 1, 4 examples")]:
        yield Case(label, (rng.standard_normal(shape), pad), shape[0])


def single_step_cases(ref, rng):
    for f, n_C_prev, label in [(3, 2, "3x3 window, 2 channels"), (2, 1, "2x2 window, 1 channel"),
                               (1, 4, "1x1 window, 4 channels"), (4, 3, "4x4 window, 3 channels"),
                               (5, 1, "5x5 window, 1 channel")]:
        yield Case(label, (rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev)),
                           rng.standard_normal((1, 1, 1))))


def single_step_backward_cases(ref, rng):
    for f, n_C_prev, dz, label in [(3, 2, 0.7, "3x3 window, 2 channels, dz = 0.7"),
                                   (2, 1, -1.5, "2x2 window, 1 channel, dz = -1.5"),
                                   (1, 4, 2.0, "1x1 window, 4 channels, dz = 2"),
                                   (4, 3, -0.3, "4x4 window, 3 channels, dz = -0.3"),
                                   (5, 1, 1.25, "5x5 window, 1 channel, dz = 1.25")]:
        yield Case(label, (dz, rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev))))


def forward_cases(ref, rng):
    for *sizes, label in LAYERS:
        yield Case(label, layer(rng, *sizes), sizes[0])


def backward_cases(ref, rng):
    for *sizes, label in LAYERS:
        Z, cache = ref.conv_forward(*layer(rng, *sizes))
        dZ = rng.standard_normal(Z.shape)
        yield Case(label, (dZ, cache), sizes[0])


def fixed_backward_cases(ref, rng):
    # The first two (the known values) each show one bug of conv_backward_buggy: stride 2 with pad 1, then
    # stride 1 with pad 0; the third has both.
    first = [(2, 5, 6, 2, 3, 2, 2, 1, "stride 2, pad 1: the windows start at (2h, 2w)"),
             (2, 4, 5, 2, 2, 3, 1, 0, "stride 1, pad 0: nothing to crop"),
             (1, 6, 5, 3, 2, 2, 2, 0, "stride 2, pad 0")]
    for *sizes, label in first + LAYERS:
        Z, cache = ref.conv_forward(*layer(rng, *sizes))
        yield Case(label, (rng.standard_normal(Z.shape), cache), sizes[0])


# Known mistakes, each an output computed with the reference.
def _pad_every_axis(ref, X, pad):
    return np.pad(X, pad)


def _pad_one_side(ref, X, pad):
    return np.pad(X, ((0, 0), (0, 2 * pad), (0, 2 * pad), (0, 0)))


def _no_bias_single(ref, a_slice_prev, W, b):
    return float(np.sum(a_slice_prev * W))


def _forward_ignoring_stride(ref, A_prev, W, b, hparameters):
    Z, cache = ref.conv_forward(A_prev, W, b, hparameters)
    Z1, _ = ref.conv_forward(A_prev, W, b, {**hparameters, "stride": 1})
    return Z1[:, :Z.shape[1], :Z.shape[2]], cache


def _forward_without_bias(ref, A_prev, W, b, hparameters):
    Z, cache = ref.conv_forward(A_prev, W, b, hparameters)
    return Z - b, cache


def _forward_caching_padded_input(ref, A_prev, W, b, hparameters):
    Z, _ = ref.conv_forward(A_prev, W, b, hparameters)
    return Z, (ref.zero_pad(A_prev, hparameters["pad"]), W, b, hparameters)


def _step_swapped(ref, dz, a_slice_prev, W):
    return dz * a_slice_prev, dz * W, float(dz)


def _step_without_dz(ref, dz, a_slice_prev, W):
    return W, a_slice_prev, 1.0


def _step_rotated(ref, dz, a_slice_prev, W):
    return dz * W[::-1, ::-1], dz * a_slice_prev, float(dz)


def _backward_ignoring_stride(ref, dZ, cache):
    # Windows that start at (h, w) instead of (h stride, w stride): a stride-1, pad-0 layer on the
    # top-left n_H + f - 1 rows and n_W + f - 1 columns of the padded input, with the same dZ.
    A_prev, W, b, hparameters = cache
    pad, f = hparameters["pad"], W.shape[0]
    n_H, n_W = dZ.shape[1:3]
    A_prev_pad = ref.zero_pad(A_prev, pad)
    corner = A_prev_pad[:, :n_H + f - 1, :n_W + f - 1, :]
    dCorner, dW, db = ref.conv_backward(dZ, (corner, W, b, {"stride": 1, "pad": 0}))
    dA_prev_pad = np.zeros_like(A_prev_pad)
    dA_prev_pad[:, :n_H + f - 1, :n_W + f - 1, :] = dCorner
    return dA_prev_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW, db


def _backward_without_crop(ref, dZ, cache):
    # The gradient of the padded input: the same layer applied to an input padded in advance.
    A_prev, W, b, hparameters = cache
    A_prev_pad = ref.zero_pad(A_prev, hparameters["pad"])
    return ref.conv_backward(dZ, (A_prev_pad, W, b, {**hparameters, "pad": 0}))


def _backward_cropping_with_negative_end(ref, dZ, cache):
    # dA_prev_pad[:, pad:-pad, pad:-pad, :]: right for pad > 0, an empty array for pad = 0.
    dA_prev, dW, db = ref.conv_backward(dZ, cache)
    pad = cache[3]["pad"]
    return (dA_prev if pad else dA_prev[:, 0:0, 0:0, :]), dW, db


def _backward_rotated_filter(ref, dZ, cache):
    A_prev, W, b, hparameters = cache
    return ref.conv_backward(dZ, (A_prev, W[::-1, ::-1], b, hparameters))


def _backward_overwriting(ref, dZ, cache):
    # `dW[..., c] = ...` instead of `+=` in the loops keeps only the last window: i, h, w at their ends.
    last = np.zeros_like(dZ)
    last[-1, -1, -1, :] = dZ[-1, -1, -1, :]
    return ref.conv_backward(last, cache)


def _backward_overwriting_dA_prev(ref, dZ, cache):
    """`=` instead of `+=` for dA_prev only: each input pixel keeps the share of the last (h, w, c) in loop order
    whose window holds it (each share is the reference's gradient of that one dZ entry)."""
    A_prev, W, b, hparameters = cache
    s, pad, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    _, dW, db = ref.conv_backward(dZ, cache)
    dA_prev, written = np.zeros(A_prev.shape), np.zeros(A_prev.shape[1:3], dtype=bool)
    for h in reversed(range(dZ.shape[1])):
        for w in reversed(range(dZ.shape[2])):
            for c in reversed(range(dZ.shape[3])):
                rows = slice(max(h * s - pad, 0), min(h * s + f - pad, A_prev.shape[1]))
                cols = slice(max(w * s - pad, 0), min(w * s + f - pad, A_prev.shape[2]))
                region = np.zeros(A_prev.shape[1:3], dtype=bool)
                region[rows, cols] = True
                new = region & ~written
                if new.any():
                    one = np.zeros_like(dZ)
                    one[:, h, w, c] = dZ[:, h, w, c]
                    dA_prev[:, new, :] = ref.conv_backward(one, cache)[0][:, new, :]
                    written |= new
    return dA_prev, dW, db


STRIDE_CAUSE = ("ignoring the stride: the window of output (h, w) starts at row h * stride and column "
                "w * stride of the padded input, not at (h, w)")

NEGATIVE_END_CAUSE = ("cropping with a negative end: dA_prev_pad[:, pad:-pad, pad:-pad, :] is empty when pad = 0; "
                      "write the ends explicitly, dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]")
BACKWARD_MISTAKES = (
    Mistake("ignore_stride", STRIDE_CAUSE, _backward_ignoring_stride),
    Mistake("no_crop", "returning the gradient of the padded input: remove the padding, "
            "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", _backward_without_crop),
    Mistake("overwritten", "overwriting instead of accumulating: every window adds its share, "
            "dW[:, :, :, c] += a_slice * dZ[i, h, w, c] (likewise db and dA_prev)", _backward_overwriting),
    Mistake("overwritten_dA_prev", "overwriting dA_prev instead of accumulating: windows overlap and every "
            "output channel sends a share back, so dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]",
            _backward_overwriting_dA_prev),
    Mistake("rotated_filter", "rotating the filter by 180 degrees: window by window, dZ[i, h, w, c] "
            "sends W[:, :, :, c] itself (not rotated) back to its window; the rotation only appears "
            "when the whole sum is written as a full convolution", _backward_rotated_filter))

EXERCISES = {
    "zero_pad": Exercise("zero_pad", ("X", "pad"), "X_pad", pad_cases, mistakes=(
        Mistake("every_axis", "padding every axis of X: pad only the height and width axes (1 and 2), "
                "e.g. np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))", _pad_every_axis),
        Mistake("one_side", "putting all 2 * pad zeros after the data: pad both sides, (pad, pad)",
                _pad_one_side))),
    "conv_single_step": Exercise("conv_single_step", ("a_slice_prev", "W", "b"), "Z", single_step_cases,
                                 mistakes=(Mistake("no_bias", "forgetting to add the bias b", _no_bias_single),)),
    "conv_forward": Exercise("conv_forward", ("A_prev", "W", "b", "hparameters"), ("Z", "cache"),
                             forward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, _forward_ignoring_stride),
        Mistake("no_bias", "forgetting to add the bias b[..., c] of each filter", _forward_without_bias),
        Mistake("padded_cache", "caching the padded input: the cache holds A_prev itself, "
                "(A_prev, W, b, hparameters)", _forward_caching_padded_input))),
    "single_step_backward": Exercise(
        "single_step_backward", ("dz", "a_slice_prev", "W"), ("da_slice_prev", "dW", "db"),
        single_step_backward_cases, mistakes=(
            Mistake("swapped", "swapping the roles: the window's gradient is dz times the filter, and the "
                    "filter's gradient is dz times the window", _step_swapped),
            Mistake("no_dz", "leaving out the upstream gradient dz: each gradient is dz times the local "
                    "derivative", _step_without_dz),
            Mistake("rotated", "rotating the filter: entry [u, v, k] of the window meets entry [u, v, k] of "
                    "the filter, so its gradient is dz * W[u, v, k]", _step_rotated))),
    "conv_backward": Exercise("conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), backward_cases,
                              n_known=2, mistakes=BACKWARD_MISTAKES + (
        Mistake("negative_end", NEGATIVE_END_CAUSE, _backward_cropping_with_negative_end),)),
    "fixed_conv_backward": Exercise("fixed_conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"),
                                    fixed_backward_cases, n_known=2, mistakes=BACKWARD_MISTAKES + (
        Mistake("negative_end", NEGATIVE_END_CAUSE, _backward_cropping_with_negative_end),)),
}
