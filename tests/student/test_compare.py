"""The diagnosis engine names the likely cause of a wrong output."""
import numpy as np
import pytest

from grader.compare import diagnose


@pytest.fixture
def expected():
    return np.random.default_rng(0).standard_normal((3, 4))


def one(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_equal_values_have_no_problem(expected):
    assert diagnose(expected + 1e-12, expected, "dW") == []


def test_scale_by_m(expected):
    assert "m times too large (m = 5" in one(diagnose(5 * expected, expected, "dW", m=5))
    assert "m times too small (m = 5" in one(diagnose(expected / 5, expected, "dW", m=5))


def test_sign(expected):
    assert "wrong sign" in one(diagnose(-expected, expected, "dW"))


def test_constant_factor(expected):
    assert "0.5 times the expected value" in one(diagnose(0.5 * expected, expected, "dW"))


def test_transposed_shape(expected):
    message = one(diagnose(expected.T, expected, "dW"))
    assert "shape (4, 3)" in message and "transpose" in message


def test_transposed_square():
    e = np.arange(9.0).reshape(3, 3)
    assert "transpose" in one(diagnose(e.T, e, "dW"))


def test_missing_keepdims():
    e = np.arange(3.0).reshape(3, 1) + 1
    assert "keepdims=True" in one(diagnose(e.ravel(), e, "db"))


def test_examples_summed_away():
    e = np.ones((2, 5))
    assert "examples" in one(diagnose(np.ones((2, 1)), e, "dZ", m=5))


def test_first_difference_with_values(expected):
    got = expected.copy()
    got[1, 2] += 1.0
    message = one(diagnose(got, expected, "dW"))
    assert "first difference at [1, 2]" in message and "1 of 12 entries differ" in message


def test_nan_is_reported(expected):
    got = expected.copy()
    got[0, 1] = np.nan
    assert "nan" in one(diagnose(got, expected, "dW"))


def test_dict_missing_key_and_wrong_value(expected):
    problems = diagnose({"dW1": 2 * expected}, {"dW1": expected, "db1": expected[:, :1]}, "grads", m=2)
    assert any("missing the key(s) ['db1']" in p for p in problems)
    assert any('grads["dW1"] is m times too large' in p for p in problems)


def test_tuple_and_none():
    assert "forget a return" in one(diagnose(None, np.ones(2), "A"))
    assert "should have 2 items" in one(diagnose((np.ones(2),), (np.ones(2), np.ones(2)), "out"))


def test_scalar_accepts_a_number_but_not_an_array():
    assert diagnose(np.float64(0.5), 0.5, "cost") == [] and diagnose(np.array(0.5), 0.5, "cost") == []
    # The contract says float: a (1, 1) array breaks later cells far from its cause.
    assert "must be a Python float" in one(diagnose(np.array([[0.5]]), 0.5, "cost"))
    assert "single number" in one(diagnose(np.ones(3), 0.5, "cost"))


class AlwaysEqual:
    """An object that claims to equal anything."""
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        raise TypeError("not numeric")


def test_objects_with_fake_equality_fail(expected):
    assert "should be a numpy array" in one(diagnose(AlwaysEqual(), expected, "dW"))


def test_bool_masks():
    e = np.array([[False, True], [False, False]])
    assert diagnose(e.copy(), e, "mask") == []
    assert "differs at [0, 0]" in one(diagnose(np.array([[True, True], [False, False]]), e, "mask"))
    assert "boolean" in one(diagnose(e.astype(float), e, "mask"))


def test_keys_off_by_one_are_named():
    expected = {"dA0": np.ones(2), "dA1": np.ones(3), "dW1": np.ones(2), "dW2": np.ones(3)}
    got = {"dA1": np.ones(2), "dA2": np.ones(3), "dW1": np.ones(2), "dW2": np.ones(3)}
    assert "has its keys off by one" in one(diagnose(got, expected, "grads"))
    assert "off by one" not in one(diagnose({"dA0": np.ones(2)}, expected, "grads"))
