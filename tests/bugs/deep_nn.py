# (function, text in the reference body, replacement, words the student must see in the message)
# Only functions that no other graded function calls: a student's linear_activation_backward calls
# their own linear_backward, so a bug there also costs its callers (see tests/test_compare_deep_nn.py).
BUGS = [
    ("L_model_backward", 'activation = "sigmoid" if l == L else "relu"', 'activation = "relu"',
     "relu_backward for the output layer"),
    ("update_parameters", "] - learning_rate * grads", "] + learning_rate * grads", "adding the gradient"),
]
# A function whose answer is replaced by `raise ValueError(...)`.
RAISES = "numerical_gradient"
