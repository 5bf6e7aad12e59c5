"""01_shallow_nn: its graded functions, with their test inputs and known mistakes (the layout: grader.exercises)."""
from grader.exercise import Exercise, Mistake
from grader.exercises.shallow_nn.cases import (
    ONE_EXAMPLE, SIZES, backward_cases, cost_cases, forward_cases, network, one_example_cases, update_cases)
from grader.exercises.shallow_nn.mistakes import (
    backward_no_tanh_prime, backward_tanh_prime_of_z, backward_tanh_twice, cost_positive_term_only, forward_no_b1,
    forward_sigmoid_hidden, forward_tanh_output, forward_z1_as_a1, one_example_dW1_transposed,
    one_example_dW2_no_transpose, one_example_dz2_sign, one_example_no_tanh_prime, one_example_sigma_prime_twice,
    one_example_tanh_prime_of_z, update_no_learning_rate, update_plus)

# What tests, notebooks and other assignments import from the package.
__all__ = ["EXERCISES", "ONE_EXAMPLE", "SIZES", "network"]


ONE_EXAMPLE_MISTAKES = (
    Mistake("dz2_sign", "taking dz2 = y - a2: mind the signs of dL/da2 = -y/a2 + (1 - y)/(1 - a2)",
            one_example_dz2_sign),
    Mistake("sigma_prime_twice", "multiplying by sigma'(z2) = a2 (1 - a2) once more: your simplified dz2 already "
            "is dL/da2 * sigma'(z2)", one_example_sigma_prime_twice),
    Mistake("no_tanh_prime", "leaving out the factor tanh'(z1) in dz1 (that gives da1, the gradient before the "
            "activation)", one_example_no_tanh_prime),
    Mistake("tanh_prime_of_z", "evaluating tanh' as 1 - z1**2: tanh'(z1) = 1 - tanh(z1)**2, and tanh(z1) is a1",
            one_example_tanh_prime_of_z),
    Mistake("dW1_transposed", "computing x dz1.T, the transpose of dW1: dW1[j, k] = dL/dW1[j, k] sits where W1[j, k] "
            "does, row j for hidden unit j", one_example_dW1_transposed),
    Mistake("dW2_no_transpose", "multiplying dz2 by a1 without transposing a1: a gradient has the shape of what "
            "it differentiates", one_example_dW2_no_transpose),
)

BACKWARD_MISTAKES = (
    Mistake("tanh_twice", "computing 1 - np.tanh(A1)**2: A1 is already tanh(Z1), so tanh'(Z1) = 1 - A1**2",
            backward_tanh_twice),
    Mistake("no_tanh_prime", "leaving out the factor tanh'(Z1) = 1 - A1**2 in dZ1", backward_no_tanh_prime),
    Mistake("tanh_prime_of_z", "evaluating tanh' as 1 - Z1**2: tanh'(Z1) = 1 - tanh(Z1)**2 = 1 - A1**2",
            backward_tanh_prime_of_z),
)

UPDATE_MISTAKES = (
    Mistake("plus", "adding the gradient: gradient descent steps against it, W - learning_rate * dW", update_plus),
    Mistake("no_learning_rate", "leaving out the learning rate: each step is - learning_rate * dW",
            update_no_learning_rate),
)

FORWARD_MISTAKES = (
    Mistake("sigmoid_hidden", "using the sigmoid in the hidden layer: A1 = tanh(Z1)", forward_sigmoid_hidden),
    Mistake("tanh_output", "using tanh at the output: A2 = sigmoid(Z2) is a probability", forward_tanh_output),
    Mistake("no_b1", "leaving out the bias b1: Z1 = W1 X + b1", forward_no_b1),
    Mistake("z1_as_a1", "caching Z1 where A1 belongs: the cache holds A1 = tanh(Z1) under \"A1\"", forward_z1_as_a1),
)

COST_MISTAKES = (
    Mistake("positive_term_only", "keeping only the y log(a) term: the examples with y = 0 contribute "
            "(1 - y) log(1 - a)", cost_positive_term_only),
)

EXERCISES = {
    "forward_propagation": Exercise("forward_propagation", ("X", "parameters"), ("A2", "cache"), forward_cases,
                                    mistakes=FORWARD_MISTAKES),
    "compute_cost": Exercise("compute_cost", ("A2", "Y"), "cost", cost_cases, mistakes=COST_MISTAKES),
    "backward_one_example": Exercise("backward_one_example", ("parameters", "cache", "x", "y"), "grads",
                                     one_example_cases, mistakes=ONE_EXAMPLE_MISTAKES),
    "backward_propagation": Exercise("backward_propagation", ("parameters", "cache", "X", "Y"), "grads",
                                     backward_cases, mistakes=BACKWARD_MISTAKES),
    "update_parameters": Exercise("update_parameters", ("parameters", "grads", "learning_rate"), "parameters",
                                  update_cases, mistakes=UPDATE_MISTAKES),
}
