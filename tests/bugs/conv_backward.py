# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # The classic bug: windows that start at (h, w) instead of (h * stride, w * stride).
    ("conv_backward",
     "rows = slice(u, u + stride * (n_H - 1) + 1, stride)\n        cols = slice(v, v + stride * (n_W - 1) + 1, stride)",
     "rows = slice(u, u + n_H)\n        cols = slice(v, v + n_W)", "ignoring the stride"),
    # The other classic bug: the crop dA_prev_pad[pad:-pad] is empty when pad = 0.
    ("conv_backward", "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
     "dA_prev = dA_prev_pad[:, pad:-pad, pad:-pad, :]", "empty when pad = 0"),
    # The derivation step: the window's and the filter's gradients swapped.
    ("single_step_backward", "return dz * W, dz * a_slice_prev, float(dz)",
     "return dz * a_slice_prev, dz * W, float(dz)", "swapping the roles"),
    # The debug exercise with its stride bug left in.
    ("fixed_conv_backward", "window = (i, slice(h * s, h * s + f), slice(w * s, w * s + f))",
     "window = (i, slice(h, h + f), slice(w, w + f))", "ignoring the stride"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "conv_forward"
