"""02_deep_nn: wrong answers of every graded function (from tests/exercises/deep_nn/test_mistakes.py,
tests/student/test_feedback_mistakes.py, tests/student/test_check.py, tests/bugs/deep_nn.py, issue 18, and new ones)."""
from textwrap import dedent

from tests.feedback_corpus import WrongAnswer

A = "02_deep_nn"


def w(function, label, cause, source):
    return WrongAnswer(A, function, label, dedent(source).strip() + "\n", cause)


def linear_backward(label, cause, dW="np.dot(dZ, A_prev.T) / m", db="np.sum(dZ, axis=1, keepdims=True) / m",
                    dA="np.dot(W.T, dZ)"):
    return w("linear_backward", label, cause, f"""
        def linear_backward(dZ, cache):
            A_prev, W, b = cache
            m = A_prev.shape[1]
            dW = {dW}
            db = {db}
            dA_prev = {dA}
            return dA_prev, dW, db
    """)


def delta(label, cause, body):
    return w("squared_loss_output_delta", label, cause, """
        def squared_loss_output_delta(AL, Y, ZL, activation):
    """ + body)


def backward(label, cause, dAL="-(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))", last='"sigmoid"', hidden='"relu"',
             cache="caches[l - 1]", keys=('"dA" + str(l - 1)', '"dW" + str(l)', '"db" + str(l)')):
    return w("L_model_backward", label, cause, f"""
        def L_model_backward(AL, Y, caches):
            grads = {{}}
            L = len(caches)
            dA = {dAL}
            for l in reversed(range(1, L + 1)):
                activation = {last} if l == L else {hidden}
                dA_prev, dW, db = linear_activation_backward(dA, {cache}, activation)
                grads[{keys[0]}] = dA_prev
                grads[{keys[1]}] = dW
                grads[{keys[2]}] = db
                dA = dA_prev
            return grads
    """)


def numerical(label, cause, body):
    return w("numerical_gradient", label, cause, """
        def numerical_gradient(cost_function, parameters, epsilon=1e-6):
            grads_approx = {}
            for key, value in parameters.items():
                grad = np.zeros(value.shape)
                for idx in np.ndindex(value.shape):
    """ + body + """
                grads_approx["d" + key] = grad
            return grads_approx
    """)


def norms(label, cause, forward_hidden="hidden_activation", backward_last='"sigmoid"',
          backward_hidden="hidden_activation", order="norms[::-1]"):
    return w("gradient_norms", label, cause, f"""
        def gradient_norms(X, Y, parameters, hidden_activation):
            L = len(parameters) // 2
            A, caches = X, []
            for l in range(1, L + 1):
                act = "sigmoid" if l == L else {forward_hidden}
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], act)
                caches.append(cache)
            dA = -(Y / A - (1 - Y) / (1 - A))
            norms = []
            for l in range(L, 0, -1):
                act = {backward_last} if l == L else {backward_hidden}
                dA, dW, db = linear_activation_backward(dA, caches[l - 1], act)
                norms.append(float(np.linalg.norm(dW)))
            return {order}
    """)


