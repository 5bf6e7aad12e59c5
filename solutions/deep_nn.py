"""Reference for 02_deep_nn: an L-layer network, L-1 ReLU layers and a sigmoid output.

Column layout: X is (n_x, m), one example per column. Layer l has W{l} (n_l, n_{l-1}) and
b{l} (n_l, 1); parameters {"W1", "b1", ..., "WL", "bL"}. Caches: a linear cache (A_prev, W, b),
an activation cache Z, and per layer (linear_cache, Z).

Gradient convention (as in 01): dA and dZ hold in column i the gradient of example i's own loss,
that is m dJ/dA and m dJ/dZ; dW and db are dJ/dW and dJ/db of the averaged cost J, so the 1/m
enters once, in linear_backward.
"""
import numpy as np


def sigmoid(Z):
    return 1.0 / (1.0 + np.exp(-Z))


def relu(Z):
    return np.maximum(0.0, Z)


def linear_forward(A, W, b):
    """Z = W A + b.

    Inputs:  A (n_{l-1}, m); W (n_l, n_{l-1}); b (n_l, 1).
    Returns: Z (n_l, m); cache (A, W, b).
    """
    Z = W @ A + b
    return Z, (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """One layer: A = g(W A_prev + b), g = "relu" or "sigmoid".

    Inputs:  A_prev (n_{l-1}, m); W (n_l, n_{l-1}); b (n_l, 1); activation "relu" | "sigmoid".
    Returns: A (n_l, m); cache (linear_cache, Z) with linear_cache (A_prev, W, b) and Z (n_l, m).
    """
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "relu":
        A = relu(Z)
    elif activation == "sigmoid":
        A = sigmoid(Z)
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', not {activation!r}")
    return A, (linear_cache, Z)


def L_model_forward(X, parameters):
    """[LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID.

    Inputs:  X (n_x, m); parameters {"W1", "b1", ..., "WL", "bL"}.
    Returns: AL (1, m), the output probabilities; caches, a list of the L layer caches, in order.
    """
    L = len(parameters) // 2
    caches = []
    A = X
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters[f"W{L}"], parameters[f"b{L}"], "sigmoid")
    caches.append(cache)
    return AL, caches


def compute_cost(AL, Y):
    """Cross-entropy averaged over the m examples.

    Inputs:  AL (1, m) probabilities; Y (1, m) labels in {0, 1}.
    Returns: cost, a Python float.
    """
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def relu_backward(dA, cache):
    """dZ = dA * relu'(Z), with relu'(Z) = 1 where Z > 0, else 0.

    Inputs:  dA (n_l, m), each example's own loss gradient (m dJ/dA); cache Z (n_l, m).
    Returns: dZ (n_l, m), in the same convention (m dJ/dZ).
    """
    Z = cache
    return dA * (Z > 0)


def sigmoid_backward(dA, cache):
    """dZ = dA * s (1 - s), s = sigmoid(Z).

    Inputs:  dA (n_l, m), each example's own loss gradient (m dJ/dA); cache Z (n_l, m).
    Returns: dZ (n_l, m), in the same convention (m dJ/dZ).
    """
    s = sigmoid(cache)
    return dA * s * (1 - s)


def linear_backward(dZ, cache):
    """Gradients of the linear part of layer l (the cost is averaged over m).

    Inputs:  dZ (n_l, m), each example's own loss gradient (m dJ/dZ); cache (A_prev (n_{l-1}, m),
             W (n_l, n_{l-1}), b (n_l, 1)).
    Returns: dA_prev (n_{l-1}, m), per example like dZ (m dJ/dA_prev); dW (n_l, n_{l-1}) = dJ/dW and
             db (n_l, 1) = dJ/db, where the 1/m enters.
    """
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = W.T @ dZ
    return dA_prev, dW, db


def linear_activation_backward(dA, cache, activation):
    """One layer backwards: dZ = dA * g'(Z), then linear_backward.

    Inputs:  dA (n_l, m), each example's own loss gradient (m dJ/dA); cache (linear_cache, Z);
             activation "relu" | "sigmoid".
    Returns: dA_prev (n_{l-1}, m) (m dJ/dA_prev), dW (n_l, n_{l-1}) = dJ/dW, db (n_l, 1) = dJ/db.
    """
    linear_cache, Z = cache
    if activation == "relu":
        dZ = relu_backward(dA, Z)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, Z)
    else:
        raise ValueError(f"activation must be 'relu' or 'sigmoid', not {activation!r}")
    return linear_backward(dZ, linear_cache)


