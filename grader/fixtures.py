"""Known values for the visible checks: inputs and reference outputs stored as JSON, read here.

Students have the checking library but never `solutions/`; the instructor regenerates these files
from the references with `python -m grader fixtures` (grader.instructor.known_values; a test keeps
them in sync).
"""
import importlib
import json
from pathlib import Path
from typing import Any, Callable

import numpy as np

from grader.exercise import Case

FIXTURE_DIR = Path(__file__).parent / "fixtures"


def encode(value: Any) -> Any:
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


def decode(value: Any) -> Any:
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


def path_of(assignment: str) -> Path:
    return FIXTURE_DIR / f"{assignment}.json"


def load(assignment: str) -> dict:
    path = path_of(assignment)
    if not path.is_file():
        raise FileNotFoundError(f"no known values for {assignment} at {path}")
    return json.loads(path.read_text())


def visible_pairs(assignment: str, name: str) -> tuple[list[tuple[Case, Any]], Callable[[Case], dict]]:
    """([(Case, expected output)], mistakes) of the known values of `name`: mistakes(case) is {mistake: its output}."""
    rows = load(assignment)[name]
    pairs = [(Case(r["label"], decode(r["args"]), r["m"]), decode(r["expected"]))
             for r in rows]
    stored = {id(case): row.get("mistakes", {}) for (case, _), row in zip(pairs, rows)}
    return pairs, lambda case: {k: decode(v) for k, v in stored[id(case)].items()}
