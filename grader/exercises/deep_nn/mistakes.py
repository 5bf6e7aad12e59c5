"""The outputs of 02_deep_nn's known mistakes, built with the reference module (their causes:
grader.exercises.deep_nn)."""
from types import ModuleType
from typing import Callable

import numpy as np


def _forward_with(ref, X, parameters, hidden, output):
    A, caches = X, []
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = ref.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                 hidden if l < L else output)
        caches.append(cache)
    return A, caches


def forward_sigmoid_everywhere(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    return _forward_with(ref, X, parameters, "sigmoid", "sigmoid")


def forward_relu_last(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    return _forward_with(ref, X, parameters, "relu", "relu")


def forward_one_layer_short(ref: ModuleType, X: np.ndarray, parameters: dict) -> tuple:
    L = len(parameters) // 2
    if L < 2:
        raise ValueError("needs two layers")
    shorter = {k: v for k, v in parameters.items() if not k.endswith(str(L))}
    return ref.L_model_forward(X, shorter)


def linear_forward_no_bias(ref: ModuleType, A: np.ndarray, W: np.ndarray, b: np.ndarray) -> tuple:
    return W @ A, (A, W, b)


def cost_positive_term_only(ref: ModuleType, AL: np.ndarray, Y: np.ndarray) -> float:
    return float(-np.sum(Y * np.log(AL)) / Y.shape[1])


def relu_backward_no_da(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return (Z > 0).astype(float)


def sigmoid_backward_sigmoid_not_derivative(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return dA * ref.sigmoid(Z)


def sigmoid_backward_at_z(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return dA * Z * (1 - Z)


def sigmoid_backward_no_da(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    s = ref.sigmoid(Z)
    return s * (1 - s)


def relu_backward_times_relu(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return dA * ref.relu(Z)


def relu_backward_prime_at_zero(ref: ModuleType, dA: np.ndarray, Z: np.ndarray) -> np.ndarray:
    return dA * (Z >= 0)


def linear_backward_w_not_transposed(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    A_prev, W, b = cache
    if W.shape[0] != W.shape[1]:
        raise ValueError("shapes differ: the shape check names this one")
    dA_prev, dW, db = ref.linear_backward(dZ, cache)
    return W @ dZ, dW, db


def linear_backward_dA_over_m(ref: ModuleType, dZ: np.ndarray, cache: tuple) -> tuple:
    dA_prev, dW, db = ref.linear_backward(dZ, cache)
    return dA_prev / cache[0].shape[1], dW, db


def activation_backward_swapped(ref: ModuleType, dA: np.ndarray, cache: tuple, activation: str) -> tuple:
    other = "sigmoid" if activation == "relu" else "relu"
    return ref.linear_activation_backward(dA, cache, other)


def delta_without_derivative(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray,
                             activation: str) -> np.ndarray:
    return AL - Y


def delta_times_activation(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray,
                           activation: str) -> np.ndarray:
    return (AL - Y) * AL


def delta_derivative_at_a(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray,
                          activation: str) -> np.ndarray:
    if activation != "sigmoid":
        raise ValueError("relu'(a) = relu'(z): the same values")
    return ref.sigmoid_backward(AL - Y, AL)


def delta_other_activation(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, ZL: np.ndarray,
                           activation: str) -> np.ndarray:
    other = "sigmoid" if activation == "relu" else "relu"
    return ref.squared_loss_output_delta(AL, Y, ZL, other)


def backward_relu_at_output(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, caches: list) -> dict:
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = ref.linear_activation_backward(dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def update_plus(ref: ModuleType, parameters: dict, grads: dict, learning_rate: float) -> dict:
    return ref.update_parameters(parameters, {k: -v for k, v in grads.items()}, learning_rate)


def norms_relu_output(ref: ModuleType, X: np.ndarray, Y: np.ndarray, parameters: dict, hidden_activation: str) -> list:
    A, caches = _forward_with(ref, X, parameters, hidden_activation, "sigmoid")
    dA = -(Y / A - (1 - Y) / (1 - A))
    norms = [0.0] * len(caches)
    for l in range(len(caches), 0, -1):
        dA, dW, _ = ref.linear_activation_backward(dA, caches[l - 1], hidden_activation)
        norms[l - 1] = float(np.linalg.norm(dW))
    return norms


def activation_backward_dA_for_dZ(ref: ModuleType, dA: np.ndarray, cache: tuple, activation: str) -> tuple:
    linear_cache, _ = cache
    return ref.linear_backward(dA, linear_cache)


def backward_dZ_for_dA(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, caches: list) -> dict:
    """L_model_backward started from dAL = AL - Y: the reference's, with labels Y' whose dA^[L] is AL - Y."""
    return ref.L_model_backward(AL, AL - (AL - Y) * AL * (1 - AL), caches)


def activation_forward_swapped(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                               activation: str) -> tuple:
    return ref.linear_activation_forward(A_prev, W, b, "sigmoid" if activation == "relu" else "relu")


def activation_forward_relu_always(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                                   activation: str) -> tuple:
    if activation == "relu":
        raise ValueError("the right answer on this case")
    return ref.linear_activation_forward(A_prev, W, b, "relu")


def activation_forward_caching_A(ref: ModuleType, A_prev: np.ndarray, W: np.ndarray, b: np.ndarray,
                                 activation: str) -> tuple:
    A, (linear_cache, _) = ref.linear_activation_forward(A_prev, W, b, activation)
    return A, (linear_cache, A)


def backward_sigmoid_hidden(ref: ModuleType, AL: np.ndarray, Y: np.ndarray, caches: list) -> dict:
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = ref.linear_activation_backward(dA, caches[l - 1], "sigmoid")
        grads[f"dA{l - 1}"] = dA
    return grads


def update_one_layer_short(ref: ModuleType, parameters: dict, grads: dict, learning_rate: float) -> dict:
    L = len(parameters) // 2
    if L < 2:
        raise ValueError("needs two layers")
    new = ref.update_parameters(parameters, grads, learning_rate)
    return {**new, f"W{L}": parameters[f"W{L}"].copy(), f"b{L}": parameters[f"b{L}"].copy()}


def difference_norm_of_sum(ref: ModuleType, grads: dict, grads_approx: dict) -> float:
    keys = sorted(k for k in grads_approx if k.startswith(("dW", "db")))
    g = np.concatenate([np.ravel(grads[k]) for k in keys])
    g_approx = np.concatenate([np.ravel(grads_approx[k]) for k in keys])
    return float(np.linalg.norm(g - g_approx) / np.linalg.norm(g + g_approx))


def norms_relu_backward(ref: ModuleType, X: np.ndarray, Y: np.ndarray, parameters: dict,
                        hidden_activation: str) -> list:
    A, caches = _forward_with(ref, X, parameters, hidden_activation, "sigmoid")
    grads = ref.L_model_backward(A, Y, caches)
    return [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, len(caches) + 1)]


def norms_ignoring_hidden_activation(ref: ModuleType, X: np.ndarray, Y: np.ndarray, parameters: dict,
                                     hidden_activation: str) -> list:
    return ref.gradient_norms(X, Y, parameters, "relu")


def norms_reversed(ref: ModuleType, X: np.ndarray, Y: np.ndarray, parameters: dict, hidden_activation: str) -> list:
    return ref.gradient_norms(X, Y, parameters, hidden_activation)[::-1]


def one_sided(ref: ModuleType, cost_function: Callable[[dict], float], parameters: dict, epsilon: float = 1e-6) -> dict:
    out = {}
    base = cost_function(parameters)
    for key, value in parameters.items():
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += epsilon
            grad[index] = (cost_function(plus) - base) / epsilon
        out["d" + key] = grad
    return out


def difference_without_denominator(ref: ModuleType, grads: dict, grads_approx: dict) -> float:
    keys = sorted(k for k in grads_approx if k.startswith(("dW", "db")))
    return float(np.linalg.norm(np.concatenate([np.ravel(grads[k] - grads_approx[k]) for k in keys])))
