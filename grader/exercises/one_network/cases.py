"""The test inputs of 06_one_network. The convolution geometries cover stride 1, 2 and 3, pad 0, 1 and 2,
non-square inputs, several input and output channels, m = 1, a 1 x 1 filter and overlapping as well as disjoint
windows. The pasted pieces of 03 and 04 (conv_backward, pool_forward, pool_backward) are tested as in their own
assignments."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case
from grader.exercises import conv_backward as conv03


# 03's layers (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad, label), and overlapping windows, where
# col2im must add.
LAYERS = conv03.LAYERS + [(2, 6, 6, 3, 3, 4, 2, 1, "stride 2 < f = 3 (overlapping windows), pad 1")]
layer = conv03.layer


def im2col_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for m, n_H_prev, n_W_prev, n_C_prev, f, _, stride, pad, label in LAYERS:
        A_pad = rng.standard_normal((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev))
        yield Case(f"f = {f}, stride {stride}, A_pad {A_pad.shape}", (A_pad, f, stride), m)


def col2im_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for m, n_H_prev, n_W_prev, n_C_prev, f, _, stride, pad, label in LAYERS:
        shape = (m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev)
        rows = ref.im2col(np.zeros(shape), f, stride).shape[0]
        overlap = " (overlapping windows)" if stride < f else ""
        yield Case(f"f = {f}, stride {stride}{overlap}, padded shape {shape}",
                   (rng.standard_normal((rows, f * f * n_C_prev)), shape, f, stride), m)


def conv_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in LAYERS:
        yield Case(label, layer(rng, *sizes), sizes[0])


def conv_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in LAYERS:
        Z, cache = ref.conv_forward_fast(*layer(rng, *sizes))
        yield Case(label, (rng.standard_normal(Z.shape), cache), sizes[0])


def relu_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    yield Case("a (2, 3) array", (rng.standard_normal((2, 3)),))
    yield Case("a (1, 4, 4, 2) image batch with exact zeros", (np.where(rng.random((1, 4, 4, 2)) < 0.3, 0.0,
                                                                       rng.standard_normal((1, 4, 4, 2))),))
    yield Case("a (3, 5, 6, 4) image batch", (rng.standard_normal((3, 5, 6, 4)),))
    yield Case("all negative", (-rng.random((2, 2, 3, 1)) - 0.1,))


def relu_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for case in relu_forward_cases(ref, rng):
        Z = case.args[0]
        yield Case(case.label, (rng.standard_normal(Z.shape), Z))


FLATTEN = [((2, 3, 3, 2), "2 images, 3x3, 2 channels"), ((1, 2, 4, 3), "one image (m = 1), 2x4, 3 channels"),
           ((3, 4, 2, 1), "3 images, 4x2, 1 channel"), ((5, 6, 6, 4), "5 images, 6x6, 4 channels"),
           ((4, 1, 1, 7), "4 images of 1x1 pixel, 7 channels")]


def flatten_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for shape, label in FLATTEN:
        yield Case(label, (rng.standard_normal(shape),), shape[0])


def flatten_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for shape, label in FLATTEN:
        X, cache = ref.flatten_forward(rng.standard_normal(shape))
        yield Case(label, (rng.standard_normal(X.shape), cache), shape[0])


def one_hot(rng: np.random.Generator, n_classes: int, m: int) -> np.ndarray:
    Y = np.zeros((n_classes, m))
    Y[rng.integers(0, n_classes, size=m), np.arange(m)] = 1.0
    return Y


def softmax_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_classes, m, offset, label in [(3, 4, 0.0, "3 classes, 4 examples"),
                                        (4, 3, 800.0, "scores around 800: exp overflows without a shift"),
                                        (2, 1, 0.0, "2 classes, m = 1"), (5, 7, 0.0, "5 classes, 7 examples"),
                                        (4, 6, -1000.0, "scores around -1000: exp underflows to 0 without a shift"),
                                        (10, 20, 0.0, "10 classes, 20 examples")]:
        scores = offset + 2.0 * rng.standard_normal((n_classes, m))
        yield Case(label, (scores, one_hot(rng, n_classes, m)), m)


# (m, n_H, n_W, n_C_prev, f, n_C, n_classes, label)
MODELS = [
    (2, 4, 4, 1, 3, 2, 3, "2 images of 4x4, 1 channel, 2 filters, 3 classes"),
    (1, 6, 4, 2, 3, 3, 2, "one image (m = 1), 6x4, 2 channels"),
    (3, 6, 6, 1, 3, 4, 4, "3 images of 6x6, 4 filters, 4 classes"),
    (4, 8, 6, 3, 3, 2, 5, "4 images of 8x6 (non-square), 3 channels"),
    (2, 5, 7, 2, 5, 3, 3, "5x5 filters on 5x7 images: 3x5 conv outputs, the last row and column in no pooling window"),
    (5, 12, 12, 1, 3, 4, 4, "5 images of 12x12, as in the training"),
]


def model_parameters(rng: np.random.Generator, n_H: int, n_W: int, n_C_prev: int, f: int, n_C: int,
                     n_classes: int) -> dict[str, np.ndarray]:
    # A negative conv bias switches many ReLUs off, even in a max-pooling window's maximum.
    # conv with stride 1, pad 1, then 2x2 pooling with stride 2
    n_features = ((n_H + 3 - f - 2) // 2 + 1) * ((n_W + 3 - f - 2) // 2 + 1) * n_C
    return {"W1": 0.5 * rng.standard_normal((f, f, n_C_prev, n_C)), "b1": 0.1 * rng.standard_normal((1, 1, 1, n_C)) - 0.4,
            "W2": 0.5 * rng.standard_normal((n_classes, n_features)), "b2": 0.1 * rng.standard_normal((n_classes, 1))}


def model_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for m, n_H, n_W, n_C_prev, f, n_C, n_classes, label in MODELS:
        parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
        yield Case(label, (rng.standard_normal((m, n_H, n_W, n_C_prev)), parameters), m)


def model_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for m, n_H, n_W, n_C_prev, f, n_C, n_classes, label in MODELS:
        parameters = model_parameters(rng, n_H, n_W, n_C_prev, f, n_C, n_classes)
        scores, caches = ref.model_forward(rng.standard_normal((m, n_H, n_W, n_C_prev)), parameters)
        _, dscores = ref.softmax_cross_entropy(scores, one_hot(rng, n_classes, m))
        yield Case(label, (dscores, caches), m)
