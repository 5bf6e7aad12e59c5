"""02_deep_nn (L-1 ReLU layers, a sigmoid output, cross-entropy): its graded functions, with their test inputs and
known mistakes (the layout: grader.exercises)."""
from grader.exercise import Exercise, Mistake
from grader.exercises.deep_nn.cases import (
    NETWORKS, activation_backward_cases, activation_derivative_cases, activation_forward_cases, backward_cases,
    cost_cases, difference_cases, forward_cases, gradient_norms_cases, linear_backward_cases, linear_forward_cases,
    network, numerical_gradient_cases, smooth_cost, squared_delta_cases, update_cases)
from grader.exercises.deep_nn.mistakes import (
    activation_backward_dA_for_dZ, activation_backward_swapped, activation_forward_caching_A,
    activation_forward_relu_always, activation_forward_swapped, backward_dZ_for_dA, backward_relu_at_output,
    backward_sigmoid_hidden, cost_positive_term_only, delta_derivative_at_a, delta_other_activation,
    delta_times_activation, delta_without_derivative, difference_norm_of_sum, difference_without_denominator,
    forward_one_layer_short, forward_relu_last, forward_sigmoid_everywhere, linear_backward_dA_over_m,
    linear_backward_w_not_transposed, linear_forward_no_bias, norms_ignoring_hidden_activation, norms_relu_backward,
    norms_relu_output, norms_reversed, one_sided, relu_backward_no_da, relu_backward_prime_at_zero,
    relu_backward_times_relu, sigmoid_backward_at_z, sigmoid_backward_no_da, sigmoid_backward_sigmoid_not_derivative,
    update_one_layer_short, update_plus)

# What tests, notebooks and other assignments import from the package.
__all__ = ["EXERCISES", "NETWORKS", "network", "smooth_cost", "squared_delta_cases"]


