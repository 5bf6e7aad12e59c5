"""The wire format between the trusted grader and the sandbox: plain data only.

`pack` writes a JSON header (structure, numbers, strings) plus the raw bytes of numeric arrays;
`unpack` reads it back with strict checks (no pickle, an allow-list of dtypes, sizes that must add
up), so that bytes written by student code can at worst be refused (ProtocolError), never run.
Both sides import this one module: the host (grader.sandbox.trusted) and the program run inside the
sandbox (grader.sandbox.child), which finds it through the read-only `grader` package.
Standard library and numpy only.
"""
import json
import numbers
import struct

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


def pack(obj: object) -> bytes:
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


def unpack(buf: bytes | memoryview, offset: int = 0, resolve: bool = False) -> tuple[object, int]:
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
