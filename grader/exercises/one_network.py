"""Test inputs for 06_one_network (fast convolution, flatten, softmax cross-entropy, the whole network).

The convolution geometries cover stride 1, 2 and 3, pad 0, 1 and 2, non-square inputs, several input and
output channels, m = 1, a 1 x 1 filter and overlapping as well as disjoint windows. The pasted pieces of 03
and 04 (conv_backward, pool_forward, pool_backward) are tested as in their own assignments. Known mistakes are
built from the reference module only.
"""
import contextlib

import numpy as np

from grader import compare, reference, runner
from grader.helpers import other_answers_replaced
from grader.messages import WrongAnswer
from grader.exercise import Case, Exercise, Mistake
from grader.exercises import conv_backward as conv03
from grader.exercises import pool_backward as pool04

# 03's layers (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad, label), and overlapping windows, where
# col2im must add.
LAYERS = conv03.LAYERS + [(2, 6, 6, 3, 3, 4, 2, 1, "stride 2 < f = 3 (overlapping windows), pad 1")]
layer = conv03.layer


def im2col_cases(ref, rng):
    for m, n_H_prev, n_W_prev, n_C_prev, f, _, stride, pad, label in LAYERS:
        A_pad = rng.standard_normal((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev))
        yield Case(f"f = {f}, stride {stride}, A_pad {A_pad.shape}", (A_pad, f, stride), m)


def col2im_cases(ref, rng):
    for m, n_H_prev, n_W_prev, n_C_prev, f, _, stride, pad, label in LAYERS:
        shape = (m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev)
        rows = ref.im2col(np.zeros(shape), f, stride).shape[0]
        overlap = " (overlapping windows)" if stride < f else ""
        yield Case(f"f = {f}, stride {stride}{overlap}, padded shape {shape}",
                   (rng.standard_normal((rows, f * f * n_C_prev)), shape, f, stride), m)


def conv_forward_cases(ref, rng):
    for *sizes, label in LAYERS:
        yield Case(label, layer(rng, *sizes), sizes[0])


def conv_backward_cases(ref, rng):
    for *sizes, label in LAYERS:
        Z, cache = ref.conv_forward_fast(*layer(rng, *sizes))
        yield Case(label, (rng.standard_normal(Z.shape), cache), sizes[0])


def relu_forward_cases(ref, rng):
    yield Case("a (2, 3) array", (rng.standard_normal((2, 3)),))
    yield Case("a (1, 4, 4, 2) image batch with exact zeros", (np.where(rng.random((1, 4, 4, 2)) < 0.3, 0.0,
                                                                       rng.standard_normal((1, 4, 4, 2))),))
    yield Case("a (3, 5, 6, 4) image batch", (rng.standard_normal((3, 5, 6, 4)),))
    yield Case("all negative", (-rng.random((2, 2, 3, 1)) - 0.1,))


def relu_backward_cases(ref, rng):
    for case in relu_forward_cases(ref, rng):
        Z = case.args[0]
        yield Case(case.label, (rng.standard_normal(Z.shape), Z))


FLATTEN = [((2, 3, 3, 2), "2 images, 3x3, 2 channels"), ((1, 2, 4, 3), "one image (m = 1), 2x4, 3 channels"),
           ((3, 4, 2, 1), "3 images, 4x2, 1 channel"), ((5, 6, 6, 4), "5 images, 6x6, 4 channels"),
           ((4, 1, 1, 7), "4 images of 1x1 pixel, 7 channels")]


def flatten_forward_cases(ref, rng):
    for shape, label in FLATTEN:
        yield Case(label, (rng.standard_normal(shape),), shape[0])


def flatten_backward_cases(ref, rng):
    for shape, label in FLATTEN:
        X, cache = ref.flatten_forward(rng.standard_normal(shape))
        yield Case(label, (rng.standard_normal(X.shape), cache), shape[0])


def _one_hot(rng, n_classes, m):
    Y = np.zeros((n_classes, m))
    Y[rng.integers(0, n_classes, size=m), np.arange(m)] = 1.0
    return Y


