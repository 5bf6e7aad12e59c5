"""The untrusted side of trusted re-grading: the program run INSIDE the sandbox, on the student's code.

Its text is sent to a fresh `python -I -B -c <this source>` process (or exec'd by the sandbox's shared
interpreter, grader/sandbox/zygote.py). It reads one job from stdin (the definitions of the student's
notebook, the name of the function and the inputs of every case), then, case by case, calls the
function and writes a record (its outputs, the inputs after the call, errors, warnings, captured
prints) to the result channel (the original stdout; fd 1 is pointed at /dev/null before any
student code runs, so prints cannot corrupt the channel). The records use grader.sandbox.wire.

Only this file's text is shipped; it imports `grader.sandbox.wire` and `grader.runner` like any
module. That works with both backends: the interpreter is the grading environment's own python,
whose site-packages (with the install of `grader`, editable or not) are on sys.path even under
`-I`, and bubblewrap bind-mounts those prefixes and the `grader` package read-only at the same
paths (grader.sandbox.isolate.interpreter_roots); the fallback backend sees the host filesystem.
The imports run before the audit hook is installed. The trusted grader never imports this module.
"""
import ast
import builtins
import contextlib
import linecache
import os
import sys
import time
import traceback
import warnings

from grader.runner import BoundedWriter
from grader.sandbox.process import write_all
from grader.sandbox.wire import pack, unpack

# ----------------------------------------------------------------------------- which code runs
KEEP = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Imported lazily (on first use): slow to import and never needed to compute a graded result.
LAZY_PACKAGES = {"matplotlib", "IPython", "ipywidgets", "seaborn", "pandas", "tqdm", "PIL",
                 "plotly", "scipy", "sklearn", "torch"}


