"""Reading a submitted notebook for the trusted re-grade, without ever running it: its code cells as
text (JSON only, no nbformat), the cells the sandbox runs for one function, and static signs of
tampering. Nothing here imports or executes student code."""
import ast
import json
from pathlib import Path

from grader.cells import cell_source, grade_id, is_code, nbgrader_meta

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024


class UnreadableNotebook(ValueError):
    pass


def student_cells(notebook_path: str | Path) -> tuple[bytes, list]:
    """(raw bytes, [(name, source, nbgrader metadata)] of the code cells): JSON only, no nbformat
    validation (a broken notebook must still be graded as far as possible). Every code cell counts, marked or
    not (an answer's helpers may sit in an ordinary cell), so this is not grader.cells.answer_cells; a cell is
    read with grader.cells, which is as wary of the student's metadata as this reader must be."""
    path = Path(notebook_path)
    if not path.is_file():
        raise UnreadableNotebook(f"no notebook at {path.name}")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise UnreadableNotebook("the notebook is larger than 50 MB")
    raw = path.read_bytes()
    try:
        nb = json.loads(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        raise UnreadableNotebook("the notebook is not valid JSON") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise UnreadableNotebook("the notebook has no list of cells")
    out = []
    for i, cell in enumerate(cells):
        if is_code(cell):
            out.append((grade_id(cell) or f"{i + 1}", cell_source(cell), nbgrader_meta(cell)))
    return raw, out


def program_for(cells: list, function: str) -> list:
    """The cells whose definitions the sandbox runs before calling `function`: every code cell up
    to and including the answer cell of `function` (all of them if it was deleted or renamed),
    except autograded test cells (grade: true), whatever they contain."""
    upto = len(cells)
    for i, (name, _src, meta) in enumerate(cells):
        if name == function and meta.get("solution"):
            upto = i + 1
            break
    return [[name, src] for name, src, meta in cells[:upto] if not meta.get("grade")]


# Static signs of tampering, reported as flags (they never change a score by themselves).
_SUSPICIOUS_MODULES = {"numpy", "np", "grader", "compare", "check", "runner", "builtins", "sys", "os",
                       "reference", "importlib", "nbgrader"}
_SUSPICIOUS_TEXT = [("solutions", "mentions the hidden solutions folder"),
                    ("BACKPROP_LAB_SOLUTIONS", "reads the variable that locates the hidden references"),
                    ("grader.reference", "uses the grader's reference loader"),
                    ("os._exit", "calls os._exit"),
                    ("sys.modules", "edits the module table")]


def indicators(source: str) -> list[str]:
    """Sentences naming tampering patterns in a cell (monkeypatching modules, custom equality,
    reaching for the references)."""
    try:
        tree = ast.parse(source)
        code = ast.unparse(tree)  # without comments
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [f"{why} ({text})" for text, why in _SUSPICIOUS_TEXT if text in source]
    found = [f"{why} ({text})" for text, why in _SUSPICIOUS_TEXT if text in code]
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            base = target
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(target, ast.Attribute) and isinstance(base, ast.Name) and base.id in _SUSPICIOUS_MODULES:
                found.append(f"replaces {ast.unparse(target)}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setattr" and node.args \
                and isinstance(node.args[0], (ast.Name, ast.Attribute)):
            base = node.args[0]
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in _SUSPICIOUS_MODULES:
                found.append(f"setattr on {ast.unparse(node.args[0])}")
        if isinstance(node, ast.FunctionDef) and node.name in ("__eq__", "__ne__", "__array__", "__bool__",
                                                                  "__array_ufunc__", "__array_function__"):
            found.append(f"defines {node.name} (objects that fake comparisons are not accepted)")
    return list(dict.fromkeys(found))[:10]
