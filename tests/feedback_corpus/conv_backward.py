"""03_conv_backward: wrong answers (from tests/exercises/conv_backward/test_mistakes.py, tests/student/test_check.py,
tests/bugs/conv_backward.py, issue 18, and new ones)."""
from textwrap import dedent

from tests.feedback_corpus import WrongAnswer

A = "03_conv_backward"


def w(function, label, cause, source):
    return WrongAnswer(A, function, label, dedent(source).strip() + "\n", cause)


def forward(label, cause, top="h * stride", left="w * stride", source_array="A_prev_pad", bias="b[0, 0, 0, c]",
            cache="(A_prev, W, b, hparameters)", n_H="int((n_H_prev + 2 * pad - f) / stride) + 1"):
    return w("conv_forward", label, cause, f"""
        def conv_forward(A_prev, W, b, hparameters):
            m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
            f, f, n_C_prev, n_C = W.shape
            stride, pad = hparameters["stride"], hparameters["pad"]
            n_H = {n_H}
            n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
            Z = np.zeros((m, n_H, n_W, n_C))
            A_prev_pad = zero_pad(A_prev, pad)
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            top, left = {top}, {left}
                            a_slice = {source_array}[i, top:top + f, left:left + f, :]
                            Z[i, h, w, c] = np.sum(a_slice * W[:, :, :, c]) + {bias}
            return Z, {cache}
    """)


def backward(label, cause, name="conv_backward", top="h * stride", left="w * stride", dA_op="+=", dW_op="+=",
             db_op="+=", filt="W[:, :, :, c]", window="A_prev_pad", crop="dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]"):
    return w(name, label, cause, f"""
        def {name}(dZ, cache):
            A_prev, W, b, hparameters = cache
            stride, pad = hparameters["stride"], hparameters["pad"]
            m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
            f = W.shape[0]
            m, n_H, n_W, n_C = dZ.shape
            dW = np.zeros(W.shape)
            db = np.zeros(b.shape)
            A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
            dA_prev_pad = np.zeros(A_prev_pad.shape)
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            top, left = {top}, {left}
                            a_slice = {window}[i, top:top + f, left:left + f, :]
                            dA_prev_pad[i, top:top + f, left:left + f, :] {dA_op} {filt} * dZ[i, h, w, c]
                            dW[:, :, :, c] {dW_op} a_slice * dZ[i, h, w, c]
                            db[:, :, :, c] {db_op} dZ[i, h, w, c]
            dA_prev = {crop}
            return dA_prev, dW, db
    """)


