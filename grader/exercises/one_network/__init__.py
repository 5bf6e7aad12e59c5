"""06_one_network (fast convolution, flatten, softmax cross-entropy, the whole network): its graded functions, with
their test inputs and known mistakes (the layout: grader.exercises)."""
from grader.exercise import Exercise, Mistake
from grader.exercises import pool_backward as pool04
from grader.exercises.one_network.cases import (
    FLATTEN, LAYERS, MODELS, col2im_cases, conv_backward_cases, conv_forward_cases, flatten_backward_cases,
    flatten_forward_cases, im2col_cases, layer, model_backward_cases, model_forward_cases, model_parameters,
    relu_backward_cases, relu_forward_cases, softmax_cases)
from grader.exercises.one_network.checks import check_against_loops, check_shift_invariance
from grader.exercises.one_network.mistakes import (
    backward_average_pool, backward_dense_double_m, backward_flatten_mismatch, backward_without_relu,
    col2im_ignoring_stride, col2im_overwriting, conv_backward_col2im_overwriting, conv_backward_without_crop,
    conv_forward_no_pad, conv_forward_W_order, flatten_back_without_transpose, flatten_mixing_examples,
    im2col_channel_first, im2col_ignoring_stride, relu_backward_mask_of_dA, relu_backward_times_Z, softmax_double_m,
    softmax_no_m, softmax_over_examples, softmax_probs_only)

# What tests, notebooks and other assignments import from the package.
__all__ = ["EXERCISES", "FLATTEN", "LAYERS", "MODELS", "check_against_loops", "check_shift_invariance", "layer",
           "model_parameters"]


OVERWRITE_CAUSE = ("overwriting instead of adding: a pixel that lies in several windows (stride < f) received "
                   "a share from each of them, so col2im must add them up (dA_pad[...] += ...); col2im is the "
                   "adjoint of im2col, not its inverse")
FLATTEN_CAUSE = ("undoing the flatten in a different order from the forward pass: flatten_forward made "
                 "A.reshape(m, -1).T, so the inverse is transpose first, then reshape, dX.T.reshape(shape)")

EXERCISES = {
    "im2col": Exercise("im2col", ("A_pad", "f", "stride"), "cols", im2col_cases, mistakes=(
        Mistake("channel_first", "keeping the view's (channel, row, column) order inside each row: the columns "
                "must run over (u, v, k), channel last, to match W.reshape(f * f * n_C_prev, n_C); move the "
                "channel axis after the two window axes before reshaping", im2col_channel_first),
        Mistake("ignore_stride", "ignoring the stride: the window of output (h, w) starts at row h * stride "
                "and column w * stride, not at (h, w)", im2col_ignoring_stride))),
    "col2im": Exercise("col2im", ("dcols", "padded_shape", "f", "stride"), "dA_pad", col2im_cases, mistakes=(
        Mistake("overwritten", OVERWRITE_CAUSE, col2im_overwriting),
        Mistake("ignore_stride", "ignoring the stride: row (i, h, w) of dcols goes back to the window that "
                "starts at row h * stride and column w * stride", col2im_ignoring_stride))),
    "conv_forward_fast": Exercise("conv_forward_fast", ("A_prev", "W", "b", "hparameters"), ("Z", "cache"),
                                  conv_forward_cases, mistakes=(
        Mistake("W_order", "reshaping W in a different order from im2col's columns: W.reshape(f * f * n_C_prev, "
                "n_C) keeps W's (u, v, k) order, which is the order of im2col's columns", conv_forward_W_order),
        Mistake("no_pad", "forgetting to pad A_prev before im2col", conv_forward_no_pad))),
    "conv_backward_fast": Exercise("conv_backward_fast", ("dZ", "cache"), ("dA_prev", "dW", "db"),
                                   conv_backward_cases, mistakes=(
        Mistake("overwritten", OVERWRITE_CAUSE, conv_backward_col2im_overwriting),
        Mistake("no_crop", "returning the gradient of the padded input: remove the padding, "
                "dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]", conv_backward_without_crop))),
    "conv_backward": Exercise("conv_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), conv_backward_cases),
    "pool_forward": Exercise("pool_forward", ("A_prev", "hparameters", "mode"), ("A", "cache"),
                             pool04.forward_cases, mistakes=pool04.EXERCISES["pool_forward"].mistakes),
    "pool_backward": Exercise("pool_backward", ("dA", "cache", "mode"), "dA_prev", pool04.backward_cases,
                              mistakes=pool04.EXERCISES["pool_backward"].mistakes),
    "relu_forward": Exercise("relu_forward", ("Z",), ("A", "cache"), relu_forward_cases),
    "relu_backward": Exercise("relu_backward", ("dA", "cache"), "dZ", relu_backward_cases, mistakes=(
        Mistake("mask_of_dA", "taking the mask from the wrong array: ReLU lets the gradient through where its "
                "input Z (the cache) is positive, whatever the sign of dA", relu_backward_mask_of_dA),
        Mistake("times_Z", "multiplying dA by relu(Z): the derivative of ReLU is 1 where Z > 0 and 0 elsewhere",
                relu_backward_times_Z))),
    "flatten_forward": Exercise("flatten_forward", ("A",), ("X", "cache"), flatten_forward_cases, mistakes=(
        Mistake("mixing_examples", "A.reshape(-1, m): that cuts the examples' entries into m columns across "
                "example boundaries; keep each example together first, A.reshape(m, -1), then transpose",
                flatten_mixing_examples),)),
    "flatten_backward": Exercise("flatten_backward", ("dX", "cache"), "dA", flatten_backward_cases, mistakes=(
        Mistake("order_mismatch", FLATTEN_CAUSE, flatten_back_without_transpose),)),
    "softmax_cross_entropy": Exercise("softmax_cross_entropy", ("scores", "Y"), ("cost", "dscores"),
                                      softmax_cases, mistakes=(
        Mistake("no_m", "leaving out the 1/m: J averages the losses over the m examples, so dscores = "
                "(softmax(scores) - Y) / m", softmax_no_m),
        Mistake("double_m", "dividing by m twice: the 1/m of the average enters once", softmax_double_m),
        Mistake("probs_only", "forgetting to subtract Y: dJ/dscores = (softmax(scores) - Y) / m",
                softmax_probs_only),
        Mistake("over_examples", "normalising over the wrong axis: each column (one example) sums to 1 over "
                "the classes, so the sums and the max run over axis 0", softmax_over_examples))),
    "model_forward": Exercise("model_forward", ("X", "parameters"), ("scores", "caches"), model_forward_cases),
    "model_backward": Exercise("model_backward", ("dscores", "caches"), "grads", model_backward_cases, mistakes=(
        Mistake("double_m", "dividing by m again in the dense layer: dscores already holds the 1/m (it is "
                "dJ/dscores of the averaged cost), so dW2 = dscores F^T and db2 sums dscores over the examples",
                backward_dense_double_m),
        Mistake("no_relu", "skipping the ReLU's backward pass: dZ1 = relu_backward(dA1, relu_cache)",
                backward_without_relu),
        Mistake("flatten_mismatch", FLATTEN_CAUSE.replace("the inverse is", "undo it with flatten_backward, "
                "or"), backward_flatten_mismatch),
        Mistake("average_pool", "using average pooling's backward pass: the forward pass took the maximum, "
                "pool_backward(dP1, pool_cache, \"max\")", backward_average_pool))),
}
