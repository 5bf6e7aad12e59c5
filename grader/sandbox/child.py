"""The untrusted side of trusted re-grading: runs INSIDE the sandbox, on the student's code.

This file is sent to a fresh `python -I -B -c <this source>` process; it must only use the
standard library and numpy. It reads one job from stdin (the definitions of the student's
notebook, the name of the function and the inputs of every case), then, case by case, calls the
function and writes a record (its outputs, the inputs after the call, errors, warnings, captured
prints) to the result channel (the original stdout; fd 1 is pointed at /dev/null before any
student code runs, so prints cannot corrupt the channel).

Everything travels as plain data: `pack` writes a JSON header (structure, numbers, strings) plus
the raw bytes of numeric arrays; `unpack` reads it back with strict checks (no pickle, an
allow-list of dtypes, sizes that must add up). The trusted grader imports this module only for
`pack`/`unpack`/`definitions`; it never runs `main`.
"""
import ast
import builtins
import contextlib
import io
import json
import linecache
import numbers
import os
import struct
import sys
import time
import traceback
import warnings

import numpy as np

MAX_HEADER = 32 * 1024 * 1024        # bytes of JSON in one record
MAX_ARRAY_BYTES = 256 * 1024 * 1024  # bytes of array data in one record
MAX_DEPTH = 40                       # nesting of containers
MAX_TEXT = 2000                      # captured stdout/stderr characters kept per call
SAFE_KINDS = "biufcUS"               # bool, ints, floats, complex, str, bytes (never objects)
# Functions that may be passed as inputs (by name): numpy's and those of the public exercise specs.
CALLABLE_MODULES = ("grader.exercises.", "grader.gradcheck")


class ProtocolError(ValueError):
    """A record that does not follow the format (e.g. forged or truncated by student code)."""


# ----------------------------------------------------------------------------- plain-data format
def _encode(value, arrays, depth=0):
    if depth > MAX_DEPTH:
        return {"__foreign__": "deeply nested value"}
    if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
        return value
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        arr = arr.view(np.ndarray) if type(arr) is not np.ndarray else arr
        if arr.dtype.kind not in SAFE_KINDS or arr.dtype.hasobject:
            return {"__objarray__": [int(s) for s in arr.shape], "dtype": str(arr.dtype)[:40]}
        arrays.append(arr.copy(order="C"))  # (ascontiguousarray would make 0-d arrays 1-d)
        key = "__scalar__" if isinstance(value, np.generic) else "__array__"
        return {key: len(arrays) - 1}
    if callable(value) and not isinstance(value, type):
        module = "numpy" if isinstance(value, np.ufunc) else getattr(value, "__module__", None)
        qual = value.__name__ if isinstance(value, np.ufunc) else getattr(value, "__qualname__", None)
        if isinstance(module, str) and isinstance(qual, str) and "<" not in qual and \
                (module.split(".")[0] == "numpy" or module.startswith(CALLABLE_MODULES)):
            try:
                same = _resolve(module, qual) is value
            except Exception:  # noqa: BLE001
                same = False
            if same:  # named, public functions only (never closures that could hold reference code)
                return {"__callable__": [module, qual]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays, depth + 1) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays, depth + 1) for v in value]
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not (k is None or isinstance(k, (bool, str)) or type(k) in (int, float)):
                return {"__foreign__": "dict with keys of type " + type(k).__name__}
            items.append([k, _encode(v, arrays, depth + 1)])
        return {"__dict__": items}
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return float(value)  # a Real subclass: only its float value travels
    if isinstance(value, numbers.Integral):
        return int(value)
    kind = type(value)
    return {"__foreign__": f"{kind.__module__}.{kind.__qualname__}"[:200]}


def pack(obj):
    """bytes: 8-byte header length, JSON header, then the raw bytes of every array."""
    arrays = []
    body = _encode(obj, arrays)
    table = [[a.dtype.str, [int(s) for s in a.shape], int(a.nbytes)] for a in arrays]
    header = json.dumps({"v": body, "a": table}, allow_nan=True).encode()
    return b"".join([struct.pack(">Q", len(header)), header] + [a.tobytes() for a in arrays])


class Foreign:
    """Stands for an object that is not plain data (its type name only; nothing else travels)."""


def _foreign(name):
    name = str(name)[:200]
    module, _, qual = name.rpartition(".")
    cls = type(qual.replace("<", "").replace(">", "") or "object", (Foreign,), {})
    cls.__module__ = module or "unknown"
    return cls()


def _resolve(module, qual):
    import importlib
    target = importlib.import_module(module)
    for part in qual.split("."):
        target = getattr(target, part)
    return target