WRONG = [
    # zero_pad
    w("zero_pad", "pads every axis", "padding every axis of X", """
        def zero_pad(X, pad):
            return np.pad(X, pad, mode="constant")
    """),
    w("zero_pad", "all the zeros after the data", "putting all 2 * pad zeros after the data", """
        def zero_pad(X, pad):
            return np.pad(X, ((0, 0), (0, 2 * pad), (0, 2 * pad), (0, 0)))
    """),
    w("zero_pad", "pads the examples and the height", "should have shape", """
        def zero_pad(X, pad):
            return np.pad(X, ((pad, pad), (pad, pad), (0, 0), (0, 0)))
    """),
    w("zero_pad", "pad only once on each side of the height", "should have shape", """
        def zero_pad(X, pad):
            m, n_H, n_W, n_C = X.shape
            X_pad = np.zeros((m, n_H + 2 * pad, n_W, n_C))
            X_pad[:, pad:pad + n_H, :, :] = X
            return X_pad
    """),
    # conv_single_step
    w("conv_single_step", "returns the (1, 1, 1) array", "must be a Python float", """
        def conv_single_step(a_slice_prev, W, b):
            s = a_slice_prev * W
            Z = np.sum(s)
            Z = Z + b
            return Z
    """),
    w("conv_single_step", "float(b) of a (1, 1, 1) array", "use x.item()", """
        def conv_single_step(a_slice_prev, W, b):
            return float(np.sum(np.multiply(a_slice_prev, W)) + float(b))
    """),
    w("conv_single_step", "no bias", "forgetting to add the bias b", """
        def conv_single_step(a_slice_prev, W, b):
            return float(np.sum(a_slice_prev * W))
    """),
    w("conv_single_step", "product of the sums", None, """
        def conv_single_step(a_slice_prev, W, b):
            return float(np.sum(a_slice_prev) * np.sum(W) + b[0, 0, 0])
    """),
    w("conv_single_step", "bias subtracted", None, """
        def conv_single_step(a_slice_prev, W, b):
            return float(np.sum(a_slice_prev * W) - b[0, 0, 0])
    """),
    # conv_forward
    forward("ignores the stride", "ignoring the stride", top="h", left="w"),
    forward("no bias", "forgetting to add the bias", bias="0"),
    forward("window read from the unpadded A_prev", "read every window from the padded array", source_array="A_prev"),
    forward("caches the padded input", "caching the padded input",
            cache="(A_prev_pad, W, b, hparameters)"),
    forward("Z + float(b) of shape (1, 1, 1, n_C)", "use x.item()", bias="float(b)"),
    forward("n_H without the padding", "should have shape", n_H="int((n_H_prev - f) / stride) + 1"),
    # single_step_backward
    w("single_step_backward", "roles swapped", "swapping the roles", """
        def single_step_backward(dz, a_slice_prev, W):
            return dz * a_slice_prev, dz * W, float(dz)
    """),
    w("single_step_backward", "dz left out", "leaving out the upstream gradient dz", """
        def single_step_backward(dz, a_slice_prev, W):
            return W, a_slice_prev, 1.0
    """),
    w("single_step_backward", "rotated filter", "rotating the filter", """
        def single_step_backward(dz, a_slice_prev, W):
            return dz * np.rot90(W, 2), dz * a_slice_prev, float(dz)
    """),
    w("single_step_backward", "db = 1", "leaving out the upstream gradient dz", """
        def single_step_backward(dz, a_slice_prev, W):
            return dz * W, dz * a_slice_prev, 1.0
    """),
    w("single_step_backward", "db the sum of the window", None, """
        def single_step_backward(dz, a_slice_prev, W):
            return dz * W, dz * a_slice_prev, float(np.sum(dz * a_slice_prev))
    """),
    # conv_backward
    backward("ignores the stride", "ignoring the stride", top="h", left="w"),
    backward("crop dA_prev_pad[pad:-pad]", "cropping with a negative end", crop="dA_prev_pad[:, pad:-pad, pad:-pad, :]"),
    backward("returns the padded gradient", "returning the gradient of the padded input", crop="dA_prev_pad"),
    backward("overwrites dW and db", "overwriting instead of accumulating", dW_op="=", db_op="="),
    backward("= instead of += in dA_prev only", "overwriting dA_prev instead of accumulating", dA_op="="),
    backward("rotated filter", "rotating the filter by 180 degrees", filt="W[::-1, ::-1, :, c]"),
    backward("window read from the unpadded A_prev", "read every window from the padded array", window="A_prev"),
    w(
        "conv_backward", "divides everything by m", "m times too small", """
        def conv_backward(dZ, cache):
            A_prev, W, b, hparameters = cache
            stride, pad = hparameters["stride"], hparameters["pad"]
            m, n_H, n_W, n_C = dZ.shape
            f = W.shape[0]
            A_pad = zero_pad(A_prev, pad)
            dA_pad, dW, db = np.zeros(A_pad.shape), np.zeros(W.shape), np.zeros(b.shape)
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        hs, ws = h * stride, w * stride
                        for c in range(n_C):
                            dA_pad[i, hs:hs + f, ws:ws + f, :] += W[..., c] * dZ[i, h, w, c] / m
                            dW[..., c] += A_pad[i, hs:hs + f, ws:ws + f, :] * dZ[i, h, w, c] / m
                            db[..., c] += dZ[i, h, w, c] / m
            return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW, db
    """),
    w("conv_backward", "db without keepdims", "use keepdims=True", """
        def conv_backward(dZ, cache):
            A_prev, W, b, hparameters = cache
            stride, pad = hparameters["stride"], hparameters["pad"]
            m, n_H, n_W, n_C = dZ.shape
            f = W.shape[0]
            A_pad = zero_pad(A_prev, pad)
            dA_pad, dW = np.zeros(A_pad.shape), np.zeros(W.shape)
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        hs, ws = h * stride, w * stride
                        for c in range(n_C):
                            dA_pad[i, hs:hs + f, ws:ws + f, :] += W[..., c] * dZ[i, h, w, c]
                            dW[..., c] += A_pad[i, hs:hs + f, ws:ws + f, :] * dZ[i, h, w, c]
            db = np.sum(dZ, axis=(0, 1, 2))
            return dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :], dW, db
    """),
    # fixed_conv_backward (the debug exercise with one bug left in)
    backward("stride bug left in", "ignoring the stride", name="fixed_conv_backward", top="h", left="w"),
    backward("negative-end crop left in", "cropping with a negative end", name="fixed_conv_backward",
             crop="dA_prev_pad[:, pad:-pad, pad:-pad, :]"),
    backward("overwriting dW", "overwriting instead of accumulating", name="fixed_conv_backward", dW_op="="),
]
