"""Making the known values of the visible checks from the references (`python -m grader fixtures`), and
comparing two tables of them (the test that keeps the committed files in sync with the references)."""
import json
from pathlib import Path
from types import ModuleType

import numpy as np

from grader import reference
from grader.exercises import ASSIGNMENTS, exercises
from grader.fixtures import encode, path_of
from grader.judge import mistake_outputs, reference_output


def known_cases(assignment: str, reference: ModuleType) -> dict[str, list[dict]]:
    """{name: [{"label", "args", "expected", "m"}]} computed with the reference."""
    table = {}
    for name, ex in exercises(assignment).items():
        rows = []
        for case in list(ex.cases(reference, ex.visible_rng()))[:ex.n_known]:
            row = {"label": case.label, "m": case.m, "args": encode(case.args),
                   "expected": encode(reference_output(reference, name, case.args))}
            if ex.mistakes:
                # The outputs of the known mistakes, so that visible checks can recognise them too.
                row["mistakes"] = {k: encode(v) for k, v in mistake_outputs(reference, ex, case.args).items()}
            rows.append(row)
        table[name] = rows
    return table


def render(assignment: str, reference: ModuleType) -> str:
    table = known_cases(assignment, reference)
    rows = [f"{json.dumps(name)}: {json.dumps(table[name])}" for name in sorted(table)]
    return "{\n" + ",\n".join(rows) + "\n}\n"


# Known values are recomputed by each machine's BLAS, whose kernels depend on the CPU and the thread
# count: the same reference differs in the last bits (seen: 1.7e-14 relative). A real change of a
# reference or an exercise moves a value by far more than this tolerance (a test shows 1e-9 is caught).


SYNC_RTOL = 1e-10


def differences(committed: object, fresh: object, where: str = "known values") -> list[str]:
    """Where two tables of known values (as parsed from their JSON) disagree: structure, labels,
    shapes, dtypes and integers exactly, floats within SYNC_RTOL of the largest magnitude of their array."""
    if isinstance(committed, dict) and "__ndarray__" in committed:
        if not (isinstance(fresh, dict) and "__ndarray__" in fresh):
            return [f"{where}: an array became {type(fresh).__name__}"]
        if (committed["dtype"], committed["shape"]) != (fresh["dtype"], fresh["shape"]):
            return [f"{where}: {committed['dtype']} {committed['shape']} became {fresh['dtype']} {fresh['shape']}"]
        return _value_differences(np.array(committed["__ndarray__"], dtype=committed["dtype"]),
                                  np.array(fresh["__ndarray__"], dtype=fresh["dtype"]), where)
    if isinstance(committed, dict):
        if not isinstance(fresh, dict) or list(committed) != list(fresh):
            return [f"{where}: keys {list(committed)} became {list(fresh) if isinstance(fresh, dict) else fresh!r}"]
        return [d for key in committed for d in differences(committed[key], fresh[key], f"{where}[{key!r}]")]
    if isinstance(committed, list):
        if not isinstance(fresh, list) or len(committed) != len(fresh):
            return [f"{where}: a list of {len(committed)} became {fresh!r:.80}"]
        return [d for i, (c, f) in enumerate(zip(committed, fresh)) for d in differences(c, f, f"{where}[{i}]")]
    if isinstance(committed, float) and isinstance(fresh, float):
        return _value_differences(np.array(committed), np.array(fresh), where)
    if type(committed) is not type(fresh) or committed != fresh:
        return [f"{where}: {committed!r:.80} became {fresh!r:.80}"]
    return []


def _value_differences(committed, fresh, where):
    if committed.dtype.kind != "f":
        return [] if np.array_equal(committed, fresh) else [f"{where}: values changed"]
    finite = np.isfinite(committed)
    if not np.array_equal(finite, np.isfinite(fresh)) or not np.array_equal(committed[~finite], fresh[~finite],
                                                                            equal_nan=True):
        return [f"{where}: non-finite entries changed"]
    scale = max(float(np.max(np.abs(committed[finite]), initial=0.0)), float(np.max(np.abs(fresh[finite]), initial=0.0)))
    off = np.abs(committed[finite] - fresh[finite])
    if off.size and float(off.max()) > SYNC_RTOL * scale:
        return [f"{where}: changed by up to {float(off.max()):.3g} (relative {float(off.max()) / scale:.3g})"]
    return []


def write_all(assignments: list[str] | None = None) -> list[Path]:
    """Regenerate the known values of `assignments` (default: every assignment with a reference)."""
    written = []
    for assignment in assignments or ASSIGNMENTS:
        try:
            ref = reference.load(assignment)
            exercises(assignment)
        except (ModuleNotFoundError, reference.ReferenceUnavailable):
            continue
        path_of(assignment).write_text(render(assignment, ref))
        written.append(path_of(assignment))
    return written
