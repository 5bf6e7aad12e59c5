"""The outputs of 06_one_network's known mistakes, built with the reference module (their causes:
grader.exercises.one_network)."""
from types import ModuleType

import numpy as np


def im2col_channel_first(ref: ModuleType, A_pad: np.ndarray, f: int, stride: int) -> np.ndarray:
    windows = np.lib.stride_tricks.sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    return windows.reshape(-1, f * f * A_pad.shape[3])


def im2col_ignoring_stride(ref: ModuleType, A_pad: np.ndarray, f: int, stride: int) -> np.ndarray:
    rows = ref.im2col(A_pad, f, stride).shape[0]
    m = A_pad.shape[0]
    full = ref.im2col(A_pad, f, 1).reshape(m, A_pad.shape[1] - f + 1, A_pad.shape[2] - f + 1, -1)
    n_H = (A_pad.shape[1] - f) // stride + 1
    n_W = rows // (m * n_H)
    return full[:, :n_H, :n_W].reshape(rows, -1)


def col2im_overwriting(ref: ModuleType, dcols: np.ndarray, padded_shape: tuple, f: int, stride: int) -> np.ndarray:
    # `dA_pad[window] = row` instead of `+=`: the last window that covers a pixel decides its value.
    m, n_H_pad, n_W_pad, n_C_prev = padded_shape
    n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
    d = dcols.reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_pad = np.zeros(padded_shape)
    for h in range(n_H):
        for w in range(n_W):
            dA_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :] = d[:, h, w]
    return dA_pad


def col2im_ignoring_stride(ref: ModuleType, dcols: np.ndarray, padded_shape: tuple, f: int, stride: int) -> np.ndarray:
    m, n_H_pad, n_W_pad, n_C_prev = padded_shape
    n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
    dA_pad = np.zeros(padded_shape)
    dA_pad[:, :n_H + f - 1, :n_W + f - 1] = ref.col2im(dcols, (m, n_H + f - 1, n_W + f - 1, n_C_prev), f, 1)
    return dA_pad


def conv_forward_W_order(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    # W.reshape taken with the channel axis first, (k, u, v), while im2col's columns are (u, v, k).
    f, _, n_C_prev, n_C = W.shape
    W_kuv = W.transpose(2, 0, 1, 3).reshape(f, f, n_C_prev, n_C)
    return ref.conv_forward_fast(A_prev, W_kuv, b, hparameters)[0], (A_prev, W, b, hparameters)


def conv_forward_no_pad(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    Z, cache = ref.conv_forward_fast(A_prev, W, b, hparameters)
    pad = hparameters["pad"]
    Z0, _ = ref.conv_forward_fast(A_prev[:, :, :, :], W, b, {**hparameters, "pad": 0})
    if pad == 0:
        raise ValueError("no padding to forget")
    return Z0, cache


def conv_backward_col2im_overwriting(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    f, _, n_C_prev, n_C = W.shape
    _, dW, db = ref.conv_backward_fast(dZ, cache)
    A_pad = ref.zero_pad(A_prev, pad)
    dcols = dZ.reshape(-1, n_C) @ W.reshape(-1, n_C).T
    dA_pad = col2im_overwriting(ref, dcols, A_pad.shape, f, stride)
    return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2]], dW, db


def conv_backward_without_crop(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    A_prev, W, b, hparameters = cache
    return ref.conv_backward_fast(dZ, (ref.zero_pad(A_prev, hparameters["pad"]), W, b, {**hparameters, "pad": 0}))


def relu_backward_mask_of_dA(ref: ModuleType, dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    return dA * (dA > 0)


def relu_backward_times_Z(ref: ModuleType, dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    return dA * np.maximum(cache, 0.0)


def flatten_mixing_examples(ref: ModuleType, A: np.ndarray) -> tuple:
    return A.reshape(-1, A.shape[0]), A.shape


def flatten_back_without_transpose(ref: ModuleType, dX: np.ndarray, cache: tuple) -> np.ndarray:
    return dX.reshape(cache)


def softmax_no_m(ref: ModuleType, scores: np.ndarray, Y: np.ndarray) -> tuple:
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores * scores.shape[1]


def softmax_double_m(ref: ModuleType, scores: np.ndarray, Y: np.ndarray) -> tuple:
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores / scores.shape[1]


def softmax_probs_only(ref: ModuleType, scores: np.ndarray, Y: np.ndarray) -> tuple:
    cost, dscores = ref.softmax_cross_entropy(scores, Y)
    return cost, dscores + Y / scores.shape[1]


def softmax_over_examples(ref: ModuleType, scores: np.ndarray, Y: np.ndarray) -> tuple:
    # Normalising each row (a class over the examples) instead of each column (an example over the classes).
    cost, dscores = ref.softmax_cross_entropy(scores.T, Y.T)
    m = scores.shape[1]
    return cost * Y.shape[0] / m, dscores.T * Y.shape[0] / m


def backward_dense_double_m(ref: ModuleType, dscores: np.ndarray, caches: tuple) -> dict:
    grads = ref.model_backward(dscores, caches)
    m = dscores.shape[1]
    if m == 1:
        raise ValueError("1/m = 1")
    return {**grads, "dW2": grads["dW2"] / m, "db2": grads["db2"] / m}


def backward_without_relu(ref: ModuleType, dscores: np.ndarray, caches: tuple) -> dict:
    conv_cache, relu_cache, pool_cache, flatten_cache, dense_cache = caches
    everywhere = np.ones_like(relu_cache)  # every unit treated as active
    return ref.model_backward(dscores, (conv_cache, everywhere, pool_cache, flatten_cache, dense_cache))


def backward_flatten_mismatch(ref: ModuleType, dscores: np.ndarray, caches: tuple) -> dict:
    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches
    grads = ref.model_backward(dscores, caches)
    dP1 = (W2.T @ dscores).reshape(flatten_cache)
    dZ1 = ref.relu_backward(ref.pool_backward(dP1, pool_cache, "max"), relu_cache)
    _, dW1, db1 = ref.conv_backward_fast(dZ1, conv_cache)
    return {**grads, "dW1": dW1, "db1": db1}


def backward_average_pool(ref: ModuleType, dscores: np.ndarray, caches: tuple) -> dict:
    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches
    grads = ref.model_backward(dscores, caches)
    dA1 = ref.pool_backward(ref.flatten_backward(W2.T @ dscores, flatten_cache), pool_cache, "average")
    _, dW1, db1 = ref.conv_backward_fast(ref.relu_backward(dA1, relu_cache), conv_cache)
    return {**grads, "dW1": dW1, "db1": db1}
