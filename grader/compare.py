"""Compare a student's output with the expected one and explain the difference.

`diagnose(got, expected, name, m=None)` returns a list of human-readable problems (empty when the
outputs agree). Every value is converted to float64 before comparing, so an object whose `==`
or `__array__` pretends to match cannot pass unless its numbers are right.
"""
import numbers
from typing import Any

import numpy as np

from grader.messages import CONSTANT_FACTOR, EMPTY_AXIS_HINT

RTOL = 1e-6
ATOL = 1e-9


def close(got: np.ndarray, expected: np.ndarray) -> bool:
    """True when two float arrays of the same shape agree to RTOL/ATOL (NaN never agrees)."""
    return bool(np.allclose(got, expected, rtol=RTOL, atol=ATOL, equal_nan=False))


def _fmt(x):
    return np.format_float_positional(float(x), precision=6, unique=True, trim="-") \
        if abs(float(x)) >= 1e-4 or float(x) == 0 else f"{float(x):.6e}"


def as_float_array(value: Any) -> np.ndarray | None:
    """float64 copy of `value`, or None when it is not numeric data."""
    if isinstance(value, (str, bytes, dict)) or value is None:
        return None
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            return None
        return value.astype(np.float64)
    if isinstance(value, (numbers.Real, np.generic)) and not isinstance(value, np.complexfloating):
        return np.array(float(value))
    if isinstance(value, (list, tuple)):
        try:
            arr = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        return arr
    return None


def type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of dtype {value.dtype} and shape {value.shape}"
    kind = type(value)
    module = "" if kind.__module__ == "builtins" else kind.__module__ + "."
    return f"a {module}{kind.__name__}"


def _first_difference(got, expected):
    bad = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    idx = tuple(int(i) for i in np.argwhere(bad)[0])
    where = "[" + ", ".join(map(str, idx)) + "]" if idx else ""
    n_bad, n_all = int(bad.sum()), bad.size
    return (f"first difference at {where or 'the value'}: got {_fmt(got[idx])}, expected "
            f"{_fmt(expected[idx])}; {n_bad} of {n_all} entries differ")


def _scale_of(got, expected):
    """The constant k with got == k * expected, if there is one (else None)."""
    mask = np.abs(expected) > 1e-12 * max(1.0, float(np.abs(expected).max(initial=0.0)))
    if not mask.any() or not np.allclose(got[~mask], 0.0, atol=ATOL):
        return None
    ratios = got[mask] / expected[mask]
    k = float(ratios.flat[0])
    if np.allclose(ratios, k, rtol=1e-6, atol=0) and np.isfinite(k):
        return k
    return None


def explain_values(got: np.ndarray, expected: np.ndarray, m: int | None = None) -> str:
    """Why two same-shape float arrays differ: sign, transposition, scale by m, or where."""
    if not np.all(np.isfinite(got)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(got))[0])
        return (f"contains {got[bad]} at {list(bad)}: look for log(0), division by zero or an "
                f"overflow (a RuntimeWarning above may say where)")
    if np.all(got == 0) and np.any(expected != 0):
        return "is all zeros: is the result computed but never stored or accumulated?"
    if got.ndim == 2 and got.shape[0] == got.shape[1] > 1 and close(got, expected.T):
        return "is the transpose of the expected value: check the order of the matrix product"
    k = _scale_of(got, expected)
    if k is not None:
        if np.isclose(k, -1.0):
            return "has the wrong sign" + (" everywhere" if got.size > 1 else "") + ": check the signs in the formula"
        if m and m > 1 and np.isclose(k, m):
            return (f"is m times too large (m = {m} examples): average over the examples, "
                    f"i.e. divide the sum by m")
        if m and m > 1 and np.isclose(k, 1.0 / m):
            return (f"is m times too small (m = {m} examples): the 1/m of the averaged cost enters once, where "
                    f"the cost is averaged; look for a division by m that does not belong here")
        if m and m > 1 and np.isclose(k, -m):
            return f"is -m times the expected value (m = {m}): check both the sign and the 1/m"
        if got.size > 1:  # any two single numbers differ by a factor: it explains nothing
            return f"is {_fmt(k)} times the expected value everywhere: {CONSTANT_FACTOR}"
    if got.size == 1:
        return f"is {_fmt(got.flat[0])} but should be {_fmt(expected.flat[0])}"
    return _first_difference(got, expected)


