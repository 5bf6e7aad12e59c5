# (function, text in the reference body, replacement, words the student must see in the message)
BUGS = [
    # 01/02's habit: dscores without the 1/m of the averaged cost.
    ("softmax_cross_entropy", "dscores = (np.exp(log_probs) - Y) / m", "dscores = np.exp(log_probs) - Y",
     "leaving out the 1/m"),
    # The flatten undone in another order than it was done.
    ("flatten_backward", "return dX.T.reshape(cache)", "return dX.reshape(cache)", "in a different order from the forward pass"),
    # The ReLU forgotten on the way back.
    ("model_backward", "dZ1 = relu_backward(dA1, relu_cache)", "dZ1 = dA1", "skipping the ReLU's backward pass"),
]
# A function whose answer is replaced by `raise ValueError(...)`: conv_forward_fast calls it, and keeps its points.
RAISES = "im2col"