def _calls_outside_lambdas(node):
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Lambda):
            continue
        if isinstance(item, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return True
        stack.extend(ast.iter_child_nodes(item))
    return False


def definitions(source: str) -> tuple[list[ast.stmt] | None, int]:
    """The top-level statements of a cell that define things: imports, functions, classes, and
    assignments that call nothing (constants, lambdas, aliases). Everything else (training loops,
    plots, prints, test calls, os._exit) is left out. Returns (kept nodes, dropped count)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None, 0
    kept, dropped = [], 0
    for node in tree.body:
        if isinstance(node, KEEP) or (isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
                                      and not _calls_outside_lambdas(node)):
            kept.append(node)
        else:
            dropped += 1
    return kept, dropped


class _Lazy:
    """A module (or attribute of one) imported on first use."""

    def __init__(self, module, attr=None):
        object.__setattr__(self, "_spec", (module, attr))

    def _load(self):
        import importlib
        module, attr = object.__getattribute__(self, "_spec")
        target = importlib.import_module(module)
        return getattr(target, attr) if attr else target

    def __getattr__(self, name):
        return getattr(self._load(), name)

    def __call__(self, *args, **kwargs):
        return self._load()(*args, **kwargs)


def _lazy_import(node, namespace):
    """Bind the names of an import of a LAZY_PACKAGES module without importing it; else False."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level or not node.module or any(a.name == "*" for a in node.names):
            return False
        names = [node.module]
    if not all(n.split(".")[0] in LAZY_PACKAGES for n in names):
        return False
    for alias in node.names:
        if isinstance(node, ast.Import):
            if alias.asname:
                namespace[alias.asname] = _Lazy(alias.name)
            else:
                namespace[alias.name.split(".")[0]] = _Lazy(alias.name.split(".")[0])
        else:
            namespace[alias.asname or alias.name] = _Lazy(node.module, alias.name)
    return True


# ----------------------------------------------------------------------------- audit hook
BLOCKED_PREFIXES = ("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                    "os.forkpty", "pty.", "ctypes.", "socket.", "os.kill", "os.killpg", "signal.pthread_kill",
                    "sys.remote_exec", "winreg.", "webbrowser.", "urllib.Request")
PATH_EVENTS = {"open": 0, "os.listdir": 0, "os.scandir": 0, "os.chdir": 0, "os.mkdir": 0, "os.remove": 0,
               "os.rename": 0, "os.rmdir": 0, "os.symlink": 1, "os.link": 1, "os.truncate": 0,
               "os.chmod": 0, "os.chown": 0, "os.utime": 0, "shutil.copyfile": 0, "glob.glob": 0,
               "os.walk": 0, "shutil.rmtree": 0, "os.listxattr": 0, "os.getxattr": 0}


def install_guard(allow: list[str], deny: list[str], denied: list[str]) -> None:
    """Best-effort second line of defence (the sandbox is the first): an audit hook that refuses
    file access outside `allow` (or inside `deny`, longest prefix wins), process creation, ctypes
    and sockets, and records each refusal in `denied`. Not a security boundary on its own."""
    roots = sorted([(os.path.realpath(p), True) for p in allow] + [(os.path.realpath(p), False) for p in deny],
                   key=lambda r: -len(r[0]))
    realpath, fspath, sep = os.path.realpath, os.fspath, os.sep

    def allowed(path):
        for root, ok in roots:
            if path == root or path.startswith(root.rstrip(sep) + sep):
                return ok
        return False

    def refuse(what):
        if len(denied) < 50:
            denied.append(what[:300])
        raise PermissionError(f"blocked by the grading sandbox: {what[:300]}")

    def hook(event, args):
        if event.startswith(BLOCKED_PREFIXES):
            refuse(event)
        index = PATH_EVENTS.get(event)
        if index is None or len(args) <= index:
            return
        path = args[index]
        if isinstance(path, int) or path is None:
            return
        try:
            path = fspath(path)
            if isinstance(path, bytes):
                path = path.decode(errors="replace")
            full = realpath(path)
        except Exception:  # noqa: BLE001 - an odd path argument is refused
            refuse(f"{event} {path!r}")
        if not allowed(full):
            refuse(f"{event} {full}")

    sys.addaudithook(hook)


# ----------------------------------------------------------------------------- calling
class _Bounded(BoundedWriter):
    """The kernel's capped capture of prints (grader.runner), also for student code that writes
    non-str objects to sys.stdout (turned into text instead of breaking the record)."""

    def write(self, text: object) -> int:
        return super().write(str(text))


def _exception_info(exc):
    """The parts of an exception the trusted side needs to write the message (as plain data)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith("<cell")]
    last = frames[-1] if frames else None
    return {"type": type(exc).__name__, "message": str(exc)[:500],
            "lineno": last.lineno if last else None, "line": (last.line or "").strip()[:300] if last else "",
            "is": [k.__name__ for k in (NotImplementedError, ValueError, IndexError, NameError)
                   if isinstance(exc, k)]}


def _call(fn, args):
    out, err = _Bounded(), _Bounded()
    record = {"value": None, "error": ""}
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                record["value"] = fn(*args)
            except SystemExit as exc:
                record["error"] = {"exit": str(exc.code)[:100]}
            except BaseException as exc:  # noqa: BLE001 - any student error becomes a message
                record["error"] = _exception_info(exc)
    record["seconds"] = time.perf_counter() - start
    record["warnings"] = sorted({f"{w.category.__name__}: {str(w.message)[:300]}" for w in caught})[:20]
    record["stdout"], record["stderr"] = out.getvalue(), err.getvalue()
    record["args_after"] = args
    return record


def _send(channel, obj):
    try:
        data = pack(obj)
    except Exception as exc:  # noqa: BLE001 - e.g. a student object that breaks while being read
        fallback = {key: obj.get(key) for key in ("case", "error", "warnings", "stdout", "stderr", "denied")}
        fallback["value"] = None
        fallback["args_after"] = None
        fallback["error"] = (obj.get("error") or "") or f"returned a value that could not be read ({type(exc).__name__})"
        data = pack(fallback)
    os.write(channel, data) if len(data) < 65536 else write_all(channel, data)


def main() -> None:
    channel = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.set_inheritable(channel, False)
    raw = sys.stdin.buffer.read()
    job, _ = unpack(raw, resolve=True)
    del raw
    _send(channel, {"ready": True})  # the harness works; from here on, failures are the student's
    denied = []
    allow = list(job["allow"])
    if os.environ.get("TMPDIR"):  # the fallback backend's private working folder
        allow.append(os.environ["TMPDIR"])
    install_guard(allow, job["deny"], denied)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    notes = []
    for name, source in job["cells"]:
        filename = f"<cell {name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        nodes, _dropped = definitions(source)
        if nodes is None:
            notes.append(f"the cell {name!r} is not valid Python and was skipped")
            continue
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)) and _lazy_import(node, namespace):
                continue
            out, err = _Bounded(), _Bounded()
            try:
                code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec")
                with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    warnings.simplefilter("ignore")
                    exec(code, namespace)  # noqa: S102 - this is the sandbox
            except BaseException as exc:  # noqa: BLE001
                notes.append(f"line {getattr(node, 'lineno', '?')} of cell {name!r} failed in the grading "
                             f"sandbox: {type(exc).__name__}: {str(exc)[:200]}")
    if job.get("inject"):
        # The reference of the other graded functions this one may call (never its own): a wrong
        # helper costs only the helper's points, as in the kernel's hidden tests.
        helpers = {"__name__": "grader_reference_helpers", "__builtins__": builtins}
        exec(compile(job["helpers"], "<reference helpers>", "exec"), helpers)  # noqa: S102
        for name in job["inject"]:
            if callable(namespace.get(name)) and callable(helpers.get(name)):
                namespace[name] = helpers[name]
    fn = namespace.get(job["function"])
    _send(channel, {"setup": True, "defined": callable(fn), "notes": notes[:20], "denied": list(denied)})
    if not callable(fn):
        return
    for index, args in enumerate(job["cases"]):
        record = _call(fn, args)  # freshly decoded: nothing is shared between cases
        record["case"] = index
        record["denied"] = list(denied)
        _send(channel, record)
        if record["error"]:
            break  # an error fails the exercise whatever the later cases give
    _send(channel, {"done": True, "denied": list(denied)})


if __name__ == "__main__":
    main()
