"""Test inputs for 02_deep_nn (L-1 ReLU layers, a sigmoid output, cross-entropy).

The networks cover a single layer (L = 1: logistic regression, no ReLU layer), m = 1, a single
hidden unit, a single input feature and deeper networks (L = 4). Known mistakes are built from
the reference module only.
"""
import numpy as np

from grader.exercise import Case, Exercise, Mistake

# (layer sizes [n_x, n_1, ..., n_L = 1], m, weight scale, label)
NETWORKS = [
    ([3, 4, 1], 5, 0.8, "layers [3, 4, 1], 5 examples"),
    ([2, 1], 4, 1.0, "a single layer (L = 1, logistic regression)"),
    ([4, 5, 3, 1], 1, 0.8, "layers [4, 5, 3, 1], one example (m = 1)"),
    ([1, 3, 1], 6, 1.0, "a single input feature"),
    ([5, 1, 4, 1], 3, 1.0, "a single hidden unit in the first layer"),
    ([3, 6, 5, 4, 1], 7, 0.6, "four layers, 7 examples"),
]


def network(rng, sizes, m, scale):
    X = rng.standard_normal((sizes[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    parameters = {}
    for l in range(1, len(sizes)):
        parameters[f"W{l}"] = scale * rng.standard_normal((sizes[l], sizes[l - 1]))
        parameters[f"b{l}"] = 0.3 * rng.standard_normal((sizes[l], 1))
    return X, Y, parameters


def layers(rng):
    """One layer per network: (A_prev, W, b, m, label)."""
    for sizes, m, scale, label in NETWORKS:
        n_prev, n = sizes[0], sizes[1]
        A_prev = rng.standard_normal((n_prev, m))
        W = scale * rng.standard_normal((n, n_prev))
        b = 0.3 * rng.standard_normal((n, 1))
        yield A_prev, W, b, m, f"n_prev = {n_prev}, n = {n}, m = {m}"


def linear_forward_cases(ref, rng):
    for A_prev, W, b, m, label in layers(rng):
        yield Case(label, (A_prev, W, b), m)


def activation_forward_cases(ref, rng):
    for (A_prev, W, b, m, label), activation in zip(layers(rng), ["relu", "sigmoid"] * 3):
        yield Case(f"{label}, {activation}", (A_prev, W, b, activation), m)


def forward_cases(ref, rng):
    for sizes, m, scale, label in NETWORKS:
        X, _, parameters = network(rng, sizes, m, scale)
        yield Case(label, (X, parameters), m)


def cost_cases(ref, rng):
    for sizes, m, scale, label in NETWORKS:
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, _ = ref.L_model_forward(X, parameters)
        yield Case(label, (AL, Y), m)


def activation_derivative_cases(ref, rng):
    for sizes, m, scale, label in NETWORKS:
        n = sizes[1]
        Z = 2.0 * rng.standard_normal((n, m))
        Z[0, 0] = 0.0  # a kink exactly at 0: relu'(0) = 0 in this course, as in PyTorch
        dA = rng.standard_normal((n, m))
        yield Case(f"n = {n}, m = {m}, one Z exactly 0", (dA, Z), m)


def linear_backward_cases(ref, rng):
    for A_prev, W, b, m, label in layers(rng):
        _, cache = ref.linear_forward(A_prev, W, b)
        dZ = rng.standard_normal((W.shape[0], m))
        yield Case(label, (dZ, cache), m)


def activation_backward_cases(ref, rng):
    for (A_prev, W, b, m, label), activation in zip(layers(rng), ["relu", "sigmoid"] * 3):
        _, cache = ref.linear_activation_forward(A_prev, W, b, activation)
        dA = rng.standard_normal((W.shape[0], m))
        yield Case(f"{label}, {activation}", (dA, cache, activation), m)


def squared_delta_cases(ref, rng):
    """Output layers of a regression network: targets Y are real numbers, AL = g(ZL) from the forward pass."""
    plans = [(1, 5, "sigmoid"), (3, 4, "relu"), (1, 1, "sigmoid"), (2, 6, "relu"), (4, 3, "sigmoid"), (1, 7, "relu")]
    for n, m, activation in plans:
        ZL = 1.5 * rng.standard_normal((n, m))
        AL = ref.relu(ZL) if activation == "relu" else ref.sigmoid(ZL)
        Y = rng.uniform(-0.5, 1.5, (n, m))
        yield Case(f"{n} output unit{'s' if n > 1 else ''}, m = {m}, {activation} output", (AL, Y, ZL, activation), m)


def backward_cases(ref, rng):
    for sizes, m, scale, label in NETWORKS:
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        yield Case(label, (AL, Y, caches), m)


def update_cases(ref, rng):
    for (sizes, m, scale, label), lr in zip(NETWORKS, [0.01, 1.2, 0.5, 0.1, 2.0, 0.075]):
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        grads = ref.L_model_backward(AL, Y, caches)
        yield Case(f"{label}, learning rate {lr}", (parameters, grads, lr))


def smooth_cost(parameters):
    """A smooth scalar function of every entry of every parameter, with cross terms: a stand-in for
    a network's cost when testing a numerical gradient (public; it reveals no graded answer)."""
    total = 0.0
    for i, key in enumerate(sorted(parameters)):
        p = parameters[key]
        total += np.sum(np.sin(p + 0.1 * (i + 1))) + 0.05 * (i + 1) * np.sum(p ** 2)
    coupling = sum(np.sum(np.tanh(p)) for p in parameters.values())
    return float(total + 0.1 * coupling ** 2)


def numerical_gradient_cases(ref, rng):
    plans = [([2, 3, 1], 1e-6, "layers [2, 3, 1], epsilon = 1e-6"),
             ([3, 2, 2, 1], 1e-2, "layers [3, 2, 2, 1], a coarse epsilon = 0.01"),
             ([2, 1], 1e-6, "a single layer, epsilon = 1e-6"),
             ([1, 1, 1], 1e-5, "one unit per layer, epsilon = 1e-5")]
    for sizes, epsilon, label in plans:
        _, _, parameters = network(rng, sizes, 1, 1.0)
        yield Case(label, (smooth_cost, parameters, epsilon))


def difference_cases(ref, rng):
    plans = [(0, 1e-9, "nearly equal gradients (a correct backward pass)"),
             (3, 1e-4, "a small error in every entry"),
             (5, 0.3, "a large error in every entry"),
             (1, None, "one entry wrong"),
             (2, 0.0, "identical gradients")]
    for index, noise, label in plans:
        sizes, m, scale, _ = NETWORKS[index]
        X, Y, parameters = network(rng, sizes, m, scale)
        AL, caches = ref.L_model_forward(X, parameters)
        grads = ref.L_model_backward(AL, Y, caches)
        approx = {k: v.copy() for k, v in grads.items() if k.startswith(("dW", "db"))}
        if noise is None:
            approx["dW1"][0, 0] += 1.0
        else:
            for k in approx:
                approx[k] = approx[k] + noise * rng.standard_normal(approx[k].shape) * np.abs(approx[k])
        yield Case(label, (grads, approx))


def gradient_norms_cases(ref, rng):
    # The two visible cases have hidden layers, one of each activation: on the single layer (L = 1) the hidden
    # activation changes nothing, so a known value there would not try the sigmoid branch.
    networks = NETWORKS + [([3, 8, 8, 8, 8, 8, 1], 10, 1.5, "six layers")]
    order = [0, 2, 1, 3, 4, 5, 6]
    for (sizes, m, scale, label), activation in zip([networks[i] for i in order],
                                                    ["relu", "sigmoid", "sigmoid", "relu", "sigmoid", "relu", "sigmoid"]):
        X, Y, parameters = network(rng, sizes, m, scale)
        yield Case(f"{label}, {activation} hidden layers", (X, Y, parameters, activation), m)


# ----------------------------------------------------------------------------- known mistakes
def _forward_with(ref, X, parameters, hidden, output):
    A, caches = X, []
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = ref.linear_activation_forward(A, parameters[f"W{l}"], parameters[f"b{l}"],
                                                 hidden if l < L else output)
        caches.append(cache)
    return A, caches


def _forward_sigmoid_everywhere(ref, X, parameters):
    return _forward_with(ref, X, parameters, "sigmoid", "sigmoid")


def _forward_relu_last(ref, X, parameters):
    return _forward_with(ref, X, parameters, "relu", "relu")


def _forward_one_layer_short(ref, X, parameters):
    L = len(parameters) // 2
    if L < 2:
        raise ValueError("needs two layers")
    shorter = {k: v for k, v in parameters.items() if not k.endswith(str(L))}
    return ref.L_model_forward(X, shorter)


def _linear_forward_no_bias(ref, A, W, b):
    return W @ A, (A, W, b)


def _cost_positive_term_only(ref, AL, Y):
    return float(-np.sum(Y * np.log(AL)) / Y.shape[1])


def _relu_backward_no_da(ref, dA, Z):
    return (Z > 0).astype(float)


def _sigmoid_backward_sigmoid_not_derivative(ref, dA, Z):
    return dA * ref.sigmoid(Z)


def _sigmoid_backward_at_z(ref, dA, Z):
    return dA * Z * (1 - Z)


def _sigmoid_backward_no_da(ref, dA, Z):
    s = ref.sigmoid(Z)
    return s * (1 - s)


def _relu_backward_times_relu(ref, dA, Z):
    return dA * ref.relu(Z)


def _linear_backward_w_not_transposed(ref, dZ, cache):
    A_prev, W, b = cache
    if W.shape[0] != W.shape[1]:
        raise ValueError("shapes differ: the shape check names this one")
    dA_prev, dW, db = ref.linear_backward(dZ, cache)
    return W @ dZ, dW, db


def _linear_backward_dA_over_m(ref, dZ, cache):
    dA_prev, dW, db = ref.linear_backward(dZ, cache)
    return dA_prev / cache[0].shape[1], dW, db


def _activation_backward_swapped(ref, dA, cache, activation):
    other = "sigmoid" if activation == "relu" else "relu"
    return ref.linear_activation_backward(dA, cache, other)


def _delta_without_derivative(ref, AL, Y, ZL, activation):
    return AL - Y


def _delta_times_activation(ref, AL, Y, ZL, activation):
    return (AL - Y) * AL


def _delta_derivative_at_a(ref, AL, Y, ZL, activation):
    if activation != "sigmoid":
        raise ValueError("relu'(a) = relu'(z): the same values")
    return ref.sigmoid_backward(AL - Y, AL)


def _delta_other_activation(ref, AL, Y, ZL, activation):
    other = "sigmoid" if activation == "relu" else "relu"
    return ref.squared_loss_output_delta(AL, Y, ZL, other)


def _backward_relu_at_output(ref, AL, Y, caches):
    L = len(caches)
    grads = {}
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(L, 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = ref.linear_activation_backward(dA, caches[l - 1], "relu")
        grads[f"dA{l - 1}"] = dA
    return grads


def _update_plus(ref, parameters, grads, learning_rate):
    return ref.update_parameters(parameters, {k: -v for k, v in grads.items()}, learning_rate)


def _norms_relu_output(ref, X, Y, parameters, hidden_activation):
    A, caches = _forward_with(ref, X, parameters, hidden_activation, "sigmoid")
    dA = -(Y / A - (1 - Y) / (1 - A))
    norms = [0.0] * len(caches)
    for l in range(len(caches), 0, -1):
        dA, dW, _ = ref.linear_activation_backward(dA, caches[l - 1], hidden_activation)
        norms[l - 1] = float(np.linalg.norm(dW))
    return norms


def _activation_backward_dA_for_dZ(ref, dA, cache, activation):
    linear_cache, _ = cache
    return ref.linear_backward(dA, linear_cache)


def _backward_dZ_for_dA(ref, AL, Y, caches):
    """L_model_backward started from dAL = AL - Y: the reference's, with labels Y' whose dA^[L] is AL - Y."""
    return ref.L_model_backward(AL, AL - (AL - Y) * AL * (1 - AL), caches)


def _activation_forward_swapped(ref, A_prev, W, b, activation):
    return ref.linear_activation_forward(A_prev, W, b, "sigmoid" if activation == "relu" else "relu")


def _activation_forward_relu_always(ref, A_prev, W, b, activation):
    if activation == "relu":
        raise ValueError("the right answer on this case")
    return ref.linear_activation_forward(A_prev, W, b, "relu")


def _activation_forward_caching_A(ref, A_prev, W, b, activation):
    A, (linear_cache, _) = ref.linear_activation_forward(A_prev, W, b, activation)
    return A, (linear_cache, A)


def _backward_sigmoid_hidden(ref, AL, Y, caches):
    grads, dA = {}, -(Y / AL - (1 - Y) / (1 - AL))
    for l in range(len(caches), 0, -1):
        dA, grads[f"dW{l}"], grads[f"db{l}"] = ref.linear_activation_backward(dA, caches[l - 1], "sigmoid")
        grads[f"dA{l - 1}"] = dA
    return grads


def _update_one_layer_short(ref, parameters, grads, learning_rate):
    L = len(parameters) // 2
    if L < 2:
        raise ValueError("needs two layers")
    new = ref.update_parameters(parameters, grads, learning_rate)
    return {**new, f"W{L}": parameters[f"W{L}"].copy(), f"b{L}": parameters[f"b{L}"].copy()}


def _difference_norm_of_sum(ref, grads, grads_approx):
    keys = sorted(k for k in grads_approx if k.startswith(("dW", "db")))
    g = np.concatenate([np.ravel(grads[k]) for k in keys])
    g_approx = np.concatenate([np.ravel(grads_approx[k]) for k in keys])
    return float(np.linalg.norm(g - g_approx) / np.linalg.norm(g + g_approx))


def _norms_relu_backward(ref, X, Y, parameters, hidden_activation):
    A, caches = _forward_with(ref, X, parameters, hidden_activation, "sigmoid")
    grads = ref.L_model_backward(A, Y, caches)
    return [float(np.linalg.norm(grads[f"dW{l}"])) for l in range(1, len(caches) + 1)]


def _norms_reversed(ref, X, Y, parameters, hidden_activation):
    return ref.gradient_norms(X, Y, parameters, hidden_activation)[::-1]


def _one_sided(ref, cost_function, parameters, epsilon=1e-6):
    out = {}
    base = cost_function(parameters)
    for key, value in parameters.items():
        grad = np.zeros(value.shape)
        for index in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in parameters.items()}
            plus[key][index] += epsilon
            grad[index] = (cost_function(plus) - base) / epsilon
        out["d" + key] = grad
    return out


def _difference_without_denominator(ref, grads, grads_approx):
    keys = sorted(k for k in grads_approx if k.startswith(("dW", "db")))
    return float(np.linalg.norm(np.concatenate([np.ravel(grads[k] - grads_approx[k]) for k in keys])))


EXERCISES = {
    "linear_forward": Exercise("linear_forward", ("A", "W", "b"), ("Z", "cache"), linear_forward_cases, mistakes=(
        Mistake("no_bias", "leaving out the bias: Z = W A + b, with b (n, 1) added to every column",
                _linear_forward_no_bias),)),
    "linear_activation_forward": Exercise("linear_activation_forward", ("A_prev", "W", "b", "activation"),
                                          ("A", "cache"), activation_forward_cases, mistakes=(
        # Before "swapped": on a sigmoid case the two give the same output, and ReLU everywhere is the commoner.
        Mistake("relu_always", "using ReLU whatever `activation` says: \"sigmoid\" needs A = sigmoid(Z)",
                _activation_forward_relu_always),
        Mistake("swapped", "swapping the activations: \"relu\" gives A = max(0, Z), \"sigmoid\" A = 1 / (1 + exp(-Z))",
                _activation_forward_swapped),
        Mistake("caching_A", "caching A where Z belongs: the cache is (linear_cache, Z), since the backward step "
                "needs g'(Z)", _activation_forward_caching_A))),
    "L_model_forward": Exercise("L_model_forward", ("X", "parameters"), ("AL", "caches"), forward_cases, mistakes=(
        Mistake("sigmoid_everywhere", "using the sigmoid in every layer: the hidden layers use ReLU, only the "
                "output layer L uses the sigmoid", _forward_sigmoid_everywhere),
        Mistake("relu_last", "using ReLU in the output layer too: layer L uses the sigmoid, so that AL is a "
                "probability", _forward_relu_last),
        Mistake("one_layer_short", "stopping one layer early: there are L = len(parameters) // 2 layers, the loop "
                "over the ReLU layers runs l = 1 .. L-1 and layer L comes after it", _forward_one_layer_short))),
    "compute_cost": Exercise("compute_cost", ("AL", "Y"), "cost", cost_cases, mistakes=(
        Mistake("positive_term_only", "keeping only the y log(a) term: the examples with y = 0 contribute "
                "(1 - y) log(1 - a)", _cost_positive_term_only),)),
    "relu_backward": Exercise("relu_backward", ("dA", "cache"), "dZ", activation_derivative_cases, mistakes=(
        Mistake("times_relu", "multiplying dA by relu(Z): the derivative of ReLU is 1 where Z > 0 and 0 elsewhere, "
                "so dZ = dA where Z > 0, else 0", _relu_backward_times_relu),
        Mistake("no_dA", "returning relu'(Z) without multiplying by dA (the chain rule: dZ = dA * g'(Z))",
                _relu_backward_no_da),
        Mistake("prime_at_zero", "taking relu'(0) = 1 (Z >= 0): relu'(z) is 1 only for z > 0, so write Z > 0, as "
                "PyTorch does", lambda ref, dA, Z: dA * (Z >= 0)))),
    "sigmoid_backward": Exercise("sigmoid_backward", ("dA", "cache"), "dZ", activation_derivative_cases, mistakes=(
        Mistake("at_z", "using Z as if it were sigmoid(Z): the cache holds Z, so compute s = sigmoid(Z) first, "
                "then dZ = dA * s * (1 - s)", _sigmoid_backward_at_z),
        Mistake("no_dA", "returning g'(Z) without multiplying by dA (the chain rule: dZ = dA * g'(Z))",
                _sigmoid_backward_no_da),
        Mistake("sigmoid_not_derivative", "multiplying dA by sigmoid(Z) instead of its derivative "
                "sigmoid(Z) * (1 - sigmoid(Z))", _sigmoid_backward_sigmoid_not_derivative))),
    "linear_backward": Exercise("linear_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), linear_backward_cases,
                                mistakes=(
        Mistake("w_not_transposed", "multiplying by W instead of its transpose: A_prev reaches Z through W A_prev, "
                "so dA_prev = W.T @ dZ", _linear_backward_w_not_transposed),
        Mistake("dA_over_m", "dividing dA_prev by m: the 1/m of the cost belongs to dW and db (sums over the "
                "examples), while dA_prev keeps one column per example", _linear_backward_dA_over_m))),
    "linear_activation_backward": Exercise("linear_activation_backward", ("dA", "cache", "activation"),
                                           ("dA_prev", "dW", "db"), activation_backward_cases, mistakes=(
        Mistake("swapped", "using the other activation's derivative: 'relu' needs relu_backward, 'sigmoid' "
                "sigmoid_backward", _activation_backward_swapped),
        Mistake("dA_for_dZ", "passing dA to linear_backward: it takes dZ = dA * g'(Z), computed first with "
                "relu_backward or sigmoid_backward", _activation_backward_dA_for_dZ))),
    "squared_loss_output_delta": Exercise("squared_loss_output_delta", ("AL", "Y", "ZL", "activation"), "dZL",
                                          squared_delta_cases, mistakes=(
        Mistake("no_derivative", "writing delta^[L] = dL/da^[L] = a - y: delta is the gradient with respect to "
                "z^[L], so the chain rule adds the factor g'(z^[L])",
                _delta_without_derivative),
        Mistake("times_activation", "multiplying by g(z^[L]) = a^[L] instead of its derivative g'(z^[L])",
                _delta_times_activation),
        Mistake("derivative_at_a", "evaluating the derivative at a^[L] instead of z^[L]: sigmoid'(z) = s (1 - s) "
                "with s = sigmoid(ZL) = AL, so pass ZL (not AL) as the cache of sigmoid_backward",
                _delta_derivative_at_a),
        Mistake("other_activation", "using the other activation's derivative: 'relu' needs relu'(ZL), 'sigmoid' "
                "needs sigmoid'(ZL)", _delta_other_activation))),
    "L_model_backward": Exercise("L_model_backward", ("AL", "Y", "caches"), "grads", backward_cases, mistakes=(
        Mistake("relu_at_output", "using relu_backward for the output layer: layer L is a sigmoid layer",
                _backward_relu_at_output),
        Mistake("sigmoid_hidden", "using sigmoid_backward for the hidden layers too: layers 1 .. L-1 are ReLU layers, "
                "only layer L is a sigmoid layer", _backward_sigmoid_hidden),
        Mistake("dZ_for_dA", "starting from dAL = AL - Y: that is dZ^[L] (sigmoid' already included), while "
                "linear_activation_backward(..., 'sigmoid') expects dA^[L] = -(Y / AL - (1 - Y) / (1 - AL))",
                _backward_dZ_for_dA))),
    "update_parameters": Exercise("update_parameters", ("parameters", "grads", "learning_rate"), "parameters",
                                  update_cases, mistakes=(
        Mistake("plus", "adding the gradient: gradient descent steps against it, W - learning_rate * dW",
                _update_plus),
        Mistake("one_layer_short", "stopping one layer early: range(1, L) leaves out layer L; there are "
                "L = len(parameters) // 2 layers, l = 1 .. L, so loop over range(1, L + 1)", _update_one_layer_short))),
    "gradient_norms": Exercise("gradient_norms", ("X", "Y", "parameters", "hidden_activation"), "norms",
                               gradient_norms_cases, mistakes=(
        Mistake("hidden_derivative_at_output", "differentiating the output layer with the hidden activation: layer L "
                "is a sigmoid layer whatever the hidden layers use", _norms_relu_output),
        Mistake("ignores_hidden_activation", "ignoring hidden_activation (L_model_forward and L_model_backward use "
                "ReLU hidden layers): build the layers with linear_activation_forward and the hidden activation",
                lambda ref, X, Y, parameters, hidden_activation: ref.gradient_norms(X, Y, parameters, "relu")),
        Mistake("relu_backward_for_sigmoid", "backpropagating with L_model_backward, whose hidden layers are ReLU "
                "layers: with sigmoid hidden layers go back layer by layer with linear_activation_backward and the "
                "hidden activation", _norms_relu_backward),
        Mistake("reversed", "listing the layers from L down to 1: norms[l-1] belongs to layer l, so norms[0] is the "
                "first layer's", _norms_reversed))),
    "numerical_gradient": Exercise("numerical_gradient", ("cost_function", "parameters", "epsilon"), "grads_approx",
                                   numerical_gradient_cases, mistakes=(
        Mistake("one_sided", "using one-sided differences (J(theta + eps) - J(theta)) / eps: their error is of "
                "order eps, the central difference (J(theta + eps) - J(theta - eps)) / (2 eps) has error of order "
                "eps**2", _one_sided),)),
    # The third known value (a large error) tells the denominators apart: on nearly equal gradients
    # ||g + g_approx|| and ||g|| + ||g_approx|| agree to many digits.
    "gradient_difference": Exercise("gradient_difference", ("grads", "grads_approx"), "difference",
                                    difference_cases, n_known=3, mistakes=(
        Mistake("norm_of_sum", "dividing by the norm of the sum ||grads + grads_approx||: the denominator is the sum "
                "of the two norms, ||grads|| + ||grads_approx||", _difference_norm_of_sum),
        Mistake("no_denominator", "returning the norm of the difference without dividing by "
                "||grads|| + ||grads_approx||: the relative difference does not depend on the gradients' scale",
                _difference_without_denominator),)),
}
