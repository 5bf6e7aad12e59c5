"""04_pool_backward (channels-last max and average pooling with any stride): its graded functions, with their test
inputs and known mistakes (the layout: grader.exercises)."""
from grader.exercise import Exercise, Mistake
from grader.exercises.pool_backward.cases import (
    ACTIVATIONS, CHAIN_LAYERS, LAYERS, backward_cases, chain_cases, distribute_cases, forward_cases, mask_cases)
from grader.exercises.pool_backward.checks import check_gradient_total
from grader.exercises.pool_backward.mistakes import (
    backward_all_ties, backward_copying, backward_dividing_by_f, backward_ignoring_stride, backward_other_mode,
    backward_over_channels, backward_overwriting, chain_copying, chain_g_prime_at_a, chain_ignoring_stride,
    chain_other_mode, chain_relu_prime_at_zero, chain_times_g, chain_without_g_prime, distribute_copy,
    distribute_one_side, forward_ignoring_stride, forward_other_mode, forward_over_channels, forward_summing,
    mask_all_ties, mask_largest_magnitude, mask_last_max)

# What tests, notebooks and other assignments import from the package.
__all__ = ["ACTIVATIONS", "CHAIN_LAYERS", "EXERCISES", "LAYERS", "check_gradient_total"]


STRIDE_CAUSE = ("ignoring the stride: the window of output (h, w) starts at row h * stride and column "
                "w * stride of A_prev, not at (h, w)")
ALL_TIES_CAUSE = ("marking every tied maximum: when a window holds its maximum more than once (windows of "
                  "ReLU zeros do), only the first one in row-major order, the one np.argmax points to, "
                  "takes the gradient; marking all of them passes the window's gradient on several times")
COPY_CAUSE = ("copying the gradient into every entry of the window without dividing by f_H * f_W: "
              "the average gives each entry the weight 1 / (f_H * f_W), so each gets dz / (f_H * f_W) "
              "and the window's total stays dz; a copy makes every gradient below this layer f_H * f_W "
              "times too large")

EXERCISES = {
    "pool_forward": Exercise("pool_forward", ("A_prev", "hparameters", "mode"), ("A", "cache"),
                             forward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, forward_ignoring_stride),
        Mistake("other_mode", "using the wrong mode: mode \"max\" takes the maximum of each window, "
                "mode \"average\" its mean", forward_other_mode),
        Mistake("over_channels", "pooling over every channel at once (A_prev[i, rows, cols, :]): pooling keeps the "
                "channels apart, one window per channel c, A_prev[i, rows, cols, c]", forward_over_channels),
        Mistake("summing", "summing the window instead of averaging it: mode \"average\" divides the sum by f * f "
                "(np.mean)", forward_summing))),
    "create_mask_from_window": Exercise("create_mask_from_window", ("x",), "mask", mask_cases, mistakes=(
        Mistake("all_ties", ALL_TIES_CAUSE, mask_all_ties),
        Mistake("last_max", "marking the last maximum: when the maximum occurs more than once, the "
                "mask marks the first one in row-major order (the one np.argmax points to)",
                mask_last_max),
        Mistake("largest_magnitude", "marking the entry of largest magnitude (np.abs): max pooling keeps the "
                "largest value, so a negative entry is never the maximum of a window that holds a larger one",
                mask_largest_magnitude))),
    "distribute_value": Exercise("distribute_value", ("dz", "shape"), "a", distribute_cases, mistakes=(
        Mistake("copy", COPY_CAUSE.replace("window without", "(f_H, f_W) window without"), distribute_copy),
        Mistake("one_side", "dividing by one side of the window only: divide by the number of entries, "
                "f_H * f_W", distribute_one_side))),
    "pool_backward": Exercise("pool_backward", ("dA", "cache", "mode"), "dA_prev", backward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, backward_ignoring_stride),
        Mistake("copy", COPY_CAUSE.replace("f_H * f_W", "f * f"), backward_copying),
        Mistake("overwritten", "overwriting instead of accumulating: when windows overlap (stride < f), a "
                "pixel of A_prev gets a share from every window that contains it, so add them up, "
                "dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += ...", backward_overwriting),
        Mistake("all_ties", ALL_TIES_CAUSE, backward_all_ties),
        Mistake("other_mode", "using the other mode's rule: \"max\" sends each gradient to the window's "
                "maximum, \"average\" splits it evenly over the window", backward_other_mode),
        Mistake("over_channels", "taking the maximum over every channel at once (A_prev[i, rows, cols, :]): pooling "
                "keeps the channels apart, so the window of dA[i, h, w, c] is A_prev[i, rows, cols, c], one channel",
                backward_over_channels),
        Mistake("divided_by_f", "dividing by f instead of f * f: the window has f * f entries, each gets "
                "dz / (f * f)", backward_dividing_by_f))),
    "pool_activation_backward": Exercise(
        "pool_activation_backward", ("dA", "cache", "Z_prev", "activation", "mode"), "dZ_prev", chain_cases,
        n_known=3, mistakes=(
            Mistake("relu_prime_at_zero", "taking ReLU'(0) = 1 (Z_prev >= 0): ReLU'(z) is 1 only for z > 0, so "
                    "write Z_prev > 0, as in 02 and in PyTorch", chain_relu_prime_at_zero),
            Mistake("no_g_prime", "stopping after the pooling layer: upsampling dA gives dJ/dA_prev, the "
                    "gradient with respect to the activation; the delta dJ/dZ_prev needs one more step of the "
                    "chain rule, the elementwise product with g'(Z_prev)", chain_without_g_prime),
            Mistake("copy", "upsampling without the 1 / f^2 of average pooling: "
                    + COPY_CAUSE.replace("f_H * f_W", "f * f"), chain_copying),
            Mistake("times_g", "multiplying by the activation g(Z_prev) = A_prev instead of its derivative "
                    "g'(Z_prev)", chain_times_g),
            Mistake("g_prime_at_a", "evaluating g' at the activation A_prev instead of at the pre-activation "
                    "Z_prev: the chain rule needs dA_prev/dZ_prev = g'(Z_prev)", chain_g_prime_at_a),
            Mistake("ignore_stride", "upsampling while " + STRIDE_CAUSE, chain_ignoring_stride),
            Mistake("other_mode", "upsampling with the other mode's rule: \"max\" sends each gradient to "
                    "the window's maximum, \"average\" splits it evenly over the window", chain_other_mode))),
}
