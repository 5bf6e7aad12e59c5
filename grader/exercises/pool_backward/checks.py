"""04_pool_backward's check that the gradient's total is preserved: a check that needs no reference (the cache
of a pooling layer is only its input and hyperparameters), run by the hidden tests of pool_backward."""
from typing import Callable

import numpy as np

from grader import compare, runner
from grader.helpers import helpers_rule
from grader.messages import WrongAnswer


RULE = {
    "average": ("Each output's gradient must be split among the f * f entries of its window, not "
                "copied (divide by f * f), and every window's share must be added (+=) to dA_prev, "
                "not overwrite another window's share."),
    "max": ("Each output's gradient goes whole to exactly one entry of its window (the first maximum), "
            "and every window's share must be added (+=) to dA_prev, not overwrite another window's share."),
}
TOTAL_LAYERS = [((2, 9, 8, 3), 3, 2), ((1, 6, 7, 2), 2, 1), ((3, 8, 8, 2), 2, 2), ((2, 7, 9, 1), 2, 3)]


def check_gradient_total(pool_backward: Callable, mode: str = "average") -> None:
    """Raise WrongAnswer unless the total of dA_prev equals the total of dA on several layers (under the helper
    rule of every check: the mask and distribute helpers it calls are the reference's while graded)."""
    __tracebackhide__ = True
    with helpers_rule("04_pool_backward", "pool_backward", pool_backward):
        check_gradient_total_without_rule(pool_backward, mode)
    print(f"\u2713 pool_backward ({mode}): the gradient's total is preserved on {len(TOTAL_LAYERS)} layers")


def check_gradient_total_without_rule(pool_backward: Callable, mode: str) -> None:
    """check_gradient_total with whatever helpers pool_backward finds (a test shows why the rule is needed)."""
    __tracebackhide__ = True
    rng = np.random.default_rng(77)
    for shape, f, stride in TOTAL_LAYERS:
        A_prev = rng.standard_normal(shape)
        hparameters = {"f": f, "stride": stride}
        n_H, n_W = (shape[1] - f) // stride + 1, (shape[2] - f) // stride + 1
        dA = rng.standard_normal((shape[0], n_H, n_W, shape[3]))
        label = f"{mode}, A_prev {shape}, f = {f}, stride {stride}"
        result = runner.call(pool_backward, (dA, (A_prev, hparameters), mode), ("dA", "cache", "mode"))
        if result.error:
            raise WrongAnswer(f"pool_backward {result.error} (case '{label}')")
        got = compare.as_float_array(result.value)
        if got is None:
            raise WrongAnswer(f"pool_backward should return a numpy array of shape {shape}, got "
                              f"{compare.type_name(result.value)} (case '{label}')")
        if got.shape != shape:
            raise WrongAnswer(f"pool_backward returned shape {got.shape} for A_prev of shape {shape} "
                              f"(case '{label}')")
        if not np.isclose(got.sum(), dA.sum(), rtol=1e-9, atol=1e-9):
            raise WrongAnswer(
                f"pool_backward does not preserve the gradient's total on the case '{label}': the "
                f"entries of dA sum to {dA.sum():.6g} but those of dA_prev to {got.sum():.6g} "
                f"({got.sum() / dA.sum():.4g} times as much). {RULE[mode]}")
