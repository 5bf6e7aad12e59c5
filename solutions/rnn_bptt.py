"""Reference for 05_rnn_bptt: a vanilla RNN, its forward pass and backpropagation through time.

Course notation: h^t = tanh(U x^t + W h^{t-1} + b), o^t = V h^t + c, yhat^t = softmax(o^t),
cost J = -(1/m) sum_t sum_i sum_k y^t_{k,i} log yhat^t_{k,i} (summed over time, averaged over examples).
Every gradient is dJ/d(.) of that averaged cost: the 1/m enters once, in do^t = (yhat^t - y^t) / m.

Column layout: x (n_x, m, T_x), h0 (n_h, m), h (n_h, m, T_x), y_pred and Y (n_y, m, T_x);
parameters U (n_h, n_x), W (n_h, n_h), b (n_h, 1), V (n_y, n_h), c (n_y, 1).
Time step t (t = 1..T_x) is index t - 1 of the last axis; h0 is h^0.

Each graded function is self-contained (none calls another graded function), so that in the
solved notebook a bug in one answer costs only that answer's points; softmax is a provided helper.
"""
import numpy as np


def softmax(o):
    """Softmax over the classes (axis 0), for every example (column); stable for large inputs."""
    e = np.exp(o - np.max(o, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


def rnn_cell_forward(xt, h_prev, parameters):
    """One time step.

    Inputs:  xt (n_x, m); h_prev (n_h, m); parameters {"U", "W", "b", "V", "c"}.
    Returns: h_next (n_h, m); yt_pred (n_y, m), the softmax of V h_next + c;
             cache (h_next, h_prev, xt, parameters).
    """
    U, W, b, V, c = (parameters[k] for k in ("U", "W", "b", "V", "c"))
    h_next = np.tanh(U @ xt + W @ h_prev + b)
    yt_pred = softmax(V @ h_next + c)
    return h_next, yt_pred, (h_next, h_prev, xt, parameters)


def rnn_forward(x, h0, parameters):
    """The RNN unrolled over T_x steps.

    Inputs:  x (n_x, m, T_x); h0 (n_h, m); parameters {"U", "W", "b", "V", "c"}.
    Returns: h (n_h, m, T_x), h[:, :, t] the hidden state after step t; y_pred (n_y, m, T_x);
             caches (list of the T_x cell caches, x).
    """
    U, W, b, V, c = (parameters[k] for k in ("U", "W", "b", "V", "c"))
    n_x, m, T_x = x.shape
    h = np.zeros((W.shape[0], m, T_x))
    y_pred = np.zeros((V.shape[0], m, T_x))
    cell_caches = []
    h_prev = h0
    for t in range(T_x):
        xt = x[:, :, t]
        h_next = np.tanh(U @ xt + W @ h_prev + b)
        h[:, :, t] = h_next
        y_pred[:, :, t] = softmax(V @ h_next + c)
        cell_caches.append((h_next, h_prev, xt, parameters))
        h_prev = h_next
    return h, y_pred, (cell_caches, x)


def rnn_cell_backward(dh_next, cache):
    """Backward pass of one time step, from the gradient with respect to its output h_next.

    Inputs:  dh_next (n_h, m), dJ/dh_next (everything that reaches h_next);
             cache (h_next, h_prev, xt, parameters) from rnn_cell_forward.
    Returns: {"dxt": (n_x, m), "dh_prev": (n_h, m), "dU": (n_h, n_x), "dW": (n_h, n_h), "db": (n_h, 1)}.
    """
    h_next, h_prev, xt, parameters = cache
    U, W = parameters["U"], parameters["W"]
    # tanh'(z) = 1 - tanh(z)^2, and tanh(z) of this step is h_next itself.
    dz = dh_next * (1.0 - h_next ** 2)
    return {"dxt": U.T @ dz, "dh_prev": W.T @ dz, "dU": dz @ xt.T, "dW": dz @ h_prev.T,
            "db": np.sum(dz, axis=1, keepdims=True)}


def rnn_backward(dh, caches):
    """Backpropagation through time, given the gradient that reaches every h_t from outside the chain.

    Inputs:  dh (n_h, m, T_x), dh[:, :, t] = the gradient of the loss reaching h_t directly (through
             the output of step t); caches from rnn_forward.
    Returns: {"dx": (n_x, m, T_x), "dh0": (n_h, m), "dU": (n_h, n_x), "dW": (n_h, n_h), "db": (n_h, 1)}.
    """
    cell_caches, x = caches
    parameters = cell_caches[0][3]
    U, W = parameters["U"], parameters["W"]
    n_h, m, T_x = dh.shape
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((n_h, 1))
    dh_from_next = np.zeros((n_h, m))  # the path through h_{t+1}: nothing after the last step
    for t in reversed(range(T_x)):
        h_t, h_prev, xt, _ = cell_caches[t]
        delta = dh[:, :, t] + dh_from_next  # dJ/dh_t: the output path plus the path through h_{t+1}
        dz = delta * (1.0 - h_t ** 2)       # tanh' of step t
        dx[:, :, t] = U.T @ dz
        dU += dz @ xt.T
        dW += dz @ h_prev.T
        db += np.sum(dz, axis=1, keepdims=True)
        dh_from_next = W.T @ dz             # reaches h_{t-1}
    return {"dx": dx, "dh0": dh_from_next, "dU": dU, "dW": dW, "db": db}


def rnn_output_backward(y_pred, Y, caches):
    """The output path of compute_cost: dJ/dV, dJ/dc and the gradient reaching every h^t from its own output.

    Inputs:  y_pred (n_y, m, T_x) and caches from rnn_forward; Y (n_y, m, T_x), one-hot targets.
    Returns: {"dV": (n_y, n_h), "dc": (n_y, 1), "dh": (n_h, m, T_x)}, dh[:, :, t] = V^T do^t.
    """
    cell_caches, _ = caches
    V = cell_caches[0][3]["V"]
    n_y, m, T_x = Y.shape
    do = (y_pred - Y) / m  # softmax + cross-entropy, averaged over the examples: the only 1/m
    dV, dc = np.zeros(V.shape), np.zeros((n_y, 1))
    dh = np.zeros((V.shape[1], m, T_x))
    for t in range(T_x):
        do_t = do[:, :, t]
        dV += do_t @ cell_caches[t][0].T  # o^t reads h^t, the cache's h_next
        dc += np.sum(do_t, axis=1, keepdims=True)
        dh[:, :, t] = V.T @ do_t
    return {"dV": dV, "dc": dc, "dh": dh}


def compute_cost(y_pred, Y):
    """Cross-entropy summed over the time steps and averaged over the m examples.

    Inputs:  y_pred (n_y, m, T_x), softmax outputs; Y (n_y, m, T_x), one-hot targets.
    Returns: cost, a Python float.
    """
    m = Y.shape[1]
    return float(-np.sum(Y * np.log(y_pred)) / m)


def rnn_loss_backward(y_pred, Y, caches):
    """Full BPTT of compute_cost: gradients of every parameter, of the inputs and of h0.

    Inputs:  y_pred (n_y, m, T_x) and caches from rnn_forward; Y (n_y, m, T_x), one-hot targets.
    Returns: {"dU", "dW", "db", "dV", "dc", "dx", "dh0"}, each with the shape of what it differentiates.
    """
    cell_caches, x = caches
    parameters = cell_caches[0][3]
    U, W, V = parameters["U"], parameters["W"], parameters["V"]
    n_y, m, T_x = Y.shape
    n_h = W.shape[0]
    do = (y_pred - Y) / m  # dJ/do^t of softmax + cross-entropy, averaged over the examples
    dx = np.zeros(x.shape)
    dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((n_h, 1))
    dV, dc = np.zeros(V.shape), np.zeros((n_y, 1))
    dh_from_next = np.zeros((n_h, m))
    for t in reversed(range(T_x)):
        h_t, h_prev, xt, _ = cell_caches[t]
        dV += do[:, :, t] @ h_t.T
        dc += np.sum(do[:, :, t], axis=1, keepdims=True)
        delta = V.T @ do[:, :, t] + dh_from_next
        dz = delta * (1.0 - h_t ** 2)
        dx[:, :, t] = U.T @ dz
        dU += dz @ xt.T
        dW += dz @ h_prev.T
        db += np.sum(dz, axis=1, keepdims=True)
        dh_from_next = W.T @ dz
    return {"dU": dU, "dW": dW, "db": db, "dV": dV, "dc": dc, "dx": dx, "dh0": dh_from_next}


def clip_gradients(grads, max_norm):
    """Rescale all gradients together when their global norm exceeds max_norm.

    Inputs:  grads, a dict of arrays; max_norm > 0.
    Returns: a new dict with the same keys: every array times max_norm / norm when
             norm = sqrt(sum of all squared entries of all arrays) > max_norm, else unchanged copies.
    """
    norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}