EXERCISES = {
    "linear_forward": Exercise("linear_forward", ("A", "W", "b"), ("Z", "cache"), linear_forward_cases, mistakes=(
        Mistake("no_bias", "leaving out the bias: Z = W A + b, with b (n, 1) added to every column",
                linear_forward_no_bias),)),
    "linear_activation_forward": Exercise("linear_activation_forward", ("A_prev", "W", "b", "activation"),
                                          ("A", "cache"), activation_forward_cases, mistakes=(
        # Before "swapped": on a sigmoid case the two give the same output, and ReLU everywhere is the commoner.
        Mistake("relu_always", "using ReLU whatever `activation` says: \"sigmoid\" needs A = sigmoid(Z)",
                activation_forward_relu_always),
        Mistake("swapped", "swapping the activations: \"relu\" gives A = max(0, Z), \"sigmoid\" A = 1 / (1 + exp(-Z))",
                activation_forward_swapped),
        Mistake("caching_A", "caching A where Z belongs: the cache is (linear_cache, Z), since the backward step "
                "needs g'(Z)", activation_forward_caching_A))),
    "L_model_forward": Exercise("L_model_forward", ("X", "parameters"), ("AL", "caches"), forward_cases, mistakes=(
        Mistake("sigmoid_everywhere", "using the sigmoid in every layer: the hidden layers use ReLU, only the "
                "output layer L uses the sigmoid", forward_sigmoid_everywhere),
        Mistake("relu_last", "using ReLU in the output layer too: layer L uses the sigmoid, so that AL is a "
                "probability", forward_relu_last),
        Mistake("one_layer_short", "stopping one layer early: there are L = len(parameters) // 2 layers, the loop "
                "over the ReLU layers runs l = 1 .. L-1 and layer L comes after it", forward_one_layer_short))),
    "compute_cost": Exercise("compute_cost", ("AL", "Y"), "cost", cost_cases, mistakes=(
        Mistake("positive_term_only", "keeping only the y log(a) term: the examples with y = 0 contribute "
                "(1 - y) log(1 - a)", cost_positive_term_only),)),
    "relu_backward": Exercise("relu_backward", ("dA", "cache"), "dZ", activation_derivative_cases, mistakes=(
        Mistake("times_relu", "multiplying dA by relu(Z): the derivative of ReLU is 1 where Z > 0 and 0 elsewhere, "
                "so dZ = dA where Z > 0, else 0", relu_backward_times_relu),
        Mistake("no_dA", "returning relu'(Z) without multiplying by dA (the chain rule: dZ = dA * g'(Z))",
                relu_backward_no_da),
        Mistake("prime_at_zero", "taking relu'(0) = 1 (Z >= 0): relu'(z) is 1 only for z > 0, so write Z > 0, as "
                "PyTorch does", relu_backward_prime_at_zero))),
    "sigmoid_backward": Exercise("sigmoid_backward", ("dA", "cache"), "dZ", activation_derivative_cases, mistakes=(
        Mistake("at_z", "using Z as if it were sigmoid(Z): the cache holds Z, so compute s = sigmoid(Z) first, "
                "then dZ = dA * s * (1 - s)", sigmoid_backward_at_z),
        Mistake("no_dA", "returning g'(Z) without multiplying by dA (the chain rule: dZ = dA * g'(Z))",
                sigmoid_backward_no_da),
        Mistake("sigmoid_not_derivative", "multiplying dA by sigmoid(Z) instead of its derivative "
                "sigmoid(Z) * (1 - sigmoid(Z))", sigmoid_backward_sigmoid_not_derivative))),
    "linear_backward": Exercise("linear_backward", ("dZ", "cache"), ("dA_prev", "dW", "db"), linear_backward_cases,
                                mistakes=(
        Mistake("w_not_transposed", "multiplying by W instead of its transpose: A_prev reaches Z through W A_prev, "
                "so dA_prev = W.T @ dZ", linear_backward_w_not_transposed),
        Mistake("dA_over_m", "dividing dA_prev by m: the 1/m of the cost belongs to dW and db (sums over the "
                "examples), while dA_prev keeps one column per example", linear_backward_dA_over_m))),
    "linear_activation_backward": Exercise("linear_activation_backward", ("dA", "cache", "activation"),
                                           ("dA_prev", "dW", "db"), activation_backward_cases, mistakes=(
        Mistake("swapped", "using the other activation's derivative: 'relu' needs relu_backward, 'sigmoid' "
                "sigmoid_backward", activation_backward_swapped),
        Mistake("dA_for_dZ", "passing dA to linear_backward: it takes dZ = dA * g'(Z), computed first with "
                "relu_backward or sigmoid_backward", activation_backward_dA_for_dZ))),
    "squared_loss_output_delta": Exercise("squared_loss_output_delta", ("AL", "Y", "ZL", "activation"), "dZL",
                                          squared_delta_cases, mistakes=(
        Mistake("no_derivative", "writing delta^[L] = dL/da^[L] = a - y: delta is the gradient with respect to "
                "z^[L], so the chain rule adds the factor g'(z^[L])",
                delta_without_derivative),
        Mistake("times_activation", "multiplying by g(z^[L]) = a^[L] instead of its derivative g'(z^[L])",
                delta_times_activation),
        Mistake("derivative_at_a", "evaluating the derivative at a^[L] instead of z^[L]: sigmoid'(z) = s (1 - s) "
                "with s = sigmoid(ZL) = AL, so pass ZL (not AL) as the cache of sigmoid_backward",
                delta_derivative_at_a),
        Mistake("other_activation", "using the other activation's derivative: 'relu' needs relu'(ZL), 'sigmoid' "
                "needs sigmoid'(ZL)", delta_other_activation))),
    "L_model_backward": Exercise("L_model_backward", ("AL", "Y", "caches"), "grads", backward_cases, mistakes=(
        Mistake("relu_at_output", "using relu_backward for the output layer: layer L is a sigmoid layer",
                backward_relu_at_output),
        Mistake("sigmoid_hidden", "using sigmoid_backward for the hidden layers too: layers 1 .. L-1 are ReLU layers, "
                "only layer L is a sigmoid layer", backward_sigmoid_hidden),
        Mistake("dZ_for_dA", "starting from dAL = AL - Y: that is dZ^[L] (sigmoid' already included), while "
                "linear_activation_backward(..., 'sigmoid') expects dA^[L] = -(Y / AL - (1 - Y) / (1 - AL))",
                backward_dZ_for_dA))),
    "update_parameters": Exercise("update_parameters", ("parameters", "grads", "learning_rate"), "parameters",
                                  update_cases, mistakes=(
        Mistake("plus", "adding the gradient: gradient descent steps against it, W - learning_rate * dW",
                update_plus),
        Mistake("one_layer_short", "stopping one layer early: range(1, L) leaves out layer L; there are "
                "L = len(parameters) // 2 layers, l = 1 .. L, so loop over range(1, L + 1)", update_one_layer_short))),
    "gradient_norms": Exercise("gradient_norms", ("X", "Y", "parameters", "hidden_activation"), "norms",
                               gradient_norms_cases, mistakes=(
        Mistake("hidden_derivative_at_output", "differentiating the output layer with the hidden activation: layer L "
                "is a sigmoid layer whatever the hidden layers use", norms_relu_output),
        Mistake("ignores_hidden_activation", "ignoring hidden_activation (L_model_forward and L_model_backward use "
                "ReLU hidden layers): build the layers with linear_activation_forward and the hidden activation",
                norms_ignoring_hidden_activation),
        Mistake("relu_backward_for_sigmoid", "backpropagating with L_model_backward, whose hidden layers are ReLU "
                "layers: with sigmoid hidden layers go back layer by layer with linear_activation_backward and the "
                "hidden activation", norms_relu_backward),
        Mistake("reversed", "listing the layers from L down to 1: norms[l-1] belongs to layer l, so norms[0] is the "
                "first layer's", norms_reversed))),
    "numerical_gradient": Exercise("numerical_gradient", ("cost_function", "parameters", "epsilon"), "grads_approx",
                                   numerical_gradient_cases, mistakes=(
        Mistake("one_sided", "using one-sided differences (J(theta + eps) - J(theta)) / eps: their error is of "
                "order eps, the central difference (J(theta + eps) - J(theta - eps)) / (2 eps) has error of order "
                "eps**2", one_sided),)),
    # The third known value (a large error) tells the denominators apart: on nearly equal gradients
    # ||g + g_approx|| and ||g|| + ||g_approx|| agree to many digits.
    "gradient_difference": Exercise("gradient_difference", ("grads", "grads_approx"), "difference",
                                    difference_cases, n_known=3, mistakes=(
        Mistake("norm_of_sum", "dividing by the norm of the sum ||grads + grads_approx||: the denominator is the sum "
                "of the two norms, ||grads|| + ||grads_approx||", difference_norm_of_sum),
        Mistake("no_denominator", "returning the norm of the difference without dividing by "
                "||grads|| + ||grads_approx||: the relative difference does not depend on the gradients' scale",
                difference_without_denominator),)),
}
