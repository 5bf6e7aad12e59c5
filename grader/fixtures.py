"""Known values for the visible checks: inputs and reference outputs stored as JSON.

Students have the checking library but never `solutions/`; the instructor regenerates these files
from the references with `python -m grader fixtures` (a test keeps them in sync).
"""
import importlib
import json
from pathlib import Path

import numpy as np

from grader.exercises import ASSIGNMENTS, exercises

FIXTURE_DIR = Path(__file__).parent / "fixtures"


def encode(value):
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[k, encode(v)] for k, v in value.items()]}
    if isinstance(value, np.generic):
        return value.item()
    if callable(value) and str(getattr(value, "__module__", "")).startswith("grader."):
        return {"__function__": [value.__module__, value.__qualname__]}  # e.g. a cost to differentiate
    return value


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.array(value["__ndarray__"], dtype=value["dtype"]).reshape(value["shape"])
        if "__tuple__" in value:
            return tuple(decode(v) for v in value["__tuple__"])
        if "__dict__" in value:
            return {k: decode(v) for k, v in value["__dict__"]}
        if "__function__" in value:
            module, name = value["__function__"]
            if not module.startswith("grader."):
                raise ValueError(f"fixtures only name functions of the grader package, not {module}")
            return getattr(importlib.import_module(module), name)
    return value


def path_of(assignment):
    return FIXTURE_DIR / f"{assignment}.json"


def known_cases(assignment, reference):
    """{name: [{"label", "args", "expected", "m"}]} computed with the reference."""
    from grader.check import mistake_outputs, reference_output
    table = {}
    for name, ex in exercises(assignment).items():
        rng = np.random.default_rng(ex.seed + 1)
        rows = []
        for case in list(ex.cases(reference, rng))[:ex.n_known]:
            row = {"label": case.label, "m": case.m, "args": encode(case.args),
                   "expected": encode(reference_output(reference, name, case.args))}
            if ex.mistakes:
                # The outputs of the known mistakes, so that visible checks can recognise them too.
                row["mistakes"] = {k: encode(v) for k, v in mistake_outputs(reference, ex, case.args).items()}
            rows.append(row)
        table[name] = rows
    return table


def render(assignment, reference):
    table = known_cases(assignment, reference)
    rows = [f"{json.dumps(name)}: {json.dumps(table[name])}" for name in sorted(table)]
    return "{\n" + ",\n".join(rows) + "\n}\n"


def load(assignment):
    path = path_of(assignment)
    if not path.is_file():
        raise FileNotFoundError(f"no known values for {assignment} at {path}")
    return json.loads(path.read_text())


def write_all():
    from grader import reference
    written = []
    for assignment in ASSIGNMENTS:
        try:
            ref = reference.load(assignment)
            exercises(assignment)
        except (ModuleNotFoundError, reference.ReferenceUnavailable):
            continue
        path_of(assignment).write_text(render(assignment, ref))
        written.append(path_of(assignment))
    return written
