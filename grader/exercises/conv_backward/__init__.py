"""03_conv_backward (channels-last convolution layer with stride and padding): its graded functions, with their
test inputs and known mistakes (the layout: grader.exercises)."""
from grader.exercise import Exercise, Mistake
from grader.exercises.conv_backward.cases import (
    LAYERS, backward_cases, fixed_backward_cases, forward_cases, layer, pad_cases, single_step_backward_cases,
    single_step_cases)
from grader.exercises.conv_backward.mistakes import (
    backward_cropping_with_negative_end, backward_ignoring_stride, backward_overwriting, backward_overwriting_dA_prev,
    backward_rotated_filter, backward_without_crop, forward_caching_padded_input, forward_ignoring_stride,
    forward_without_bias, no_bias_single, pad_every_axis, pad_one_side, step_rotated, step_swapped, step_without_dz)

# What tests, notebooks and other assignments import from the package.
__all__ = ["EXERCISES", "LAYERS", "layer"]


STRIDE_CAUSE = ("ignoring the stride: the window of output (h, w) starts at row h * stride and column "
                "w * stride of the padded input, not at (h, w)")

NEGATIVE_END_CAUSE = ("cropping with a negative end: dA_prev_pad[:, pad:-pad, pad:-pad, :] is empty when pad = 0; "
                      "write the ends explicitly, dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]")
BACKWARD_MISTAKES = (
    Mistake("ignore_stride", STRIDE_CAUSE, backward_ignoring_stride),
    Mistake("no_crop", "returning the gradient of the padded input: remove the padding, "
            "dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", backward_without_crop),
    Mistake("overwritten", "overwriting instead of accumulating: every window adds its share, "
            "dW[:, :, :, c] += a_slice * dZ[i, h, w, c] (likewise db and dA_prev)", backward_overwriting),
    Mistake("overwritten_dA_prev", "overwriting dA_prev instead of accumulating: windows overlap and every "
            "output channel sends a share back, so dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]",
            backward_overwriting_dA_prev),
    Mistake("rotated_filter", "rotating the filter by 180 degrees: window by window, dZ[i, h, w, c] "
            "sends W[:, :, :, c] itself (not rotated) back to its window; the rotation only appears "
            "when the whole sum is written as a full convolution", backward_rotated_filter))

EXERCISES = {
    "zero_pad": Exercise("zero_pad", ("X", "pad"), "X_pad", pad_cases, mistakes=(
        Mistake("every_axis", "padding every axis of X: pad only the height and width axes (1 and 2), "
                "e.g. np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))", pad_every_axis),
        Mistake("one_side", "putting all 2 * pad zeros after the data: pad both sides, (pad, pad)",
                pad_one_side))),
    "conv_single_step": Exercise("conv_single_step", ("a_slice_prev", "W", "b"), "Z", single_step_cases,
                                 mistakes=(Mistake("no_bias", "forgetting to add the bias b", no_bias_single),)),
    "conv_forward": Exercise("conv_forward", ("A_prev", "W", "b", "hparameters"), ("Z", "cache"),
                             forward_cases, mistakes=(
        Mistake("ignore_stride", STRIDE_CAUSE, forward_ignoring_stride),
        Mistake("no_bias", "forgetting to add the bias b[..., c] of each filter", forward_without_bias),
        Mistake("padded_cache", "caching the padded input: the cache holds A_prev itself, "
                "(A_prev, W, b, hparameters)", forward_caching_padded_input))),
    "single_step_backward": Exercise(
        "single_step_backward", ("dz", "a_slice_prev", "W"), ("da_slice_prev", "dW", "db"),
        single_step_backward_cases, mistakes=(
            Mistake("swapped", "swapping the roles: the window's gradient is dz times the filter, and the "
                    "filter's gradient is dz times the window", step_swapped),
            Mistake("no_dz", "leaving out the upstream gradient dz: each gradient is dz times the local "
                    "derivative", step_without_dz),
            Mistake("rotated", "rotating the filter: entry [u, v, k] of the window meets entry [u, v, k] of "
                    "the filter, so its gradient is dz * W[u, v, k]", step_rotated))),
    "conv_backward": Exercise("conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), backward_cases,
                              n_known=2, mistakes=BACKWARD_MISTAKES + (
        Mistake("negative_end", NEGATIVE_END_CAUSE, backward_cropping_with_negative_end),)),
    "fixed_conv_backward": Exercise("fixed_conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"),
                                    fixed_backward_cases, n_known=2, mistakes=BACKWARD_MISTAKES + (
        Mistake("negative_end", NEGATIVE_END_CAUSE, backward_cropping_with_negative_end),)),
}
