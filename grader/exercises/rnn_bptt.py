"""Test inputs for 05_rnn_bptt (vanilla RNN: tanh hidden state, softmax output, BPTT).

The sizes cover T_x = 1 (no path through a later step), m = 1, n_h different from n_x and n_y
(and smaller than both), a non-zero h0 (it enters dW at the first step), large recurrent weights
(saturated tanh units) and longer sequences. Known mistakes are built from the reference module only.
"""
import re

import numpy as np

from grader.exercise import Case, Exercise, Mistake

# (n_x, n_h, n_y, m, T_x, weight scale, non-zero h0, label)
SIZES = [
    (3, 4, 2, 2, 3, 0.6, True, "n_x = 3, n_h = 4, n_y = 2, m = 2, T_x = 3"),
    (2, 3, 4, 1, 1, 0.8, True, "T_x = 1 and m = 1"),
    (4, 5, 3, 1, 5, 0.7, False, "m = 1, h0 = 0"),
    (3, 4, 5, 3, 1, 0.9, True, "T_x = 1, three examples"),
    (5, 2, 4, 4, 6, 0.8, True, "n_h = 2, smaller than n_x = 5 and n_y = 4"),
    (1, 6, 3, 5, 4, 0.5, True, "a single input feature, n_h = 6"),
    (3, 4, 3, 6, 10, 2.0, True, "large weights (saturated tanh units), T_x = 10"),
    (2, 7, 2, 3, 12, 0.4, False, "small weights, T_x = 12, h0 = 0"),
]


def network(rng, n_x, n_h, n_y, m, T_x, scale, nonzero_h0):
    x = rng.standard_normal((n_x, m, T_x))
    h0 = np.tanh(rng.standard_normal((n_h, m))) if nonzero_h0 else np.zeros((n_h, m))
    parameters = {"U": scale * rng.standard_normal((n_h, n_x)), "W": scale * rng.standard_normal((n_h, n_h)),
                  "b": 0.2 * rng.standard_normal((n_h, 1)), "V": scale * rng.standard_normal((n_y, n_h)),
                  "c": 0.2 * rng.standard_normal((n_y, 1))}
    labels = rng.integers(0, n_y, size=(m, T_x))
    Y = np.moveaxis(np.eye(n_y)[labels], -1, 0)  # one-hot, (n_y, m, T_x)
    return x, h0, parameters, Y


def cell_label(n_x, n_h, n_y, m):
    return f"n_x = {n_x}, n_h = {n_h}, n_y = {n_y}, m = {m}"


def cell_forward_cases(ref, rng):
    for n_x, n_h, n_y, m, T_x, scale, nonzero, label in SIZES:
        x, h0, parameters, _ = network(rng, n_x, n_h, n_y, m, T_x, scale, True)
        yield Case(cell_label(n_x, n_h, n_y, m), (x[:, :, 0], h0, parameters), m)


def forward_cases(ref, rng):
    for *sizes, label in SIZES:
        x, h0, parameters, _ = network(rng, *sizes)
        yield Case(label, (x, h0, parameters), sizes[3])


def cell_backward_cases(ref, rng):
    for n_x, n_h, n_y, m, T_x, scale, nonzero, label in SIZES:
        x, h0, parameters, _ = network(rng, n_x, n_h, n_y, m, T_x, scale, True)
        # h_prev: a hidden state of the sequence at its last step (non-zero, as in the middle of a sequence)
        h, _, caches = ref.rnn_forward(x, h0, parameters)
        cache = caches[0][-1]
        dh_next = rng.standard_normal((n_h, m))
        yield Case(cell_label(n_x, n_h, n_y, m) + f", the last of {T_x} step(s)", (dh_next, cache), m)


def backward_cases(ref, rng):
    for *sizes, label in SIZES:
        x, h0, parameters, _ = network(rng, *sizes)
        h, _, caches = ref.rnn_forward(x, h0, parameters)
        dh = rng.standard_normal(h.shape)
        yield Case(label, (dh, caches), sizes[3])


def cost_cases(ref, rng):
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, _ = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y), sizes[3])


def loss_backward_cases(ref, rng):
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y, caches), sizes[3])


def output_backward_cases(ref, rng):
    for *sizes, label in SIZES:
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        yield Case(label, (y_pred, Y, caches), sizes[3])


