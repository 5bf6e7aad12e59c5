"""The outputs of 04_pool_backward's known mistakes, built with the reference module (their causes:
grader.exercises.pool_backward)."""
from types import ModuleType

import numpy as np

from grader.exercises.pool_backward.cases import ACTIVATIONS


def _other(mode):
    return "average" if mode == "max" else "max"


def mask_all_ties(ref: ModuleType, x: np.ndarray) -> np.ndarray:
    return x == np.max(x)


def mask_last_max(ref: ModuleType, x: np.ndarray) -> np.ndarray:
    return ref.create_mask_from_window(x[::-1, ::-1])[::-1, ::-1]


def mask_largest_magnitude(ref: ModuleType, x: np.ndarray) -> np.ndarray:
    return ref.create_mask_from_window(np.abs(x))


def distribute_copy(ref: ModuleType, dz: float, shape: tuple) -> np.ndarray:
    return np.full(shape, float(dz))


def distribute_one_side(ref: ModuleType, dz: float, shape: tuple) -> np.ndarray:
    return np.full(shape, dz / shape[0])


def forward_ignoring_stride(ref: ModuleType, A_prev: np.ndarray, hparameters: dict, mode: str) -> tuple:
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    A1, _ = ref.pool_forward(A_prev, {**hparameters, "stride": 1}, mode)
    return A1[:, :A.shape[1], :A.shape[2]], cache


def forward_over_channels(ref: ModuleType, A_prev: np.ndarray, hparameters: dict, mode: str) -> tuple:
    """pool_forward whose window spans every channel (A_prev[i, rows, cols, :]): one value for all channels."""
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    pooled, _ = ref.pool_forward(A_prev.max(axis=3, keepdims=True) if mode == "max" else
                                 A_prev.mean(axis=3, keepdims=True), hparameters, mode)
    return np.broadcast_to(pooled, A.shape).copy(), cache


def forward_summing(ref: ModuleType, A_prev: np.ndarray, hparameters: dict, mode: str) -> tuple:
    if mode != "average":
        raise ValueError("only average pooling divides")
    A, cache = ref.pool_forward(A_prev, hparameters, mode)
    return A * hparameters["f"] ** 2, cache


def backward_over_channels(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
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


def backward_dividing_by_f(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
    if mode != "average":
        raise ValueError("only average pooling divides")
    return ref.pool_backward(dA, cache, mode) * cache[1]["f"]


def forward_other_mode(ref: ModuleType, A_prev: np.ndarray, hparameters: dict, mode: str) -> tuple:
    A, cache = ref.pool_forward(A_prev, hparameters, _other(mode))
    return A, (A_prev, hparameters)


def backward_other_mode(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
    return ref.pool_backward(dA, cache, _other(mode))


def backward_ignoring_stride(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
    # Windows that start at (h, w) instead of (h stride, w stride): a stride-1 layer on the top-left
    # n_H + f - 1 rows and n_W + f - 1 columns of the input, with the same dA.
    A_prev, hparameters = cache
    f = hparameters["f"]
    n_H, n_W = dA.shape[1:3]
    corner = A_prev[:, :n_H + f - 1, :n_W + f - 1, :]
    dA_prev = np.zeros(A_prev.shape)
    dA_prev[:, :n_H + f - 1, :n_W + f - 1, :] = ref.pool_backward(dA, (corner, {"f": f, "stride": 1}), mode)
    return dA_prev


def backward_copying(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
    if mode != "average":
        raise ValueError("only average pooling divides")
    f = cache[1]["f"]
    return ref.pool_backward(dA, cache, mode) * (f * f)


def backward_overwriting(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
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


def backward_all_ties(ref: ModuleType, dA: np.ndarray, cache: tuple, mode: str) -> np.ndarray:
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


def chain_relu_prime_at_zero(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                             mode: str) -> np.ndarray:
    if activation != "relu":
        raise ValueError("only a ReLU has this mistake")
    return ref.pool_backward(dA, cache, mode) * (Z_prev >= 0)


def chain_without_g_prime(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                          mode: str) -> np.ndarray:
    return ref.pool_backward(dA, cache, mode)


def chain_copying(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                  mode: str) -> np.ndarray:
    return backward_copying(ref, dA, cache, mode) * ACTIVATIONS[activation][1](Z_prev)


def chain_times_g(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                  mode: str) -> np.ndarray:
    return ref.pool_backward(dA, cache, mode) * ACTIVATIONS[activation][0](Z_prev)


def chain_g_prime_at_a(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                       mode: str) -> np.ndarray:
    return ref.pool_backward(dA, cache, mode) * ACTIVATIONS[activation][1](cache[0])


def chain_ignoring_stride(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                          mode: str) -> np.ndarray:
    return backward_ignoring_stride(ref, dA, cache, mode) * ACTIVATIONS[activation][1](Z_prev)


def chain_other_mode(ref: ModuleType, dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                     mode: str) -> np.ndarray:
    return ref.pool_backward(dA, cache, _other(mode)) * ACTIVATIONS[activation][1](Z_prev)
