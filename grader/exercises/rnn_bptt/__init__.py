"""05_rnn_bptt (vanilla RNN: tanh hidden state, softmax output, BPTT): its graded functions, with their test inputs
and known mistakes (the layout: grader.exercises)."""
import re

from grader.exercise import Exercise, Mistake
from grader.exercises.rnn_bptt.cases import (
    SIZES, backward_cases, cell_backward_cases, cell_forward_cases, clip_cases, cost_cases, forward_cases,
    loss_backward_cases, network, output_backward_cases)
from grader.exercises.rnn_bptt.mistakes import (
    backward_forward_in_time, backward_no_path_through_next, backward_overwriting, backward_tanh_at_h_prev,
    cell_dW_with_h_next, cell_forward_cache_swapped, cell_forward_sigmoid, cell_forward_softmax_over_examples,
    cell_forward_without_b, cell_forward_without_c, cell_tanh_at_h_prev, cell_tanh_twice, cell_w_not_transposed,
    cell_without_tanh, clip_always_rescale, clip_each_array, clip_entries, clip_squared_norm, cost_averaged_over_time,
    cost_binary, cost_mean_of_all_entries, forward_h0_every_step, forward_softmax_over_examples, forward_storing_h_prev,
    loss_backward_keeping_first_step, loss_backward_no_path_through_next, loss_backward_softmax_derivative_in_dc,
    loss_backward_tanh_at_h_prev, output_1_over_m_twice, output_first_step_only, output_h_prev_in_dV,
    output_last_step_only, output_softmax_derivative, output_without_1_over_m)

