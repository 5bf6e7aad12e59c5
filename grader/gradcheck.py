"""Numerical gradients by central differences, and the one error measure the course judges them by.

Every notebook checks a gradient g against its numerical estimate g_num with

    relative_error(g, g_num) = ||g - g_num||_2 / (||g||_2 + ||g_num||_2)

at step EPS. A central difference is off by O(EPS^2) (about 1e-12 here) plus rounding of about
1e-16 * |J| / EPS (about 1e-10): a correct gradient gives well under AGREE. A wrong formula (a
missing factor, a transposition, a wrong sign) gives 1e-2 to 1; above BUG something is wrong. In
between, look closer: a kink of ReLU or max within EPS of an entry, or entries whose gradient is tiny.
"""
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

EPS = 1e-6
AGREE = 1e-7
BUG = 1e-3


def numeric_gradient(f: Callable[[], float], x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """d f / d x for a scalar function f() of the array x, which is perturbed in place and restored.

    f:   callable with no arguments returning a float; it must read x (not a copy of it).
    x:   float64 array of any shape.
    Returns an array of x's shape: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for each entry i.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + eps
        plus = f()
        x[idx] = saved - eps
        minus = f()
        x[idx] = saved
        grad[idx] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a: ArrayLike, b: ArrayLike) -> float:
    """||a - b||_2 / (||a||_2 + ||b||_2), 0 when both are zero: below AGREE when two gradients agree."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denominator = float(np.linalg.norm(a) + np.linalg.norm(b))
    return float(np.linalg.norm(a - b) / denominator) if denominator > 0 else 0.0
