"""The checks that notebooks run: messages, mutation, warnings, errors, isolation of exercises."""
import sys

import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.instructor.notebook import function_body
from solutions import shallow_nn as ref

A = "01_shallow_nn"


@pytest.mark.parametrize("name", ["forward_propagation", "compute_cost", "backward_propagation",
                                  "update_parameters"])
def test_reference_passes_visible_and_hidden(name, capsys):
    check_visible(A, name, getattr(ref, name))
    check_hidden(A, name, getattr(ref, name))
    out = capsys.readouterr()
    assert "known-value checks passed" in out.out and "hidden cases passed" in out.out
    assert out.err == ""


def test_missing_average_is_named():
    def backward(parameters, cache, X, Y):
        grads = ref.backward_propagation(parameters, cache, X, Y)
        return {k: v * X.shape[1] for k, v in grads.items()}
    with pytest.raises(WrongAnswer, match=r'grads\["dW2"\] is m times too large'):
        check_hidden(A, "backward_propagation", backward)


def test_wrong_tanh_derivative_points_at_first_difference():
    def backward(parameters, cache, X, Y):
        m = X.shape[1]
        dZ2 = cache["A2"] - Y
        dZ1 = (parameters["W2"].T @ dZ2) * (1 - cache["A1"])
        return {"dW2": dZ2 @ cache["A1"].T / m, "db2": dZ2.sum(axis=1, keepdims=True) / m,
                "dW1": dZ1 @ X.T / m, "db1": dZ1.sum(axis=1, keepdims=True) / m}
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "backward_propagation", backward)
    message = str(err.value)
    assert 'grads["dW1"]' in message and "first difference" in message
    assert 'grads["dW2"]' not in message


def test_mutating_inputs_is_wrong():
    def update(parameters, grads, learning_rate):
        for k in ("W1", "b1", "W2", "b2"):
            parameters[k] -= learning_rate * grads["d" + k]
        return parameters
    with pytest.raises(WrongAnswer, match=r'modified its input parameters\["W1"\] in place'):
        check_hidden(A, "update_parameters", update)


def test_numpy_warning_does_not_fail_a_correct_answer(capsys):
    def cost(A2, Y):
        with np.errstate(all="warn"):
            np.log(np.zeros(1))  # a RuntimeWarning that a correct answer may well trigger
        return ref.compute_cost(A2, Y)
    check_hidden(A, "compute_cost", cost)
    assert capsys.readouterr().err == ""


def test_errors_and_not_implemented_are_explained():
    def stub(A2, Y):
        raise NotImplementedError()
    with pytest.raises(WrongAnswer, match="not implemented yet"):
        check_visible(A, "compute_cost", stub)

    def broken(A2, Y):
        return A2 @ Y
    with pytest.raises(WrongAnswer, match=r"raised ValueError: .*`return A2 @ Y`"):
        check_visible(A, "compute_cost", broken)

    def exits(A2, Y):
        raise SystemExit(3)
    with pytest.raises(WrongAnswer, match=r"called sys.exit\(3\)"):
        check_visible(A, "compute_cost", exits)


def test_output_flood_is_bounded():
    def noisy(A2, Y):
        print("x" * 10_000_000)
        return 0.0
    with pytest.raises(WrongAnswer) as err:
        check_visible(A, "compute_cost", noisy)
    assert len(str(err.value)) < 5000


def test_function_body_excludes_docstring():
    body = function_body(open(ref.__file__).read(), "compute_cost")
    assert '"""' not in body and body.startswith("m = Y.shape[1]")


# ----------------------------------------------------------------------------- a wrong helper costs only itself
from solutions import deep_nn as deep_ref  # noqa: E402

D = "02_deep_nn"


def _wrong_linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)  # no 1/m


def _composite():
    """A correct linear_activation_backward whose module has a wrong linear_backward."""
    scope = {"np": np, "linear_backward": _wrong_linear_backward,
             "relu_backward": deep_ref.relu_backward, "sigmoid_backward": deep_ref.sigmoid_backward}
    exec("def linear_activation_backward(dA, cache, activation):\n"  # noqa: S102
         "    linear_cache, Z = cache\n"
         "    dZ = relu_backward(dA, Z) if activation == 'relu' else sigmoid_backward(dA, Z)\n"
         "    return linear_backward(dZ, linear_cache)\n", scope)
    return scope