# What tests, notebooks and other assignments import from the package.
__all__ = ["EXERCISES", "SIZES", "clip_cases", "network"]


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
                "example, normalise over the classes, axis 0", cell_forward_softmax_over_examples),
        Mistake("no_b", "forgetting the bias b in h_next = tanh(U xt + W h_prev + b)", cell_forward_without_b),
        Mistake("cache_order", "swapping h_next and h_prev in the cache: it is (h_next, h_prev, xt, parameters)",
                cell_forward_cache_swapped),
        Mistake("no_c", "forgetting the bias c in yt_pred = softmax(V h_next + c)", cell_forward_without_c),
        Mistake("sigmoid", "using the sigmoid for the hidden state: h_next = tanh(U xt + W h_prev + b)",
                cell_forward_sigmoid))),
    "rnn_forward": Exercise("rnn_forward", ("x", "h0", "parameters"), ("h", "y_pred", "caches"), forward_cases,
                            names=_caches_names, mistakes=(
        Mistake("h0_every_step", "feeding h0 to every step: the h_prev of step t is the h_next of step t - 1",
                forward_h0_every_step),
        Mistake("softmax_over_examples", "taking the softmax over the examples: normalise over the classes, "
                "axis 0 of V h^t + c", forward_softmax_over_examples),
        Mistake("storing_h_prev", "storing h_prev instead of h_next: h[:, :, t] is the state after step t, the "
                "h_next of that step", forward_storing_h_prev))),
    "rnn_cell_backward": Exercise("rnn_cell_backward", ("dh_next", "cache"), "gradients", cell_backward_cases,
                                  mistakes=(
        Mistake("tanh_at_h_prev", TANH_STEP, cell_tanh_at_h_prev),
        Mistake("tanh_twice", "applying tanh twice: the cache holds h_next = tanh(z) already, so tanh'(z) is "
                "1 - h_next**2, not 1 - np.tanh(h_next)**2", cell_tanh_twice),
        Mistake("no_tanh", "forgetting the tanh derivative: dz = dh_next * (1 - h_next**2) comes before every "
                "product", cell_without_tanh),
        Mistake("w_not_transposed", "multiplying by W instead of its transpose: h_prev reaches z through W h_prev, "
                "so its gradient is W.T @ dz", cell_w_not_transposed),
        Mistake("dW_with_h_next", "using h_next in dW: W multiplies h_prev in z = U xt + W h_prev + b, so "
                "dW = dz @ h_prev.T", cell_dW_with_h_next))),
    "rnn_backward": Exercise("rnn_backward", ("dh", "caches"), "gradients", backward_cases, mistakes=(
        Mistake("no_next_path", NO_NEXT_PATH, backward_no_path_through_next),
        Mistake("tanh_at_h_prev", TANH_STEP, backward_tanh_at_h_prev),
        Mistake("overwriting", OVERWRITE, backward_overwriting),
        Mistake("forward_in_time", "going forward in time: the gradient of h^t needs that of h^(t+1) first, so "
                "the loop runs from the last step down to the first (reversed(range(T_x)))",
                backward_forward_in_time))),
    "rnn_output_backward": Exercise("rnn_output_backward", ("y_pred", "Y", "caches"), "gradients",
                                    output_backward_cases, mistakes=(
        Mistake("last_step_only", ONE_STEP, output_last_step_only),
        Mistake("first_step_only", ONE_STEP, output_first_step_only),
        Mistake("no_1_over_m", "forgetting the 1/m: J averages over the m examples, so do^t = (yhat^t - y^t) / m, "
                "and dV, dc and dh are all built from it", output_without_1_over_m),
        Mistake("1_over_m_twice", "dividing by m twice: do^t = (yhat^t - y^t) / m already holds the 1/m, so dV and "
                "dc are plain sums of products of do^t (no further division)", output_1_over_m_twice),
        Mistake("h_prev_in_dV", "using h^{t-1} in dV: o^t = V h^t + c reads the state of its own step, the cache's "
                "h_next (the first element), not h_prev", output_h_prev_in_dV),
        Mistake("softmax_derivative", "multiplying by the softmax derivative again: (yhat^t - y^t) / m is already "
                "dJ/do^t for softmax with cross-entropy, the softmax's derivative included", output_softmax_derivative))),
    "compute_cost": Exercise("compute_cost", ("y_pred", "Y"), "cost", cost_cases, mistakes=(
        Mistake("averaged_over_time", "averaging over the time steps too: the loss is summed over t and "
                "averaged over the m examples only", cost_averaged_over_time),
        Mistake("mean_of_entries", "taking the mean of all entries (np.mean divides by n_y * m * T_x): "
                "sum, then divide by m", cost_mean_of_all_entries),
        Mistake("binary", "using the binary cross-entropy, with its (1 - y) log(1 - yhat) term: with a softmax over "
                "n_y classes the loss is -sum_k y_k log yhat_k only", cost_binary))),
    "rnn_loss_backward": Exercise("rnn_loss_backward", ("y_pred", "Y", "caches"), "gradients",
                                  loss_backward_cases, mistakes=(
        Mistake("no_next_path", NO_NEXT_PATH, loss_backward_no_path_through_next),
        Mistake("tanh_at_h_prev", TANH_STEP, loss_backward_tanh_at_h_prev),
        Mistake("softmax_derivative_in_dc", "multiplying by the softmax derivative again in dc: (yhat - y) / m "
                "is already dJ/do for softmax with cross-entropy, the softmax's derivative included",
                loss_backward_softmax_derivative_in_dc),
        Mistake("keeping_first_step", OVERWRITE.replace("U, W and b", "U, W, b, V and c")
                .replace("dU, dW and db", "dU, dW, db, dV and dc"), loss_backward_keeping_first_step))),
    "clip_gradients": Exercise("clip_gradients", ("grads", "max_norm"), "clipped", clip_cases, mistakes=(
        Mistake("each_array", "clipping each array by its own norm: use one global norm, the square root of "
                "the sum of the squares of ALL entries of ALL gradients, and one common factor", clip_each_array),
        Mistake("entries", "clipping each entry to [-max_norm, max_norm] (np.clip): that changes the direction "
                "of the gradient; scale every array by max_norm / norm instead", clip_entries),
        Mistake("always", "rescaling even when the norm is already at most max_norm: only scale when "
                "norm > max_norm", clip_always_rescale),
        Mistake("squared_norm", "forgetting the square root in the norm: the global norm is "
                "sqrt(sum of the squares of all entries)", clip_squared_norm))),
}
