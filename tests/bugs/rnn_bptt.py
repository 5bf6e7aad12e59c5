# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # Forgetting the path through h_{t+1}: delta_t made of the output path only.
    ("rnn_backward", "delta = dh[:, :, t] + dh_from_next", "delta = dh[:, :, t]",
     "forgetting the path through h^(t+1)"),
    # The tanh derivative of the previous step instead of this step's.
    ("rnn_cell_backward", "dz = dh_next * (1.0 - h_next ** 2)", "dz = dh_next * (1.0 - h_prev ** 2)",
     "tanh derivative at the wrong step"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "rnn_forward"
BUGS.append(
    # dV built with the state that step t reads (h^{t-1}) instead of the one o^t reads (h^t).
    ("rnn_output_backward", "dV += do_t @ cell_caches[t][0].T", "dV += do_t @ cell_caches[t][1].T",
     "using h^{t-1} in dV"))
