"""Reference for 04_pool_backward: max and average pooling, forward and backward, with any stride.

Channels-last layout: A_prev (m, n_H_prev, n_W_prev, n_C), A (m, n_H, n_W, n_C), hparameters
{"f": f, "stride": s}, n_H = floor((n_H_prev - f) / s) + 1 (likewise n_W); no padding. Pooling
works on each channel separately, so the number of channels does not change.

Tie policy of max pooling: when a window holds its maximum more than once, the gradient goes to
the first maximum in row-major order within the window (the position np.argmax returns), so that
each window passes its gradient on exactly once.

Every function is loop-free over examples, positions and channels (numpy only); the bodies are
spliced into the instructors' solved notebook.

Gradient convention (as in 03, 05 and 06): every array passed between layers is dJ/d(.) of the cost
averaged over the m examples; no function here divides by m.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def pool_forward(A_prev, hparameters, mode="max"):
    """Forward pass of a pooling layer.

    Inputs:  A_prev (m, n_H_prev, n_W_prev, n_C); hparameters {"f", "stride"}; mode "max" or "average".
    Returns: A (m, n_H, n_W, n_C); cache (A_prev, hparameters).
    """
    f, stride = hparameters["f"], hparameters["stride"]
    # windows[i, h, w, c, u, v] = A_prev[i, h * stride + u, w * stride + v, c]: a view, no copy.
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = windows.max(axis=(4, 5))
    elif mode == "average":
        A = windows.mean(axis=(4, 5))
    else:
        raise ValueError(f'mode must be "max" or "average", got {mode!r}')
    return A, (A_prev, hparameters)


def create_mask_from_window(x):
    """Where the gradient of a max-pooling window goes.

    Inputs:  x (f, f), one window of one channel.
    Returns: mask (f, f) of dtype bool, True at the maximum of x only; when the maximum occurs
             several times, True at the first one in row-major order (where np.argmax points).
    """
    mask = np.zeros(x.shape, dtype=bool)
    mask[np.unravel_index(np.argmax(x), x.shape)] = True
    return mask


def distribute_value(dz, shape):
    """Where the gradient of an average-pooling window goes: split it evenly over the window.

    Inputs:  dz, a number (the gradient of one output entry); shape (f_H, f_W) of the window.
    Returns: a (f_H, f_W) array, every entry dz / (f_H * f_W), so that its sum is dz.
    """
    f_H, f_W = shape
    return np.full((f_H, f_W), dz / (f_H * f_W))


def pool_backward(dA, cache, mode="max"):
    """Backward pass of a pooling layer.

    Inputs:  dA (m, n_H, n_W, n_C), the gradient of the cost with respect to the pooling output;
             cache (A_prev, hparameters) from pool_forward; mode "max" or "average".
    Returns: dA_prev (m, n_H_prev, n_W_prev, n_C), the gradient with respect to A_prev.
    """
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)

    # Window offset (u, v) meets, for output (h, w), the input pixel (h stride + u, w stride + v). For a
    # fixed offset those pixels form a strided n_H x n_W grid (a view of A_prev or dA_prev), so the loops
    # run over the f * f offsets, in row-major order, instead of over examples, positions and channels.
    grids = [(slice(None), slice(u, u + stride * (n_H - 1) + 1, stride), slice(v, v + stride * (n_W - 1) + 1, stride))
             for u in range(f) for v in range(f)]
    # Windows overlap when stride < f: a pixel then receives from several windows, so add (+=) the shares.
    # When stride >= f every pixel is in at most one window, and each grid can be written directly.
    overlap = stride < f

    if mode == "max":
        # The maximum of every window, as in the forward pass.
        A = A_prev[grids[0]].copy()
        for grid in grids[1:]:
            np.maximum(A, A_prev[grid], out=A)
        # Visiting the offsets in row-major order, the first one that holds the maximum takes the gradient
        # (the tie policy: np.argmax's choice); `pending` marks the windows that have not sent it yet.
        pending = np.ones(dA.shape, dtype=bool)
        first = np.empty(dA.shape, dtype=bool)
        routed = np.empty(dA.shape)
        for grid in grids:
            np.equal(A_prev[grid], A, out=first)
            first &= pending
            pending &= ~first
            if overlap:
                np.multiply(dA, first, out=routed)
                dA_prev[grid] += routed
            else:
                np.multiply(dA, first, out=dA_prev[grid])
    elif mode == "average":
        share = dA / (f * f)  # each of the f * f inputs of a window gets an equal share
        for grid in grids:
            if overlap:
                dA_prev[grid] += share
            else:
                dA_prev[grid] = share
    else:
        raise ValueError(f'mode must be "max" or "average", got {mode!r}')
    return dA_prev


def pool_activation_backward(dA: np.ndarray, cache: tuple, Z_prev: np.ndarray, activation: str,
                             mode: str = "max") -> np.ndarray:
    """delta of the layer before a pooling layer: back through the pooling, then through its activation.

    Inputs:  dA (m, n_H, n_W, n_C), dJ/dA at the pooling output (the pooling layer's delta);
             cache (A_prev, hparameters) from pool_forward, where A_prev = g(Z_prev);
             Z_prev (m, n_H_prev, n_W_prev, n_C), the pre-activation of the layer before;
             activation "relu", "sigmoid" or "tanh" (g); mode "max" or "average".
    Returns: dZ_prev = upsample(dA) * g'(Z_prev), dJ/dZ_prev, the shape of Z_prev.
    """
    dA_prev = pool_backward(dA, cache, mode)  # upsample: dJ/dA_prev, the shape of Z_prev
    if activation == "relu":
        g_prime = (Z_prev > 0).astype(np.float64)  # relu'(0) = 0, as in notebook 02
    elif activation == "sigmoid":
        s = 1 / (1 + np.exp(-Z_prev))
        g_prime = s * (1 - s)
    elif activation == "tanh":
        g_prime = 1 - np.tanh(Z_prev) ** 2
    else:
        raise ValueError(f'activation must be "relu", "sigmoid" or "tanh", got {activation!r}')
    return dA_prev * g_prime
