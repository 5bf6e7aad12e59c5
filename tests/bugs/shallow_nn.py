# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # A wrong forward pass must not cost the backward pass its points (inputs come from the reference).
    ("forward_propagation", "A1 = np.tanh(Z1)", "A1 = sigmoid(Z1)", "first difference"),
    ("backward_one_example", "dz1 = (W2.T @ dz2) * (1 - a1 ** 2)", "dz1 = W2.T @ dz2",
     "leaving out the factor tanh'(z1)"),
    ("backward_propagation", "dW1 = dZ1 @ X.T / m", "dW1 = dZ1 @ X.T", "m times too large"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "compute_cost"
