"""04_pool_backward: wrong answers (from tests/exercises/pool_backward/test_mistakes.py, tests/student/test_feedback_mistakes.py,
tests/bugs/pool_backward.py, issue 18, and new ones)."""
from textwrap import dedent

from tests.feedback_corpus import WrongAnswer

A = "04_pool_backward"


def w(function, label, cause, source):
    return WrongAnswer(A, function, label, dedent(source).strip() + "\n", cause)


def forward(label, cause, top="h * stride", left="w * stride", channel="c", max_="np.max", mean="np.mean",
            n_H="int(1 + (n_H_prev - f) / stride)"):
    return w("pool_forward", label, cause, f"""
        def pool_forward(A_prev, hparameters, mode="max"):
            m, n_H_prev, n_W_prev, n_C = A_prev.shape
            f, stride = hparameters["f"], hparameters["stride"]
            n_H = {n_H}
            n_W = int(1 + (n_W_prev - f) / stride)
            A = np.zeros((m, n_H, n_W, n_C))
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            top, left = {top}, {left}
                            a_slice = A_prev[i, top:top + f, left:left + f, {channel}]
                            if mode == "max":
                                A[i, h, w, c] = {max_}(a_slice)
                            elif mode == "average":
                                A[i, h, w, c] = {mean}(a_slice)
            return A, (A_prev, hparameters)
    """)


def backward(label, cause, top="h * stride", left="w * stride", mask="create_mask_from_window(a_slice)",
             share="distribute_value(dA[i, h, w, c], (f, f))", op="+=", max_mode='"max"', extra=""):
    return w("pool_backward", label, cause, f"""
        def pool_backward(dA, cache, mode="max"):
            A_prev, hparameters = cache
            f, stride = hparameters["f"], hparameters["stride"]
            m, n_H, n_W, n_C = dA.shape
            dA_prev = np.zeros(A_prev.shape)
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            top, left = {top}, {left}
                            if mode == {max_mode}:
                                a_slice = A_prev[i, top:top + f, left:left + f, c]
                                mask = {mask}
                                dA_prev[i, top:top + f, left:left + f, c] {op} mask * dA[i, h, w, c]
                            else:
                                dA_prev[i, top:top + f, left:left + f, c] {op} {share}
            {extra}return dA_prev
    """)


def chain(label, cause, factor, upsample="pool_backward(dA, cache, mode)"):
    return w("pool_activation_backward", label, cause, f"""
        def pool_activation_backward(dA, cache, Z_prev, activation, mode="max"):
            dA_prev = {upsample}
            A_prev = cache[0]
            if activation == "relu":
                g = {factor["relu"]}
            elif activation == "sigmoid":
                g = {factor["sigmoid"]}
            else:
                g = {factor["tanh"]}
            return dA_prev * g
    """)


G_PRIME = {"relu": "(Z_prev > 0).astype(float)", "sigmoid": "1 / (1 + np.exp(-Z_prev)) * (1 - 1 / (1 + np.exp(-Z_prev)))",
           "tanh": "1 - np.tanh(Z_prev) ** 2"}

