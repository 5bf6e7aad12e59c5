"""The test inputs of 01_shallow_nn. Sizes cover m = 1, a single hidden unit and a single feature; the one-example
backward pass also a square W1 (where only the values, not the shape, reveal a transposed dW1) and both labels."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case


# (n_x, n_h, m, weight scale, label)
SIZES = [
    (2, 4, 5, 0.5, "2 features, 4 hidden units, 5 examples"),
    (1, 1, 1, 0.8, "one feature, one hidden unit, one example"),
    (3, 1, 7, 1.0, "a single hidden unit"),
    (1, 5, 4, 1.0, "a single input feature"),
    (4, 3, 1, 0.7, "one example (m = 1)"),
    (5, 6, 12, 0.3, "5 features, 6 hidden units, 12 examples"),
    (2, 4, 30, 2.0, "large weights (saturated tanh units)"),
]


def network(rng: np.random.Generator, n_x: int, n_h: int, m: int,
            scale: float) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    X = rng.standard_normal((n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {"W1": scale * rng.standard_normal((n_h, n_x)), "b1": 0.1 * rng.standard_normal((n_h, 1)),
                  "W2": scale * rng.standard_normal((1, n_h)), "b2": 0.1 * rng.standard_normal((1, 1))}
    return X, Y, parameters


def forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, m, scale, label in SIZES:
        X, _, parameters = network(rng, n_x, n_h, m, scale)
        yield Case(label, (X, parameters), m)


def cost_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, m, scale, label in SIZES:
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        A2, _ = ref.forward_propagation(X, parameters)
        yield Case(label, (A2, Y), m)


def backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, m, scale, label in SIZES:
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        _, cache = ref.forward_propagation(X, parameters)
        yield Case(label, (parameters, cache, X, Y), m)


# (n_x, n_h, weight scale, label y, label) of one example
ONE_EXAMPLE = [
    (2, 4, 0.5, 1.0, "2 features, 4 hidden units, y = 1"),
    (3, 3, 0.8, 0.0, "3 features, 3 hidden units (square W1), y = 0"),
    (1, 1, 0.8, 1.0, "one feature, one hidden unit, y = 1"),
    (3, 1, 1.0, 0.0, "a single hidden unit, y = 0"),
    (1, 5, 1.0, 1.0, "a single input feature, y = 1"),
    (4, 4, 0.7, 1.0, "4 features, 4 hidden units (square W1), y = 1"),
    (5, 6, 0.3, 0.0, "5 features, 6 hidden units, y = 0"),
    (2, 4, 2.0, 0.0, "large weights (saturated tanh units), y = 0"),
]


def one_example_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for n_x, n_h, scale, y, label in ONE_EXAMPLE:
        x, _, parameters = network(rng, n_x, n_h, 1, scale)
        _, cache = ref.forward_propagation(x, parameters)
        yield Case(label, (parameters, cache, x, np.array([[y]])), 1)


def update_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for (n_x, n_h, m, scale, label), lr in zip(SIZES, [0.01, 1.2, 0.5, 0.1, 2.0, 0.05, 1.0]):
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        _, cache = ref.forward_propagation(X, parameters)
        grads = ref.backward_propagation(parameters, cache, X, Y)
        yield Case(f"{label}, learning rate {lr}", (parameters, grads, lr))
