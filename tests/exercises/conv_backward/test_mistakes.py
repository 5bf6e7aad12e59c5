"""Diagnoses added for 03_conv_backward, all general: known mistakes recognised by their output,
empty axes from x[pad:-pad], and single numbers compared by value."""
import numpy as np
import pytest

from grader import WrongAnswer, check_hidden, check_visible
from grader.judge import run_cases
from grader.compare import diagnose
from grader.exercise import Case, Exercise, Mistake
from grader.runner import call
from solutions import conv_backward as ref

A = "03_conv_backward"


def one(problems):
    assert len(problems) == 1, problems
    return problems[0]


# --- the generic mechanism, on a toy exercise ---------------------------------------------------
TOY = Exercise("double", ("x",), ("y", "z"), cases=None, mistakes=(
    Mistake("triple", "multiplying by 3", lambda ref_, x: (3 * x, x)),
    Mistake("same", "a mistake that gives the right answer", lambda ref_, x: (2 * x, x))))


def toy_cases():
    x = np.arange(1.0, 5.0)
    return [(Case("toy", (x,)), (2 * x, x))]


def test_a_recognised_mistake_is_named_for_the_wrong_output_only():
    with pytest.raises(WrongAnswer) as err:
        run_cases(TOY, lambda x: (3 * x, x), toy_cases(), "hidden",
                  lambda case: {mk.name: mk.output(None, *case.args) for mk in TOY.mistakes})
    message = str(err.value)
    # The recognised cause comes first (in the first line), and replaces the generic "constant factor" line.
    assert message.splitlines()[0].endswith("y is exactly what you get by multiplying by 3")
    assert "1.5 times the expected value" not in message
    assert "z is exactly" not in message and "right answer" not in message


def test_an_unknown_mistake_gets_only_the_generic_diagnosis():
    with pytest.raises(WrongAnswer) as err:
        run_cases(TOY, lambda x: (x + 1, x), toy_cases(), "hidden",
                  lambda case: {mk.name: mk.output(None, *case.args) for mk in TOY.mistakes})
    assert "exactly what you get" not in str(err.value)


def test_mistakes_are_built_only_when_an_answer_is_wrong():
    built = []
    run_cases(TOY, lambda x: (2 * x, x), toy_cases(), "hidden", lambda case: built.append(1) or {})
    assert built == []


# --- general diagnoses --------------------------------------------------------------------------
def test_empty_axis_from_negative_slice_end():
    expected = np.ones((2, 5, 6, 3))
    message = one(diagnose(expected[:, 0:-0, 0:-0, :], expected, "dA_prev"))
    assert "shape (2, 0, 0, 3)" in message and "x[pad:-pad]" in message and "pad = 0" in message


def test_empty_axis_in_an_exception_is_explained():
    def crop(x, pad):
        out = np.zeros((4, 4))
        out[:, :] = x[pad:-pad, pad:-pad]
        return out
    result = call(crop, (np.ones((4, 4)), 0), ("x", "pad"))
    assert "could not broadcast" in result.error and "x[pad:-pad]" in result.error


def test_a_single_number_is_compared_by_value_not_by_factor():
    message = one(diagnose(6.18, 6.33, "Z"))
    assert message == "Z is 6.18 but should be 6.33"
    assert "wrong sign" in one(diagnose(-6.33, 6.33, "Z"))