WRONG = [
    # pool_forward
    forward("ignores the stride", "ignoring the stride", top="h", left="w"),
    forward("max and average swapped", "using the wrong mode", max_="np.mean", mean="np.max"),
    forward("the window spans every channel", "pooling over every channel at once", channel=":"),
    forward("n_H from n_H_prev / f", "should have shape", n_H="int(n_H_prev / f)"),
    forward("average taken as the sum", "summing the window", mean="np.sum"),
    # create_mask_from_window
    w("create_mask_from_window", "x == np.max(x)", "marking every tied maximum", """
        def create_mask_from_window(x):
            mask = x == np.max(x)
            return mask
    """),
    w("create_mask_from_window", "np.max(x) itself", "should have shape", """
        def create_mask_from_window(x):
            mask = np.max(x)
            return mask
    """),
    w("create_mask_from_window", "last maximum in a loop", "marking the last maximum", """
        def create_mask_from_window(x):
            mask = np.zeros(x.shape, dtype=bool)
            best = None
            for i in range(x.shape[0]):
                for j in range(x.shape[1]):
                    if best is None or x[i, j] >= x[best]:
                        best = (i, j)
            mask[best] = True
            return mask
    """),
    w("create_mask_from_window", "a float mask", "should be a boolean array", """
        def create_mask_from_window(x):
            mask = np.zeros(x.shape)
            mask[np.unravel_index(np.argmax(x), x.shape)] = 1
            return mask
    """),
    w("create_mask_from_window", "the largest magnitude", "marking the entry of largest magnitude", """
        def create_mask_from_window(x):
            mask = np.zeros(x.shape, dtype=bool)
            mask[np.unravel_index(np.argmax(np.abs(x)), x.shape)] = True
            return mask
    """),
    # distribute_value
    w("distribute_value", "copies dz", "without dividing by f_H * f_W", """
        def distribute_value(dz, shape):
            return np.ones(shape) * dz
    """),
    w("distribute_value", "divides by one side", "dividing by one side of the window only", """
        def distribute_value(dz, shape):
            n_H, n_W = shape
            return np.ones(shape) * dz / n_H
    """),
    w("distribute_value", "divides by n_H + n_W", None, """
        def distribute_value(dz, shape):
            n_H, n_W = shape
            return np.ones(shape) * dz / (n_H + n_W)
    """),
    w("distribute_value", "returns the average itself", "should have shape", """
        def distribute_value(dz, shape):
            n_H, n_W = shape
            return dz / (n_H * n_W)
    """),
    # pool_backward
    backward("copies the average's gradient", "without dividing by f * f", share="dA[i, h, w, c]"),
    backward("overwrites instead of accumulating", "overwriting instead of accumulating", op="="),
    backward("marks every tied maximum", "marking every tied maximum", mask="a_slice == np.max(a_slice)"),
    backward("modes swapped", "using the other mode's rule", max_mode='"average"'),
    backward("ignores the stride", "ignoring the stride", top="h", left="w"),
    backward("debug print left in, and the stride ignored", "ignoring the stride", top="h", left="w",
             extra="print(dA_prev.shape)\n            "),
    w("pool_backward", "max window over every channel", "every channel", """
        def pool_backward(dA, cache, mode="max"):
            A_prev, hp = cache
            f, s = hp["f"], hp["stride"]
            dA_prev = np.zeros(A_prev.shape)
            m, n_H, n_W, n_C = dA.shape
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            if mode == "max":
                                window = A_prev[i, h * s:h * s + f, w * s:w * s + f, :]
                                dA_prev[i, h * s:h * s + f, w * s:w * s + f, :] += create_mask_from_window(window) * dA[i, h, w, c]
                            else:
                                dA_prev[i, h * s:h * s + f, w * s:w * s + f, c] += dA[i, h, w, c] / (f * f)
            return dA_prev
    """),
    w("pool_backward", "average divided by f only", "dividing by f instead of f * f", """
        def pool_backward(dA, cache, mode="max"):
            A_prev, hp = cache
            f, s = hp["f"], hp["stride"]
            dA_prev = np.zeros(A_prev.shape)
            m, n_H, n_W, n_C = dA.shape
            for i in range(m):
                for h in range(n_H):
                    for w in range(n_W):
                        for c in range(n_C):
                            window = A_prev[i, h * s:h * s + f, w * s:w * s + f, c]
                            if mode == "max":
                                dA_prev[i, h * s:h * s + f, w * s:w * s + f, c] += create_mask_from_window(window) * dA[i, h, w, c]
                            else:
                                dA_prev[i, h * s:h * s + f, w * s:w * s + f, c] += np.ones((f, f)) * dA[i, h, w, c] / f
            return dA_prev
    """),
    # pool_activation_backward
    w("pool_activation_backward", "no g'", "stopping after the pooling layer", """
        def pool_activation_backward(dA, cache, Z_prev, activation, mode="max"):
            dZ_prev = pool_backward(dA, cache, mode)
            return dZ_prev
    """),
    chain("relu'(0) = 1", "taking ReLU'(0) = 1", {**G_PRIME, "relu": "(Z_prev >= 0).astype(float)"}),
    chain("times g instead of g'", "multiplying by the activation g(Z_prev) = A_prev instead of its derivative",
          {"relu": "np.maximum(Z_prev, 0)", "sigmoid": "1 / (1 + np.exp(-Z_prev))", "tanh": "np.tanh(Z_prev)"}),
    chain("g' at A_prev", "evaluating g' at the activation A_prev",
          {"relu": "(A_prev > 0).astype(float)", "sigmoid": "1 / (1 + np.exp(-A_prev)) * (1 - 1 / (1 + np.exp(-A_prev)))",
           "tanh": "1 - np.tanh(A_prev) ** 2"}),
    chain("tanh' written 1 - Z_prev**2", None, {**G_PRIME, "tanh": "1 - Z_prev ** 2"}),
    chain("the other mode", "upsampling with the other mode's rule", G_PRIME,
          upsample='pool_backward(dA, cache, "average" if mode == "max" else "max")'),
    chain("mode not passed on", "upsampling with the other mode's rule", G_PRIME, upsample="pool_backward(dA, cache)"),
]