def test_hidden_check_grades_a_function_with_the_reference_helpers(capsys):
    scope = _composite()
    check_hidden(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "hidden cases passed" in capsys.readouterr().out
    assert scope["linear_backward"] is _wrong_linear_backward, "the student's helper was not put back"
    with pytest.raises(WrongAnswer, match="m times too large"):
        check_hidden(D, "linear_backward", scope["linear_backward"])


def test_visible_check_at_autograde_uses_the_reference_helpers(capsys):
    scope = _composite()  # the reference is available here, as at autograde
    check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "known-value checks passed" in capsys.readouterr().out


def test_visible_check_without_reference_names_the_failing_helper(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKPROP_LAB_SOLUTIONS", raising=False)
    monkeypatch.chdir(tmp_path)  # a student's folder: no solutions/ anywhere above
    monkeypatch.delitem(sys.modules, "_backprop_lab_reference_deep_nn", raising=False)  # loaded by other tests
    scope = _composite()
    with pytest.raises(WrongAnswer) as err:
        check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])
    assert "calls linear_backward, which does not pass its own checks" in str(err.value)
    scope["linear_backward"] = deep_ref.linear_backward
    check_visible(D, "linear_activation_backward", scope["linear_activation_backward"])


# ----------------------------------------------------------------------------- return types, display, output, lines
def _message(assignment, name, fn, hidden=False):
    with pytest.raises(WrongAnswer) as err:
        (check_hidden if hidden else check_visible)(assignment, name, fn)
    return err.value


@pytest.mark.parametrize("hidden", [False, True])
def test_a_cost_returned_as_a_1x1_array_is_wrong_and_says_how_to_return_a_float(hidden):
    def classic(A2, Y):  # the form of many published answers
        m = Y.shape[1]
        return -1 / m * (np.dot(Y, np.log(A2).T) + np.dot(1 - Y, np.log(1 - A2).T))
    message = str(_message(A, "compute_cost", classic, hidden))
    assert "is a numpy array of dtype float64 and shape (1, 1)" in message and "float(x)" in message
    assert "must be a Python float" in message.splitlines()[0]
    check_visible(A, "compute_cost", lambda A2, Y: np.float64(ref.compute_cost(A2, Y)))  # a numpy float is a float


def test_conv_single_step_returned_as_an_array_is_wrong():
    from solutions import conv_backward as conv_ref

    def keeps_the_bias_shape(a_slice_prev, W, b):
        return np.sum(a_slice_prev * W) + b  # shape (1, 1, 1)
    message = str(_message("03_conv_backward", "conv_single_step", keeps_the_bias_shape))
    assert "shape (1, 1, 1)" in message and "must be a Python float" in message
    check_visible("03_conv_backward", "conv_single_step", conv_ref.conv_single_step)


def test_a_list_where_the_contract_names_a_tuple_is_wrong():
    def as_list(X, parameters):
        return list(ref.forward_propagation(X, parameters))
    message = " ".join(str(_message(A, "forward_propagation", as_list)).split())
    assert "returned a list, but must return a tuple: `return A2, cache`" in message


def test_float_of_a_shaped_bias_is_explained():
    def float_bias(a_slice_prev, W, b):
        return float(np.sum(a_slice_prev * W) + float(b))
    message = str(_message("03_conv_backward", "conv_single_step", float_bias))
    assert "x.item()" in message and "b[0, 0, 0]" in message and "`return float(np.sum" in message


def test_the_first_line_names_function_case_and_cause_and_display_has_no_grader_code():
    def transposed(parameters, cache, X, Y):
        grads = ref.backward_propagation(parameters, cache, X, Y)
        return dict(grads, dW2=grads["dW2"].T)
    wrong = _message(A, "backward_propagation", transposed)
    first = str(wrong).splitlines()[0]
    assert first == 'backward_propagation, known-value case 1: grads["dW2"] has shape (4, 1) but should have shape (1, 4);'
    shown = wrong._render_traceback_()
    plain = [line.replace("\x1b[0;31m", "").replace("\x1b[0m", "") for line in shown]
    assert plain[0].startswith("WrongAnswer: backward_propagation, known-value case 1:")
    assert all(len(line) <= 80 for line in plain), "nbgrader's Validate cuts longer lines"
    text = "\n".join(plain)
    assert "grader/" not in text and "check.py" not in text and "raise " not in text
    flat = " ".join(text.split())
    assert flat.count("has shape (4, 1) but should have shape (1, 4)") == 1, "the diagnosis is shown once"
    assert "write the product the other way round" in flat


