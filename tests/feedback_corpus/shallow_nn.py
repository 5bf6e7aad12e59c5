"""01_shallow_nn: wrong answers of forward_propagation, compute_cost, backward_propagation, update_parameters."""
from textwrap import dedent

from tests.feedback_corpus import WrongAnswer

A = "01_shallow_nn"


def w(function, label, cause, source):
    return WrongAnswer(A, function, label, dedent(source).strip() + "\n", cause)


WRONG = [
    w("forward_propagation", "sigmoid hidden layer", "using the sigmoid in the hidden layer", """
        def forward_propagation(X, parameters):
            Z1 = parameters["W1"] @ X + parameters["b1"]
            A1 = sigmoid(Z1)
            Z2 = parameters["W2"] @ A1 + parameters["b2"]
            A2 = sigmoid(Z2)
            return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    """),
    w("forward_propagation", "tanh output", "using tanh at the output", """
        def forward_propagation(X, parameters):
            Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
            A1 = np.tanh(Z1)
            Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
            A2 = np.tanh(Z2)
            return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    """),
    w("forward_propagation", "output layer fed X instead of A1", None, """
        def forward_propagation(X, parameters):
            Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
            A1 = np.tanh(Z1)
            Z2 = np.dot(parameters["W2"], X) + parameters["b2"]
            A2 = sigmoid(Z2)
            return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    """),
    w("forward_propagation", "no bias in the hidden layer", "leaving out the bias b1", """
        def forward_propagation(X, parameters):
            Z1 = np.dot(parameters["W1"], X)
            A1 = np.tanh(Z1)
            Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
            A2 = sigmoid(Z2)
            return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    """),
    w("forward_propagation", "cache holds Z1 where A1 belongs", "caching Z1 where A1 belongs", """
        def forward_propagation(X, parameters):
            Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
            A1 = np.tanh(Z1)
            Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
            A2 = sigmoid(Z2)
            return A2, {"Z1": Z1, "A1": Z1, "Z2": Z2, "A2": A2}
    """),
    w("forward_propagation", "returns a list", "must return a tuple", """
        def forward_propagation(X, parameters):
            Z1 = np.dot(parameters["W1"], X) + parameters["b1"]
            A1 = np.tanh(Z1)
            Z2 = np.dot(parameters["W2"], A1) + parameters["b2"]
            A2 = sigmoid(Z2)
            return [A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}]
    """),
    w("compute_cost", "the classic (1, 1) array", "must be a Python float", """
        def compute_cost(A2, Y):
            m = Y.shape[1]
            cost = -1 / m * (np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T))
            return cost
    """),
    w("compute_cost", "summed, not averaged", "m times too large", """
        def compute_cost(A2, Y):
            logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
            return float(-np.sum(logprobs))
    """),
    w("compute_cost", "sign of the log-likelihood", "wrong sign", """
        def compute_cost(A2, Y):
            m = Y.shape[1]
            logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
            return float(np.sum(logprobs) / m)
    """),
    w("compute_cost", "only the y log(a) term", "keeping only the y log(a) term", """
        def compute_cost(A2, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log(A2)) / m)
    """),
    w("compute_cost", "log(1 - a) weighted by y", None, """
        def compute_cost(A2, Y):
            m = Y.shape[1]
            return float(-np.sum(Y * np.log(A2) + Y * np.log(1 - A2)) / m)
    """),
    w("compute_cost", "divided by the number of features", "m times too large", """
        def compute_cost(A2, Y):
            m = A2.shape[0]
            return float(-np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m)
    """),
    w("backward_propagation", "tanh' written 1 - A1", None, """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            dZ2 = cache["A2"] - Y
            dW2 = np.dot(dZ2, cache["A1"].T) / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = np.dot(parameters["W2"].T, dZ2) * (1 - cache["A1"])
            dW1 = np.dot(dZ1, X.T) / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "tanh applied twice (1 - tanh(A1)**2)", "computing 1 - np.tanh(A1)**2", """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = A2 - Y
            dW2 = dZ2 @ A1.T / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = parameters["W2"].T @ dZ2 * (1 - np.tanh(A1) ** 2)
            dW1 = dZ1 @ X.T / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "no 1/m", "m times too large", """
        def backward_propagation(parameters, cache, X, Y):
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = A2 - Y
            dW2 = dZ2 @ A1.T
            db2 = np.sum(dZ2, axis=1, keepdims=True)
            dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
            dW1 = dZ1 @ X.T
            db1 = np.sum(dZ1, axis=1, keepdims=True)
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "db without keepdims", "use keepdims=True", """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = A2 - Y
            dW2 = dZ2 @ A1.T / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
            dW1 = dZ1 @ X.T / m
            db1 = np.sum(dZ1, axis=1) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "dW2 transposed", "should have shape", """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = A2 - Y
            dW2 = A1 @ dZ2.T / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
            dW1 = dZ1 @ X.T / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "dZ2 = Y - A2", "wrong sign", """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = Y - A2
            dW2 = dZ2 @ A1.T / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
            dW1 = dZ1 @ X.T / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("backward_propagation", "dW1 with A1 instead of X", "should have shape", """
        def backward_propagation(parameters, cache, X, Y):
            m = X.shape[1]
            A1, A2 = cache["A1"], cache["A2"]
            dZ2 = A2 - Y
            dW2 = dZ2 @ A1.T / m
            db2 = np.sum(dZ2, axis=1, keepdims=True) / m
            dZ1 = parameters["W2"].T @ dZ2 * (1 - A1 ** 2)
            dW1 = dZ1 @ A1.T / m
            db1 = np.sum(dZ1, axis=1, keepdims=True) / m
            return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    """),
    w("update_parameters", "plus instead of minus", "adding the gradient", """
        def update_parameters(parameters, grads, learning_rate):
            new = {}
            for k in ("W1", "b1", "W2", "b2"):
                new[k] = parameters[k] + learning_rate * grads["d" + k]
            return new
    """),
    w("update_parameters", "-= on the caller's arrays", "modified its input", """
        def update_parameters(parameters, grads, learning_rate):
            for k in ("W1", "b1", "W2", "b2"):
                parameters[k] -= learning_rate * grads["d" + k]
            return parameters
    """),
    w("update_parameters", "dict alias written into", "modified its input parameters", """
        def update_parameters(parameters, grads, learning_rate):
            new = parameters
            for k in ("W1", "b1", "W2", "b2"):
                new[k] = parameters[k] - learning_rate * grads["d" + k]
            return new
    """),
    w("update_parameters", "learning rate forgotten", "leaving out the learning rate", """
        def update_parameters(parameters, grads, learning_rate):
            return {k: parameters[k] - grads["d" + k] for k in ("W1", "b1", "W2", "b2")}
    """),
]
