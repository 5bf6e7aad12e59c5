# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    ("linear_backward", "dW = dZ @ A_prev.T / m", "dW = dZ @ A_prev.T", "m times too large"),
    ("L_model_backward", 'activation = "sigmoid" if l == L else "relu"', 'activation = "relu"',
     "relu_backward for the output layer"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "numerical_gradient"
