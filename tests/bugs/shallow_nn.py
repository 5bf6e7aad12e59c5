# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    ("backward_propagation", "dW1 = dZ1 @ X.T / m", "dW1 = dZ1 @ X.T", "m times too large"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "compute_cost"
