"""05_rnn_bptt: wrong answers (from tests/exercises/rnn_bptt/test_mistakes.py, tests/bugs/rnn_bptt.py, issue 18, and new ones)."""
from textwrap import dedent

from tests.feedback_corpus import WrongAnswer

A = "05_rnn_bptt"


def w(function, label, cause, source):
    return WrongAnswer(A, function, label, dedent(source).strip() + "\n", cause)


def cell_forward(label, cause, h="np.tanh(np.dot(U, xt) + np.dot(W, h_prev) + b)", y="softmax(np.dot(V, h_next) + c)",
                 cache="(h_next, h_prev, xt, parameters)"):
    return w("rnn_cell_forward", label, cause, f"""
        def rnn_cell_forward(xt, h_prev, parameters):
            U, W, b = parameters["U"], parameters["W"], parameters["b"]
            V, c = parameters["V"], parameters["c"]
            h_next = {h}
            yt_pred = {y}
            cache = {cache}
            return h_next, yt_pred, cache
    """)


def cell_backward(label, cause, dz="dh_next * (1 - h_next ** 2)", dh_prev="np.dot(W.T, dz)", dU="np.dot(dz, xt.T)",
                  dW="np.dot(dz, h_prev.T)", db="np.sum(dz, axis=1, keepdims=True)"):
    return w("rnn_cell_backward", label, cause, f"""
        def rnn_cell_backward(dh_next, cache):
            h_next, h_prev, xt, parameters = cache
            U, W = parameters["U"], parameters["W"]
            dz = {dz}
            return {{"dxt": np.dot(U.T, dz), "dh_prev": {dh_prev}, "dU": {dU}, "dW": {dW}, "db": {db}}}
    """)


def bptt(label, cause, delta="dh[:, :, t] + dh_prevt", factor="h_t", order="reversed(range(T_x))", op="+=",
         dh0="dh_prevt"):
    return w("rnn_backward", label, cause, f"""
        def rnn_backward(dh, caches):
            cells, x = caches
            U, W = cells[0][3]["U"], cells[0][3]["W"]
            n_h, m, T_x = dh.shape
            dx = np.zeros(x.shape)
            dU, dW, db = np.zeros(U.shape), np.zeros(W.shape), np.zeros((n_h, 1))
            dh_prevt = np.zeros((n_h, m))
            for t in {order}:
                h_t, h_prev, xt, _ = cells[t]
                dz = ({delta}) * (1 - {factor} ** 2)
                dx[:, :, t] = U.T @ dz
                dU {op} dz @ xt.T
                dW {op} dz @ h_prev.T
                db {op} np.sum(dz, axis=1, keepdims=True)
                dh_prevt = W.T @ dz
            return {{"dx": dx, "dh0": {dh0}, "dU": dU, "dW": dW, "db": db}}
    """)


def output(label, cause, do="(y_pred - Y) / m", state="cells[t][0]", op="+=", dc="np.sum(do_t, axis=1, keepdims=True)"):
    return w("rnn_output_backward", label, cause, f"""
        def rnn_output_backward(y_pred, Y, caches):
            cells, x = caches
            V = cells[0][3]["V"]
            n_y, m, T_x = Y.shape
            do = {do}
            dV, dc = np.zeros(V.shape), np.zeros((n_y, 1))
            dh = np.zeros((V.shape[1], m, T_x))
            for t in range(T_x):
                do_t = do[:, :, t]
                dV {op} do_t @ {state}.T
                dc {op} {dc}
                dh[:, :, t] = V.T @ do_t
            return {{"dV": dV, "dc": dc, "dh": dh}}
    """)


def loss_backward(label, cause, delta="V.T @ do[:, :, t] + dh_next", factor="h_t", dV_op="+=", dc="np.sum(do[:, :, t], axis=1, keepdims=True)",
                  do="(y_pred - Y) / m", order="reversed(range(T_x))"):
    return w("rnn_loss_backward", label, cause, f"""
        def rnn_loss_backward(y_pred, Y, caches):
            cells, x = caches
            p = cells[0][3]
            U, W, V = p["U"], p["W"], p["V"]
            n_y, m, T_x = Y.shape
            n_h = W.shape[0]
            do = {do}
            g = {{"dU": np.zeros(U.shape), "dW": np.zeros(W.shape), "db": np.zeros((n_h, 1)),
                  "dV": np.zeros(V.shape), "dc": np.zeros((n_y, 1)), "dx": np.zeros(x.shape)}}
            dh_next = np.zeros((n_h, m))
            for t in {order}:
                h_t, h_prev, xt, _ = cells[t]
                g["dV"] {dV_op} do[:, :, t] @ h_t.T
                g["dc"] {dV_op} {dc}
                dz = ({delta}) * (1 - {factor} ** 2)
                g["dx"][:, :, t] = U.T @ dz
                g["dU"] += dz @ xt.T
                g["dW"] += dz @ h_prev.T
                g["db"] += np.sum(dz, axis=1, keepdims=True)
                dh_next = W.T @ dz
            g["dh0"] = dh_next
            return g
    """)