def clip_cases(ref, rng):
    """Real RNN gradients, scaled so that the global norm is below, at or above max_norm."""
    plans = [  # (sizes index, factor applied to the gradients, max_norm, label)
        (0, 1.0, None, "norm above max_norm: every gradient is scaled down"),
        (1, 1.0, "above", "norm below max_norm: nothing changes"),
        (4, 30.0, "entries", "every entry below max_norm but the norm above it"),
        (2, 1.0, "norm", "max_norm equal to the norm: nothing changes"),
        (6, 1e3, None, "exploding gradients (norm around 1e3 times larger)"),
        (5, 1.0, "one", "one gradient alone is above max_norm, the global norm even more"),
    ]
    for index, factor, kind, label in plans:
        *sizes, _ = SIZES[index]
        x, h0, parameters, Y = network(rng, *sizes)
        _, y_pred, caches = ref.rnn_forward(x, h0, parameters)
        full = ref.rnn_loss_backward(y_pred, Y, caches)
        grads = {k: factor * full[k] for k in ("dU", "dW", "db", "dV", "dc")}
        norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
        largest = max(float(np.max(np.abs(g))) for g in grads.values())
        if kind is None:
            max_norm = 0.3 * norm
        elif kind == "above":
            max_norm = 2.0 * norm
        elif kind == "entries":
            max_norm = 0.5 * (largest + norm)  # largest entry < max_norm < norm
        elif kind == "norm":
            max_norm = norm
        else:
            max_norm = 0.9 * max(float(np.sqrt(np.sum(g ** 2))) for g in grads.values())
        yield Case(label, (grads, float(max_norm)))


# ----------------------------------------------------------------------------- known mistakes
def _cell_forward_softmax_over_examples(ref, xt, h_prev, parameters):
    h_next, _, cache = ref.rnn_cell_forward(xt, h_prev, parameters)
    o = parameters["V"] @ h_next + parameters["c"]
    return h_next, ref.softmax(o.T).T, cache


def _cell_forward_without_b(ref, xt, h_prev, parameters):
    return ref.rnn_cell_forward(xt, h_prev, {**parameters, "b": np.zeros_like(parameters["b"])})


def _cell_forward_cache_swapped(ref, xt, h_prev, parameters):
    h_next, yt_pred, _ = ref.rnn_cell_forward(xt, h_prev, parameters)
    return h_next, yt_pred, (h_prev, h_next, xt, parameters)


def _cell_forward_without_c(ref, xt, h_prev, parameters):
    h_next, _, cache = ref.rnn_cell_forward(xt, h_prev, parameters)
    return h_next, ref.softmax(parameters["V"] @ h_next), cache


def _cell_forward_sigmoid(ref, xt, h_prev, parameters):
    z = parameters["U"] @ xt + parameters["W"] @ h_prev + parameters["b"]
    h_next = 1 / (1 + np.exp(-z))
    return h_next, ref.softmax(parameters["V"] @ h_next + parameters["c"]), (h_next, h_prev, xt, parameters)


def _forward_storing_h_prev(ref, x, h0, parameters):
    h, y_pred, caches = ref.rnn_forward(x, h0, parameters)
    shifted = np.concatenate([h0[:, :, None], h[:, :, :-1]], axis=2)
    return shifted, y_pred, caches


def _cell_dW_with_h_next(ref, dh_next, cache):
    grads = ref.rnn_cell_backward(dh_next, cache)
    dz = dh_next * (1.0 - cache[0] ** 2)
    return {**grads, "dW": dz @ cache[0].T}


def _cost_binary(ref, y_pred, Y):
    binary = float(-np.sum(Y * np.log(y_pred) + (1 - Y) * np.log(1 - y_pred)) / Y.shape[1])
    if np.isclose(binary, Y.shape[1] * ref.compute_cost(y_pred, Y)):
        # With n_y = 2 classes the binary cross-entropy is twice the cost: with m = 2 that is also a missing 1/m,
        # the commoner mistake, which the generic diagnosis names.
        raise ValueError("not told apart from a cost summed over the examples")
    return binary


def _clip_squared_norm(ref, grads, max_norm):
    squared = sum(np.sum(g ** 2) for g in grads.values())
    scale = max_norm / squared if squared > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}


def _forward_h0_every_step(ref, x, h0, parameters):
    h, y_pred, caches = ref.rnn_forward(x, h0, parameters)
    cells = [ref.rnn_cell_forward(x[:, :, t], h0, parameters) for t in range(x.shape[2])]
    h_wrong = np.stack([cell[0] for cell in cells], axis=-1)
    y_wrong = np.stack([cell[1] for cell in cells], axis=-1)
    return h_wrong, y_wrong, ([cell[2] for cell in cells], x)


