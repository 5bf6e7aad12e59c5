"""Reference for 06_one_network: the course's layers composed into one small CNN.

conv (3x3, stride 1, pad 1) -> ReLU -> max-pool (2x2, stride 2) -> flatten -> dense -> softmax cross-entropy.
Images are channels-last (m, n_H, n_W, n_C); the dense part uses the column layout (features, m) of 01/02.

Gradient convention (as in 03-05): every array passed between layers is dJ/d(.) of the cost J averaged over
the m examples; the 1/m enters once, in softmax_cross_entropy's dscores, and no layer divides by m.

im2col layout: one row per output position (i, h, w) in row-major order, one column per filter entry
(u, v, k) in row-major order, so that W.reshape(f * f * n_C_prev, n_C) is the matching weight matrix.

conv_backward, pool_forward, pool_backward are the student's own answers from 03 and 04, pasted in; their
references here are the plain versions (conv_backward loops over positions, as a first version does), so
that the notebook can time the fast convolution against a loop.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CONV_HPARAMETERS = {"stride": 1, "pad": 1}
POOL_HPARAMETERS = {"f": 2, "stride": 2}


def zero_pad(X, pad):
    """Pad the height and width axes of X (m, n_H, n_W, n_C) with `pad` zeros on every side."""
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)))


def im2col(A_pad, f, stride):
    """Every f x f window of A_pad as one row of a matrix.

    Inputs:  A_pad (m, n_H_pad, n_W_pad, n_C_prev), an already padded input; f, the window size; stride.
    Returns: cols (m * n_H * n_W, f * f * n_C_prev), n_H = (n_H_pad - f) // stride + 1 (likewise n_W);
             row i * n_H * n_W + h * n_W + w holds the window of output (i, h, w), its entries in the
             order (u, v, k): cols[row, (u * f + v) * n_C_prev + k] = A_pad[i, h stride + u, w stride + v, k].
    """
    # windows[i, h, w, k, u, v] = A_pad[i, h * stride + u, w * stride + v, k]: a view, no copy.
    windows = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    m, n_H, n_W, n_C_prev = windows.shape[:4]
    # Put the channel axis last, so that each row reads (u, v, k) like W.reshape(f * f * n_C_prev, n_C).
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(m * n_H * n_W, f * f * n_C_prev)


def col2im(dcols, padded_shape, f, stride):
    """The adjoint of im2col: send each row's entries back to the pixels of its window, adding them up.

    Inputs:  dcols (m * n_H * n_W, f * f * n_C_prev), laid out as im2col's output; padded_shape, the
             shape (m, n_H_pad, n_W_pad, n_C_prev) of im2col's input; f; stride.
    Returns: dA_pad of shape padded_shape: every pixel receives the sum of the entries of dcols that
             im2col copied it to (a pixel in several windows receives several).
    """
    m, n_H_pad, n_W_pad, n_C_prev = padded_shape
    n_H, n_W = (n_H_pad - f) // stride + 1, (n_W_pad - f) // stride + 1
    d = dcols.reshape(m, n_H, n_W, f, f, n_C_prev)
    dA_pad = np.zeros(padded_shape)
    # Offset (u, v) of every window is a strided n_H x n_W grid of pixels: the loop runs over the f * f
    # offsets only. When windows overlap, one pixel lies on several grids, hence +=.
    for u in range(f):
        for v in range(f):
            dA_pad[:, u:u + stride * (n_H - 1) + 1:stride, v:v + stride * (n_W - 1) + 1:stride, :] += d[:, :, :, u, v, :]
    return dA_pad


def conv_forward_fast(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer (03's conv_forward) as one matrix product.

    Inputs:  A_prev (m, n_H_prev, n_W_prev, n_C_prev); W (f, f, n_C_prev, n_C); b (1, 1, 1, n_C);
             hparameters {"stride", "pad"}.
    Returns: Z (m, n_H, n_W, n_C); cache (A_prev, W, b, hparameters), as 03's conv_forward.
    """
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    n_H, n_W = (n_H_prev + 2 * pad - f) // stride + 1, (n_W_prev + 2 * pad - f) // stride + 1
    cols = im2col(zero_pad(A_prev, pad), f, stride)
    Z = (cols @ W.reshape(f * f * n_C_prev, n_C)).reshape(m, n_H, n_W, n_C) + b
    return Z, (A_prev, W, b, hparameters)