def clip(label, cause, body):
    return w("clip_gradients", label, cause, "def clip_gradients(grads, max_norm):\n" + dedent(body).strip("\n")
             .replace("\n", "\n    ").join(["    ", ""]) + "\n")


WRONG = [
    # rnn_cell_forward
    cell_forward("softmax over the examples", "taking the softmax over the examples",
                 y="np.exp(V @ h_next + c) / np.sum(np.exp(V @ h_next + c), axis=1, keepdims=True)"),
    cell_forward("no bias b", "forgetting the bias b", h="np.tanh(np.dot(U, xt) + np.dot(W, h_prev))"),
    cell_forward("cache (h_prev, h_next, ...)", "swapping h_next and h_prev in the cache",
                 cache="(h_prev, h_next, xt, parameters)"),
    cell_forward("sigmoid hidden state", "using the sigmoid for the hidden state", h="1 / (1 + np.exp(-(U @ xt + W @ h_prev + b)))"),
    cell_forward("softmax of h_next itself", "should have shape", y="softmax(h_next)"),
    cell_forward("no c in the output", "forgetting the bias c", y="softmax(V @ h_next)"),
    # rnn_forward
    w("rnn_forward", "h0 fed to every step", "feeding h0 to every step", """
        def rnn_forward(x, h0, parameters):
            n_x, m, T_x = x.shape
            n_y, n_h = parameters["V"].shape
            h, y_pred, caches = np.zeros((n_h, m, T_x)), np.zeros((n_y, m, T_x)), []
            for t in range(T_x):
                h_next, yt, cache = rnn_cell_forward(x[:, :, t], h0, parameters)
                h[:, :, t], y_pred[:, :, t] = h_next, yt
                caches.append(cache)
            return h, y_pred, (caches, x)
    """),
    w("rnn_forward", "softmax over the examples", "taking the softmax over the examples", """
        def rnn_forward(x, h0, parameters):
            U, W, b, V, c = (parameters[k] for k in "UWbVc")
            n_x, m, T_x = x.shape
            h, y_pred, caches = np.zeros((W.shape[0], m, T_x)), np.zeros((V.shape[0], m, T_x)), []
            h_prev = h0
            for t in range(T_x):
                h_next = np.tanh(U @ x[:, :, t] + W @ h_prev + b)
                e = np.exp(V @ h_next + c)
                h[:, :, t], y_pred[:, :, t] = h_next, e / e.sum(axis=1, keepdims=True)
                caches.append((h_next, h_prev, x[:, :, t], parameters))
                h_prev = h_next
            return h, y_pred, (caches, x)
    """),
    w("rnn_forward", "caches without x", "should have 2 items", """
        def rnn_forward(x, h0, parameters):
            n_x, m, T_x = x.shape
            n_y, n_h = parameters["V"].shape
            h, y_pred, caches = np.zeros((n_h, m, T_x)), np.zeros((n_y, m, T_x)), []
            h_next = h0
            for t in range(T_x):
                h_next, yt, cache = rnn_cell_forward(x[:, :, t], h_next, parameters)
                h[:, :, t], y_pred[:, :, t] = h_next, yt
                caches.append(cache)
            return h, y_pred, caches
    """),
    w("rnn_forward", "h stores h_prev", "storing h_prev", """
        def rnn_forward(x, h0, parameters):
            n_x, m, T_x = x.shape
            n_y, n_h = parameters["V"].shape
            h, y_pred, caches = np.zeros((n_h, m, T_x)), np.zeros((n_y, m, T_x)), []
            h_prev = h0
            for t in range(T_x):
                h_next, yt, cache = rnn_cell_forward(x[:, :, t], h_prev, parameters)
                h[:, :, t], y_pred[:, :, t] = h_prev, yt
                caches.append(cache)
                h_prev = h_next
            return h, y_pred, (caches, x)
    """),
    # rnn_cell_backward
    cell_backward("tanh' of h_prev", "tanh derivative at the wrong step", dz="dh_next * (1 - h_prev ** 2)"),
    cell_backward("1 - np.tanh(h_next)**2", "applying tanh twice", dz="dh_next * (1 - np.tanh(h_next) ** 2)"),
    cell_backward("no tanh'", "forgetting the tanh derivative", dz="dh_next"),
    cell_backward("W not transposed", "multiplying by W instead of its transpose", dh_prev="np.dot(W, dz)"),
    cell_backward("db without keepdims", "use keepdims=True", db="np.sum(dz, axis=1)"),
    cell_backward("dW with h_next", "using h_next in dW", dW="np.dot(dz, h_next.T)"),
    cell_backward("db averaged over the examples", "m times too small", db="np.mean(dz, axis=1, keepdims=True)"),
    # rnn_backward
    bptt("no path through h^(t+1)", "forgetting the path through h^(t+1)", delta="dh[:, :, t]"),
    bptt("tanh' of h_prev", "tanh derivative at the wrong step", factor="h_prev"),
    bptt("overwrites instead of summing", "overwriting instead of summing over time", op="="),
    bptt("forward in time", "going forward in time", order="range(T_x)"),
    bptt("dh0 left at zero", "is all zeros", dh0="np.zeros((n_h, m))"),
    w("rnn_backward", "overwrites dU only", "overwriting instead of summing over time", """
        def rnn_backward(dh, caches):
            cells, x = caches
            n_h, m, T_x = dh.shape
            grads = {"dx": np.zeros(x.shape), "dU": 0, "dW": 0, "db": 0}
            da_prevt = np.zeros((n_h, m))
            for t in reversed(range(T_x)):
                g = rnn_cell_backward(dh[:, :, t] + da_prevt, cells[t])
                grads["dx"][:, :, t] = g["dxt"]
                grads["dU"] = g["dU"]
                grads["dW"] = grads["dW"] + g["dW"]
                grads["db"] = grads["db"] + g["db"]
                da_prevt = g["dh_prev"]
            grads["dh0"] = da_prevt
            return grads
    """),
    # rnn_output_backward
    output("dV and dc of the last step only", "keeping one step only", op="="),
    output("no 1/m", "forgetting the 1/m", do="y_pred - Y"),
    w(
        "rnn_output_backward", "1/m twice", "dividing by m twice", """
        def rnn_output_backward(y_pred, Y, caches):
            cells, x = caches
            V = cells[0][3]["V"]
            n_y, m, T_x = Y.shape
            do = (y_pred - Y) / m
            dV = sum(do[:, :, t] @ cells[t][0].T for t in range(T_x)) / m
            dc = np.sum(do, axis=(1, 2)).reshape(n_y, 1) / m
            dh = np.einsum("yh,ymt->hmt", V, do)
            return {"dV": dV, "dc": dc, "dh": dh}
    """),
    output("h^(t-1) in dV", "using h^{t-1} in dV", state="cells[t][1]"),
    output("softmax derivative again", "multiplying by the softmax derivative again", do="(y_pred - Y) / m * y_pred * (1 - y_pred)"),
    output("y - yhat", "wrong sign", do="(Y - y_pred) / m"),
    # compute_cost
    w("compute_cost", "averaged over time too", "averaging over the time steps too", """
        def compute_cost(y_pred, Y):
            n_y, m, T_x = Y.shape
            return float(-np.sum(Y * np.log(y_pred)) / (m * T_x))
    """),
    w("compute_cost", "np.mean of every entry", "taking the mean of all entries", """
        def compute_cost(y_pred, Y):
            return float(-np.mean(Y * np.log(y_pred)))
    """),
    w("compute_cost", "summed, not averaged", "m times too large", """
        def compute_cost(y_pred, Y):
            return float(-np.sum(Y * np.log(y_pred)))
    """),
    w("compute_cost", "binary cross-entropy", "using the binary cross-entropy", """
        def compute_cost(y_pred, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log(y_pred) + (1 - Y) * np.log(1 - y_pred)) / m)
    """),
    w("compute_cost", "returns an array", "must be a Python float", """
        def compute_cost(y_pred, Y):
            m = Y.shape[1]
            return -np.sum(Y * np.log(y_pred), axis=(0, 1, 2), keepdims=True) / m
    """),
    # rnn_loss_backward
    loss_backward("no path through h^(t+1)", "forgetting the path through h^(t+1)", delta="V.T @ do[:, :, t]"),
    loss_backward("tanh' of h_prev", "tanh derivative at the wrong step", factor="h_prev"),
    loss_backward("softmax derivative again in dc", "multiplying by the softmax derivative again in dc",
                  dc="np.sum(do[:, :, t] * y_pred[:, :, t] * (1 - y_pred[:, :, t]), axis=1, keepdims=True)"),
    loss_backward("dV and dc overwritten", "overwriting instead of summing over time", dV_op="="),
    loss_backward("no 1/m", "m times too large", do="y_pred - Y"),
    # clip_gradients
    clip("np.clip of every entry", "np.clip", """
        return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
    """),
    clip("each array by its own norm", "clipping each array by its own norm", """
        clipped = {}
        for k, g in grads.items():
            n = np.linalg.norm(g)
            clipped[k] = g * max_norm / n if n > max_norm else g.copy()
        return clipped
    """),
    clip("always rescales", "rescaling even when the norm is already at most max_norm", """
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        return {k: g * max_norm / norm for k, g in grads.items()}
    """),
    clip("scales in place", "modified its input grads", """
        norm = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
        if norm > max_norm:
            for g in grads.values():
                g *= max_norm / norm
        return grads
    """),
    clip("norm without the square root", "forgetting the square root", """
        norm = sum(np.sum(g ** 2) for g in grads.values())
        if norm > max_norm:
            return {k: g * max_norm / norm for k, g in grads.items()}
        return {k: g.copy() for k, g in grads.items()}
    """),
]
