"""Numerical gradients by central differences, and the relative error used to judge them."""
import numpy as np


def numeric_gradient(f, x, eps=1e-6):
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


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|, tiny): about 1e-7 or less when two gradients agree."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b)) / max(float(np.max(np.abs(a) + np.abs(b))), 1e-12))
