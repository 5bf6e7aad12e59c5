"""Test inputs for 01_shallow_nn. Sizes cover m = 1, a single hidden unit and a single feature; the
one-example backward pass also a square W1 (where only the values, not the shape, reveal a transposed
dW1) and both labels. Known mistakes are built from the reference module only."""
import numpy as np

from grader.exercise import Case, Exercise, Mistake

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


def network(rng, n_x, n_h, m, scale):
    X = rng.standard_normal((n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {"W1": scale * rng.standard_normal((n_h, n_x)), "b1": 0.1 * rng.standard_normal((n_h, 1)),
                  "W2": scale * rng.standard_normal((1, n_h)), "b2": 0.1 * rng.standard_normal((1, 1))}
    return X, Y, parameters


def forward_cases(ref, rng):
    for n_x, n_h, m, scale, label in SIZES:
        X, _, parameters = network(rng, n_x, n_h, m, scale)
        yield Case(label, (X, parameters), m)


def cost_cases(ref, rng):
    for n_x, n_h, m, scale, label in SIZES:
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        A2, _ = ref.forward_propagation(X, parameters)
        yield Case(label, (A2, Y), m)


def backward_cases(ref, rng):
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


def one_example_cases(ref, rng):
    for n_x, n_h, scale, y, label in ONE_EXAMPLE:
        x, _, parameters = network(rng, n_x, n_h, 1, scale)
        _, cache = ref.forward_propagation(x, parameters)
        yield Case(label, (parameters, cache, x, np.array([[y]])), 1)


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


ONE_EXAMPLE_MISTAKES = (
    Mistake("dz2_sign", "taking dz2 = y - a2: mind the signs of dL/da2 = -y/a2 + (1 - y)/(1 - a2)",
            lambda ref, *args: _one_example_scaled(ref, *args, factor=lambda c: -1.0)),
    Mistake("sigma_prime_twice", "multiplying by sigma'(z2) = a2 (1 - a2) once more: your simplified dz2 already "
            "is dL/da2 * sigma'(z2)",
            lambda ref, *args: _one_example_scaled(ref, *args, factor=lambda c: c["A2"] * (1 - c["A2"]))),
    Mistake("no_tanh_prime", "leaving out the factor tanh'(z1) in dz1 (that gives da1, the gradient before the "
            "activation)",
            lambda ref, *args: _one_example_hidden_factor(ref, *args, a1_in_the_factor=lambda c: 0 * c["A1"])),
    Mistake("tanh_prime_of_z", "evaluating tanh' as 1 - z1**2: tanh'(z1) = 1 - tanh(z1)**2, and tanh(z1) is a1",
            lambda ref, *args: _one_example_hidden_factor(ref, *args, a1_in_the_factor=lambda c: c["Z1"])),
    Mistake("dW1_transposed", "computing x dz1.T, the transpose of dW1: dW1[j, k] = dL/dW1[j, k] sits where W1[j, k] "
            "does, row j for hidden unit j",
            lambda ref, *args: _one_example_transposed(ref, *args, key="dW1")),
    Mistake("dW2_no_transpose", "multiplying dz2 by a1 without transposing a1: a gradient has the shape of what "
            "it differentiates",
            lambda ref, *args: _one_example_transposed(ref, *args, key="dW2")),
)


def _vectorised_hidden_factor(ref, parameters, cache, X, Y, a1_in_the_factor):
    """The vectorised gradients with dW1, db1 computed as if tanh' read a1_in_the_factor(cache)."""
    grads = ref.backward_propagation(parameters, cache, X, Y)
    altered = ref.backward_propagation(parameters, {**cache, "A1": a1_in_the_factor(cache)}, X, Y)
    return {**grads, "dW1": altered["dW1"], "db1": altered["db1"]}


BACKWARD_MISTAKES = (
    Mistake("tanh_twice", "computing 1 - np.tanh(A1)**2: A1 is already tanh(Z1), so tanh'(Z1) = 1 - A1**2",
            lambda ref, *args: _vectorised_hidden_factor(ref, *args, a1_in_the_factor=lambda c: np.tanh(c["A1"]))),
    Mistake("no_tanh_prime", "leaving out the factor tanh'(Z1) = 1 - A1**2 in dZ1",
            lambda ref, *args: _vectorised_hidden_factor(ref, *args, a1_in_the_factor=lambda c: 0 * c["A1"])),
    Mistake("tanh_prime_of_z", "evaluating tanh' as 1 - Z1**2: tanh'(Z1) = 1 - tanh(Z1)**2 = 1 - A1**2",
            lambda ref, *args: _vectorised_hidden_factor(ref, *args, a1_in_the_factor=lambda c: c["Z1"])),
)

UPDATE_MISTAKES = (
    Mistake("plus", "adding the gradient: gradient descent steps against it, W - learning_rate * dW",
            lambda ref, parameters, grads, lr: ref.update_parameters(parameters, {k: -v for k, v in grads.items()}, lr)),
    Mistake("no_learning_rate", "leaving out the learning rate: each step is - learning_rate * dW",
            lambda ref, parameters, grads, lr: ref.update_parameters(parameters, grads, 1.0)),
)


def _forward_with(X, parameters, hidden, output, bias1=True):
    """A forward pass with other activations (the forward equations are in the notebook's text)."""
    Z1 = parameters["W1"] @ X + (parameters["b1"] if bias1 else 0)
    A1 = hidden(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = output(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def _logistic(z):
    return 1.0 / (1.0 + np.exp(-z))


FORWARD_MISTAKES = (
    Mistake("sigmoid_hidden", "using the sigmoid in the hidden layer: A1 = tanh(Z1)",
            lambda ref, X, parameters: _forward_with(X, parameters, _logistic, _logistic)),
    Mistake("tanh_output", "using tanh at the output: A2 = sigmoid(Z2) is a probability",
            lambda ref, X, parameters: _forward_with(X, parameters, np.tanh, np.tanh)),
    Mistake("no_b1", "leaving out the bias b1: Z1 = W1 X + b1",
            lambda ref, X, parameters: _forward_with(X, parameters, np.tanh, _logistic, bias1=False)),
    Mistake("z1_as_a1", "caching Z1 where A1 belongs: the cache holds A1 = tanh(Z1) under \"A1\"",
            lambda ref, X, parameters: (lambda A2, c: (A2, {**c, "A1": c["Z1"]}))(*ref.forward_propagation(X, parameters))),
)

COST_MISTAKES = (
    Mistake("positive_term_only", "keeping only the y log(a) term: the examples with y = 0 contribute "
            "(1 - y) log(1 - a)", lambda ref, A2, Y: float(-np.sum(Y * np.log(A2)) / Y.shape[1])),
)


def update_cases(ref, rng):
    for (n_x, n_h, m, scale, label), lr in zip(SIZES, [0.01, 1.2, 0.5, 0.1, 2.0, 0.05, 1.0]):
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        _, cache = ref.forward_propagation(X, parameters)
        grads = ref.backward_propagation(parameters, cache, X, Y)
        yield Case(f"{label}, learning rate {lr}", (parameters, grads, lr))


EXERCISES = {
    "forward_propagation": Exercise("forward_propagation", ("X", "parameters"), ("A2", "cache"), forward_cases,
                                    mistakes=FORWARD_MISTAKES),
    "compute_cost": Exercise("compute_cost", ("A2", "Y"), "cost", cost_cases, mistakes=COST_MISTAKES),
    "backward_one_example": Exercise("backward_one_example", ("parameters", "cache", "x", "y"), "grads",
                                     one_example_cases, mistakes=ONE_EXAMPLE_MISTAKES),
    "backward_propagation": Exercise("backward_propagation", ("parameters", "cache", "X", "Y"), "grads",
                                     backward_cases, mistakes=BACKWARD_MISTAKES),
    "update_parameters": Exercise("update_parameters", ("parameters", "grads", "learning_rate"), "parameters",
                                  update_cases, mistakes=UPDATE_MISTAKES),
}
