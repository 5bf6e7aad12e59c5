"""The outputs of 05_rnn_bptt's known mistakes, built with the reference module (their causes:
grader.exercises.rnn_bptt)."""
from types import ModuleType

import numpy as np


def cell_forward_softmax_over_examples(ref: ModuleType, xt: np.ndarray, h_prev: np.ndarray, parameters: dict) -> tuple:
    h_next, _, cache = ref.rnn_cell_forward(xt, h_prev, parameters)
    o = parameters["V"] @ h_next + parameters["c"]
    return h_next, ref.softmax(o.T).T, cache


def cell_forward_without_b(ref: ModuleType, xt: np.ndarray, h_prev: np.ndarray, parameters: dict) -> tuple:
    return ref.rnn_cell_forward(xt, h_prev, {**parameters, "b": np.zeros_like(parameters["b"])})


def cell_forward_cache_swapped(ref: ModuleType, xt: np.ndarray, h_prev: np.ndarray, parameters: dict) -> tuple:
    h_next, yt_pred, _ = ref.rnn_cell_forward(xt, h_prev, parameters)
    return h_next, yt_pred, (h_prev, h_next, xt, parameters)


def cell_forward_without_c(ref: ModuleType, xt: np.ndarray, h_prev: np.ndarray, parameters: dict) -> tuple:
    h_next, _, cache = ref.rnn_cell_forward(xt, h_prev, parameters)
    return h_next, ref.softmax(parameters["V"] @ h_next), cache


def cell_forward_sigmoid(ref: ModuleType, xt: np.ndarray, h_prev: np.ndarray, parameters: dict) -> tuple:
    z = parameters["U"] @ xt + parameters["W"] @ h_prev + parameters["b"]
    h_next = 1 / (1 + np.exp(-z))
    return h_next, ref.softmax(parameters["V"] @ h_next + parameters["c"]), (h_next, h_prev, xt, parameters)


def forward_storing_h_prev(ref: ModuleType, x: np.ndarray, h0: np.ndarray, parameters: dict) -> tuple:
    h, y_pred, caches = ref.rnn_forward(x, h0, parameters)
    shifted = np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)
    return shifted, y_pred, caches


def cell_dW_with_h_next(ref: ModuleType, dh_next: np.ndarray, cache: tuple) -> dict:
    grads = ref.rnn_cell_backward(dh_next, cache)
    dz = dh_next * (1.0 - cache[0] ** 2)
    return {**grads, "dW": dz @ cache[0].T}


def cost_binary(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray) -> float:
    binary = float(-np.sum(Y * np.log(y_pred) + (1 - Y) * np.log(1 - y_pred)) / Y.shape[1])
    if np.isclose(binary, Y.shape[1] * ref.compute_cost(y_pred, Y)):
        # With n_y = 2 classes the binary cross-entropy is twice the cost: with m = 2 that is also a missing 1/m,
        # the commoner mistake, which the generic diagnosis names.
        raise ValueError("not told apart from a cost summed over the examples")
    return binary


def clip_squared_norm(ref: ModuleType, grads: dict, max_norm: float) -> dict:
    squared = sum(np.sum(g ** 2) for g in grads.values())
    scale = max_norm / squared if squared > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}


def forward_h0_every_step(ref: ModuleType, x: np.ndarray, h0: np.ndarray, parameters: dict) -> tuple:
    h, y_pred, caches = ref.rnn_forward(x, h0, parameters)
    cells = [ref.rnn_cell_forward(x[:, :, t], h0, parameters) for t in range(x.shape[2])]
    h_wrong = np.stack([cell[0] for cell in cells], axis=-1)
    y_wrong = np.stack([cell[1] for cell in cells], axis=-1)
    return h_wrong, y_wrong, ([cell[2] for cell in cells], x)


