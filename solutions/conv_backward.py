"""Reference for 03_conv_backward: a convolution layer, forward and backward, with stride and padding.

Channels-last layout: A_prev (m, n_H_prev, n_W_prev, n_C_prev), W (f, f, n_C_prev, n_C),
b (1, 1, 1, n_C), Z (m, n_H, n_W, n_C), hparameters {"stride": s, "pad": p}, and
n_H = floor((n_H_prev + 2 p - f) / s) + 1 (likewise n_W).

As in deep-learning libraries, the "convolution" is a cross-correlation (the filter is not flipped):
    Z[i, h, w, c] = sum_{u, v, k} A_pad[i, h s + u, w s + v, k] W[u, v, k, c] + b[c].
Every function except fixed_conv_backward (the debug exercise: a loop over the output entries) is
loop-free over examples and positions (numpy only); the bodies are spliced into the instructors'
solved notebook, which defines zero_pad in its own answer cell.

Gradient convention: dZ is dJ/dZ of the averaged cost J, and every returned gradient is dJ/d(.) too;
no function here divides by m.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def zero_pad(X, pad):
    """Pad the height and width axes of X with `pad` zeros on every side.

    Inputs:  X (m, n_H, n_W, n_C); pad, an int >= 0.
    Returns: X_pad (m, n_H + 2 pad, n_W + 2 pad, n_C), a new array.
    """
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0.0)


def conv_single_step(a_slice_prev, W, b):
    """One filter applied to one window: sum of a_slice_prev * W, plus the bias.

    Inputs:  a_slice_prev (f, f, n_C_prev); W (f, f, n_C_prev); b (1, 1, 1).
    Returns: Z, a Python float.
    """
    return float(np.sum(a_slice_prev * W) + b.item())


def conv_forward(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer.

    Inputs:  A_prev (m, n_H_prev, n_W_prev, n_C_prev); W (f, f, n_C_prev, n_C); b (1, 1, 1, n_C);
             hparameters {"stride", "pad"}.
    Returns: Z (m, n_H, n_W, n_C); cache (A_prev, W, b, hparameters).
    """
    stride, pad = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    A_prev_pad = zero_pad(A_prev, pad)
    # windows[i, h, w, k, u, v] = A_prev_pad[i, h * stride + u, w * stride + v, k]: a view, no copy.
    # Taking every stride-th window gives exactly n_H = (n_H_prev + 2 pad - f) // stride + 1 rows.
    windows = sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    # Sum over the window (u, v) and the input channels k, for every output channel c.
    Z = np.tensordot(windows, W, axes=([4, 5, 3], [0, 1, 2])) + b
    return Z, (A_prev, W, b, hparameters)  # the cache keeps the unpadded input


def single_step_backward(dz, a_slice_prev, W):
    """What one output entry sends back: the gradients of dz * conv_single_step(a_slice_prev, W, b).

    Inputs:  dz, a float (dJ/dZ of that entry); a_slice_prev (f, f, n_C_prev), its window;
             W (f, f, n_C_prev), its filter.
    Returns: (da_slice_prev, dW, db): dz * W and dz * a_slice_prev, both (f, f, n_C_prev), and db, a float.
    """
    # Z = sum(a_slice_prev * W) + b is linear in each entry, with coefficient the matching entry of the other.
    return dz * W, dz * a_slice_prev, float(dz)