WRONG = [
    # linear_forward
    w("linear_forward", "no bias", "leaving out the bias", """
        def linear_forward(A, W, b):
            Z = np.dot(W, A)
            return Z, (A, W, b)
    """),
    w("linear_forward", "A W instead of W A", None, """
        def linear_forward(A, W, b):
            Z = np.dot(A.T, W.T).T + b.T
            return Z, (A, W, b)
    """),
    w("linear_forward", "cache without b", "should have 3 items", """
        def linear_forward(A, W, b):
            Z = np.dot(W, A) + b
            return Z, (A, W)
    """),
    # linear_activation_forward
    w("linear_activation_forward", "the activations swapped", "swapping the activations", """
        def linear_activation_forward(A_prev, W, b, activation):
            Z = np.dot(W, A_prev) + b
            if activation == "relu":
                A = 1 / (1 + np.exp(-Z))
            else:
                A = np.maximum(0, Z)
            return A, ((A_prev, W, b), Z)
    """),
    w("linear_activation_forward", "cache keeps A instead of Z", "caching A where Z belongs", """
        def linear_activation_forward(A_prev, W, b, activation):
            Z = np.dot(W, A_prev) + b
            A = sigmoid(Z) if activation == "sigmoid" else relu(Z)
            return A, ((A_prev, W, b), A)
    """),
    w("linear_activation_forward", "relu for every activation", "using ReLU whatever `activation` says", """
        def linear_activation_forward(A_prev, W, b, activation):
            Z = np.dot(W, A_prev) + b
            A = np.maximum(0, Z)
            return A, ((A_prev, W, b), Z)
    """),
    # L_model_forward
    w("L_model_forward", "sigmoid in every layer", "using the sigmoid in every layer", """
        def L_model_forward(X, parameters):
            caches = []
            A = X
            L = len(parameters) // 2
            for l in range(1, L + 1):
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
                caches.append(cache)
            return A, caches
    """),
    w("L_model_forward", "relu in the output layer", "using ReLU in the output layer too", """
        def L_model_forward(X, parameters):
            caches = []
            A = X
            L = len(parameters) // 2
            for l in range(1, L + 1):
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
                caches.append(cache)
            return A, caches
    """),
    w("L_model_forward", "the loop stops a layer early", "stopping one layer early", """
        def L_model_forward(X, parameters):
            caches = []
            A = X
            L = len(parameters) // 2
            for l in range(1, L - 1):
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
                caches.append(cache)
            AL, cache = linear_activation_forward(A, parameters["W" + str(L - 1)], parameters["b" + str(L - 1)],
                                                  "sigmoid")
            caches.append(cache)
            return AL, caches
    """),
    w("L_model_forward", "L = len(parameters)", "raised KeyError", """
        def L_model_forward(X, parameters):
            caches = []
            A = X
            L = len(parameters)
            for l in range(1, L):
                A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
                caches.append(cache)
            AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
            caches.append(cache)
            return AL, caches
    """),
    # compute_cost
    w("compute_cost", "the classic (1, 1) array", "must be a Python float", """
        def compute_cost(AL, Y):
            m = Y.shape[1]
            cost = -1 / m * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
            return np.squeeze(cost) if cost.ndim > 2 else cost
    """),
    w("compute_cost", "np.float of a published answer", "NumPy 2 removed np.float", """
        def compute_cost(AL, Y):
            m = Y.shape[1]
            cost = -1 / m * np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
            return np.float(np.squeeze(cost))
    """),
    w("compute_cost", "summed, not averaged", "m times too large", """
        def compute_cost(AL, Y):
            return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
    """),
    w("compute_cost", "sign", "wrong sign", """
        def compute_cost(AL, Y):
            return float(np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))
    """),
    w("compute_cost", "only the y log(a) term", "keeping only the y log(a) term", """
        def compute_cost(AL, Y):
            return float(-np.mean(Y * np.log(AL)))
    """),
    # relu_backward
    w("relu_backward", "relu'(Z) alone", "without multiplying by dA", """
        def relu_backward(dA, cache):
            return (cache > 0).astype(float)
    """),
    w("relu_backward", "dA times relu(Z)", "multiplying dA by relu(Z)", """
        def relu_backward(dA, cache):
            return dA * np.maximum(cache, 0)
    """),
    w("relu_backward", "zeroes dA in place", "modified its input dA in place", """
        def relu_backward(dA, cache):
            dZ = dA
            dZ[cache <= 0] = 0
            return dZ
    """),
    w("relu_backward", "relu'(0) = 1", "taking relu'(0) = 1", """
        def relu_backward(dA, cache):
            dZ = np.array(dA, copy=True)
            dZ[cache < 0] = 0
            return dZ
    """),
    # sigmoid_backward
    w("sigmoid_backward", "Z taken for sigmoid(Z)", "using Z as if it were sigmoid(Z)", """
        def sigmoid_backward(dA, cache):
            Z = cache
            return dA * Z * (1 - Z)
    """),
    w("sigmoid_backward", "sigmoid instead of its derivative", "instead of its derivative", """
        def sigmoid_backward(dA, cache):
            return dA * 1 / (1 + np.exp(-cache))
    """),
    w("sigmoid_backward", "sigmoid'(Z) alone", "without multiplying by dA", """
        def sigmoid_backward(dA, cache):
            s = 1 / (1 + np.exp(-cache))
            return s * (1 - s)
    """),
    # linear_backward
    linear_backward("no 1/m in dW", "dW is m times too large", dW="np.dot(dZ, A_prev.T)"),
    linear_backward("no 1/m in db", "db is m times too large", db="np.sum(dZ, axis=1, keepdims=True)"),
    linear_backward("db without keepdims", "use keepdims=True", db="np.sum(dZ, axis=1) / m"),
    linear_backward("dA_prev divided by m", "dividing dA_prev by m", dA="np.dot(W.T, dZ) / m"),
    linear_backward("dW transposed", "should have shape", dW="np.dot(A_prev, dZ.T) / m"),
    linear_backward("W not transposed", "multiplying by W instead of its transpose", dA="np.dot(W, dZ)"),
    linear_backward("db summed over every axis", "should have shape", db="np.sum(dZ) / m"),
    # linear_activation_backward
    w("linear_activation_backward", "derivatives swapped", "using the other activation's derivative", """
        def linear_activation_backward(dA, cache, activation):
            linear_cache, activation_cache = cache
            if activation == "relu":
                dZ = sigmoid_backward(dA, activation_cache)
            else:
                dZ = relu_backward(dA, activation_cache)
            return linear_backward(dZ, linear_cache)
    """),
    w("linear_activation_backward", "dA passed to linear_backward", "passing dA to linear_backward", """
        def linear_activation_backward(dA, cache, activation):
            linear_cache, activation_cache = cache
            return linear_backward(dA, linear_cache)
    """),
    w("linear_activation_backward", "dZ computed but dA passed on", "passing dA to linear_backward", """
        def linear_activation_backward(dA, cache, activation):
            linear_cache, activation_cache = cache
            if activation == "relu":
                dZ = relu_backward(dA, activation_cache)
            elif activation == "sigmoid":
                dZ = sigmoid_backward(dA, activation_cache)
            dA_prev, dW, db = linear_backward(dA, linear_cache)
            return dA_prev, dW, db
    """),
    # squared_loss_output_delta
    delta("no g'(z)", "dL/da^[L] = a - y", """
            return AL - Y
    """),
    delta("times g(z) instead of g'(z)", "instead of its derivative", """
            return (AL - Y) * AL
    """),
    delta("derivative at a", "at a^[L] instead of z^[L]", """
            if activation == "sigmoid":
                s = 1 / (1 + np.exp(-AL))
                return (AL - Y) * s * (1 - s)
            return (AL - Y) * (ZL > 0)
    """),
    delta("activations swapped", "the other activation's derivative", """
            if activation == "relu":
                s = 1 / (1 + np.exp(-ZL))
                return (AL - Y) * s * (1 - s)
            return (AL - Y) * (ZL > 0)
    """),
    delta("divided by m", "m times too small", """
            m = AL.shape[1]
            g = AL * (1 - AL) if activation == "sigmoid" else (ZL > 0)
            return (AL - Y) * g / m
    """),
    delta("y - a", "wrong sign", """
            g = AL * (1 - AL) if activation == "sigmoid" else (ZL > 0)
            return (Y - AL) * g
    """),
    # L_model_backward
    backward("relu at the output", "using relu_backward for the output layer", last='"relu"'),
    backward("dAL sign", "wrong sign", dAL="np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)"),
    backward("dAL divided by m", "m times too small", dAL="-(Y / AL - (1 - Y) / (1 - AL)) / Y.shape[1]"),
    backward("dAL = AL - Y", "starting from dAL = AL - Y", dAL="AL - Y"),
    backward("keys off by one", "has its keys off by one",
             keys=('"dA" + str(l)', '"dW" + str(l)', '"db" + str(l)')),
    backward("sigmoid in every layer", "using sigmoid_backward for the hidden layers too", hidden='"sigmoid"'),
    backward("caches[l] instead of caches[l - 1]", "raised IndexError", cache="caches[l]"),
    # update_parameters
    w("update_parameters", "plus instead of minus", "adding the gradient", """
        def update_parameters(parameters, grads, learning_rate):
            new = {}
            L = len(parameters) // 2
            for l in range(1, L + 1):
                new["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
                new["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
            return new
    """),
    w("update_parameters", "-= in place", "modified its input parameters", """
        def update_parameters(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
            return parameters
    """),
    w("update_parameters", "writes into the caller's dict", "modified its input parameters", """
        def update_parameters(parameters, grads, learning_rate):
            L = len(parameters) // 2
            for l in range(1, L + 1):
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
            return parameters
    """),
    w("update_parameters", "the last layer is not updated", "stopping one layer early", """
        def update_parameters(parameters, grads, learning_rate):
            params = copy.deepcopy(parameters)
            L = len(params) // 2
            for l in range(1, L):
                params["W" + str(l)] = params["W" + str(l)] - learning_rate * grads["dW" + str(l)]
                params["b" + str(l)] = params["b" + str(l)] - learning_rate * grads["db" + str(l)]
            return params
    """),
    # numerical_gradient
    numerical("one-sided differences", "using one-sided differences", """
                    plus = copy.deepcopy(parameters)
                    plus[key][idx] += epsilon
                    grad[idx] = (cost_function(plus) - cost_function(parameters)) / epsilon
    """),
    numerical("divides by epsilon, not 2 epsilon", "2 times the expected value", """
                    plus = copy.deepcopy(parameters)
                    minus = copy.deepcopy(parameters)
                    plus[key][idx] += epsilon
                    minus[key][idx] -= epsilon
                    grad[idx] = (cost_function(plus) - cost_function(minus)) / epsilon
    """),
    numerical("perturbs the caller's arrays, never restored", "modified its input parameters", """
                    value[idx] += epsilon
                    up = cost_function(parameters)
                    value[idx] -= 2 * epsilon
                    down = cost_function(parameters)
                    grad[idx] = (up - down) / (2 * epsilon)
    """),
    numerical("+= eps; -= 2 eps; += eps", "left it off by", """
                    value[idx] += epsilon
                    up = cost_function(parameters)
                    value[idx] -= 2 * epsilon
                    down = cost_function(parameters)
                    value[idx] += epsilon
                    grad[idx] = (up - down) / (2 * epsilon)
    """),
    numerical("shallow copy of the dict", "modified its input parameters", """
                    plus = dict(parameters)
                    minus = dict(parameters)
                    plus[key][idx] += epsilon
                    up = cost_function(plus)
                    minus[key][idx] -= 2 * epsilon
                    down = cost_function(minus)
                    plus[key][idx] += epsilon
                    grad[idx] = (up - down) / (2 * epsilon)
    """),
    # gradient_difference
    w("gradient_difference", "no denominator", "without dividing by ||grads|| + ||grads_approx||", """
        def gradient_difference(grads, grads_approx):
            keys = [k for k in grads_approx if k.startswith("dW") or k.startswith("db")]
            g = np.concatenate([grads[k].ravel() for k in keys])
            a = np.concatenate([grads_approx[k].ravel() for k in keys])
            return float(np.linalg.norm(g - a))
    """),
    w("gradient_difference", "denominator is the norm of the sum", "dividing by the norm of the sum", """
        def gradient_difference(grads, grads_approx):
            keys = [k for k in grads_approx if k.startswith("dW") or k.startswith("db")]
            g = np.concatenate([grads[k].ravel() for k in keys])
            a = np.concatenate([grads_approx[k].ravel() for k in keys])
            return float(np.linalg.norm(g - a) / np.linalg.norm(g + a))
    """),
    w("gradient_difference", "every key of grads, dA0 too", "KeyError: 'dA", """
        def gradient_difference(grads, grads_approx):
            g = np.concatenate([grads[k].ravel() for k in grads])
            a = np.concatenate([grads_approx[k].ravel() for k in grads])
            return float(np.linalg.norm(g - a) / (np.linalg.norm(g) + np.linalg.norm(a)))
    """),
    # gradient_norms
    norms("output layer differentiated with the hidden activation", "differentiating the output layer with the hidden",
          backward_last="hidden_activation"),
    norms("layers listed from L down to 1", "listing the layers from L down to 1", order="norms"),
    norms("ReLU in the backward pass whatever the forward used", "backpropagating with L_model_backward",
          backward_hidden='"relu"'),
    w("gradient_norms", "L_model_forward and L_model_backward (ReLU hidden layers)", "ignoring hidden_activation", """
        def gradient_norms(X, Y, parameters, hidden_activation):
            AL, caches = L_model_forward(X, parameters)
            grads = L_model_backward(AL, Y, caches)
            return [float(np.linalg.norm(grads["dW" + str(l)])) for l in range(1, len(caches) + 1)]
    """),
]