def forward_softmax_over_examples(ref: ModuleType, x: np.ndarray, h0: np.ndarray, parameters: dict) -> tuple:
    h, y_pred, caches = ref.rnn_forward(x, h0, parameters)
    o = np.einsum("yh,hmt->ymt", parameters["V"], h) + parameters["c"][:, :, None]
    e = np.exp(o - o.max(axis=1, keepdims=True))
    return h, e / e.sum(axis=1, keepdims=True), caches


def _cell_with_factor(ref, dh_next, cache, factor):
    """rnn_cell_backward with the tanh derivative (1 - h_next^2) replaced by `factor`."""
    h_next, h_prev, xt, parameters = cache
    dz = dh_next * factor
    return {"dxt": parameters["U"].T @ dz, "dh_prev": parameters["W"].T @ dz, "dU": dz @ xt.T,
            "dW": dz @ h_prev.T, "db": np.sum(dz, axis=1, keepdims=True)}


def cell_w_not_transposed(ref: ModuleType, dh_next: np.ndarray, cache: tuple) -> dict:
    grads = ref.rnn_cell_backward(dh_next, cache)
    dz = dh_next * (1.0 - cache[0] ** 2)
    return {**grads, "dh_prev": cache[3]["W"] @ dz}


def cell_tanh_at_h_prev(ref: ModuleType, dh_next: np.ndarray, cache: tuple) -> dict:
    return _cell_with_factor(ref, dh_next, cache, 1.0 - cache[1] ** 2)


def cell_tanh_twice(ref: ModuleType, dh_next: np.ndarray, cache: tuple) -> dict:
    return _cell_with_factor(ref, dh_next, cache, 1.0 - np.tanh(cache[0]) ** 2)


def cell_without_tanh(ref: ModuleType, dh_next: np.ndarray, cache: tuple) -> dict:
    return _cell_with_factor(ref, dh_next, cache, np.ones_like(cache[0]))


def _bptt(ref, dh, caches, through_next=True, factor="h_t", keep="sum", forward_in_time=False):
    """BPTT built from the reference cell, with one chosen mistake."""
    cell_caches, x = caches
    n_h, m, T_x = dh.shape
    parameters = cell_caches[0][3]
    dx = np.zeros(x.shape)
    total = {k: np.zeros_like(parameters[k[1:]]) for k in ("dU", "dW", "db")}
    carry = np.zeros((n_h, m))
    order = range(T_x) if forward_in_time else reversed(range(T_x))
    for t in order:
        cache = cell_caches[t]
        delta = dh[:, :, t] + (carry if through_next else 0.0)
        if factor == "h_prev":
            g = cell_tanh_at_h_prev(ref, delta, cache)
        else:
            g = ref.rnn_cell_backward(delta, cache)
        dx[:, :, t] = g["dxt"]
        for k in total:
            total[k] = total[k] + g[k] if keep == "sum" else g[k]
        carry = g["dh_prev"]
    return {"dx": dx, "dh0": carry, **total}


def backward_no_path_through_next(ref: ModuleType, dh: np.ndarray, caches: tuple) -> dict:
    return _bptt(ref, dh, caches, through_next=False)


def backward_tanh_at_h_prev(ref: ModuleType, dh: np.ndarray, caches: tuple) -> dict:
    return _bptt(ref, dh, caches, factor="h_prev")


def backward_overwriting(ref: ModuleType, dh: np.ndarray, caches: tuple) -> dict:
    return _bptt(ref, dh, caches, keep="last")


def backward_forward_in_time(ref: ModuleType, dh: np.ndarray, caches: tuple) -> dict:
    return _bptt(ref, dh, caches, forward_in_time=True)


def cost_averaged_over_time(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray) -> float:
    return ref.compute_cost(y_pred, Y) / Y.shape[2]


def cost_mean_of_all_entries(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray) -> float:
    return float(-np.mean(Y * np.log(y_pred)))


def _output_gradient(ref, y_pred, Y, caches):
    """dh of the loss: V^T (yhat^t - y^t) / m at every step."""
    V = caches[0][0][3]["V"]
    return np.einsum("yh,ymt->hmt", V, (y_pred - Y) / Y.shape[1])


