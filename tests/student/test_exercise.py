"""The seed rule of grader.exercise.Exercise: which generator draws which cases. The committed known values,
the in-kernel hidden tests and the trusted re-grade were all drawn with these exact generators, so a change here
would silently change every input (and desynchronise the fixtures)."""
import numpy as np

from grader.exercise import Exercise


def _ex(seed=1234):
    return Exercise("f", ("x",), "y", cases=lambda ref, rng: [], seed=seed)


def _draw(rng):
    return rng.standard_normal(8)


def test_hidden_is_the_exercise_seed():
    np.testing.assert_array_equal(_draw(_ex(77).hidden_rng()), _draw(np.random.default_rng(77)))


def test_visible_is_the_next_seed_and_differs_from_hidden():
    ex = _ex(77)
    np.testing.assert_array_equal(_draw(ex.visible_rng()), _draw(np.random.default_rng(78)))
    assert not np.array_equal(_draw(ex.visible_rng()), _draw(ex.hidden_rng()))


def test_fresh_mixes_the_grading_seed_with_the_exercise_seed():
    np.testing.assert_array_equal(_draw(_ex(77).fresh_rng(-5)), _draw(np.random.default_rng([5, 77])))
    assert not np.array_equal(_draw(_ex(77).fresh_rng(5)), _draw(_ex(78).fresh_rng(5)))
    assert not np.array_equal(_draw(_ex(77).fresh_rng(5)), _draw(_ex(77).fresh_rng(6)))


def test_each_call_starts_the_draw_again():
    ex = _ex()
    np.testing.assert_array_equal(_draw(ex.hidden_rng()), _draw(ex.hidden_rng()))
