# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # The notes' bug: windows that start at (h, w) instead of (h * stride, w * stride).
    ("conv_backward",
     "rows = slice(u, u + stride * (n_H - 1) + 1, stride)\n        cols = slice(v, v + stride * (n_W - 1) + 1, stride)",
     "rows = slice(u, u + n_H)\n        cols = slice(v, v + n_W)", "ignoring the stride"),
    # The notes' other bug: the crop dA_prev_pad[pad:-pad] is empty when pad = 0.
    ("conv_backward", "dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]",
     "dA_prev = dA_prev_pad[:, pad:-pad, pad:-pad, :]", "empty when pad = 0"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "conv_forward"