def _forward_softmax_over_examples(ref, x, h0, parameters):
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


def _cell_w_not_transposed(ref, dh_next, cache):
    grads = ref.rnn_cell_backward(dh_next, cache)
    dz = dh_next * (1.0 - cache[0] ** 2)
    return {**grads, "dh_prev": cache[3]["W"] @ dz}


def _cell_tanh_at_h_prev(ref, dh_next, cache):
    return _cell_with_factor(ref, dh_next, cache, 1.0 - cache[1] ** 2)


def _cell_tanh_twice(ref, dh_next, cache):
    return _cell_with_factor(ref, dh_next, cache, 1.0 - np.tanh(cache[0]) ** 2)


def _cell_without_tanh(ref, dh_next, cache):
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
            g = _cell_tanh_at_h_prev(ref, delta, cache)
        else:
            g = ref.rnn_cell_backward(delta, cache)
        dx[:, :, t] = g["dxt"]
        for k in total:
            total[k] = total[k] + g[k] if keep == "sum" else g[k]
        carry = g["dh_prev"]
    return {"dx": dx, "dh0": carry, **total}


def _backward_no_path_through_next(ref, dh, caches):
    return _bptt(ref, dh, caches, through_next=False)


def _backward_tanh_at_h_prev(ref, dh, caches):
    return _bptt(ref, dh, caches, factor="h_prev")


def _backward_overwriting(ref, dh, caches):
    return _bptt(ref, dh, caches, keep="last")


def _backward_forward_in_time(ref, dh, caches):
    return _bptt(ref, dh, caches, forward_in_time=True)


def _cost_averaged_over_time(ref, y_pred, Y):
    return ref.compute_cost(y_pred, Y) / Y.shape[2]


def _cost_mean_of_all_entries(ref, y_pred, Y):
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


def _output_last_step_only(ref, y_pred, Y, caches):
    return _output_one_step(ref, y_pred, Y, caches, Y.shape[2] - 1)


def _output_first_step_only(ref, y_pred, Y, caches):
    return _output_one_step(ref, y_pred, Y, caches, 0)


def _output_without_1_over_m(ref, y_pred, Y, caches):
    return _output_backward_from(ref, y_pred - Y, caches)


def _output_1_over_m_twice(ref, y_pred, Y, caches):
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    m = Y.shape[1]
    return {**grads, "dV": grads["dV"] / m, "dc": grads["dc"] / m}


def _output_h_prev_in_dV(ref, y_pred, Y, caches):
    grads = ref.rnn_output_backward(y_pred, Y, caches)
    wrong = _output_backward_from(ref, (y_pred - Y) / Y.shape[1], caches, states=_states(caches)[1])
    return {**grads, "dV": wrong["dV"]}


def _output_softmax_derivative(ref, y_pred, Y, caches):
    return _output_backward_from(ref, (y_pred - Y) / Y.shape[1] * y_pred * (1.0 - y_pred), caches)


def _loss_backward_with(ref, y_pred, Y, caches, **mistake):
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    inner = _bptt(ref, _output_gradient(ref, y_pred, Y, caches), caches, **mistake)
    return {**grads, **inner}


def _loss_backward_no_path_through_next(ref, y_pred, Y, caches):
    return _loss_backward_with(ref, y_pred, Y, caches, through_next=False)


def _loss_backward_tanh_at_h_prev(ref, y_pred, Y, caches):
    return _loss_backward_with(ref, y_pred, Y, caches, factor="h_prev")


def _loss_backward_softmax_derivative_in_dc(ref, y_pred, Y, caches):
    # dJ/dc = sum_t do^t sigma'(o^t): an extra factor yhat (1 - yhat) after yhat - y.
    grads = ref.rnn_loss_backward(y_pred, Y, caches)
    do = (y_pred - Y) / Y.shape[1] * y_pred * (1.0 - y_pred)
    return {**grads, "dc": np.sum(do, axis=(1, 2))[:, None]}


def _loss_backward_keeping_first_step(ref, y_pred, Y, caches):
    # `dV = ...` instead of `dV += ...` in a loop that goes backwards in time keeps step 1 only.
    grads = _loss_backward_with(ref, y_pred, Y, caches, keep="last")
    do = (y_pred - Y)[:, :, 0] / Y.shape[1]
    h_1 = caches[0][0][0]
    return {**grads, "dV": do @ h_1.T, "dc": np.sum(do, axis=1, keepdims=True)}