def softmax_cases(ref, rng):
    for n_classes, m, offset, label in [(3, 4, 0.0, "3 classes, 4 examples"),
                                        (4, 3, 800.0, "scores around 800: exp overflows without a shift"),
                                        (2, 1, 0.0, "2 classes, m = 1"), (5, 7, 0.0, "5 classes, 7 examples"),
                                        (4, 6, -1000.0, "scores around -1000: exp underflows to 0 without a shift"),
                                        (10, 20, 0.0, "10 classes, 20 examples")]:
        scores = offset + 2.0 * rng.standard_normal((n_classes, m))
        yield Case(label, (scores, _one_hot(rng, n_classes, m)), m)


# (m, n_H, n_W, n_C_prev, f, n_C, n_classes, label)
MODELS = [
    (2, 4, 4, 1, 3, 2, 3, "2 images of 4x4, 1 channel, 2 filters, 3 classes"),
    (1, 6, 4, 2, 3, 3, 2, "one image (m = 1), 6x4, 2 channels"),
    (3, 6, 6, 1, 3, 4, 4, "3 images of 6x6, 4 filters, 4 classes"),
    (4, 8, 6, 3, 3, 2, 5, "4 images of 8x6 (non-square), 3 channels"),
    (2, 5, 7, 2, 5, 3, 3, "5x5 filters on 5x7 images: 3x5 conv outputs, the last row and column in no pooling window"),
    (5, 12, 12, 1, 3, 4, 4, "5 images of 12x12, as in the training"),
]


def model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes):
    # A negative conv bias switches many ReLUs off, even in a max-pooling window's maximum.
    # conv with stride 1, pad 1, then 2x2 pooling with stride 2
    n_features = ((n_H + 3 - f - 2) // 2 + 1) * ((n_W + 3 - f - 2) // 2 + 1) * n_C
    return {"W1": 0.5 * rng.standard_normal((f, f, n_C_prev, n_C)), "b1": 0.1 * rng.standard_normal((1, 1, 1, n_C)) - 0.4,
            "W2": 0.5 * rng.standard_normal((n_classes, n_features)), "b2": 0.1 * rng.standard_normal((n_classes, 1))}


def model_forward_cases(ref, rng):
    for m, n_H, n_W, n_C_prev, f, n_C, n_classes, label in MODELS:
        parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
        yield Case(label, (rng.standard_normal((m, n_H, n_W, n_C_prev)), parameters), m)


def model_backward_cases(ref, rng):
    for m, n_H, n_W, n_C_prev, f, n_C, n_classes, label in MODELS:
        parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
        scores, caches = ref.model_forward(rng.standard_normal((m, n_H, n_W, n_C_prev)), parameters)
        _, dscores = ref.softmax_cross_entropy(scores, _one_hot(rng, n_classes, m))
        yield Case(label, (dscores, caches), m)


# Known mistakes, each an output computed with the reference.
def _im2col_channel_first(ref, A_pad, f, stride):
    windows = np.lib.stride_tricks.sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    return windows.reshape(-1, f * f * A_pad.shape[3])


def _im2col_ignoring_stride(ref, A_pad, f, stride):
    rows = ref.im2col(A_pad, f, stride).shape[0]
    m = A_pad.shape[0]
    full = ref.im2col(A_pad, f, 1).reshape(m, A_pad.shape[1] - f + 1, A_pad.shape[2] - f + 1, -1)
    n_H = (A_pad.shape[1] - f) // stride + 1
    n_W = rows // (m * n_H)
    return full[:, :n_H, :n_W].reshape(rows, -1)


def _col2im_overwriting(ref, dcols, padded_shape, f, stride):
    # `dA_pad[window] = row` instead of `+=`: the last window that covers a pixel decides its value.
    m, n_H_pad, n_W_pad, n_C_prev = padded_shape
    n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
    d = dcols.reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_pad = np.zeros(padded_shape)
    for h in range(n_H):
        for w in range(n_W):
            dA_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :] = d[:, h, w]
    return dA_pad


