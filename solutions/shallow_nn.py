"""Reference for 01_shallow_nn: one tanh hidden layer, a sigmoid output, cross-entropy cost.

Column layout: X is (n_x, m), one example per column. Parameters: W1 (n_h, n_x), b1 (n_h, 1),
W2 (n_y, n_h), b2 (n_y, 1), with n_y = 1.
"""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward_propagation(X, parameters):
    """Forward pass.

    Inputs:  X (n_x, m); parameters {"W1", "b1", "W2", "b2"}.
    Returns: A2 (1, m), the predicted probabilities;
             cache {"Z1": (n_h, m), "A1": (n_h, m), "Z2": (1, m), "A2": (1, m)}.
    """
    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = sigmoid(Z2)
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


def compute_cost(A2, Y):
    """Cross-entropy averaged over the m examples.

    Inputs:  A2 (1, m) probabilities; Y (1, m) labels in {0, 1}.
    Returns: cost, a Python float.
    """
    m = Y.shape[1]
    log_likelihood = Y * np.log(A2) + (1 - Y) * np.log(1 - A2)
    return float(-np.sum(log_likelihood) / m)


def backward_one_example(parameters, cache, x, y):
    """Gradients of one example's loss L(a2, y) (m = 1: the cost is that loss).

    Inputs:  parameters as in forward_propagation; cache from forward_propagation(x, parameters);
             x (n_x, 1), one example as a column; y (1, 1), its label.
    Returns: grads {"dz2": (1, 1), "dW2": (1, n_h), "db2": (1, 1), "dz1": (n_h, 1), "dW1": (n_h, n_x),
             "db1": (n_h, 1)}, dv = dL/dv, each with the shape of v.
    """
    W2 = parameters["W2"]
    a1, a2 = cache["A1"], cache["A2"]
    dz2 = a2 - y
    dW2 = dz2 @ a1.T
    db2 = dz2
    dz1 = (W2.T @ dz2) * (1 - a1 ** 2)
    dW1 = dz1 @ x.T
    db1 = dz1
    return {"dz2": dz2, "dW2": dW2, "db2": db2, "dz1": dz1, "dW1": dW1, "db1": db1}


def backward_propagation(parameters, cache, X, Y):
    """Gradients of the averaged cross-entropy cost.

    Inputs:  parameters as in forward_propagation; cache from forward_propagation(X, parameters);
             X (n_x, m); Y (1, m).
    Returns: grads {"dW2": (1, n_h), "db2": (1, 1), "dW1": (n_h, n_x), "db1": (n_h, 1)}, dJ/dW2, ..., each with
             the shape of the parameter it differentiates. dZ2, dZ1 hold each example's own loss gradient in its
             column (m dJ/dZ): the 1/m enters once, in each parameter gradient.
    """
    m = X.shape[1]
    W2 = parameters["W2"]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = dZ2 @ A1.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = (W2.T @ dZ2) * (1 - A1 ** 2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    return {"dW2": dW2, "db2": db2, "dW1": dW1, "db1": db1}


def update_parameters(parameters, grads, learning_rate):
    """One gradient-descent step; returns a new dict and leaves `parameters` unchanged.

    Inputs:  parameters {"W1", "b1", "W2", "b2"}; grads {"dW1", "db1", "dW2", "db2"};
             learning_rate, a positive float.
    Returns: the updated parameters, same keys and shapes.
    """
    return {name: parameters[name] - learning_rate * grads["d" + name]
            for name in ("W1", "b1", "W2", "b2")}
