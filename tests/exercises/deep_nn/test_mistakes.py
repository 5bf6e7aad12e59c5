"""02_deep_nn: likely wrong answers, written the way a student would write them (not from the
reference), get a message that names their cause, in the visible checks (known values) and in
the hidden tests; correct answers written differently from the reference pass both."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible

A = "02_deep_nn"


def sig(Z):
    return 1.0 / (1.0 + np.exp(-Z))


def student_forward(hidden="relu", last="sigmoid"):
    def L_model_forward(X, parameters):
        L = len(parameters) // 2
        A_prev, caches = X, []
        for l in range(1, L + 1):
            W, b = parameters["W" + str(l)], parameters["b" + str(l)]
            Z = np.dot(W, A_prev) + b
            caches.append(((A_prev, W, b), Z))
            A_prev = sig(Z) if (last if l == L else hidden) == "sigmoid" else Z * (Z > 0)
        return A_prev, caches
    return L_model_forward


def student_linear_backward(transpose_W=True, m_in_dW=True, m_in_db=True, keepdims=True, m_in_dA=False,
                            transpose_dW=False):
    def linear_backward(dZ, cache):
        A_prev, W, b = cache
        m = A_prev.shape[1]
        dW = np.dot(dZ, A_prev.T) / (m if m_in_dW else 1)
        if transpose_dW:
            dW = dW.T
        db = dZ.sum(axis=1, keepdims=keepdims) / (m if m_in_db else 1)
        dA_prev = np.dot(W.T, dZ) if transpose_W else np.dot(dZ.T, W).T
        return (dA_prev / m if m_in_dA else dA_prev), dW, db
    return linear_backward


def student_layer_backward(swap=False):
    def linear_activation_backward(dA, cache, activation):
        (A_prev, W, b), Z = cache
        if swap:
            activation = {"relu": "sigmoid", "sigmoid": "relu"}[activation]
        dZ = dA * (Z > 0) if activation == "relu" else dA * sig(Z) * (1 - sig(Z))
        return student_linear_backward()(dZ, (A_prev, W, b))
    return linear_activation_backward


def student_backward(output="sigmoid", dAL_sign=1.0, dAL_over_m=False):
    def L_model_backward(AL, Y, caches):
        L, m = len(caches), AL.shape[1]
        grads = {}
        dA = dAL_sign * (AL - Y) / (AL * (1 - AL))
        if dAL_over_m:
            dA = dA / m
        for l in reversed(range(1, L + 1)):
            activation = output if l == L else "relu"
            dA, grads["dW" + str(l)], grads["db" + str(l)] = student_layer_backward()(dA, caches[l - 1], activation)
            grads["dA" + str(l - 1)] = dA
        return grads
    return L_model_backward


def student_numerical_gradient(one_sided=False, halve=True, in_place=False):
    def numerical_gradient(cost_function, parameters, epsilon=1e-6):
        grads_approx = {}
        for key in parameters:
            grad = np.zeros_like(parameters[key])
            flat = grad.reshape(-1)
            for i in range(flat.size):
                if in_place:  # perturbs the caller's arrays and never restores them
                    theta = parameters[key].reshape(-1)
                    theta[i] += epsilon
                    up = cost_function(parameters)
                    theta[i] -= 2 * epsilon
                    down = cost_function(parameters)
                else:
                    plus = {k: v.copy() for k, v in parameters.items()}
                    plus[key].reshape(-1)[i] += epsilon
                    up = cost_function(plus)
                    if one_sided:
                        down = cost_function(parameters)
                    else:
                        minus = {k: v.copy() for k, v in parameters.items()}
                        minus[key].reshape(-1)[i] -= epsilon
                        down = cost_function(minus)
                flat[i] = (up - down) / ((2 if halve and not one_sided else 1) * epsilon)
            grads_approx["d" + key] = grad
        return grads_approx
    return numerical_gradient


def student_difference(relative=True):
    def gradient_difference(grads, grads_approx):
        keys = [k for k in grads_approx if k[:2] in ("dW", "db")]
        g = np.concatenate([grads[k].reshape(-1) for k in keys])
        g_approx = np.concatenate([grads_approx[k].reshape(-1) for k in keys])
        numerator = np.sqrt(np.sum((g - g_approx) ** 2))
        if not relative:
            return float(numerator)
        denominator = np.sqrt(np.sum(g ** 2)) + np.sqrt(np.sum(g_approx ** 2))
        return float(numerator / denominator) if denominator > 0 else 0.0
    return gradient_difference


def student_output_delta(derivative=True, times_activation=False, derivative_at_a=False, swap=False):
    def squared_loss_output_delta(AL, Y, ZL, activation):
        if swap:
            activation = {"relu": "sigmoid", "sigmoid": "relu"}[activation]
        at = AL if derivative_at_a else ZL
        slope = (at > 0).astype(float) if activation == "relu" else sig(at) * (1 - sig(at))
        if times_activation:
            slope = AL
        return (AL - Y) * slope if derivative else AL - Y
    return squared_loss_output_delta


def student_update(sign=-1.0, in_place=False):
    def update_parameters(parameters, grads, learning_rate):
        target = parameters if in_place else {}
        for k in parameters:
            if in_place:
                parameters[k] += sign * learning_rate * grads["d" + k]
            else:
                target[k] = parameters[k] + sign * learning_rate * grads["d" + k]
        return target
    return update_parameters


def student_norms(output_like_hidden=False, reverse=False):
    def gradient_norms(X, Y, parameters, hidden_activation):
        L = len(parameters) // 2
        AL, caches = student_forward(hidden=hidden_activation)(X, parameters)
        dA = -(Y / AL - (1 - Y) / (1 - AL))
        norms = []
        for l in range(L, 0, -1):
            activation = hidden_activation if (l < L or output_like_hidden) else "sigmoid"
            dA, dW, _ = student_layer_backward()(dA, caches[l - 1], activation)
            norms.append(float(np.sqrt(np.sum(dW ** 2))))
        return norms if reverse else norms[::-1]
    return gradient_norms


CORRECT = [
    ("linear_forward", lambda A_, W, b: (np.einsum("ik,kj->ij", W, A_) + b, (A_, W, b))),
    ("compute_cost", lambda AL, Y: float(-np.mean(np.where(Y == 1, np.log(AL), np.log(1 - AL))))),
    ("relu_backward", lambda dA, Z: np.where(Z > 0, dA, 0.0)),
    ("sigmoid_backward", lambda dA, Z: dA * np.exp(-Z) / (1 + np.exp(-Z)) ** 2),
    ("linear_backward", student_linear_backward()),
    ("linear_activation_backward", student_layer_backward()),
    ("L_model_forward", student_forward()),
    ("squared_loss_output_delta", student_output_delta()),
    ("squared_loss_output_delta", lambda AL, Y, ZL, activation: (AL - Y) * (
        AL * (1 - AL) if activation == "sigmoid" else np.heaviside(ZL, 0.0))),
    ("L_model_backward", student_backward()),
    ("update_parameters", student_update()),
    ("numerical_gradient", student_numerical_gradient()),
    ("gradient_difference", student_difference()),
    ("gradient_norms", student_norms()),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn", CORRECT, ids=[n for n, _ in CORRECT])
def test_a_correct_answer_written_differently_passes(check, name, fn):
    check(A, name, fn)


def mutating_relu_backward(dA, Z):
    dA[Z <= 0] = 0.0
    return dA


WRONG = [
    ("linear_forward", lambda A_, W, b: (W @ A_, (A_, W, b)), "Z is exactly what you get by leaving out the bias"),
    ("compute_cost", lambda AL, Y: float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))),
     "cost is m times too large"),
    ("compute_cost", lambda AL, Y: float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))), "wrong sign"),
    ("compute_cost", lambda AL, Y: float(-np.mean(Y * np.log(AL))), "keeping only the y log(a) term"),
    ("relu_backward", lambda dA, Z: (Z > 0).astype(float), "without multiplying by dA"),
    ("relu_backward", lambda dA, Z: dA * np.maximum(Z, 0), "multiplying dA by relu(Z)"),
    ("relu_backward", mutating_relu_backward, "modified its input dA in place"),
    ("sigmoid_backward", lambda dA, Z: dA * Z * (1 - Z), "using Z as if it were sigmoid(Z)"),
    ("sigmoid_backward", lambda dA, Z: dA * sig(Z), "instead of its derivative"),
    ("linear_backward", student_linear_backward(m_in_dW=False), "dW is m times too large"),
    ("linear_backward", student_linear_backward(m_in_db=False), "db is m times too large"),
    ("linear_backward", student_linear_backward(keepdims=False), "use keepdims=True"),
    ("linear_backward", student_linear_backward(m_in_dA=True), "dividing dA_prev by m"),
    ("linear_backward", student_linear_backward(transpose_dW=True), "its values are those of the transpose"),
    ("linear_activation_backward", student_layer_backward(swap=True), "using the other activation's derivative"),
    ("L_model_forward", student_forward(hidden="sigmoid"), "using the sigmoid in every layer"),
    ("L_model_forward", student_forward(last="relu"), "using ReLU in the output layer too"),
    ("squared_loss_output_delta", student_output_delta(derivative=False), "the factor g'(z^[L])"),
    ("squared_loss_output_delta", student_output_delta(times_activation=True), "instead of its derivative"),
    ("squared_loss_output_delta", student_output_delta(derivative_at_a=True), "at a^[L] instead of z^[L]"),
    ("squared_loss_output_delta", student_output_delta(swap=True), "the other activation's derivative"),
    ("squared_loss_output_delta", lambda AL, Y, ZL, activation: student_output_delta()(AL, Y, ZL, activation)
     / AL.shape[1], "m times too small"),
    ("squared_loss_output_delta", lambda AL, Y, ZL, activation: student_output_delta()(Y, AL, ZL, activation),
     "wrong sign"),
    ("L_model_backward", student_backward(output="relu"), "using relu_backward for the output layer"),
    ("L_model_backward", student_backward(dAL_sign=-1.0), "wrong sign"),
    ("L_model_backward", student_backward(dAL_over_m=True), "m times too small"),
    ("update_parameters", student_update(sign=1.0), "adding the gradient"),
    ("update_parameters", student_update(in_place=True), "modified its input parameters"),
    ("numerical_gradient", student_numerical_gradient(one_sided=True), "using one-sided differences"),
    ("numerical_gradient", student_numerical_gradient(halve=False), "2 times the expected value"),
    ("numerical_gradient", student_numerical_gradient(in_place=True), "modified its input parameters"),
    ("gradient_difference", student_difference(relative=False), "without dividing by ||grads|| + ||grads_approx||"),
    ("gradient_norms", student_norms(output_like_hidden=True), "differentiating the output layer with the hidden"),
    ("gradient_norms", student_norms(reverse=True), "listing the layers from L down to 1"),
]


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("name, fn, words", WRONG, ids=[f"{w[0]}-{w[2][-30:]}" for w in WRONG])
def test_each_mistake_is_named(check, name, fn, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, name, fn)
    assert words in str(err.value), str(err.value)
