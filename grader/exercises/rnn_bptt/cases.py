"""The test inputs of 05_rnn_bptt. The sizes cover T_x = 1 (no path through a later step), m = 1, n_h different
from n_x and n_y (and smaller than both), a non-zero h0 (it enters dW at the first step), large recurrent
weights (saturated tanh units) and longer sequences."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case


# (n_x, n_h, n_y, m, T_x, weight scale, non-zero h0, label)
SIZES = [
    (3, 4, 2, 2, 3, 0.6, True, "n_x = 3, n_h = 4, n_y = 2, m = 2, T_x = 3"),
    (2, 3, 4, 1, 1, 0.8, True, "T_x = 1 and m = 1"),
    (4, 5, 3, 1, 5, 0.7, False, "m = 1, h0 = 0"),
    (3, 4, 5, 3, 1, 0.9, True, "T_x = 1, three examples"),
    (5, 2, 4, 4, 6, 0.8, True, "n_h = 2, smaller than n_x = 5 and n_y = 4"),
    (1, 6, 3, 5, 4, 0.5, True, "a single input feature, n_h = 6"),
    (3, 4, 3, 6, 10, 2.0, True, "large weights (saturated tanh units), T_x = 10"),
    (2, 7, 2, 3, 12, 0.4, False, "small weights, T_x = 12, h0 = 0"),
]


def network(rng: np.random.Generator, n_x: int, n_h: int, n_y: int, m: int, T_x: int, scale: float,
            nonzero_h0: bool) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray]:
    x = rng.standard_normal((n_x, m, T_x))
    h0 = np.tanh(rng.standard_normal((n_h, m))) if nonzero_h0 else np.zeros((n_h, m))
    parameters = {"U": scale * rng.standard_normal((n_h, n_x)), "W": scale * rng.standard_normal((n_h, n_h)),
                  "b": 0.2 * rng.standard_normal((n_h, 1)), "V": scale * rng.standard_normal((n_y, n_h)),
                  "c": 0.2 * rng.standard_normal((n_y, 1))}
    labels = rng.integers(0, n_y, size=(m, T_x))
    Y = np.moveaxis(np.eye(n_y)[labels], -1, 0)  # one-hot, (n_y, m, T_x)
    return x, h0, parameters, Y


def cell_label(n_x: int, n_h: int, n_y: int, m: int) -> str:
    return f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, m = {m}"


def cell_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, n_y, m, T_x, scale, nonzero, label in SIZES:
        x, h0, parameters, _ = network(rng, n_x, n_h, n_y, m, T_x, scale, True)
        yield Case(cell_label(n_x, n_h, n_y, m), (x[:, :, 0], h0, parameters), m)


def forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in SIZES:
        x, h0, parameters, _ = network(rng, *sizes)
        yield Case(label, (x, h0, parameters), sizes[3])


def cell_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, n_y, m, T_x, scale, nonzero, label in SIZES:
        x, h0, parameters, _ = network(rng, n_x, n_h, n_y, m, T_x, scale, True)
        # h_prev: a hidden state of the sequence at its last step (non-zero, as in the middle of a sequence)
        h, _, caches = ref.rnn_forward(x, h0, parameters)
        cache = caches[0][-1]
        dh_next = rng.standard_normal((n_h, m))
        yield Case(cell_label(n_x, n_h, n_y, m) + f", the last of {T_x} step(s)", (dh_next, cache), m)


def backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in SIZES:
        x, h0, parameters, _ = network(rng, *sizes)
        h, _, caches = ref.rnn_forward(x, h0, parameters)
        dh = rng.standard_normal(h.shape)
        yield Case(label, (dh, caches), sizes[3])


def cost_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, _ = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y), sizes[3])


def loss_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y, caches), sizes[3])


def output_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y, caches), sizes[3])


def clip_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    """Real RNN gradients, scaled so that the global norm is below, at or above max_norm."""
    plans = [  # (sizes index, factor applied to the gradients, max_norm, label)
        (0, 1.0, None, "norm above max_norm: every gradient is scaled down"),
        (1, 1.0, "above", "norm below max_norm: nothing changes"),
        (4, 30.0, "entries", "every entry below max_norm but the norm above it"),
        (2, 1.0, "norm", "max_norm equal to the norm: nothing changes"),
        (6, 1e3, None, "exploding gradients (norm around 1e3 times larger)"),
        (5, 1.0, "one", "one gradient alone is above max_norm, the global norm even more"),
    ]
    for index, factor, kind, label in plans:
        *sizes, _ = SIZES[index]
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        full = ref.rnn_loss_backward(y_pred, Y, caches)
        grads = {k: factor * full[k] for k in ("dU", "dW", "db", "dV", "dc")}
        norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
        largest = max(float(np.max(np.abs(g))) for g in grads.values())
        if kind is None:
            max_norm = 0.3 * norm
        elif kind == "above":
            max_norm = 2.0 * norm
        elif kind == "entries":
            max_norm = 0.5 * (largest + norm)  # largest entry < max_norm < norm
        elif kind == "norm":
            max_norm = norm
        else:
            max_norm = 0.9 * max(float(np.sqrt(np.sum(g ** 2))) for g in grads.values())
        yield Case(label, (grads, float(max_norm)))
