"""The outputs of 03_conv_backward's known mistakes, built with the reference module (their causes:
grader.exercises.conv_backward)."""
from types import ModuleType

import numpy as np


def pad_every_axis(ref: ModuleType, X: np.ndarray, pad: int) -> np.ndarray:
    return np.pad(X, pad)


def pad_one_side(ref: ModuleType, X: np.ndarray, pad: int) -> np.ndarray:
    return np.pad(X, ((0, 0), (0, 2 * pad), (0, 2 * pad), (0, 0)))


def no_bias_single(ref: ModuleType, a_slice_prev: np.ndarray, W: np.ndarray, b: np.ndarray) -> float:
    return float(np.sum(a_slice_prev * W))


def forward_ignoring_stride(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                            hparameters: dict) -> tuple:
    Z, cache = ref.conv_forward(A_prev, W, b, hparameters)
    Z1, _ = ref.conv_forward(A_prev, W, b, {**hparameters, "stride": 1})
    return Z1[:, :Z.shape[1], :Z.shape[2]], cache


def forward_without_bias(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, hparameters: dict) -> tuple:
    Z, cache = ref.conv_forward(A_prev, W, b, hparameters)
    return Z - b, cache


def forward_caching_padded_input(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                                 hparameters: dict) -> tuple:
    Z, _ = ref.conv_forward(A_prev, W, b, hparameters)
    return Z, (ref.zero_pad(A_prev, hparameters["pad"]), W, b, hparameters)


def step_swapped(ref: ModuleType, dz: float, a_slice_prev: np.ndarray, W: np.ndarray) -> tuple:
    return dz * a_slice_prev, dz * W, float(dz)


def step_without_dz(ref: ModuleType, dz: float, a_slice_prev: np.ndarray, W: np.ndarray) -> tuple:
    return W, a_slice_prev, 1.0


def step_rotated(ref: ModuleType, dz: float, a_slice_prev: np.ndarray, W: np.ndarray) -> tuple:
    return dz * W[::-1, ::-1], dz * a_slice_prev, float(dz)


def backward_ignoring_stride(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
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


def backward_without_crop(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    # The gradient of the padded input: the same layer applied to an input padded in advance.
    A_prev, W, b, hparameters = cache
    A_prev_pad = ref.zero_pad(A_prev, hparameters["pad"])
    return ref.conv_backward(dZ, (A_prev_pad, W, b, {**hparameters, "pad": 0}))


def backward_cropping_with_negative_end(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    # dA_prev_pad[:, pad:-pad, pad:-pad, :]: right for pad > 0, an empty array for pad = 0.
    dA_prev, dW, db = ref.conv_backward(dZ, cache)
    pad = cache[3]["pad"]
    return (dA_prev if pad else dA_prev[:, 0:0, 0:0, :]), dW, db


def backward_rotated_filter(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    A_prev, W, b, hparameters = cache
    return ref.conv_backward(dZ, (A_prev, W[::-1, ::-1], b, hparameters))


def backward_overwriting(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    # `dW[..., c] = ...` instead of `+=` in the loops keeps only the last window: i, h, w at their ends.
    last = np.zeros_like(dZ)
    last[-1, -1, -1, :] = dZ[-1, -1, -1, :]
    return ref.conv_backward(last, cache)


def backward_overwriting_dA_prev(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
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