def _global_norm(grads):
    return np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))


def _clip_each_array(ref, grads, max_norm):
    return {k: ref.clip_gradients({k: g}, max_norm)[k] for k, g in grads.items()}


def _clip_entries(ref, grads, max_norm):
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}


def _clip_always_rescale(ref, grads, max_norm):
    norm = _global_norm(grads)
    return {k: g * (max_norm / norm) for k, g in grads.items()}


TANH_STEP = ("taking the tanh derivative at the wrong step: h^t = tanh(z^t), so the factor is 1 - (h^t)**2 of "
             "the step being differentiated (the cache's h_next), not 1 - (h^(t-1))**2")
NO_NEXT_PATH = ("forgetting the path through h^(t+1): dh^t is the gradient from the output of step t PLUS "
                "the gradient coming back from step t + 1 (the dh_prev of the step after it); only the last "
                "step has the output path alone")
OVERWRITE = ("overwriting instead of summing over time: U, W and b are shared by all steps, so dU, dW and db "
             "add the contribution of every step (dU += ..., not dU = ...)")

ONE_STEP = ("keeping one step only: V and c are used at every step, so dV and dc add the contribution of every step "
            "t = 1..T_x (dV += ..., not dV = ...)")

CELL_CACHE = ("h_next", "h_prev", "xt", "parameters")


def _cell_cache_names(problem):
    """cache[1] -> "cache's h_prev"."""
    return re.sub(r"^cache\[(\d)\]", lambda m: f"cache's {CELL_CACHE[int(m.group(1))]}", problem)


def _caches_names(problem):
    """caches[0][1][0] -> "caches: step 2's h_next"; caches[1] -> "caches: its x"."""
    problem = re.sub(r"^caches\[0\]\[(\d+)\]\[(\d)\]",
                     lambda m: f"caches: step {int(m.group(1)) + 1}'s {CELL_CACHE[int(m.group(2))]}", problem)
    return re.sub(r"^caches\[1\]", "caches: its x", problem)


