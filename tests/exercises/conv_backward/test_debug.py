"""The debug exercise of 03_conv_backward: the notebook's conv_backward_buggy has exactly the two bugs it claims,
each shows on its own known-value case of fixed_conv_backward and is named there, and fixing both passes."""
import numpy as np
import pytest

from grader import WrongAnswer, check_visible
from grader.instructor.notebook import read, source_path
from solutions import conv_backward as ref

A = "03_conv_backward"
STRIDE_BUG, STRIDE_FIX = "vert_start, horiz_start = h, w", "vert_start, horiz_start = h * s, w * s"
CROP_BUG, CROP_FIX = "dA_prev_pad[:, p:-p, p:-p, :]", "dA_prev_pad[:, p:p + A_prev.shape[1], p:p + A_prev.shape[2], :]"


def buggy_source():
    cells = [c.source for c in read(source_path(A)).cells if c.source.startswith("def conv_backward_buggy")]
    assert len(cells) == 1
    assert STRIDE_BUG in cells[0] and CROP_BUG in cells[0]
    return cells[0]


def define(source):
    scope = {"np": np, "zero_pad": ref.zero_pad}
    exec(source, scope)
    return scope["conv_backward_buggy"]


def messages(fn):
    try:
        check_visible(A, "fixed_conv_backward", fn)
    except WrongAnswer as err:
        return str(err)
    return ""


def test_the_buggy_version_passes_stride_1_pad_1():
    buggy = define(buggy_source())
    rng = np.random.default_rng(0)
    Z, cache = ref.conv_forward(rng.standard_normal((2, 4, 5, 3)), rng.standard_normal((3, 3, 3, 4)),
                                rng.standard_normal((1, 1, 1, 4)), {"stride": 1, "pad": 1})
    dZ = rng.standard_normal(Z.shape)
    for x, y in zip(buggy(dZ, cache), ref.conv_backward(dZ, cache)):
        np.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("fixes, named", [
    ((), "ignoring the stride"),
    (((STRIDE_BUG, STRIDE_FIX),), "cropping with a negative end"),
    (((CROP_BUG, CROP_FIX),), "ignoring the stride"),
])
def test_each_bug_shows_on_a_known_case_and_is_named(fixes, named):
    source = buggy_source()
    for bug, fix in fixes:
        source = source.replace(bug, fix)
    assert named in messages(define(source))


def test_fixing_both_bugs_passes():
    source = buggy_source().replace(STRIDE_BUG, STRIDE_FIX).replace(CROP_BUG, CROP_FIX)
    assert messages(define(source)) == ""
