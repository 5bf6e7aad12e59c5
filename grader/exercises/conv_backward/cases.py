"""The test inputs of 03_conv_backward. The geometries cover stride 1, 2 and 3, pad 0, 1 and 2, non-square inputs,
several input channels, m = 1, a 1 x 1 filter, a filter as large as the padded input, and sizes where
(n_H_prev + 2 pad - f) is not a multiple of the stride, so that the last input rows or columns are in no window
(their gradient is 0)."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case


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


def layer(rng: np.random.Generator, m: int, n_H_prev: int, n_W_prev: int, n_C_prev: int, f: int, n_C: int,
          stride: int, pad: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict]:
    A_prev = rng.standard_normal((m, n_H_prev, n_W_prev, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal((1, 1, 1, n_C))
    return A_prev, W, b, {"stride": stride, "pad": pad}


def pad_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for shape, pad, label in [((1, 3, 3, 1), 1, "pad 1, a single 3x3 channel"),
                              ((2, 3, 4, 2), 2, "pad 2, 3x4 input, 2 channels"),
                              ((3, 2, 5, 3), 0, "pad 0 (nothing to add)"),
                              ((1, 4, 2, 1), 3, "pad 3, 4x2 input, m = 1"),
                              ((4, 5, 5, 2), 1, "pad 1, 4 examples")]:
        yield Case(label, (rng.standard_normal(shape), pad), shape[0])


def single_step_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for f, n_C_prev, label in [(3, 2, "3x3 window, 2 channels"), (2, 1, "2x2 window, 1 channel"),
                               (1, 4, "1x1 window, 4 channels"), (4, 3, "4x4 window, 3 channels"),
                               (5, 1, "5x5 window, 1 channel")]:
        yield Case(label, (rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev)),
                           rng.standard_normal((1, 1, 1))))


def single_step_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for f, n_C_prev, dz, label in [(3, 2, 0.7, "3x3 window, 2 channels, dz = 0.7"),
                                   (2, 1, -1.5, "2x2 window, 1 channel, dz = -1.5"),
                                   (1, 4, 2.0, "1x1 window, 4 channels, dz = 2"),
                                   (4, 3, -0.3, "4x4 window, 3 channels, dz = -0.3"),
                                   (5, 1, 1.25, "5x5 window, 1 channel, dz = 1.25")]:
        yield Case(label, (dz, rng.standard_normal((f, f, n_C_prev)), rng.standard_normal((f, f, n_C_prev))))


def forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in LAYERS:
        yield Case(label, layer(rng, *sizes), sizes[0])


def backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in LAYERS:
        Z, cache = ref.conv_forward(*layer(rng, *sizes))
        dZ = rng.standard_normal(Z.shape)
        yield Case(label, (dZ, cache), sizes[0])


def fixed_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    # The first two (the known values) each show one bug of conv_backward_buggy: stride 2 with pad 1, then
    # stride 1 with pad 0; the third has both.
    first = [(2, 5, 6, 2, 3, 2, 2, 1, "stride 2, pad 1: the windows start at (2h, 2w)"),
             (2, 4, 5, 2, 2, 3, 1, 0, "stride 1, pad 0: nothing to crop"),
             (1, 6, 5, 3, 2, 2, 2, 0, "stride 2, pad 0")]
    for *sizes, label in first + LAYERS:
        Z, cache = ref.conv_forward(*layer(rng, *sizes))
        yield Case(label, (rng.standard_normal(Z.shape), cache), sizes[0])