def _col2im_ignoring_stride(ref, dcols, padded_shape, f, stride):
    m, n_H_pad, n_W_pad, n_C_prev = padded_shape
    n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
    dA_pad = np.zeros(padded_shape)
    dA_pad[:, :n_H + f - 1, :n_W + f - 1] = ref.col2im(dcols, (m, n_H + f - 1, n_W + f - 1, n_C_prev), f, 1)
    return dA_pad


def _conv_forward_W_order(ref, A_prev, W, b, hparameters):
    # W.reshape taken with the channel axis first, (k, u, v), while im2col's columns are (u, v, k).
    f, _, n_C_prev, n_C = W.shape
    W_kuv = W.transpose(2, 0, 1, 3).reshape(f, f, n_C_prev, n_C)
    return ref.conv_forward_fast(A_prev, W_kuv, b, hparameters)[0], (A_prev, W, b, hparameters)


def _conv_forward_no_pad(ref, A_prev, W, b, hparameters):
    Z, cache = ref.conv_forward_fast(A_prev, W, b, hparameters)
    pad = hparameters["pad"]
    Z0, _ = ref.conv_forward_fast(A_prev[:, :, :, :], W, b, {**hparameters, "pad": 0})
    if pad == 0:
        raise ValueError("no padding to forget")
    return Z0, cache


def _conv_backward_col2im_overwriting(ref, dZ, cache):
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    _, dW, db = ref.conv_backward_fast(dZ, cache)
    A_pad = ref.zero_pad(A_prev, pad)
    dcols = dZ.reshape(-1, n_C) @ W.reshape(-1, n_C).T
    dA_pad = _col2im_overwriting(ref, dcols, A_pad.shape, f, stride)
    return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2]], dW, db


def _conv_backward_without_crop(ref, dZ, cache):
    A_prev, W, b, hparameters = cache
    return ref.conv_backward_fast(dZ, (ref.zero_pad(A_prev, hparameters["pad"]), W, b, {**hparameters, "pad": 0}))


def _relu_backward_mask_of_dA(ref, dA, cache):
    return dA * (dA > 0)


def _relu_backward_times_Z(ref, dA, cache):
    return dA * np.maximum(cache, 0.0)


def _flatten_mixing_examples(ref, A):
    return A.reshape(-1, A.shape[0]), A.shape


def _flatten_back_without_transpose(ref, dX, cache):
    return dX.reshape(cache)


def _softmax_no_m(ref, scores, Y):
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores * scores.shape[1]


def _softmax_double_m(ref, scores, Y):
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores / scores.shape[1]


def _softmax_probs_only(ref, scores, Y):
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores + Y / scores.shape[1]


def _softmax_over_examples(ref, scores, Y):
    # Normalising each row (a class over the examples) instead of each column (an example over the classes).
    cost, dscores = ref.softmax_cross_entropy(scores.T, Y.T)
    m = scores.shape[1]
    return cost * Y.shape[0] / m, dscores.T * Y.shape[0] / m


def _backward_dense_double_m(ref, dscores, caches):
    grads = ref.model_backward(dscores, caches)
    m = dscores.shape[1]
    if m == 1:
        raise ValueError("1/m = 1")
    return {**grads, "dW2": grads["dW2"] / m, "db2": grads["db2"] / m}


def _backward_without_relu(ref, dscores, caches):
    conv_cache, relu_cache, pool_cache, flatten_cache, dense_cache = caches
    everywhere = np.ones_like(relu_cache)  # every unit treated as active
    return ref.model_backward(dscores, (conv_cache, everywhere, pool_cache, flatten_cache, dense_cache))


def _backward_flatten_mismatch(ref, dscores, caches):
    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches
    grads = ref.model_backward(dscores, caches)
    dP1 = (W2.T @ dscores).reshape(flatten_cache)
    dZ1 = ref.relu_backward(ref.pool_backward(dP1, pool_cache, "max"), relu_cache)
    _, dW1, db1 = ref.conv_backward_fast(dZ1, conv_cache)
    return {**grads, "dW1": dW1, "db1": db1}


