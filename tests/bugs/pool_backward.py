# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # Average pooling copying each gradient into its window instead of splitting it.
    ("pool_backward", "share = dA / (f * f)", "share = dA", "without dividing by f * f"),
    # The mask `x == np.max(x)`: every tied maximum (e.g. a window of ReLU zeros) is marked.
    ("create_mask_from_window",
     "mask = np.zeros(x.shape, dtype=bool)\nmask[np.unravel_index(np.argmax(x), x.shape)] = True",
     "mask = x == np.max(x)", "marking every tied maximum"),
    # The chain without g': the gradient with respect to the activation, not the pre-activation.
    ("pool_activation_backward", "return dA_prev * g_prime", "return dA_prev", "stopping after the pooling layer"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "distribute_value"