def squared_loss_output_delta(AL, Y, ZL, activation):
    """delta^[L] = dL/dZL of the squared loss L = 1/2 ||a - y||^2 of each example, for an output layer
    with the given activation: (AL - Y) * g'(ZL).

    Inputs:  AL (n_L, m) = g(ZL); Y (n_L, m) targets; ZL (n_L, m); activation "relu" | "sigmoid".
    Returns: dZL (n_L, m), each example's own loss gradient in its column (m dJ/dZL, no 1/m).
    """
    if activation == "relu":
        return relu_backward(AL - Y, ZL)
    if activation == "sigmoid":
        return sigmoid_backward(AL - Y, ZL)
    raise ValueError(f"activation must be 'relu' or 'sigmoid', not {activation!r}")


def L_model_backward(AL, Y, caches):
    """Backward pass of the whole network for the cross-entropy cost.

    Inputs:  AL (1, m); Y (1, m); caches from L_model_forward.
    Returns: grads {"dA0", ..., "dA{L-1}", "dW1", "db1", ..., "dWL", "dbL"}; dA{l-1} has A{l-1}'s
             shape (one column per example, m dJ/dA), dW{l} W{l}'s, db{l} b{l}'s (dJ/dW, dJ/db).
    """
    L = len(caches)
    grads = {}
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    dA = dAL
    for l in range(L, 0, -1):
        activation = "sigmoid" if l == L else "relu"
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
    return grads


def update_parameters(parameters, grads, learning_rate):
    """One step of gradient descent; returns a new dict (the input is left unchanged).

    Inputs:  parameters {"W1", "b1", ...}; grads with "dW1", "db1", ...; learning_rate, a float.
    Returns: parameters, a new dict with W{l} - learning_rate dW{l}, b{l} - learning_rate db{l}.
    """
    L = len(parameters) // 2
    new = {}
    for l in range(1, L + 1):
        new[f"W{l}"] = parameters[f"W{l}"] - learning_rate * grads[f"dW{l}"]
        new[f"b{l}"] = parameters[f"b{l}"] - learning_rate * grads[f"db{l}"]
    return new


def numerical_gradient(cost_function, parameters, epsilon=1e-6):
    """Central differences of cost_function over every entry of every parameter.

    Inputs:  cost_function, a function of a parameters dict returning a float; parameters
             {"W1", "b1", ...}; epsilon, the step (1e-6, grader.gradcheck.EPS).
    Returns: grads_approx {"dW1", "db1", ...}: for each entry theta_i of each parameter,
             (J(theta_i + epsilon) - J(theta_i - epsilon)) / (2 epsilon), in the parameter's shape.
             The parameters are left unchanged.
    """
    grads_approx = {}
    for key, value in parameters.items():
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            minus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += epsilon
            minus[key][index] -= epsilon
            grad[index] = (cost_function(plus) - cost_function(minus)) / (2 * epsilon)
        grads_approx["d" + key] = grad
    return grads_approx


def gradient_difference(grads, grads_approx):
    """Relative difference ||g - g_approx|| / (||g|| + ||g_approx||) over all dW and db entries.

    Inputs:  grads and grads_approx, dicts with the same "dW{l}", "db{l}" keys (other keys, such as
             "dA0", are ignored).
    Returns: a Python float; 0 when both are zero.
    """
    keys = sorted(k for k in grads_approx if k.startswith(("dW", "db")))
    g = np.concatenate([np.ravel(grads[k]) for k in keys])
    g_approx = np.concatenate([np.ravel(grads_approx[k]) for k in keys])
    denominator = np.linalg.norm(g) + np.linalg.norm(g_approx)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(g - g_approx) / denominator)


def gradient_norms(X, Y, parameters, hidden_activation):
    """Norm of dW of every layer, for a network whose hidden layers use `hidden_activation`.

    Inputs:  X (n_x, m); Y (1, m); parameters {"W1", "b1", ..., "WL", "bL"}; hidden_activation
             "relu" | "sigmoid" for layers 1 .. L-1 (layer L is always a sigmoid layer).
    Returns: norms, a list of L Python floats: norms[l-1] is the Frobenius norm of dW{l} of the
             cross-entropy cost.
    """
    L = len(parameters) // 2
    activations = [hidden_activation] * (L - 1) + ["sigmoid"]
    A, caches = X, []
    for l, activation in enumerate(activations, start=1):
        A, cache = linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"], activation)
        caches.append(cache)
    dA = -(Y / A - (1 - Y) / (1 - A))
    norms = [0.0] * L
    for l in range(L, 0, -1):
        dA, dW, _ = linear_activation_backward(dA, caches[l - 1], activations[l - 1])
        norms[l - 1] = float(np.linalg.norm(dW))
    return norms
