"""The package's structure holds: three rooms that import only downwards, no import cycle, no module reaching
into another's private names, every module importable alone. docs/AUTHORING.md ("Architecture") draws it."""
import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "grader"

# What each room may import of the others (the student's room is `grader` itself and grader.exercises).
ROOMS = {"student": set(), "sandbox": {"student"}, "instructor": {"student", "sandbox"}}
# The student's room runs in every student's kernel: the standard library and numpy only.
STUDENT_THIRD_PARTY = {"numpy"}


def modules(package: Path) -> dict[str, Path]:
    """{dotted name: file} of every module of the package below `package`."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def room(name: str) -> str:
    if name.endswith(".__main__"):  # `python -m grader`: the instructor's command line, only its door is here
        return "instructor"
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ("instructor", "sandbox") else "student"


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, list[str], int]]:
    """[(module imported, names taken from it, line)] for every import of the file, at any depth (a function's
    own import counts: it is still a dependency)."""
    found = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:  # `from grader import check`: the module check
                    found.append((sub, [], node.lineno))
                else:
                    found.append((base, [alias.name], node.lineno))
    return found


def graph(package: Path) -> dict[str, set[str]]:
    mods = modules(package)
    return {name: {target for target, _, _ in imports(name, path, set(mods)) if target in mods and target != name}
            for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as found by a depth-first walk (each listed once, from its first module)."""
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def room_violations(package: Path) -> list[str]:
    mods = modules(package)
    out = []
    for name, path in mods.items():
        for target, _, line in imports(name, path, set(mods)):
            top = target.split(".")[0]
            if top == package.name:
                if room(target) != room(name) and room(target) not in ROOMS[room(name)]:
                    out.append(f"{path.name}:{line}: the {room(name)} room imports {target} ({room(target)})")
            elif room(name) == "student" and top and top not in sys.stdlib_module_names \
                    and top not in STUDENT_THIRD_PARTY:
                out.append(f"{path.name}:{line}: the student's room imports {top}")
    return out


def private_reach_ins(package: Path) -> list[str]:
    """`from grader.x import _name` and `x._name` on a module imported from the package."""
    mods = modules(package)
    out = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text())
        aliases = {}
        for target, names, line in imports(name, path, set(mods)):
            if target in mods and target != name:
                out += [f"{path.name}:{line}: takes {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package.name:
                for alias in node.names:
                    if f"{node.module}.{alias.name}" in mods:
                        aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in mods and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases \
                    and node.attr.startswith("_") and not node.attr.startswith("__") and aliases[node.value.id] != name:
                out.append(f"{path.name}:{node.lineno}: uses {aliases[node.value.id]}.{node.attr}")
    return out


def test_no_import_cycles():
    assert cycles(graph(PACKAGE)) == []


def test_rooms_import_only_downwards():
    assert room_violations(PACKAGE) == []


def test_no_private_names_across_modules():
    assert private_reach_ins(PACKAGE) == []


@pytest.mark.parametrize("name", [n for n in modules(PACKAGE) if n != "grader.__main__"])
def test_every_module_imports_alone(name):
    proc = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_checks_can_fail(tmp_path):
    """Each rule finds its breach in a small package made to break it."""
    pkg = tmp_path / "grader"
    files = {
        "__init__.py": "",
        "check.py": "from grader import compare\nfrom grader.instructor import batch\nimport nbgrader\n",
        "compare.py": "import grader.check\nx = grader.check._hidden\n",
        "instructor/__init__.py": "",
        "instructor/batch.py": "from grader.compare import _private\n",
        "sandbox/__init__.py": "",
        "sandbox/trusted.py": "from grader.instructor import batch as b\nb._run()\n",
    }
    for rel, text in files.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(textwrap.dedent(text))
    assert ["grader.check", "grader.compare", "grader.check"] in cycles(graph(pkg))
    violations = room_violations(pkg)
    assert any("student room imports grader.instructor.batch" in v for v in violations)
    assert any("student's room imports nbgrader" in v for v in violations)
    assert any("sandbox room imports grader.instructor.batch" in v for v in violations)
    reach = private_reach_ins(pkg)
    assert any("takes grader.compare._private" in r for r in reach)
    assert any("uses grader.instructor.batch._run" in r for r in reach)
