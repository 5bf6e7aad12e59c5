"""The test inputs of 02_deep_nn. The networks cover a single layer (L = 1: logistic regression, no ReLU layer),
m = 1, a single hidden unit, a single input feature and deeper networks (L = 4)."""
from types import ModuleType
from typing import Iterator

import numpy as np

from grader.exercise import Case


# (layer sizes [n_x, n_1, ..., n_L = 1], m, weight scale, label)
NETWORKS = [
    ([3, 4, 1], 5, 0.8, "layers [3, 4, 1], 5 examples"),
    ([2, 1], 4, 1.0, "a single layer (L = 1, logistic regression)"),
    ([4, 5, 3, 1], 1, 0.8, "layers [4, 5, 3, 1], one example (m = 1)"),
    ([1, 3, 1], 6, 1.0, "a single input feature"),
    ([5, 1, 4, 1], 3, 1.0, "a single hidden unit in the first layer"),
    ([3, 6, 5, 4, 1], 7, 0.6, "four layers, 7 examples"),
]


def network(rng: np.random.Generator, sizes: list[int], m: int,
            scale: float) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    X = rng.standard_normal((sizes[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l in range(1, len(sizes)):
        parameters[f"W{l}"] = scale * rng.standard_normal((sizes[l], sizes[l - 1]))
        parameters[f"b{l}"] = 0.3 * rng.standard_normal((sizes[l], 1))
    return X, Y, parameters


def layers(rng: np.random.Generator) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, int, str]]:
    """One layer per network: (A_prev, W, b, m, label)."""
    for sizes, m, scale, label in NETWORKS:
        n_prev, n = sizes[0], sizes[1]
        A_prev = rng.standard_normal((n_prev, m))
        W = scale * rng.standard_normal((n, n_prev))
        b = 0.3 * rng.standard_normal((n, 1))
        yield A_prev, W, b, m, f"n_prev = {n_prev}, n = {n}, m = {m}"


def linear_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for A_prev, W, b, m, label in layers(rng):
        yield Case(label, (A_prev, W, b), m)


def activation_forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for (A_prev, W, b, m, label), activation in zip(layers(rng), ["relu", "sigmoid"] * 3):
        yield Case(f"{label}, {activation}", (A_prev, W, b, activation), m)


def forward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for sizes, m, scale, label in NETWORKS:
        X, _, parameters = network(rng, sizes, m, scale)
        yield Case(label, (X, parameters), m)


def cost_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for sizes, m, scale, label in NETWORKS:
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, _ = ref.L_model_forward(X, parameters)
        yield Case(label, (AL, Y), m)


def activation_derivative_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for sizes, m, scale, label in NETWORKS:
        n = sizes[1]
        Z = 2.0 * rng.standard_normal((n, m))
        Z[0, 0] = 0.0  # a kink exactly at 0: relu'(0) = 0 in this course, as in PyTorch
        dA = rng.standard_normal((n, m))
        yield Case(f"n = {n}, m = {m}, one Z exactly 0", (dA, Z), m)


def linear_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for A_prev, W, b, m, label in layers(rng):
        _, cache = ref.linear_forward(A_prev, W, b)
        dZ = rng.standard_normal((W.shape[0], m))
        yield Case(label, (dZ, cache), m)


def activation_backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for (A_prev, W, b, m, label), activation in zip(layers(rng), ["relu", "sigmoid"] * 3):
        _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
        dA = rng.standard_normal((W.shape[0], m))
        yield Case(f"{label}, {activation}", (dA, cache, activation), m)


def squared_delta_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    """Output layers of a regression network: targets Y are real numbers, AL = g(ZL) from the forward pass."""
    plans = [(1, 5, "sigmoid"), (3, 4, "relu"), (1, 1, "sigmoid"), (2, 6, "relu"), (4, 3, "sigmoid"), (1, 7, "relu")]
    for n, m, activation in plans:
        ZL = 1.5 * rng.standard_normal((n, m))
        AL = ref.relu(ZL) if activation == "relu" else ref.sigmoid(ZL)
        Y = rng.uniform(-0.5, 1.5, (n, m))
        yield Case(f"{n} output unit{'s' if n > 1 else ''}, m = {m}, {activation} output", (AL, Y, ZL, activation), m)


def backward_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for sizes, m, scale, label in NETWORKS:
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        yield Case(label, (AL, Y, caches), m)


def update_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    for (sizes, m, scale, label), lr in zip(NETWORKS, [0.01, 1.2, 0.5, 0.1, 2.0, 0.075]):
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        grads = ref.L_model_backward(AL, Y, caches)
        yield Case(f"{label}, learning rate {lr}", (parameters, grads, lr))


def smooth_cost(parameters: dict[str, np.ndarray]) -> float:
    """A smooth scalar function of every entry of every parameter, with cross terms: a stand-in for
    a network's cost when testing a numerical gradient (public; it reveals no graded answer). The known
    values name it by module and name: moving it changes grader/fixtures/02_deep_nn.json."""
    total = 0.0
    for i, key in enumerate(sorted(parameters)):
        p = parameters[key]
        total += np.sum(np.sin(p + 0.1 * (i + 1))) + 0.05 * (i + 1) * np.sum(p ** 2)
    coupling = sum(np.sum(np.tanh(p)) for p in parameters.values())
    return float(total + 0.1 * coupling ** 2)


def numerical_gradient_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    plans = [([2, 3, 1], 1e-6, "layers [2, 3, 1], epsilon = 1e-6"),
             ([3, 2, 2, 1], 1e-2, "layers [3, 2, 2, 1], a coarse epsilon = 0.01"),
             ([2, 1], 1e-6, "a single layer, epsilon = 1e-6"),
             ([1, 1, 1], 1e-5, "one unit per layer, epsilon = 1e-5")]
    for sizes, epsilon, label in plans:
        _, _, parameters = network(rng, sizes, 1, 1.0)
        yield Case(label, (smooth_cost, parameters, epsilon))


def difference_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    plans = [(0, 1e-9, "nearly equal gradients (a correct backward pass)"),
             (3, 1e-4, "a small error in every entry"),
             (5, 0.3, "a large error in every entry"),
             (1, None, "one entry wrong"),
             (2, 0.0, "identical gradients")]
    for index, noise, label in plans:
        sizes, m, scale, _ = NETWORKS[index]
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        grads = ref.L_model_backward(AL, Y, caches)
        approx = {k: v.copy() for k, v in grads.items() if k.startswith(("dW", "db"))}
        if noise is None:
            approx["dW1"][0, 0] += 1.0
        else:
            for k in approx:
                approx[k] = approx[k] + noise * rng.standard_normal(approx[k].shape) * np.abs(approx[k])
        yield Case(label, (grads, approx))


def gradient_norms_cases(ref: ModuleType, rng: np.random.Generator) -> Iterator[Case]:
    # The two visible cases have hidden layers, one of each activation: on the single layer (L = 1) the hidden
    # activation changes nothing, so a known value there would not try the sigmoid branch.
    networks = NETWORKS + [([3, 8, 8, 8, 8, 8, 1], 10, 1.5, "six layers")]
    order = [0, 2, 1, 3, 4, 5, 6]
    for (sizes, m, scale, label), activation in zip([networks[i] for i in order],
                                                    ["relu", "sigmoid", "sigmoid", "relu", "sigmoid", "relu", "sigmoid"]):
        X, Y, parameters = network(rng, sizes, m, scale)
        yield Case(f"{label}, {activation} hidden layers", (X, Y, parameters, activation), m)