def conv_backward_fast(dZ, cache):
    """Backward pass of a convolution layer (03's conv_backward) with im2col and col2im.

    Inputs:  dZ (m, n_H, n_W, n_C), dJ/dZ; cache (A_prev, W, b, hparameters) from conv_forward_fast.
    Returns: dA_prev (m, n_H_prev, n_W_prev, n_C_prev), dW (f, f, n_C_prev, n_C), db (1, 1, 1, n_C).
    """
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    A_pad = zero_pad(A_prev, pad)
    cols = im2col(A_pad, f, stride)
    dZ_rows = dZ.reshape(-1, n_C)  # one row per output position, in im2col's row order
    # Z_rows = cols @ W_mat: the gradients of a matrix product.
    dW = (cols.T @ dZ_rows).reshape(W.shape)
    db = dZ_rows.sum(axis=0).reshape(1, 1, 1, n_C)
    dcols = dZ_rows @ W.reshape(f * f * n_C_prev, n_C).T
    dA_pad = col2im(dcols, A_pad.shape, f, stride)
    # Explicit ends: dA_pad[:, pad:-pad] would be empty for pad = 0.
    dA_prev = dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def conv_backward(dZ, cache):
    """Backward pass of a convolution layer, written with loops (your answer from 03).

    Inputs:  dZ (m, n_H, n_W, n_C), dJ/dZ; cache (A_prev, W, b, hparameters) from a conv forward pass.
    Returns: dA_prev (m, n_H_prev, n_W_prev, n_C_prev), dW (f, f, n_C_prev, n_C), db (1, 1, 1, n_C).
    """
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape)
    dW = np.zeros(W.shape)
    db = np.zeros((1, 1, 1, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    dA_prev_pad[i, rows, cols, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[i, rows, cols, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def pool_forward(A_prev, hparameters, mode="max"):
    """Forward pass of a pooling layer (your answer from 04).

    Inputs:  A_prev (m, n_H_prev, n_W_prev, n_C); hparameters {"f", "stride"}; mode "max" or "average".
    Returns: A (m, n_H, n_W, n_C); cache (A_prev, hparameters).
    """
    f, stride = hparameters["f"], hparameters["stride"]
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    A = windows.max(axis=(4, 5)) if mode == "max" else windows.mean(axis=(4, 5))
    return A, (A_prev, hparameters)


def pool_backward(dA, cache, mode="max"):
    """Backward pass of a pooling layer (your answer from 04).

    Inputs:  dA (m, n_H, n_W, n_C), dJ/dA; cache (A_prev, hparameters) from pool_forward; mode.
    Returns: dA_prev (m, n_H_prev, n_W_prev, n_C), dJ/dA_prev. Max pooling sends each gradient to the
             first maximum of its window in row-major order (where np.argmax points).
    """
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    windows = windows.reshape(m, n_H, n_W, n_C, f * f)
    if mode == "max":
        share = np.zeros(windows.shape)
        np.put_along_axis(share, windows.argmax(axis=4)[..., None], dA[..., None], axis=4)
    else:
        share = np.repeat(dA[..., None] / (f * f), f * f, axis=4)
    # The same scatter as col2im: windows overlap when stride < f, so add.
    share = share.reshape(m, n_H, n_W, n_C, f, f)
    dA_prev = np.zeros(A_prev.shape)
    for u in range(f):
        for v in range(f):
            dA_prev[:, u:u + stride * (n_H - 1) + 1:stride, v:v + stride * (n_W - 1) + 1:stride, :] += share[..., u, v]
    return dA_prev


def relu_forward(Z):
    """ReLU. Inputs: Z, any shape. Returns: A = max(Z, 0); cache Z."""
    return np.maximum(Z, 0.0), Z


def relu_backward(dA, cache):
    """Backward pass of ReLU. Inputs: dA = dJ/dA; cache Z. Returns: dZ = dJ/dZ (0 where Z <= 0)."""
    return dA * (cache > 0)


def flatten_forward(A):
    """Channels-last images to columns.

    Inputs:  A (m, n_H, n_W, n_C).
    Returns: X (n_H * n_W * n_C, m), column i the entries of example i in row-major (h, w, c) order;
             cache, the shape of A.
    """
    m = A.shape[0]
    return A.reshape(m, -1).T, A.shape


def flatten_backward(dX, cache):
    """Columns back to images: the exact inverse of flatten_forward's reordering.

    Inputs:  dX (n_H * n_W * n_C, m); cache, the shape (m, n_H, n_W, n_C) of flatten_forward's input.
    Returns: dA (m, n_H, n_W, n_C).
    """
    return dX.T.reshape(cache)


def softmax_cross_entropy(scores, Y):
    """Softmax of each column, cross-entropy averaged over the examples, and its gradient.

    Inputs:  scores (n_classes, m); Y (n_classes, m), one-hot.
    Returns: cost, a Python float, J = -(1/m) sum_i sum_k Y[k, i] log softmax(scores)[k, i];
             dscores (n_classes, m) = dJ/dscores = (softmax(scores) - Y) / m.
    """
    m = scores.shape[1]
    # Softmax does not change when a constant is subtracted from a column: with the column's maximum
    # subtracted, exp never overflows and the largest term is exp(0) = 1.
    shifted = scores - scores.max(axis=0, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    cost = float(-np.sum(Y * log_probs) / m)
    dscores = (np.exp(log_probs) - Y) / m
    return cost, dscores


def model_forward(X, parameters):
    """conv (CONV_HPARAMETERS) -> ReLU -> max-pool (POOL_HPARAMETERS) -> flatten -> dense.

    Inputs:  X (m, n_H, n_W, n_C_prev) images; parameters {"W1" (f, f, n_C_prev, n_C), "b1" (1, 1, 1, n_C),
             "W2" (n_classes, n_features), "b2" (n_classes, 1)}.
    Returns: scores (n_classes, m); caches (conv_cache, relu_cache, pool_cache, flatten_cache, dense_cache)
             with dense_cache = (F, W2, b2), F the flattened pooled features.
    """
    Z1, conv_cache = conv_forward_fast(X, parameters["W1"], parameters["b1"], CONV_HPARAMETERS)
    A1, relu_cache = relu_forward(Z1)
    P1, pool_cache = pool_forward(A1, POOL_HPARAMETERS, "max")
    F, flatten_cache = flatten_forward(P1)
    W2, b2 = parameters["W2"], parameters["b2"]
    scores = W2 @ F + b2
    return scores, (conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2))


def model_backward(dscores, caches):
    """The backward pass of model_forward.

    Inputs:  dscores (n_classes, m) = dJ/dscores; caches from model_forward.
    Returns: grads {"dW1", "db1", "dW2", "db2"}, each dJ/d(parameter), of the parameter's shape.
    """
    conv_cache, relu_cache, pool_cache, flatten_cache, (F, W2, b2) = caches
    # dscores already carries the 1/m: the dense layer only sums over the examples.
    dW2 = dscores @ F.T
    db2 = dscores.sum(axis=1, keepdims=True)
    dF = W2.T @ dscores
    dP1 = flatten_backward(dF, flatten_cache)
    dA1 = pool_backward(dP1, pool_cache, "max")
    dZ1 = relu_backward(dA1, relu_cache)
    _, dW1, db1 = conv_backward_fast(dZ1, conv_cache)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
