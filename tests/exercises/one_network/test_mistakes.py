"""06_one_network: each likely wrong answer gets a message that names its cause, in the visible checks (known
values) and in the hidden tests; correct answers written differently from the reference pass both."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.exercises.one_network import check_against_loops, check_shift_invariance
from solutions import one_network as ref

A = "06_one_network"


def student_im2col(channel_first=False, ignore_stride=False):
    """A loop version of im2col, possibly with a mistake."""
    def im2col(A_pad, f, stride):
        s = 1 if ignore_stride else stride
        m, n_H_pad, n_W_pad, n_C = A_pad.shape
        n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
        rows = []
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    window = A_pad[i, h * s:h * s + f, w * s:w * s + f, :]
                    rows.append(window.transpose(2, 0, 1).ravel() if channel_first else window.ravel())
        return np.array(rows)
    return im2col


def student_col2im(overwrite=False, ignore_stride=False):
    def col2im(dcols, padded_shape, f, stride):
        s = 1 if ignore_stride else stride
        m, n_H_pad, n_W_pad, n_C = padded_shape
        n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
        dA_pad = np.zeros(padded_shape)
        row = 0
        for i in range(m):
            for h in range(n_H):
                for w in range(n_W):
                    patch = dcols[row].reshape(f, f, n_C)
                    if overwrite:
                        dA_pad[i, h * s:h * s + f, w * s:w * s + f, :] = patch
                    else:
                        dA_pad[i, h * s:h * s + f, w * s:w * s + f, :] += patch
                    row += 1
        return dA_pad
    return col2im


def student_conv_forward(w_order=False, no_pad=False):
    def conv_forward_fast(A_prev, W, b, hparameters):
        s, p = hparameters["stride"], 0 if no_pad else hparameters["pad"]
        f, _, n_C_prev, n_C = W.shape
        A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
        n_H, n_W = (A_pad.shape[1] - f) // s + 1, (A_pad.shape[2] - f) // s + 1
        W_mat = W.transpose(2, 0, 1, 3).reshape(-1, n_C) if w_order else W.reshape(-1, n_C)
        Z = ref.im2col(A_pad, f, s) @ W_mat + b.reshape(1, n_C)
        return Z.reshape(A_prev.shape[0], n_H, n_W, n_C), (A_prev, W, b, hparameters)
    return conv_forward_fast


def student_conv_backward(overwrite=False, negative_crop=False, no_crop=False):
    def conv_backward_fast(dZ, cache):
        A_prev, W, b, hparameters = cache
        s, p = hparameters["stride"], hparameters["pad"]
        f, _, n_C_prev, n_C = W.shape
        A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
        cols = ref.im2col(A_pad, f, s)
        d = dZ.reshape(-1, n_C)
        dW = np.einsum("rk,rc->kc", cols, d).reshape(W.shape)
        db = d.sum(axis=0)[None, None, None, :]
        dA_pad = student_col2im(overwrite=overwrite)(d @ W.reshape(-1, n_C).T, A_pad.shape, f, s)
        if no_crop:
            return dA_pad, dW, db
        if negative_crop:
            return dA_pad[:, p:-p, p:-p, :], dW, db
        return dA_pad[:, p:A_pad.shape[1] - p, p:A_pad.shape[2] - p, :], dW, db
    return conv_backward_fast


def student_relu_backward(mask_of_dA=False, times_Z=False):
    def relu_backward(dA, cache):
        if mask_of_dA:
            return np.where(dA > 0, dA, 0.0)
        if times_Z:
            return dA * np.maximum(cache, 0)
        return np.where(cache > 0, dA, 0.0)
    return relu_backward


def flatten_forward_mixing(A):
    return A.reshape(-1, A.shape[0]), A.shape


def student_softmax(shift=True, scale=1.0, subtract_Y=True, axis=0, cost_array=False):
    def softmax_cross_entropy(scores, Y):
        m = scores.shape[1]
        z = scores - scores.max(axis=axis, keepdims=True) if shift else scores
        e = np.exp(z)
        probs = e / e.sum(axis=axis, keepdims=True)
        cost = -np.sum(Y * np.log(probs), keepdims=cost_array) / m
        return (cost if cost_array else float(cost)), (probs - Y * subtract_Y) / m * scale
    return softmax_cross_entropy


def student_model_backward(double_m=False, no_relu=False, flatten_mismatch=False, average=False):
    def model_backward(dscores, caches):
        conv_cache, Z1, pool_cache, shape, (F, W2, b2) = caches
        m = dscores.shape[1]
        dW2 = dscores @ F.T / (m if double_m else 1)
        db2 = np.sum(dscores, axis=1, keepdims=True) / (m if double_m else 1)
        dF = W2.T @ dscores
        dP = dF.reshape(shape) if flatten_mismatch else dF.T.reshape(shape)
        dA1 = ref.pool_backward(dP, pool_cache, "average" if average else "max")
        dZ1 = dA1 if no_relu else dA1 * (Z1 > 0)
        _, dW1, db1 = ref.conv_backward_fast(dZ1, conv_cache)
        return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return model_backward


def conv_backward_loops(dZ, cache):
    """03's loop version, as a student pastes it."""
    return ref.conv_backward(dZ, cache)