EXERCISES = {
    "rnn_cell_forward": Exercise("rnn_cell_forward", ("xt", "h_prev", "parameters"), ("h_next", "yt_pred", "cache"),
                                 cell_forward_cases, names=_cell_cache_names, mistakes=(
        Mistake("softmax_over_examples", "taking the softmax over the examples (axis 1): each column is one "
                "example, normalise over the classes, axis 0", _cell_forward_softmax_over_examples),
        Mistake("no_b", "forgetting the bias b in h_next = tanh(U xt + W h_prev + b)", _cell_forward_without_b),
        Mistake("cache_order", "swapping h_next and h_prev in the cache: it is (h_next, h_prev, xt, parameters)",
                _cell_forward_cache_swapped),
        Mistake("no_c", "forgetting the bias c in yt_pred = softmax(V h_next + c)", _cell_forward_without_c),
        Mistake("sigmoid", "using the sigmoid for the hidden state: h_next = tanh(U xt + W h_prev + b)",
                _cell_forward_sigmoid))),
    "rnn_forward": Exercise("rnn_forward", ("x", "h0", "parameters"), ("h", "y_pred", "caches"), forward_cases,
                            names=_caches_names, mistakes=(
        Mistake("h0_every_step", "feeding h0 to every step: the h_prev of step t is the h_next of step t - 1",
                _forward_h0_every_step),
        Mistake("softmax_over_examples", "taking the softmax over the examples: normalise over the classes, "
                "axis 0 of V h^t + c", _forward_softmax_over_examples),
        Mistake("storing_h_prev", "storing h_prev instead of h_next: h[:, :, t] is the state after step t, the "
                "h_next of that step", _forward_storing_h_prev))),
    "rnn_cell_backward": Exercise("rnn_cell_backward", ("dh_next", "cache"), "gradients", cell_backward_cases,
                                  mistakes=(
        Mistake("tanh_at_h_prev", TANH_STEP, _cell_tanh_at_h_prev),
        Mistake("tanh_twice", "applying tanh twice: the cache holds h_next = tanh(z) already, so tanh'(z) is "
                "1 - h_next**2, not 1 - np.tanh(h_next)**2", _cell_tanh_twice),
        Mistake("no_tanh", "forgetting the tanh derivative: dz = dh_next * (1 - h_next**2) comes before every "
                "product", _cell_without_tanh),
        Mistake("w_not_transposed", "multiplying by W instead of its transpose: h_prev reaches z through W h_prev, "
                "so its gradient is W.T @ dz", _cell_w_not_transposed),
        Mistake("dW_with_h_next", "using h_next in dW: W multiplies h_prev in z = U xt + W h_prev + b, so "
                "dW = dz @ h_prev.T", _cell_dW_with_h_next))),
    "rnn_backward": Exercise("rnn_backward", ("dh", "caches"), "gradients", backward_cases, mistakes=(
        Mistake("no_next_path", NO_NEXT_PATH, _backward_no_path_through_next),
        Mistake("tanh_at_h_prev", TANH_STEP, _backward_tanh_at_h_prev),
        Mistake("overwriting", OVERWRITE, _backward_overwriting),
        Mistake("forward_in_time", "going forward in time: the gradient of h^t needs that of h^(t+1) first, so "
                "the loop runs from the last step down to the first (reversed(range(T_x)))",
                _backward_forward_in_time))),
    "rnn_output_backward": Exercise("rnn_output_backward", ("y_pred", "Y", "caches"), "gradients",
                                    output_backward_cases, mistakes=(
        Mistake("last_step_only", ONE_STEP, _output_last_step_only),
        Mistake("first_step_only", ONE_STEP, _output_first_step_only),
        Mistake("no_1_over_m", "forgetting the 1/m: J averages over the m examples, so do^t = (yhat^t - y^t) / m, "
                "and dV, dc and dh are all built from it", _output_without_1_over_m),
        Mistake("1_over_m_twice", "dividing by m twice: do^t = (yhat^t - y^t) / m already holds the 1/m, so dV and "
                "dc are plain sums of products of do^t (no further division)", _output_1_over_m_twice),
        Mistake("h_prev_in_dV", "using h^{t-1} in dV: o^t = V h^t + c reads the state of its own step, the cache's "
                "h_next (the first element), not h_prev", _output_h_prev_in_dV),
        Mistake("softmax_derivative", "multiplying by the softmax derivative again: (yhat^t - y^t) / m is already "
                "dJ/do^t for softmax with cross-entropy, the softmax's derivative included", _output_softmax_derivative))),
    "compute_cost": Exercise("compute_cost", ("y_pred", "Y"), "cost", cost_cases, mistakes=(
        Mistake("averaged_over_time", "averaging over the time steps too: the loss is summed over t and "
                "averaged over the m examples only", _cost_averaged_over_time),
        Mistake("mean_of_entries", "taking the mean of all entries (np.mean divides by n_y * m * T_x): "
                "sum, then divide by m", _cost_mean_of_all_entries),
        Mistake("binary", "using the binary cross-entropy, with its (1 - y) log(1 - yhat) term: with a softmax over "
                "n_y classes the loss is -sum_k y_k log yhat_k only", _cost_binary))),
    "rnn_loss_backward": Exercise("rnn_loss_backward", ("y_pred", "Y", "caches"), "gradients",
                                  loss_backward_cases, mistakes=(
        Mistake("no_next_path", NO_NEXT_PATH, _loss_backward_no_path_through_next),
        Mistake("tanh_at_h_prev", TANH_STEP, _loss_backward_tanh_at_h_prev),
        Mistake("softmax_derivative_in_dc", "multiplying by the softmax derivative again in dc: (yhat - y) / m "
                "is already dJ/do for softmax with cross-entropy, the softmax's derivative included",
                _loss_backward_softmax_derivative_in_dc),
        Mistake("keeping_first_step", OVERWRITE.replace("U, W and b", "U, W, b, V and c")
                .replace("dU, dW and db", "dU, dW, db, dV and dc"), _loss_backward_keeping_first_step))),
    "clip_gradients": Exercise("clip_gradients", ("grads", "max_norm"), "clipped", clip_cases, mistakes=(
        Mistake("each_array", "clipping each array by its own norm: use one global norm, the square root of "
                "the sum of the squares of ALL entries of ALL gradients, and one common factor", _clip_each_array),
        Mistake("entries", "clipping each entry to [-max_norm, max_norm] (np.clip): that changes the direction "
                "of the gradient; scale every array by max_norm / norm instead", _clip_entries),
        Mistake("always", "rescaling even when the norm is already at most max_norm: only scale when "
                "norm > max_norm", _clip_always_rescale),
        Mistake("squared_norm", "forgetting the square root in the norm: the global norm is "
                "sqrt(sum of the squares of all entries)", _clip_squared_norm))),
}