def conv_backward(dZ, cache):
    """Backward pass of a convolution layer.

    Inputs:  dZ (m, n_H, n_W, n_C), the gradient of the cost with respect to Z;
             cache (A_prev, W, b, hparameters) from conv_forward.
    Returns: dA_prev (m, n_H_prev, n_W_prev, n_C_prev), dW (f, f, n_C_prev, n_C), db (1, 1, 1, n_C).
    """
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros_like(A_prev_pad)

    # Filter entry (u, v) meets, for output position (h, w), the input pixel (h stride + u, w stride + v).
    # For a fixed offset (u, v) those pixels form a strided grid of n_H x n_W pixels: one matrix
    # product over all examples and positions handles the whole grid at once.
    for u in range(f):
        for v in range(f):
            rows = slice(u, u + stride * (n_H - 1) + 1, stride)
            cols = slice(v, v + stride * (n_W - 1) + 1, stride)
            # Each dZ[i, h, w, c] sends W[u, v, :, c] * dZ[i, h, w, c] back to its input pixel.
            dA_prev_pad[:, rows, cols, :] += np.tensordot(dZ, W[u, v], axes=([3], [1]))

    # dW[u, v, k, c] = sum over i, h, w of A_prev_pad[i, h stride + u, w stride + v, k] dZ[i, h, w, c]:
    # the cross-correlation of the padded input with dZ, written with the forward pass's windows.
    windows = sliding_window_view(A_prev_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    dW = np.tensordot(windows, dZ, axes=([0, 1, 2], [0, 1, 2])).transpose(1, 2, 0, 3)
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)

    # Crop the padding with explicit end indices: dA_prev_pad[:, pad:-pad] would be empty for pad = 0.
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db


def fixed_conv_backward(dZ, cache):
    """conv_backward written with loops over every output entry, as the debug exercise's fixed version.

    Same inputs and outputs as conv_backward.
    """
    A_prev, W, b, hparameters = cache
    s, p = hparameters["stride"], hparameters["pad"]
    f = W.shape[0]
    rows_prev, cols_prev = A_prev.shape[1], A_prev.shape[2]
    padded = zero_pad(A_prev, p)
    d_padded = np.zeros(padded.shape)
    grad_W, grad_b = np.zeros(W.shape), np.zeros(b.shape)
    for i, h, w, c in np.ndindex(*dZ.shape):
        # Output (h, w) read the window whose top-left corner is (h s, w s) of the padded input.
        window = (i, slice(h * s, h * s + f), slice(w * s, w * s + f))
        d_padded[window] += dZ[i, h, w, c] * W[..., c]
        grad_W[..., c] += dZ[i, h, w, c] * padded[window]
        grad_b[..., c] += dZ[i, h, w, c]
    # Explicit ends: d_padded[:, p:-p] would be empty for p = 0.
    return d_padded[:, p:p + rows_prev, p:p + cols_prev], grad_W, grad_b


def conv_backward_vectorized(dZ, cache):
    """The backward pass written as convolutions (the textbook form), for the optional part.

    dA_prev is the full convolution of the dilated dZ with the filters rotated by 180 degrees:
    dilate dZ by stride - 1 zeros between entries, pad it with f - 1 zeros, and cross-correlate
    with rot180(W) (input and output channels swapped). dW is the cross-correlation of the padded
    input with the dilated dZ. Same inputs and outputs as conv_backward.
    """
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, n_C = dZ.shape
    A_prev_pad = zero_pad(A_prev, pad)
    n_H_pad, n_W_pad = A_prev_pad.shape[1:3]

    # Dilate: put dZ[i, h, w] at (h stride, w stride) of a grid that has one row per window start.
    dZ_dilated = np.zeros((m, n_H_pad - f + 1, n_W_pad - f + 1, n_C))
    dZ_dilated[:, ::stride, ::stride, :] = dZ

    # dA_prev_pad: full convolution of dZ_dilated with rot180(W).
    dZ_full = zero_pad(dZ_dilated, f - 1)
    windows = sliding_window_view(dZ_full, (f, f), axis=(1, 2))  # (m, n_H_pad, n_W_pad, n_C, f, f)
    W_rot = W[::-1, ::-1]
    dA_prev_pad = np.einsum("ihwcuv,uvkc->ihwk", windows, W_rot, optimize=True)

    # dW: cross-correlation of A_prev_pad with dZ_dilated (used as an f x f grid of kernels).
    n_Hd, n_Wd = dZ_dilated.shape[1:3]
    patches = sliding_window_view(A_prev_pad, (n_Hd, n_Wd), axis=(1, 2))  # (m, f, f, n_C_prev, n_Hd, n_Wd)
    dW = np.einsum("iuvkhw,ihwc->uvkc", patches, dZ_dilated, optimize=True)
    db = np.sum(dZ, axis=(0, 1, 2)).reshape(1, 1, 1, n_C)

    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db
