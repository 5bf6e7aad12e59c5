"""The test inputs of 04_pool_backward. The geometries cover both modes, stride < f (overlapping windows),
stride = f, stride > 1 with f = 3, non-square inputs, several channels, m = 1, a window as large as the input,
and sizes where (n_H_prev - f) is not a multiple of the stride, so that the last input rows or columns are in no
window (their gradient is 0). Max pooling is also tested on inputs with tied maxima: windows of ReLU zeros, and
small integers. pool_activation_backward (the step from a pooling layer's gradient to the delta of the layer
before it) is tested with each activation and each mode, its cache made by pool_forward from A_prev = g(Z_prev)."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case


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


def layer(rng: np.random.Generator, m: int, n_H_prev: int, n_W_prev: int, n_C: int, f: int,
          stride: int) -> tuple[np.ndarray, dict]:
    return rng.standard_normal((m, n_H_prev, n_W_prev, n_C)), {"f": f, "stride": stride}


def forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, mode, label in LAYERS:
        A_prev, hparameters = layer(rng, *sizes)
        yield Case(label, (A_prev, hparameters, mode), sizes[0])


def mask_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
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


def distribute_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
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


def backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
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


def chain_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
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