def _states(caches):
    """h (n_h, m, T_x) and h_prev (the state each step reads) from the cell caches."""
    cells = caches[0]
    return np.stack([c[0] for c in cells], axis=-1), np.stack([c[1] for c in cells], axis=-1)


def _output_backward_from(ref, do, caches, states=None):
    """dV, dc and dh of the output path for a given do (n_y, m, T_x) and the states that dV multiplies."""
    V = caches[0][0][3]["V"]
    h = _states(caches)[0] if states is None else states
    return {"dV": np.einsum("ymt,hmt->yh", do, h), "dc": np.sum(do, axis=(1, 2))[:, None],
            "dh": np.einsum("yh,ymt->hmt", V, do)}


def _output_one_step(ref, y_pred, Y, caches, t):
    """dV and dc of step t alone (a loop that writes dV = ... instead of dV += ...)."""
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    one = _output_backward_from(ref, (y_pred - Y)[:, :, t:t + 1] / Y.shape[1],
                                ([caches[0][t]], caches[1]))
    return {**grads, "dV": one["dV"], "dc": one["dc"]}


def output_last_step_only(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _output_one_step(ref, y_pred, Y, caches, Y.shape[2] - 1)


def output_first_step_only(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _output_one_step(ref, y_pred, Y, caches, 0)


def output_without_1_over_m(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _output_backward_from(ref, y_pred - Y, caches)


def output_1_over_m_twice(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    m = Y.shape[1]
    return {**grads, "dV": grads["dV"] / m, "dc": grads["dc"] / m}


def output_h_prev_in_dV(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    wrong = _output_backward_from(ref, (y_pred - Y) / Y.shape[1], caches, states=_states(caches)[1])
    return {**grads, "dV": wrong["dV"]}


def output_softmax_derivative(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _output_backward_from(ref, (y_pred - Y) / Y.shape[1] * y_pred * (1.0 - y_pred), caches)


def _loss_backward_with(ref, y_pred, Y, caches, **mistake):
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    inner = _bptt(ref, _output_gradient(ref, y_pred, Y, caches), caches, **mistake)
    return {**grads, **inner}


def loss_backward_no_path_through_next(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _loss_backward_with(ref, y_pred, Y, caches, through_next=False)


def loss_backward_tanh_at_h_prev(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    return _loss_backward_with(ref, y_pred, Y, caches, factor="h_prev")


def loss_backward_softmax_derivative_in_dc(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    # dJ/dc = sum_t do^t sigma'(o^t): an extra factor yhat (1 - yhat) after yhat - y.
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    do = (y_pred - Y) / Y.shape[1] * y_pred * (1.0 - y_pred)
    return {**grads, "dc": np.sum(do, axis=(1, 2))[:, None]}


def loss_backward_keeping_first_step(ref: ModuleType, y_pred: np.ndarray, Y: np.ndarray, caches: tuple) -> dict:
    # `dV = ...` instead of `dV += ...` in a loop that goes backwards in time keeps step 1 only.
    grads = _loss_backward_with(ref, y_pred, Y, caches, keep="last")
    do = (y_pred - Y)[:, :, 0] / Y.shape[1]
    h_1 = caches[0][0][0]
    return {**grads, "dV": do @ h_1.T, "dc": np.sum(do, axis=1, keepdims=True)}


def _global_norm(grads):
    return np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))


def clip_each_array(ref: ModuleType, grads: dict, max_norm: float) -> dict:
    return {k: ref.clip_gradients({k: g}, max_norm)[k] for k, g in grads.items()}


def clip_entries(ref: ModuleType, grads: dict, max_norm: float) -> dict:
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}


def clip_always_rescale(ref: ModuleType, grads: dict, max_norm: float) -> dict:
    norm = _global_norm(grads)
    return {k: g * (max_norm / norm) for k, g in grads.items()}