def _backward_average_pool(ref, dscores, caches):
    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches
    grads = ref.model_backward(dscores, caches)
    dA1 = ref.pool_backward(ref.flatten_backward(W2.T @ dscores, flatten_cache), pool_cache, "average")
    _, dW1, db1 = ref.conv_backward_fast(ref.relu_backward(dA1, relu_cache), conv_cache)
    return {**grads, "dW1": dW1, "db1": db1}


OVERWRITE_CAUSE = ("overwriting instead of adding: a pixel that lies in several windows (stride < f) received "
                   "a share from each of them, so col2im must add them up (dA_pad[...] += ...); col2im is the "
                   "adjoint of im2col, not its inverse")
FLATTEN_CAUSE = ("undoing the flatten in a different order from the forward pass: flatten_forward made "
                 "A.reshape(m, -1).T, so the inverse is transpose first, then reshape, dX.T.reshape(shape)")

EXERCISES = {
    "im2col": Exercise("im2col", ("A_pad", "f", "stride"), "cols", im2col_cases, mistakes=(
        Mistake("channel_first", "keeping the view's (channel, row, column) order inside each row: the columns "
                "must run over (u, v, k), channel last, to match W.reshape(f * f * n_C_prev, n_C); move the "
                "channel axis after the two window axes before reshaping", _im2col_channel_first),
        Mistake("ignore_stride", "ignoring the stride: the window of output (h, w) starts at row h * stride "
                "and column w * stride, not at (h, w)", _im2col_ignoring_stride))),
    "col2im": Exercise("col2im", ("dcols", "padded_shape", "f", "stride"), "dA_pad", col2im_cases, mistakes=(
        Mistake("overwritten", OVERWRITE_CAUSE, _col2im_overwriting),
        Mistake("ignore_stride", "ignoring the stride: row (i, h, w) of dcols goes back to the window that "
                "starts at row h * stride and column w * stride", _col2im_ignoring_stride))),
    "conv_forward_fast": Exercise("conv_forward_fast", ("A_prev", "W", "b", "hparameters"), ("Z", "cache"),
                                  conv_forward_cases, mistakes=(
        Mistake("W_order", "reshaping W in a different order from im2col's columns: W.reshape(f * f * n_C_prev, "
                "n_C) keeps W's (u, v, k) order, which is the order of im2col's columns", _conv_forward_W_order),
        Mistake("no_pad", "forgetting to pad A_prev before im2col", _conv_forward_no_pad))),
    "conv_backward_fast": Exercise("conv_backward_fast", ("dZ", "cache"), ("dA_prev", "dW", "db"),
                                   conv_backward_cases, mistakes=(
        Mistake("overwritten", OVERWRITE_CAUSE, _conv_backward_col2im_overwriting),
        Mistake("no_crop", "returning the gradient of the padded input: remove the padding, "
                "dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", _conv_backward_without_crop))),
    "conv_backward": Exercise("conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), conv_backward_cases),
    "pool_forward": Exercise("pool_forward", ("A_prev", "hparameters", "mode"), ("A", "cache"),
                             pool04.forward_cases, mistakes=pool04.EXERCISES["pool_forward"].mistakes),
    "pool_backward": Exercise("pool_backward", ("dA", "cache", "mode"), "dA_prev", pool04.backward_cases,
                              mistakes=pool04.EXERCISES["pool_backward"].mistakes),
    "relu_forward": Exercise("relu_forward", ("Z",), ("A", "cache"), relu_forward_cases),
    "relu_backward": Exercise("relu_backward", ("dA", "cache"), "dZ", relu_backward_cases, mistakes=(
        Mistake("mask_of_dA", "taking the mask from the wrong array: ReLU lets the gradient through where its "
                "input Z (the cache) is positive, whatever the sign of dA", _relu_backward_mask_of_dA),
        Mistake("times_Z", "multiplying dA by relu(Z): the derivative of ReLU is 1 where Z > 0 and 0 elsewhere",
                _relu_backward_times_Z))),
    "flatten_forward": Exercise("flatten_forward", ("A",), ("X", "cache"), flatten_forward_cases, mistakes=(
        Mistake("mixing_examples", "A.reshape(-1, m): that cuts the examples' entries into m columns across "
                "example boundaries; keep each example together first, A.reshape(m, -1), then transpose",
                _flatten_mixing_examples),)),
    "flatten_backward": Exercise("flatten_backward", ("dX", "cache"), "dA", flatten_backward_cases, mistakes=(
        Mistake("order_mismatch", FLATTEN_CAUSE, _flatten_back_without_transpose),)),
    "softmax_cross_entropy": Exercise("softmax_cross_entropy", ("scores", "Y"), ("cost", "dscores"),
                                      softmax_cases, mistakes=(
        Mistake("no_m", "leaving out the 1/m: J averages the losses over the m examples, so dscores = "
                "(softmax(scores) - Y) / m", _softmax_no_m),
        Mistake("double_m", "dividing by m twice: the 1/m of the average enters once", _softmax_double_m),
        Mistake("probs_only", "forgetting to subtract Y: dJ/dscores = (softmax(scores) - Y) / m",
                _softmax_probs_only),
        Mistake("over_examples", "normalising over the wrong axis: each column (one example) sums to 1 over "
                "the classes, so the sums and the max run over axis 0", _softmax_over_examples))),
    "model_forward": Exercise("model_forward", ("X", "parameters"), ("scores", "caches"), model_forward_cases),
    "model_backward": Exercise("model_backward", ("dscores", "caches"), "grads", model_backward_cases, mistakes=(
        Mistake("double_m", "dividing by m again in the dense layer: dscores already holds the 1/m (it is "
                "dJ/dscores of the averaged cost), so dW2 = dscores F^T and db2 sums dscores over the examples",
                _backward_dense_double_m),
        Mistake("no_relu", "skipping the ReLU's backward pass: dZ1 = relu_backward(dA1, relu_cache)",
                _backward_without_relu),
        Mistake("flatten_mismatch", FLATTEN_CAUSE.replace("the inverse is", "undo it with flatten_backward, "
                "or"), _backward_flatten_mismatch),
        Mistake("average_pool", "using average pooling's backward pass: the forward pass took the maximum, "
                "pool_backward(dP1, pool_cache, \"max\")", _backward_average_pool))),
}


def _call(fn, args, names, label):
    result = runner.call(fn, args, names)
    if result.error:
        raise WrongAnswer(f"{getattr(fn, '__name__', 'the function')} {result.error} (case '{label}')")
    return result.value


def check_shift_invariance(softmax_cross_entropy):
    """Raise WrongAnswer unless adding a large constant to every score changes neither output (softmax is
    shift-invariant; a version without the max shift overflows). Needs no reference."""
    __tracebackhide__ = True
    rng = np.random.default_rng(606)
    for n_classes, m, shift in [(3, 4, 800.0), (5, 2, -900.0), (4, 6, 1e4)]:
        scores = rng.standard_normal((n_classes, m))
        Y = _one_hot(rng, n_classes, m)
        label = f"{n_classes} classes, {m} examples, every score + {shift:g}"
        base = _call(softmax_cross_entropy, (scores, Y), ("scores", "Y"), label.split(", every")[0])
        moved = _call(softmax_cross_entropy, (scores + shift, Y), ("scores", "Y"), label)
        for index, name in enumerate(("cost", "dscores")):
            b, s = (compare.as_float_array(v[index]) if isinstance(v, tuple) and len(v) == 2 else None
                    for v in (base, moved))
            if b is None or s is None or b.shape != s.shape:
                raise WrongAnswer("softmax_cross_entropy should return a tuple (cost, dscores) of numbers")
            if not np.all(np.isfinite(s)):
                raise WrongAnswer(
                    f"softmax_cross_entropy overflows on the case '{label}': {name} is not finite. exp(800) is "
                    f"inf in float64; softmax does not change when the same number is subtracted from every "
                    f"score of a column, so subtract the column's maximum first")
            if not compare.close(s, b):
                raise WrongAnswer(f"softmax_cross_entropy changes when every score is shifted by {shift:g} "
                                  f"(case '{label}'): {name} {compare.explain_values(s, b)}. Softmax is "
                                  f"shift-invariant, and so is the cost")
    print("\u2713 softmax_cross_entropy: stable and unchanged by a shift of the scores (3 cases)")


# Geometries of the comparison with the loop version: every stride 1-3 with every pad 0-2.
AGAINST_LOOPS = [(2, 7, 6, 3, 3, 4, stride, pad) for stride in (1, 2, 3) for pad in (0, 1, 2)]


def check_against_loops(conv_forward_fast, conv_backward_fast, conv_backward=None):
    """Raise WrongAnswer unless conv_forward_fast/conv_backward_fast agree with a loop conv_backward on strides
    1-3 and pads 0-2: the given one (the student's, in the notebook) or 03's reference (at grading). The
    forward pass is checked against the loops through its cache and by a directional derivative."""
    __tracebackhide__ = True
    if conv_backward is None:
        conv_backward = reference.load("03_conv_backward").conv_backward
    with contextlib.ExitStack() as stack:
        try:
            ref = reference.load("06_one_network")
        except reference.ReferenceUnavailable:
            ref = None
        if ref is not None:  # at grading, a wrong im2col or col2im costs only its own points
            for name, fn in (("conv_forward_fast", conv_forward_fast), ("conv_backward_fast", conv_backward_fast)):
                stack.enter_context(other_answers_replaced("06_one_network", name, fn, ref))
        _against_loops(conv_forward_fast, conv_backward_fast, conv_backward)
    print(f"\u2713 conv_forward_fast and conv_backward_fast agree with the loop conv_backward on "
          f"{len(AGAINST_LOOPS)} layers (strides 1-3, pads 0-2)")


def _against_loops(conv_forward_fast, conv_backward_fast, conv_backward):
    __tracebackhide__ = True
    rng = np.random.default_rng(303)
    for m, n_H, n_W, n_C_prev, f, n_C, stride, pad in AGAINST_LOOPS:
        A_prev, W, b, hp = layer(rng, m, n_H, n_W, n_C_prev, f, n_C, stride, pad)
        label = f"stride {stride}, pad {pad}, A_prev {A_prev.shape}, W {W.shape}"
        n_out = ((n_H + 2 * pad - f) // stride + 1, (n_W + 2 * pad - f) // stride + 1)
        dZ = rng.standard_normal((m, *n_out, n_C))
        cache = (A_prev, W, b, hp)
        expected = _call(conv_backward, (dZ, cache), ("dZ", "cache"), label)
        got = _call(conv_backward_fast, (dZ, cache), ("dZ", "cache"), label)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise WrongAnswer("conv_backward_fast should return a tuple (dA_prev, dW, db)")
        for name, g, e in zip(("dA_prev", "dW", "db"), got, expected):
            problems = compare.diagnose(g, np.asarray(e, dtype=np.float64), name, m)
            if problems:
                raise WrongAnswer(f"conv_backward_fast disagrees with the loop conv_backward on the case "
                                  f"'{label}':\n  - " + "\n  - ".join(problems))
        # Z is linear in W: sum(dZ * Z) = sum(dW * W) + sum(db * b) for the dW, db of the loops.
        out = _call(conv_forward_fast, (A_prev, W, b, hp), ("A_prev", "W", "b", "hparameters"), label)
        Z = compare.as_float_array(out[0] if isinstance(out, (tuple, list)) else None)
        if Z is None or Z.shape != dZ.shape:
            raise WrongAnswer(f"conv_forward_fast should return (Z, cache) with Z of shape {dZ.shape} on the "
                              f"case '{label}'")
        lhs, rhs = float(np.sum(dZ * Z)), float(np.sum(expected[1] * W) + np.sum(expected[2] * b))
        if not np.isclose(lhs, rhs, rtol=1e-8, atol=1e-8):
            raise WrongAnswer(f"conv_forward_fast's Z does not match the loop conv_backward's gradients on the "
                              f"case '{label}' (sum(dZ * Z) = {lhs:.6g} but sum(dW * W) + sum(db * b) = "
                              f"{rhs:.6g}): check the order of W's reshape against im2col's columns")
