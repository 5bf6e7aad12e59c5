"""The known-value sync test compares numbers with a tolerance: it ignores the last-bit noise of another
CPU's BLAS and still catches any real change of a reference or an exercise."""
import json

import numpy as np
import pytest

from grader import fixtures, reference
from grader.instructor import known_values

ASSIGNMENT = "01_shallow_nn"


def committed():
    return json.loads(fixtures.path_of(ASSIGNMENT).read_text())


def map_floats(table, change):
    """The table with change(array_or_float, rng) applied to every float array and float."""
    rng = np.random.default_rng(0)

    def walk(node):
        if isinstance(node, dict) and "__ndarray__" in node:
            values = np.array(node["__ndarray__"], dtype=node["dtype"])
            if values.dtype.kind == "f":
                node = dict(node, __ndarray__=change(values, rng).tolist())
            return node
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, float):
            return float(change(np.array(node), rng))
        return node
    return walk(table)


def test_last_bit_noise_of_another_cpu_is_not_a_difference():
    # 100 times the largest difference seen between two CPUs (1.7e-14 relative), on every entry.
    noisy = map_floats(committed(), lambda v, rng: v * (1 + 1.7e-12 * rng.uniform(-1, 1, v.shape)))
    assert known_values.differences(committed(), noisy) == []


def test_a_change_of_one_entry_by_1e_9_relative_is_caught():
    state = {"done": False}

    def once(values, rng):
        if state["done"] or values.size < 2:
            return values
        state["done"] = True
        changed = values.copy()
        changed.flat[-1] += 1e-9 * np.max(np.abs(values))
        return changed
    found = known_values.differences(committed(), map_floats(committed(), once))
    assert len(found) == 1 and "relative 1e-09" in found[0]


class Scaled:
    """A reference module whose function `name` returns its floats times (1 + rel)."""

    def __init__(self, ref, name, rel):
        self._ref, self._name, self._rel = ref, name, rel

    def __getattr__(self, attr):
        fn = getattr(self._ref, attr)
        if attr != self._name:
            return fn
        return lambda *args: scale(fn(*args), 1 + self._rel)


def scale(value, k):
    if isinstance(value, dict):
        return {key: scale(v, k) for key, v in value.items()}
    if isinstance(value, tuple):
        return tuple(scale(v, k) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value * k
    return value * k if isinstance(value, float) else value


@pytest.mark.parametrize("name", ["compute_cost", "backward_propagation"])
def test_a_reference_changed_by_1e_9_relative_is_caught(name):
    ref = reference.load(ASSIGNMENT)
    fresh = json.loads(known_values.render(ASSIGNMENT, Scaled(ref, name, 1e-9)))
    found = known_values.differences(committed(), fresh)
    # Other exercises may build their inputs with the changed function too; its own outputs must be among the finds.
    assert any(line.startswith(f"known values[{name!r}]") and "['expected']" in line for line in found), found


def test_structure_labels_shapes_and_dtypes_must_match():
    table = committed()
    name = sorted(table)[0]
    relabelled = json.loads(json.dumps(table))
    relabelled[name][0]["label"] += " (changed)"
    assert known_values.differences(table, relabelled)
    reshaped = json.loads(json.dumps(table).replace('"shape": [4, 1]', '"shape": [1, 4]', 1))
    assert known_values.differences(table, reshaped)
    retyped = json.loads(json.dumps(table).replace('"dtype": "float64"', '"dtype": "float32"', 1))
    assert known_values.differences(table, retyped)
    fewer = json.loads(json.dumps(table))
    fewer[name] = fewer[name][:-1]
    assert known_values.differences(table, fewer)