def test_ipython_shows_only_the_diagnosis():
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shown = []
    original = shell._showtraceback
    shell._showtraceback = lambda etype, evalue, stb: shown.append(stb)
    try:
        shell.user_ns.update(np=np, check_visible=check_visible)
        shell.run_cell("def compute_cost(A2, Y):\n    return 1.0\ncheck_visible('01_shallow_nn', 'compute_cost', compute_cost)")
    finally:
        shell._showtraceback = original
    assert len(shown) == 1
    text = "\n".join(shown[0])
    assert "WrongAnswer" in text and "compute_cost, known-value case 1: cost is 1 but should be" in text
    assert "grader" not in text.replace("compute_cost", "") and "Traceback" not in text


def test_what_the_function_printed_is_shown_on_failure():
    def chatty(A2, Y):
        for i in range(20):
            print("debug line", i)
        return 0.0
    message = str(_message(A, "compute_cost", chatty))
    assert "your function printed:\n    debug line 0\n" in message and "debug line 7" in message
    assert "debug line 8" not in message and "(12 more lines)" in message


def test_lines_count_from_the_def_and_a_called_helper_is_named():
    scope = {"np": np}
    exec("import copy\n\n\ndef helper(A2):\n    return A2 @ A2\n\n\n"  # noqa: S102
         "def compute_cost(A2, Y):\n    m = Y.shape[1]\n    return float(helper(A2))\n", scope)
    message = str(_message(A, "compute_cost", scope["compute_cost"]))
    assert "in helper, line 2 of it" in message and "(called from line 3 of compute_cost" in message


def test_an_error_inside_a_course_helper_never_shows_its_source():
    # L_model_backward passing a wrong cache to linear_activation_backward, which is the reference while graded.
    scope = {"np": np, "linear_activation_backward": _wrong_linear_backward}
    exec("def L_model_backward(AL, Y, caches):\n"  # noqa: S102
         "    dA = -(Y / AL - (1 - Y) / (1 - AL))\n"
         "    dA0, dW1, db1 = linear_activation_backward(dA, caches[0][0], 'sigmoid')\n"
         "    return {'dA0': dA0, 'dW1': dW1, 'db1': db1}\n", scope)
    with pytest.raises(WrongAnswer) as err:
        check_hidden(D, "L_model_backward", scope["L_model_backward"])
    message = str(err.value)
    assert "inside the course's linear_activation_backward, called with your arguments" in message
    reference_lines = [line.strip() for line in open(deep_ref.__file__).read().splitlines() if len(line.strip()) > 8]
    assert not any(f"`{line}`" in message for line in reference_lines)


def test_in_place_hints_fit_how_the_input_was_changed():
    def aliasing_update(parameters, grads, learning_rate):
        new = parameters  # the dict alias of many published answers
        for k in ("W1", "b1", "W2", "b2"):
            new[k] = parameters[k] - learning_rate * grads["d" + k]
        return new
    message = str(_message(A, "update_parameters", aliasing_update))
    assert "wrote into the dict it was given" in message and "`new = {}`" in message and "W -= " not in message

    def relu_backward(dA, cache):
        dZ = dA
        dZ[cache <= 0] = 0
        return dZ
    message = str(_message(D, "relu_backward", relu_backward))
    assert "modified its input dA in place" in message and "`y = dA.copy()`" in message

    def numerical_gradient(cost_function, parameters, epsilon=1e-6):
        grads = {}
        for key, value in parameters.items():
            grad = np.zeros_like(value)
            for index in np.ndindex(value.shape):
                value[index] += epsilon
                plus = cost_function(parameters)
                value[index] -= 2 * epsilon
                minus = cost_function(parameters)
                value[index] += epsilon
                grad[index] = (plus - minus) / (2 * epsilon)
            grads["d" + key] = grad
        return grads
    message = str(_message(D, "numerical_gradient", numerical_gradient))
    assert "adding and subtracting eps does not restore a float exactly" in message


def test_two_mistakes_alike_on_a_case_give_one_cause():
    from grader.judge import _recognised
    from grader.exercise import Exercise, Mistake
    ex = Exercise("f", ("x",), "y", lambda ref, rng: [],
                  mistakes=(Mistake("a", "doing a", None), Mistake("b", "doing b", None)))
    causes = _recognised(ex, lambda: {"a": np.ones(3), "b": np.ones(3)}, "y", np.ones(3), np.zeros(3))
    assert causes == ["y is exactly what you get by doing a"]
