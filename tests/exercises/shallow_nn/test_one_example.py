"""01_shallow_nn's backward_one_example: the reference agrees with finite differences of one example's loss
and with the vectorised backward pass; wrong answers written the way a student would write them get a message
naming their cause, in the visible checks and in the hidden tests; correct answers written differently pass."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.exercises.shallow_nn import ONE_EXAMPLE, network
from grader.gradcheck import AGREE, numeric_gradient, relative_error
from solutions import shallow_nn as ref

A = "01_shallow_nn"


@pytest.mark.parametrize("n_x, n_h, scale, y, label", ONE_EXAMPLE)
def test_one_example_matches_finite_differences(n_x, n_h, scale, y, label):
    x, _, parameters = network(np.random.default_rng(5), n_x, n_h, 1, scale)
    y = np.array([[y]])
    _, cache = ref.forward_propagation(x, parameters)
    grads = ref.backward_one_example(parameters, cache, x, y)

    def loss():
        return ref.compute_cost(ref.forward_propagation(x, parameters)[0], y)

    for name in ("W1", "b1", "W2", "b2"):
        assert grads["d" + name].shape == parameters[name].shape
        assert relative_error(grads["d" + name], numeric_gradient(loss, parameters[name])) < AGREE, f"d{name} ({label})"
    # The deltas: perturb the pre-activations themselves, the rest of the forward pass unchanged.
    for z, a_of, later in (("z2", ref.sigmoid, None), ("z1", np.tanh, "z2")):
        pre = cache["Z2" if z == "z2" else "Z1"].copy()

        def loss_of_pre():
            if later is None:
                return ref.compute_cost(ref.sigmoid(pre), y)
            return ref.compute_cost(ref.sigmoid(parameters["W2"] @ np.tanh(pre) + parameters["b2"]), y)

        assert relative_error(grads["d" + z], numeric_gradient(loss_of_pre, pre)) < AGREE, f"d{z} ({label})"


def test_one_example_is_the_vectorised_pass_with_m_1_and_averages_to_it():
    X, Y, parameters = network(np.random.default_rng(8), 3, 4, 9, 1.0)
    full = ref.backward_propagation(parameters, ref.forward_propagation(X, parameters)[1], X, Y)
    per_example = []
    for i in range(X.shape[1]):
        x, y = X[:, [i]], Y[:, [i]]
        one = ref.backward_one_example(parameters, ref.forward_propagation(x, parameters)[1], x, y)
        vectorised = ref.backward_propagation(parameters, ref.forward_propagation(x, parameters)[1], x, y)
        for k in vectorised:
            np.testing.assert_allclose(one[k], vectorised[k], rtol=1e-12, atol=1e-15)
        per_example.append(one)
    for k in full:
        np.testing.assert_allclose(np.mean([g[k] for g in per_example], axis=0), full[k], rtol=1e-12, atol=1e-15)


def test_one_example_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    for n_x, n_h, scale, y, label in ONE_EXAMPLE[:4]:
        x, _, parameters = network(np.random.default_rng(11), n_x, n_h, 1, scale)
        grads = ref.backward_one_example(parameters, ref.forward_propagation(x, parameters)[1], x, np.array([[y]]))
        t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in parameters.items()}
        z1 = t["W1"] @ torch.tensor(x) + t["b1"]
        z1.retain_grad()
        z2 = t["W2"] @ torch.tanh(z1) + t["b2"]
        z2.retain_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(z2, torch.tensor([[y]], dtype=torch.float64)).backward()
        for k, v in t.items():
            np.testing.assert_allclose(grads["d" + k], v.grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=f"d{k} ({label})")
        np.testing.assert_allclose(grads["dz1"], z1.grad.numpy(), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grads["dz2"], z2.grad.numpy(), rtol=1e-9, atol=1e-12)


def student(dz2_of="a2 - y", tanh_prime="1 - a1**2", dW1="dz1 @ x.T", dW2="dz2 @ a1.T", outer=False):
    """backward_one_example as a student might write it, with one step chosen."""
    def backward_one_example(parameters, cache, x, y):
        W2, a1, a2, z1 = parameters["W2"], cache["A1"], cache["A2"], cache["Z1"]
        dz2 = {"a2 - y": a2 - y, "y - a2": y - a2, "(a2 - y) s'": (a2 - y) * a2 * (1 - a2),
               "unsimplified": (-y / a2 + (1 - y) / (1 - a2)) * a2 * (1 - a2)}[dz2_of]
        da1 = np.dot(W2.T, dz2)
        dz1 = da1 * {"1 - a1**2": 1 - np.power(a1, 2), "none": 1.0, "1 - z1**2": 1 - z1 ** 2,
                     "1 - tanh(z1)**2": 1 - np.tanh(z1) ** 2}[tanh_prime]
        grads = {"dz2": dz2, "db2": np.sum(dz2, axis=1, keepdims=True), "dz1": dz1, "db1": dz1 + 0.0}
        grads["dW1"] = {"dz1 @ x.T": np.outer(dz1, x) if outer else dz1 @ x.T, "x @ dz1.T": x @ dz1.T}[dW1]
        grads["dW2"] = {"dz2 @ a1.T": dz2 * a1.T, "dz2 * a1": dz2 * a1}[dW2]
        return grads
    return backward_one_example


@pytest.mark.parametrize("fn", [student(), student(dz2_of="unsimplified", tanh_prime="1 - tanh(z1)**2", outer=True)],
                         ids=["usual", "unsimplified, np.outer"])
def test_correct_answers_written_differently_pass(fn):
    check_visible(A, "backward_one_example", fn)
    check_hidden(A, "backward_one_example", fn)


MISTAKES = [
    (student(dz2_of="y - a2"), "taking dz2 = y - a2"),
    (student(dz2_of="(a2 - y) s'"), "multiplying by sigma'(z2)"),
    (student(tanh_prime="none"), "leaving out the factor tanh'(z1)"),
    (student(tanh_prime="1 - z1**2"), "evaluating tanh' as 1 - z1**2"),
    (student(dW1="x @ dz1.T"), "the transpose of dW1"),
    (student(dW2="dz2 * a1"), "without transposing a1"),
]


@pytest.mark.parametrize("fn, words", MISTAKES, ids=[w for _, w in MISTAKES])
def test_mistakes_are_named(fn, words):
    for check in (check_visible, check_hidden):
        with pytest.raises(WrongAnswer) as raised:
            check(A, "backward_one_example", fn)
        assert words in str(raised.value), str(raised.value)


def test_the_square_case_names_a_transposed_dW1_by_its_values():
    """With n_x = n_h the shapes cannot tell dW1 from its transpose: the values (and the named mistake) must."""
    square = student(dW1="x @ dz1.T")
    x, _, parameters = network(np.random.default_rng(2), 3, 3, 1, 1.0)
    _, cache = ref.forward_propagation(x, parameters)
    y = np.array([[1.0]])
    assert square(parameters, cache, x, y)["dW1"].shape == ref.backward_one_example(parameters, cache, x, y)["dW1"].shape
    from grader.judge import mistake_outputs, run_cases
    from grader.exercise import Case
    from grader.exercises import exercise
    ex = exercise(A, "backward_one_example")
    case = Case("square", (parameters, cache, x, y), 1)
    with pytest.raises(WrongAnswer) as raised:
        run_cases(ex, square, [(case, ref.backward_one_example(parameters, cache, x, y))], "hidden",
                  lambda c: mistake_outputs(ref, ex, c.args))
    message = str(raised.value)
    assert "is the transpose of the expected value" in message and "the transpose of dW1" in message, message
