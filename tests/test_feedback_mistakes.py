"""Common wrong answers from published solutions that the checks must name in the first line of their message,
visible and hidden alike."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from solutions import deep_nn as deep_ref
from solutions import pool_backward as pool_ref


def linear_backward_of_dA(dA, cache, activation):
    linear_cache, _ = cache
    return deep_ref.linear_backward(dA, linear_cache)


def starts_from_dZ(AL, Y, caches):
    grads, dA = {}, AL - Y
    for l in range(len(caches), 0, -1):
        dA_prev, dW, db = deep_ref.linear_activation_backward(dA, caches[l - 1],
                                                              "sigmoid" if l == len(caches) else "relu")
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
        dA = dA_prev
    return grads


def keys_shifted(AL, Y, caches):
    grads = deep_ref.L_model_backward(AL, Y, caches)
    out = {k: v for k, v in grads.items() if not k.startswith("dA")}
    out.update({f"dA{l + 1}": grads[f"dA{l}"] for l in range(len(caches))})
    return out


def pools_over_channels(A_prev, hparameters, mode="max"):
    f, s = hparameters["f"], hparameters["stride"]
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    A = np.zeros((m, (n_H_prev - f) // s + 1, (n_W_prev - f) // s + 1, n_C))
    for i in range(m):
        for h in range(A.shape[1]):
            for w in range(A.shape[2]):
                window = A_prev[i, h * s:h * s + f, w * s:w * s + f, :]
                A[i, h, w, :] = np.max(window) if mode == "max" else np.mean(window)
    return A, (A_prev, hparameters)


WRONG = [
    ("02_deep_nn", "linear_activation_backward", linear_backward_of_dA, "passing dA to linear_backward"),
    ("02_deep_nn", "L_model_backward", starts_from_dZ, "starting from dAL = AL - Y"),
    ("02_deep_nn", "L_model_backward", keys_shifted, "has its keys off by one"),
    ("04_pool_backward", "pool_forward", pools_over_channels, "pooling over every channel at once"),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
@pytest.mark.parametrize("assignment,name,fn,cause", WRONG, ids=[w[2].__name__ for w in WRONG])
def test_the_first_line_names_the_cause(check, assignment, name, fn, cause):
    with pytest.raises(WrongAnswer) as err:
        check(assignment, name, fn)
    assert cause in str(err.value).splitlines()[0]


def test_the_references_pass():
    check_visible("04_pool_backward", "pool_forward", pool_ref.pool_forward)
    check_visible("02_deep_nn", "L_model_backward", deep_ref.L_model_backward)
