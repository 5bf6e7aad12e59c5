"""The outputs of 01_shallow_nn's known mistakes, built with the reference module (their causes:
grader.exercises.shallow_nn)."""
from types import ModuleType

import numpy as np


def _one_example_scaled(ref, parameters, cache, x, y, factor):
    """Every one-example gradient times factor(cache): what a wrong dz2 gives, since the rest is linear in it."""
    grads = ref.backward_one_example(parameters, cache, x, y)
    return {k: v * factor(cache) for k, v in grads.items()}


def _one_example_hidden_factor(ref, parameters, cache, x, y, a1_in_the_factor):
    """The one-example gradients with dz1 (and so dW1, db1) computed as if tanh' read a1_in_the_factor(cache)."""
    grads = ref.backward_one_example(parameters, cache, x, y)
    altered = ref.backward_one_example(parameters, {**cache, "A1": a1_in_the_factor(cache)}, x, y)
    return {**grads, "dz1": altered["dz1"], "dW1": altered["dW1"], "db1": altered["db1"]}


def _one_example_transposed(ref, parameters, cache, x, y, key):
    grads = ref.backward_one_example(parameters, cache, x, y)
    return {**grads, key: grads[key].T}


def one_example_dz2_sign(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray, y: np.ndarray) -> dict:
    return _one_example_scaled(ref, parameters, cache, x, y, factor=lambda c: -1.0)


def one_example_sigma_prime_twice(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray,
                                  y: np.ndarray) -> dict:
    return _one_example_scaled(ref, parameters, cache, x, y, factor=lambda c: c["A2"] * (1 - c["A2"]))


def one_example_no_tanh_prime(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray, y: np.ndarray) -> dict:
    return _one_example_hidden_factor(ref, parameters, cache, x, y, a1_in_the_factor=lambda c: 0 * c["A1"])


def one_example_tanh_prime_of_z(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray,
                                y: np.ndarray) -> dict:
    return _one_example_hidden_factor(ref, parameters, cache, x, y, a1_in_the_factor=lambda c: c["Z1"])


def one_example_dW1_transposed(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray,
                               y: np.ndarray) -> dict:
    return _one_example_transposed(ref, parameters, cache, x, y, key="dW1")


def one_example_dW2_no_transpose(ref: ModuleType, parameters: dict, cache: dict, x: np.ndarray,
                                 y: np.ndarray) -> dict:
    return _one_example_transposed(ref, parameters, cache, x, y, key="dW2")


def _vectorised_hidden_factor(ref, parameters, cache, X, Y, a1_in_the_factor):
    """The vectorised gradients with dW1, db1 computed as if tanh' read a1_in_the_factor(cache)."""
    grads = ref.backward_propagation(parameters, cache, X, Y)
    altered = ref.backward_propagation(parameters, {**cache, "A1": a1_in_the_factor(cache)}, X, Y)
    return {**grads, "dW1": altered["dW1"], "db1": altered["db1"]}


def backward_tanh_twice(ref: ModuleType, parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    return _vectorised_hidden_factor(ref, parameters, cache, X, Y, a1_in_the_factor=lambda c: np.tanh(c["A1"]))


def backward_no_tanh_prime(ref: ModuleType, parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    return _vectorised_hidden_factor(ref, parameters, cache, X, Y, a1_in_the_factor=lambda c: 0 * c["A1"])


def backward_tanh_prime_of_z(ref: ModuleType, parameters: dict, cache: dict, X: np.ndarray, Y: np.ndarray) -> dict:
    return _vectorised_hidden_factor(ref, parameters, cache, X, Y, a1_in_the_factor=lambda c: c["Z1"])


def update_plus(ref: ModuleType, parameters: dict, grads: dict, lr: float) -> dict:
    return ref.update_parameters(parameters, {k: -v for k, v in grads.items()}, lr)


def update_no_learning_rate(ref: ModuleType, parameters: dict, grads: dict, lr: float) -> dict:
    return ref.update_parameters(parameters, grads, 1.0)


def _forward_with(X, parameters, hidden, output, bias1=True):
    """A forward pass with other activations (the forward equations are in the notebook's text)."""
    Z1 = parameters["W1"] @ X + (parameters["b1"] if bias1 else 0)
    A1 = hidden(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = output(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward_sigmoid_hidden(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    return _forward_with(X, parameters, _logistic, _logistic)


def forward_tanh_output(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    return _forward_with(X, parameters, np.tanh, np.tanh)


def forward_no_b1(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    return _forward_with(X, parameters, np.tanh, _logistic, bias1=False)


def forward_z1_as_a1(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    A2, cache = ref.forward_propagation(X, parameters)
    return A2, {**cache, "A1": cache["Z1"]}


def cost_positive_term_only(ref: ModuleType, A2: np.ndarray, Y: np.ndarray) -> float:
    return float(-np.sum(Y * np.log(A2)) / Y.shape[1])
