"""06_one_network's checks beyond the known values, which its notebook imports: softmax's shift invariance, and
the fast convolution against a loop version."""
import contextlib
from typing import Callable, Optional

import numpy as np

from grader import compare, reference, runner
from grader.helpers import other_answers_replaced
from grader.messages import WrongAnswer
from grader.exercises.one_network.cases import layer, one_hot


def _call(fn, args, names, label):
    result = runner.call(fn, args, names)
    if result.error:
        raise WrongAnswer(f"{getattr(fn, '__name__', 'the function')} {result.error} (case '{label}')")
    return result.value


def check_shift_invariance(softmax_cross_entropy: Callable) -> None:
    """Raise WrongAnswer unless adding a large constant to every score changes neither output (softmax is
    shift-invariant; a version without the max shift overflows). Needs no reference."""
    __tracebackhide__ = True
    rng = np.random.default_rng(606)
    for n_classes, m, shift in [(3, 4, 800.0), (5, 2, -900.0), (4, 6, 1e4)]:
        scores = rng.standard_normal((n_classes, m))
        Y = one_hot(rng, n_classes, m)
        label = f"{n_classes} classes, {m} examples, every score + {shift:g}"
        base = _call(softmax_cross_entropy, (scores, Y), ("scores", "Y"), label.split(", every")[0])
        moved = _call(softmax_cross_entropy, (scores + shift, Y), ("scores", "Y"), label)
        for index, name in enumerate(("cost", "dscores")):
            b, s = (compare.as_float_array(v[index]) if isinstance(v, tuple) and len(v) == 2 else None
                    for v in (base, moved))
            if b is None or s is None or b.shape != s.shape:
                raise WrongAnswer("softmax_cross_entropy should return a tuple (cost, dscores) of numbers")
            if not np.all(np.isfinite(s)):
                raise WrongAnswer(
                    f"softmax_cross_entropy overflows on the case '{label}': {name} is not finite. exp(800) is "
                    f"inf in float64; softmax does not change when the same number is subtracted from every "
                    f"score of a column, so subtract the column's maximum first")
            if not compare.close(s, b):
                raise WrongAnswer(f"softmax_cross_entropy changes when every score is shifted by {shift:g} "
                                  f"(case '{label}'): {name} {compare.explain_values(s, b)}. Softmax is "
                                  f"shift-invariant, and so is the cost")
    print("\u2713 softmax_cross_entropy: stable and unchanged by a shift of the scores (3 cases)")


# Geometries of the comparison with the loop version: every stride 1-3 with every pad 0-2.
AGAINST_LOOPS = [(2, 7, 6, 3, 3, 4, stride, pad) for stride in (1, 2, 3) for pad in (0, 1, 2)]


def check_against_loops(conv_forward_fast: Callable, conv_backward_fast: Callable,
                        conv_backward: Optional[Callable] = None) -> None:
    """Raise WrongAnswer unless conv_forward_fast/conv_backward_fast agree with a loop conv_backward on strides
    1-3 and pads 0-2: the given one (the student's, in the notebook) or 03's reference (at grading). The
    forward pass is checked against the loops through its cache and by a directional derivative."""
    __tracebackhide__ = True
    if conv_backward is None:
        conv_backward = reference.load("03_conv_backward").conv_backward
    with contextlib.ExitStack() as stack:
        try:
            ref = reference.load("06_one_network")
        except reference.ReferenceUnavailable:
            ref = None
        if ref is not None:  # at grading, a wrong im2col or col2im costs only its own points
            for name, fn in (("conv_forward_fast", conv_forward_fast), ("conv_backward_fast", conv_backward_fast)):
                stack.enter_context(other_answers_replaced("06_one_network", name, fn, ref))
        _against_loops(conv_forward_fast, conv_backward_fast, conv_backward)
    print(f"\u2713 conv_forward_fast and conv_backward_fast agree with the loop conv_backward on "
          f"{len(AGAINST_LOOPS)} layers (strides 1-3, pads 0-2)")


def _against_loops(conv_forward_fast, conv_backward_fast, conv_backward):
    __tracebackhide__ = True
    rng = np.random.default_rng(303)
    for m, n_H, n_W, n_C_prev, f, n_C, stride, pad in AGAINST_LOOPS:
        A_prev, W, b, hp = layer(rng, m, n_H, n_W, n_C_prev, f, n_C, stride, pad)
        label = f"stride {stride}, pad {pad}, A_prev {A_prev.shape}, W {W.shape}"
        n_out = ((n_H + 2 * pad - f) // stride + 1, (n_W + 2 * pad - f) // stride + 1)
        dZ = rng.standard_normal((m, *n_out, n_C))
        cache = (A_prev, W, b, hp)
        expected = _call(conv_backward, (dZ, cache), ("dZ", "cache"), label)
        got = _call(conv_backward_fast, (dZ, cache), ("dZ", "cache"), label)
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise WrongAnswer("conv_backward_fast should return a tuple (dA_prev, dW, db)")
        for name, g, e in zip(("dA_prev", "dW", "db"), got, expected):
            problems = compare.diagnose(g, np.asarray(e, dtype=np.float64), name, m)
            if problems:
                raise WrongAnswer(f"conv_backward_fast disagrees with the loop conv_backward on the case "
                                  f"'{label}':\n  - " + "\n  - ".join(problems))
        # Z is linear in W: sum(dZ * Z) = sum(dW * W) + sum(db * b) for the dW, db of the loops.
        out = _call(conv_forward_fast, (A_prev, W, b, hp), ("A_prev", "W", "b", "hparameters"), label)
        Z = compare.as_float_array(out[0] if isinstance(out, (tuple, list)) else None)
        if Z is None or Z.shape != dZ.shape:
            raise WrongAnswer(f"conv_forward_fast should return (Z, cache) with Z of shape {dZ.shape} on the "
                              f"case '{label}'")
        lhs, rhs = float(np.sum(dZ * Z)), float(np.sum(expected[1] * W) + np.sum(expected[2] * b))
        if not np.isclose(lhs, rhs, rtol=1e-8, atol=1e-8):
            raise WrongAnswer(f"conv_forward_fast's Z does not match the loop conv_backward's gradients on the "
                              f"case '{label}' (sum(dZ * Z) = {lhs:.6g} but sum(dW * W) + sum(db * b) = "
                              f"{rhs:.6g}): check the order of W's reshape against im2col's columns")