# --- the conv exercises: each likely mistake is named -------------------------------------------
def _ignore_stride(dZ, cache):
    A_prev, W, b, hp = cache
    s, p, f = hp["stride"], hp["pad"], W.shape[0]
    A_pad = ref.zero_pad(A_prev, p)
    dA_pad, dW = np.zeros_like(A_pad), np.zeros_like(W)
    for i in range(dZ.shape[0]):
        for h in range(dZ.shape[1]):
            for w in range(dZ.shape[2]):
                for c in range(dZ.shape[3]):
                    dA_pad[i, h:h + f, w:w + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_pad[i, h:h + f, w:w + f, :] * dZ[i, h, w, c]
    db = dZ.sum(axis=(0, 1, 2), keepdims=True)
    return dA_pad[:, p:p + A_prev.shape[1], p:p + A_prev.shape[2], :], dW, db


def _uncropped(dZ, cache):
    A_prev, W, b, hp = cache
    p = hp["pad"]
    dA_pad, dW, db = ref.conv_backward(dZ, (ref.zero_pad(A_prev, p), W, b, {**hp, "pad": 0}))
    return dA_pad, dW, db


def _negative_crop(dZ, cache):
    A_prev, W, b, hp = cache
    p = hp["pad"]
    dA_pad, dW, db = _uncropped(dZ, cache)
    return dA_pad[:, p:-p, p:-p, :], dW, db


def _rotated(dZ, cache):
    A_prev, W, b, hp = cache
    return ref.conv_backward(dZ, (A_prev, W[::-1, ::-1], b, hp))


def _overwriting(dZ, cache):
    A_prev, W, b, hp = cache
    s, p, f = hp["stride"], hp["pad"], W.shape[0]
    A_pad = ref.zero_pad(A_prev, p)
    dW, db = np.zeros_like(W), np.zeros_like(b)
    for i in range(dZ.shape[0]):
        for h in range(dZ.shape[1]):
            for w in range(dZ.shape[2]):
                for c in range(dZ.shape[3]):
                    dW[:, :, :, c] = A_pad[i, h * s:h * s + f, w * s:w * s + f, :] * dZ[i, h, w, c]
                    db[:, :, :, c] = dZ[i, h, w, c]
    return ref.conv_backward(dZ, cache)[0], dW, db


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("wrong, words", [
    (_overwriting, "dW is exactly what you get by overwriting instead of accumulating"),
    (_overwriting, "db is exactly what you get by overwriting instead of accumulating"),
    (_ignore_stride, "dA_prev is exactly what you get by ignoring the stride"),
    (_ignore_stride, "dW is exactly what you get by ignoring the stride"),
    (_uncropped, "returning the gradient of the padded input"),
    (_negative_crop, "x[pad:-pad], which is empty when pad = 0"),
    (_rotated, "rotating the filter by 180 degrees"),
    (lambda dZ, cache: tuple(x / dZ.shape[0] for x in ref.conv_backward(dZ, cache)), "dW is m times too small"),
])
def test_conv_backward_mistakes_are_named(check, wrong, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, "conv_backward", wrong)
    assert words in str(err.value)


def test_forward_ignoring_stride_and_bias_are_named():
    def forward(A_prev, W, b, hp):
        Z, cache = ref.conv_forward(A_prev, W, b, {**hp, "stride": 1})
        n = (A_prev.shape[1] + 2 * hp["pad"] - W.shape[0]) // hp["stride"] + 1
        k = (A_prev.shape[2] + 2 * hp["pad"] - W.shape[0]) // hp["stride"] + 1
        return Z[:, :n, :k], (A_prev, W, b, hp)
    with pytest.raises(WrongAnswer, match="Z is exactly what you get by ignoring the stride"):
        check_visible(A, "conv_forward", forward)
    with pytest.raises(WrongAnswer, match="forgetting to add the bias"):
        check_hidden(A, "conv_forward", lambda A_prev, W, b, hp: (ref.conv_forward(A_prev, W, b, hp)[0] - b,
                                                                  (A_prev, W, b, hp)))


def test_zero_pad_on_every_axis_is_named():
    with pytest.raises(WrongAnswer, match="padding every axis of X"):
        check_visible(A, "zero_pad", lambda X, pad: np.pad(X, pad))


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("wrong, words", [
    (lambda dz, a, W: (dz * a, dz * W, float(dz)), "da_slice_prev is exactly what you get by swapping the roles"),
    (lambda dz, a, W: (W, a, 1.0), "dW is exactly what you get by leaving out the upstream gradient dz"),
    (lambda dz, a, W: (dz * W[::-1, ::-1], dz * a, float(dz)), "da_slice_prev is exactly what you get by rotating"),
    (lambda dz, a, W: (dz * W, dz * a, 1.0), "db is 1 but should be"),
])
def test_single_step_backward_mistakes_are_named(check, wrong, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, "single_step_backward", wrong)
    assert words in str(err.value)


@pytest.mark.parametrize("check", [check_visible, check_hidden])
@pytest.mark.parametrize("wrong, words", [
    (_ignore_stride, "dA_prev is exactly what you get by ignoring the stride"),
    (_negative_crop, "dA_prev is exactly what you get by cropping with a negative end"),
])
def test_fixed_conv_backward_names_both_bugs(check, wrong, words):
    with pytest.raises(WrongAnswer) as err:
        check(A, "fixed_conv_backward", wrong)
    assert words in str(err.value)


@pytest.mark.parametrize("name", ["zero_pad", "conv_single_step", "conv_forward", "single_step_backward",
                                  "conv_backward", "fixed_conv_backward"])
def test_reference_passes_visible_and_hidden(name, capsys):
    check_visible(A, name, getattr(ref, name))
    check_hidden(A, name, getattr(ref, name))
    out = capsys.readouterr()
    assert "known-value checks passed" in out.out and "hidden cases passed" in out.out and out.err == ""


def test_a_mistake_that_cannot_be_built_is_skipped():
    def broken(ref_, x):
        raise ValueError("cannot build this mistake here")
    ex = Exercise("double", ("x",), ("y", "z"), cases=None,
                  mistakes=(Mistake("broken", "never shown", broken),) + TOY.mistakes)
    from grader.judge import mistake_outputs
    with pytest.raises(WrongAnswer) as err:
        run_cases(ex, lambda x: (3 * x, x), toy_cases(), "hidden", lambda case: mistake_outputs(None, ex, case.args))
    assert "multiplying by 3" in str(err.value) and "never shown" not in str(err.value)