CORRECT = [("im2col", student_im2col()), ("col2im", student_col2im()),
           ("conv_forward_fast", student_conv_forward()), ("conv_backward_fast", student_conv_backward()),
           ("conv_backward", conv_backward_loops), ("relu_backward", student_relu_backward()),
           ("relu_forward", lambda Z: (Z * (Z > 0), Z)),
           ("flatten_forward", lambda A: (np.stack([a.ravel() for a in A], axis=1), A.shape)),
           ("flatten_backward", lambda dX, cache: np.stack([dX[:, i].reshape(cache[1:]) for i in range(cache[0])])),
           ("softmax_cross_entropy", student_softmax()), ("model_backward", student_model_backward())]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn", CORRECT, ids=[n for n, _ in CORRECT])
def test_a_correct_version_passes(check, name, fn):
    check(A, name, fn)


WRONG = [
    ("im2col", student_im2col(channel_first=True), "cols is exactly what you get by keeping the view's (channel, row, column) order"),
    ("im2col", student_im2col(ignore_stride=True), "cols is exactly what you get by ignoring the stride"),
    ("col2im", student_col2im(overwrite=True), "dA_pad is exactly what you get by overwriting instead of adding"),
    ("col2im", student_col2im(ignore_stride=True), "dA_pad is exactly what you get by ignoring the stride"),
    ("conv_forward_fast", student_conv_forward(w_order=True), "Z is exactly what you get by reshaping W in a different order"),
    ("conv_forward_fast", student_conv_forward(no_pad=True), "forgetting to pad"),
    ("conv_backward_fast", student_conv_backward(overwrite=True), "dA_prev is exactly what you get by overwriting instead of adding"),
    ("conv_backward_fast", student_conv_backward(no_crop=True), "returning the gradient of the padded input"),
    ("relu_backward", student_relu_backward(mask_of_dA=True), "taking the mask from the wrong array"),
    ("relu_backward", student_relu_backward(times_Z=True), "multiplying dA by relu(Z)"),
    ("flatten_forward", flatten_forward_mixing, "cuts the examples' entries into m columns"),
    ("flatten_backward", lambda dX, cache: dX.reshape(cache), "in a different order from the forward pass"),
    ("softmax_cross_entropy", student_softmax(subtract_Y=False), "forgetting to subtract Y"),
    ("softmax_cross_entropy", student_softmax(axis=1), "normalising over the wrong axis"),
    ("softmax_cross_entropy", student_softmax(cost_array=True), "must be a Python float"),
    ("model_backward", student_model_backward(double_m=True), "dividing by m again in the dense layer"),
    ("model_backward", student_model_backward(no_relu=True), "skipping the ReLU's backward pass"),
    ("model_backward", student_model_backward(flatten_mismatch=True), "in a different order from the forward pass"),
    ("model_backward", student_model_backward(average=True), "using average pooling's backward pass"),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn, words", WRONG, ids=[w[2][-40:] for w in WRONG])
def test_each_mistake_is_named(check, name, fn, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, name, fn)
    assert words in str(err.value), str(err.value)


def test_dscores_without_or_with_a_double_one_over_m():
    for check in (check_visible, check_hidden):
        for scale, words in [("m", "leaving out the 1/m"), ("1/m", "dividing by m twice")]:
            def softmax_cross_entropy(scores, Y, scale=scale):
                cost, d = student_softmax()(scores, Y)
                m = scores.shape[1]
                return cost, d * m if scale == "m" else d / m
            with pytest.raises(WrongAnswer) as err:
                check(A, "softmax_cross_entropy", softmax_cross_entropy)
            assert words in str(err.value) and "times too" in str(err.value), str(err.value)


def test_softmax_without_the_shift_overflows_and_is_named():
    naive = student_softmax(shift=False)
    for check in (check_visible, check_hidden):
        with pytest.raises(WrongAnswer) as err:
            check(A, "softmax_cross_entropy", naive)
        assert "overflow" in str(err.value), str(err.value)
    with pytest.raises(WrongAnswer) as err:
        check_shift_invariance(naive)
    assert "subtract the column's maximum" in str(err.value)
    check_shift_invariance(student_softmax())


def test_the_empty_crop_of_pad_0_is_explained():
    with pytest.raises(WrongAnswer) as err:
        check_hidden(A, "conv_backward_fast", student_conv_backward(negative_crop=True))
    assert "empty when pad = 0" in str(err.value)


def test_fast_conv_checked_against_the_loops():
    check_against_loops(ref.conv_forward_fast, ref.conv_backward_fast)  # 03's reference
    check_against_loops(student_conv_forward(), student_conv_backward(), conv_backward_loops)
    for forward, backward, words in [(student_conv_forward(), student_conv_backward(overwrite=True), "dA_prev"),
                                     (student_conv_forward(w_order=True), student_conv_backward(), "order of W")]:
        with pytest.raises(WrongAnswer) as err:
            check_against_loops(forward, backward)
        assert words in str(err.value), str(err.value)


def test_a_wrong_helper_costs_only_its_own_points():
    # model_backward calling a student's wrong pool_backward and relu_backward still passes: at grading, the
    # other graded functions it calls are the reference's.
    def pool_backward(dA, cache, mode="max"):
        return np.zeros(cache[0].shape)

    relu_backward = student_relu_backward(mask_of_dA=True)
    scope = {"np": np, "pool_backward": pool_backward, "relu_backward": relu_backward,
             "flatten_backward": lambda dX, cache: dX.reshape(cache), "conv_backward_fast": ref.conv_backward_fast}
    exec("def model_backward(dscores, caches):\n"
         "    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches\n"
         "    dF = W2.T @ dscores\n"
         "    dZ1 = relu_backward(pool_backward(flatten_backward(dF, flatten_cache), pool_cache, 'max'), relu_cache)\n"
         "    _, dW1, db1 = conv_backward_fast(dZ1, conv_cache)\n"
         "    return {'dW1': dW1, 'db1': db1, 'dW2': dscores @ F.T, 'db2': dscores.sum(axis=1, keepdims=True)}\n",
         scope)
    check_hidden(A, "model_backward", scope["model_backward"])
    check_visible(A, "model_backward", scope["model_backward"])  # the reference is available here too
    assert scope["pool_backward"] is pool_backward  # restored afterwards


def test_mutating_an_input_is_detected():
    def flatten_backward(dX, cache):
        dX *= 1.0
        dX[0, 0] += 0.0
        out = dX.T.reshape(cache)
        dX[...] = 0.0
        return out.copy()
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "flatten_backward", flatten_backward)
    assert "modified its input dX" in str(err.value)


def test_the_loop_comparison_uses_the_reference_helpers_at_grading():
    # A fast pair that calls a broken im2col passes when the reference is available (at grading).
    scope = {"np": np, "im2col": lambda *args: 1 / 0, "col2im": ref.col2im}
    exec("def conv_forward_fast(A_prev, W, b, hparameters):\n"
         "    p, s, f = hparameters['pad'], hparameters['stride'], W.shape[0]\n"
         "    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))\n"
         "    n_H, n_W = (A_pad.shape[1] - f) // s + 1, (A_pad.shape[2] - f) // s + 1\n"
         "    Z = im2col(A_pad, f, s) @ W.reshape(-1, W.shape[3]) + b.reshape(1, -1)\n"
         "    return Z.reshape(A_prev.shape[0], n_H, n_W, W.shape[3]), (A_prev, W, b, hparameters)\n", scope)
    broken = scope["im2col"]
    check_against_loops(scope["conv_forward_fast"], student_conv_backward())
    assert scope["im2col"] is broken  # restored afterwards
