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


def test_an_answer_using_copy_deepcopy_is_graded_right_in_the_kernel_and_in_the_sandbox(tmp_path):
    """Published answers copy the parameters with copy.deepcopy: every notebook imports copy in its first cell."""
    import nbformat

    from grader.sandbox import trusted
    from grader.instructor.notebook import fill, read, reference_bodies, source_path
    assignment = "02_deep_nn"
    first = next(c for c in read(source_path(assignment)).cells if c.cell_type == "code")
    assert "import copy" in first.source.splitlines()
    body = ("new = copy.deepcopy(parameters)\nfor l in range(1, len(parameters) // 2 + 1):\n"
            "    new[f'W{l}'] = new[f'W{l}'] - learning_rate * grads[f'dW{l}']\n"
            "    new[f'b{l}'] = new[f'b{l}'] - learning_rate * grads[f'db{l}']\nreturn new")
    scope = {"np": np, "copy": __import__("copy")}
    exec("def update_parameters(parameters, grads, learning_rate):\n"  # noqa: S102
         + "\n".join("    " + line for line in body.splitlines()), scope)
    check_visible(assignment, "update_parameters", scope["update_parameters"])
    check_hidden(assignment, "update_parameters", scope["update_parameters"])
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(fill(read(source_path(assignment)), {**reference_bodies(assignment), "update_parameters": body}),
                   str(path))
    result = trusted.regrade(path, assignment, source=source_path(assignment))["test_update_parameters"]
    assert result.score == result.max_score, result.message


def relu_prime_at_zero_is_one(dA, cache, Z_prev, activation, mode="max"):
    if activation != "relu":
        return pool_ref.pool_activation_backward(dA, cache, Z_prev, activation, mode)
    return pool_ref.pool_backward(dA, cache, mode) * (Z_prev >= 0)


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
def test_relu_prime_at_zero_is_caught_by_the_visible_checks_too(check):
    with pytest.raises(WrongAnswer) as err:
        check("04_pool_backward", "pool_activation_backward", relu_prime_at_zero_is_one)
    assert "taking ReLU'(0) = 1" in str(err.value).splitlines()[0]


def norms_through_the_relu_network(X, Y, parameters, hidden_activation):
    AL, caches = deep_ref.L_model_forward(X, parameters)  # ReLU hidden layers whatever hidden_activation says
    grads = deep_ref.L_model_backward(AL, Y, caches)
    return [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, len(parameters) // 2 + 1)]


def relu_prime_at_zero_is_one_in_02(dA, cache):
    return dA * (cache >= 0)


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
@pytest.mark.parametrize("name,fn,cause", [
    ("gradient_norms", norms_through_the_relu_network, "ignoring hidden_activation"),
    ("relu_backward", relu_prime_at_zero_is_one_in_02, "taking relu'(0) = 1"),
], ids=["norms-ignore-activation", "relu-prime-at-zero"])
def test_what_a_student_trial_found_passing_is_caught_and_named(check, name, fn, cause):
    with pytest.raises(WrongAnswer) as err:
        check("02_deep_nn", name, fn)
    assert cause in str(err.value).splitlines()[0]


def conv_backward_overwriting_dA_prev_only(dZ, cache):
    A_prev, W, b, hparameters = cache
    s, p, f = hparameters["stride"], hparameters["pad"], W.shape[0]
    A_pad = np.pad(A_prev, ((0, 0), (p, p), (p, p), (0, 0)))
    dA_pad, dW, db = np.zeros_like(A_pad), np.zeros_like(W), np.zeros_like(b)
    for i in range(dZ.shape[0]):
        for h in range(dZ.shape[1]):
            for w in range(dZ.shape[2]):
                for c in range(dZ.shape[3]):
                    dA_pad[i, h * s:h * s + f, w * s:w * s + f, :] = W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_pad[i, h * s:h * s + f, w * s:w * s + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    return dA_pad[:, p:p + A_prev.shape[1], p:p + A_prev.shape[2], :], dW, db


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
def test_overwriting_dA_prev_alone_is_named(check):
    with pytest.raises(WrongAnswer) as err:
        check("03_conv_backward", "conv_backward", conv_backward_overwriting_dA_prev_only)
    message = str(err.value)
    assert "overwriting dA_prev instead of accumulating" in message.splitlines()[0]
    assert "dW" not in message.split("the case:")[0], "dW and db are right: only dA_prev is blamed"


def tanh_applied_twice(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - np.tanh(cache["A1"]) ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m,
            "dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}


def broadcast_instead_of_product(parameters, cache, X, Y):
    m = X.shape[1]
    dZ2 = cache["A2"] - Y
    dZ1 = parameters["W2"].T @ dZ2 * (1 - cache["A1"] ** 2)
    return {"dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m,
            "dW2": dZ2 * cache["A1"] / m, "db2": dZ2.sum(axis=1, keepdims=True) / m}


def update_adding(parameters, grads, learning_rate):
    return {k: parameters[k] + learning_rate * grads["d" + k] for k in parameters}


def update_without_rate(parameters, grads, learning_rate):
    return {k: parameters[k] - grads["d" + k] for k in parameters}


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
@pytest.mark.parametrize("name,fn,cause", [
    ("backward_propagation", tanh_applied_twice, "computing 1 - np.tanh(A1)**2"),
    ("backward_propagation", broadcast_instead_of_product, "a matrix product @ sums over them"),
    ("update_parameters", update_adding, "adding the gradient"),
    ("update_parameters", update_without_rate, "leaving out the learning rate"),
], ids=["tanh-twice", "broadcast", "plus", "no-rate"])
def test_01_mistakes_are_named(check, name, fn, cause):
    with pytest.raises(WrongAnswer) as err:
        check("01_shallow_nn", name, fn)
    assert cause in " ".join(str(err.value).split("\n  the case:")[0].split())


@pytest.mark.parametrize("check", [check_visible, check_hidden], ids=["visible", "hidden"])
def test_clipping_each_entry_gets_one_cause_not_two_contradicting_ones(check):
    def clip_gradients(grads, max_norm):
        return {k: np.clip(v, -max_norm, max_norm) for k, v in grads.items()}
    with pytest.raises(WrongAnswer) as err:
        check("05_rnn_bptt", "clip_gradients", clip_gradients)
    message = str(err.value)
    assert "clipping each entry" in message.splitlines()[0]
    assert "own norm" not in message


def test_the_parts_of_the_rnn_caches_are_named_in_words():
    from solutions import rnn_bptt as rnn_ref

    def rnn_forward(x, h0, parameters):  # from step 2 on, h_next and h_prev swapped in the cache
        h, y_pred, (cells, x_cached) = rnn_ref.rnn_forward(x, h0, parameters)
        cells = [cell if t == 0 else (cell[1], cell[0], *cell[2:]) for t, cell in enumerate(cells)]
        return h, y_pred, (cells, x_cached)
    with pytest.raises(WrongAnswer) as err:
        check_visible("05_rnn_bptt", "rnn_forward", rnn_forward)
    first = str(err.value).splitlines()[0]
    assert "caches: step 2's h_next" in first and "[0][1][0]" not in str(err.value)
