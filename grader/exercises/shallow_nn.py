"""Test inputs for 01_shallow_nn. Sizes cover m = 1, a single hidden unit and a single feature."""
from grader.exercise import Case, Exercise

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


def update_cases(ref, rng):
    for (n_x, n_h, m, scale, label), lr in zip(SIZES, [0.01, 1.2, 0.5, 0.1, 2.0, 0.05, 1.0]):
        X, Y, parameters = network(rng, n_x, n_h, m, scale)
        _, cache = ref.forward_propagation(X, parameters)
        grads = ref.backward_propagation(parameters, cache, X, Y)
        yield Case(f"{label}, learning rate {lr}", (parameters, grads, lr))


EXERCISES = {
    "forward_propagation": Exercise("forward_propagation", ("X", "parameters"), ("A2", "cache"), forward_cases),
    "compute_cost": Exercise("compute_cost", ("A2", "Y"), "cost", cost_cases),
    "backward_propagation": Exercise("backward_propagation", ("parameters", "cache", "X", "Y"), "grads",
                                     backward_cases),
    "update_parameters": Exercise("update_parameters", ("parameters", "grads", "learning_rate"), "parameters",
                                  update_cases),
}