def _shape_problem(g, e, m=None):
    if g.ndim == 2 and e.ndim == 2 and g.shape == e.shape[::-1] and close(g.T, e):
        return (f"has shape {g.shape} but should have shape {e.shape}; its values are those of the "
                f"transpose. A gradient has the shape of what it differentiates: write the product the other "
                f"way round (the transpose of X @ Y.T is Y @ X.T)")
    if g.size == e.size and close(g.reshape(e.shape), e):
        hint = " (use keepdims=True when you sum)" if g.ndim < e.ndim else ""
        return f"has the right values but shape {g.shape} instead of {e.shape}{hint}"
    if g.ndim == e.ndim and m and m > 1 and g.shape == tuple(1 if s == m else s for s in e.shape):
        return (f"has shape {g.shape} instead of {e.shape}: the m = {m} examples were summed or "
                f"averaged away where they should be kept")
    if g.ndim == e.ndim and m and m > 1 and e.shape == tuple(1 if s == m else s for s in g.shape):
        return (f"has shape {g.shape} instead of {e.shape}: the examples axis should be summed "
                f"(np.sum(..., axis=1, keepdims=True))")
    if m and m > 1 and m in g.shape and m not in e.shape and g.ndim == e.ndim == 2:
        return (f"has shape {g.shape} instead of {e.shape}: the m = {m} examples are still there; an elementwise "
                f"product * keeps them, a matrix product @ sums over them")
    if 0 in g.shape and 0 not in e.shape:
        return f"has shape {g.shape} instead of {e.shape}: {EMPTY_AXIS_HINT}"
    return f"has shape {g.shape} but should have shape {e.shape}"



def diagnose(got: Any, expected: Any, name: str, m: int | None = None) -> list[str]:
    """Problems with `got` compared with `expected`, each a sentence starting with `name`."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{name} should be a dict with keys {sorted(expected)}, got {type_name(got)}"]
        problems = []
        missing = [k for k in expected if k not in got]
        shifted = _shifted_keys(list(expected), list(got)) if missing else ""
        if shifted:
            return [f"{name} has its keys off by one: {shifted}"]
        if missing:
            problems.append(f"{name} is missing the key(s) {missing}")
        for key in expected:
            if key in got:
                problems += diagnose(got[key], expected[key], f'{name}["{key}"]', m)
        return problems
    if isinstance(expected, (tuple, list)) and not _is_numeric_sequence(expected):
        if not isinstance(got, (tuple, list)):
            return [f"{name} should be a {type(expected).__name__} of {len(expected)} items, got "
                    f"{type_name(got)}"]
        if len(got) != len(expected):
            return [f"{name} should have {len(expected)} items, got {len(got)}"]
        problems = []
        for i, (g, e) in enumerate(zip(got, expected)):
            problems += diagnose(g, e, f"{name}[{i}]", m)
        return problems
    if isinstance(expected, str):
        return [] if got == expected else [f"{name} should be {expected!r}, got {got!r}"]
    if got is None:
        return [f"{name} is None: did you forget a return statement?"]
    if isinstance(expected, np.ndarray) and expected.dtype == bool:
        return _diagnose_bool(got, expected, name)
    if isinstance(expected, float) and isinstance(got, np.ndarray) and got.ndim > 0 and got.size == 1:
        # The contract says float: an array of shape (1, 1) breaks later cells far from its cause.
        return [f"{name} is {type_name(got)}, but must be a Python float: return float(x) or x.item() of a "
                f"one-element array (a (1, 1) array breaks later cells)"]
    e = np.asarray(expected, dtype=np.float64)
    g = as_float_array(got)
    if g is None:
        want = "a number" if e.ndim == 0 else f"a numpy array of shape {e.shape}"
        return [f"{name} should be {want}, got {type_name(got)}"]
    if e.ndim == 0:
        if g.size != 1:
            return [f"{name} should be a single number, got an array of shape {g.shape}"]
        g = g.reshape(())
    elif g.shape != e.shape:
        return [f"{name} {_shape_problem(g, e, m)}"]
    if close(g, e):
        return []
    return [f"{name} {explain_values(g, e, m)}"]


def _shifted_keys(expected_keys, got_keys):
    """A sentence when some family of numbered keys is off by one (e.g. "dA1", "dA2" where "dA0", "dA1"
    belong), else ''."""
    def families(keys):
        out = {}
        for key in map(str, keys):
            stem = key.rstrip("0123456789")
            if stem != key:
                out.setdefault(stem, set()).add(int(key[len(stem):]))
        return out
    want, have = families(expected_keys), families(got_keys)
    for stem, indices in want.items():
        for shift in (1, -1):
            if have.get(stem) == {n + shift for n in indices}:
                first = min(indices)
                return (f'"{stem}{first + shift}" where "{stem}{first}" belongs, and so on (layer l\'s backward step '
                        f"gives dA{{l-1}}, dW{{l}} and db{{l}})")
    return ""


def _is_numeric_sequence(value):
    return len(value) > 0 and all(isinstance(v, numbers.Real) for v in value)


def _diagnose_bool(got, expected, name):
    g = np.asarray(got)
    if g.shape != expected.shape:
        return [f"{name} has shape {g.shape} but should have shape {expected.shape}"]
    if g.dtype != bool:
        return [f"{name} should be a boolean array (True where the maximum is), got dtype {g.dtype}"]
    if np.array_equal(g, expected):
        return []
    idx = tuple(int(i) for i in np.argwhere(g != expected)[0])
    return [f"{name} differs at {list(idx)}: got {bool(g[idx])}, expected {bool(expected[idx])}"]