def _decode(value, arrays, depth=0, resolve=False):
    if depth > MAX_DEPTH:
        raise ProtocolError("nested too deeply")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode(v, arrays, depth + 1, resolve) for v in value]
    if not isinstance(value, dict) or len(value) not in (1, 2):
        raise ProtocolError("unexpected value in record")
    if "__array__" in value or "__scalar__" in value:
        index = value.get("__array__", value.get("__scalar__"))
        if type(index) is not int or not 0 <= index < len(arrays) or arrays[index] is None:
            raise ProtocolError("bad array reference")
        arr, arrays[index] = arrays[index], None  # each array is used once
        return arr[()] if "__scalar__" in value else arr
    if "__tuple__" in value:
        return tuple(_decode(v, arrays, depth + 1, resolve) for v in _as_list(value["__tuple__"]))
    if "__dict__" in value:
        out = {}
        for item in _as_list(value["__dict__"]):
            if not isinstance(item, list) or len(item) != 2:
                raise ProtocolError("bad dict item")
            key = item[0]
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise ProtocolError("bad dict key")
            out[key] = _decode(item[1], arrays, depth + 1, resolve)
        return out
    if "__objarray__" in value:
        shape = _shape(value["__objarray__"])
        if int(np.prod(shape, dtype=np.int64)) > 10**6:
            raise ProtocolError("object array too large")
        return np.empty(shape, dtype=object)
    if "__foreign__" in value:
        return _foreign(value["__foreign__"])
    if "__callable__" in value:
        spec = _as_list(value["__callable__"])
        if len(spec) != 2 or not all(isinstance(s, str) for s in spec):
            raise ProtocolError("bad callable")
        if resolve:  # only the sandbox resolves names; the trusted side never imports on request
            return _resolve(*spec)
        return _foreign(f"callable {spec[0]}.{spec[1]}")
    raise ProtocolError("unknown tag in record")


def _as_list(value):
    if not isinstance(value, list):
        raise ProtocolError("expected a list")
    return value


def _shape(value):
    if not isinstance(value, list) or len(value) > 32 or \
            not all(type(s) is int and 0 <= s < 2**40 for s in value):
        raise ProtocolError("bad shape")
    return tuple(value)


def unpack(buf, offset=0, resolve=False):
    """(object, next offset) from bytes written by `pack`; raises ProtocolError on anything odd.

    Never unpickles and never calls code of the sender: only JSON, and numeric/str arrays made
    with np.frombuffer after their dtype, shape and size have been checked."""
    if len(buf) - offset < 8:
        raise ProtocolError("truncated record")
    (n,) = struct.unpack(">Q", bytes(buf[offset:offset + 8]))
    if n > MAX_HEADER or offset + 8 + n > len(buf):
        raise ProtocolError("truncated or oversized record header")
    try:
        header = json.loads(bytes(buf[offset + 8:offset + 8 + n]).decode())
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"unreadable record header ({type(exc).__name__})") from None
    if not isinstance(header, dict) or set(header) != {"v", "a"}:
        raise ProtocolError("bad record header")
    pos, arrays, total = offset + 8 + n, [], 0
    for entry in _as_list(header["a"]):
        if not isinstance(entry, list) or len(entry) != 3 or not isinstance(entry[0], str):
            raise ProtocolError("bad array entry")
        try:
            dtype = np.dtype(entry[0])
        except TypeError:
            raise ProtocolError("bad dtype") from None
        if dtype.kind not in SAFE_KINDS or dtype.hasobject or dtype.fields is not None \
                or dtype.subdtype is not None or dtype.str != entry[0]:
            raise ProtocolError(f"dtype {entry[0]!r} not allowed")
        shape = _shape(entry[1])
        count = int(np.prod(shape, dtype=np.int64))
        nbytes = entry[2]
        if type(nbytes) is not int or nbytes != count * dtype.itemsize:
            raise ProtocolError("array size does not match its shape")
        total += nbytes
        if total > MAX_ARRAY_BYTES or pos + nbytes > len(buf):
            raise ProtocolError("truncated or oversized array data")
        arr = np.frombuffer(buf, dtype=dtype, count=count, offset=pos).reshape(shape).copy()
        arrays.append(arr)
        pos += nbytes
    try:
        value = _decode(header["v"], arrays, resolve=resolve)
    except RecursionError:
        raise ProtocolError("nested too deeply") from None
    return value, pos


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


def definitions(source):
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


def install_guard(allow, deny, denied):
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
class _Bounded(io.TextIOBase):
    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = max(MAX_TEXT - self.kept, 0)
        self.parts.append(text[:room])
        self.kept += min(len(text), room)
        self.dropped += max(len(text) - room, 0)
        return len(text)

    def getvalue(self):
        more = f"\n... ({self.dropped} more characters)" if self.dropped else ""
        return "".join(self.parts) + more


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
    os.write(channel, data) if len(data) < 65536 else _write_all(channel, data)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def main():
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
    for index, (name, source) in enumerate(job["cells"]):
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
