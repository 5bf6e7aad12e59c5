"""Run untrusted Python in a fresh, isolated, resource-limited process.

Two backends (see docs/security.md):

- ``bwrap`` (bubblewrap, preferred): new user/pid/net/ipc/uts/mount namespaces, uid 65534 when
  user namespaces are available, no network, a root filesystem made only of read-only binds of
  what Python and numpy need (/usr and the lib symlinks, the interpreter's prefixes, the installed
  `grader` package), no writable directory, dies with its parent.
- ``subprocess`` (fallback when bubblewrap is missing or does not work here): the same resource
  limits, an empty temporary working directory, a scrubbed environment and `python -I -B`, but the
  process can read every file the grading user can read (the audit hook of the child refuses the
  obvious ones, as a best effort, not as a boundary).

Both: RLIMIT_AS (memory), RLIMIT_CPU, RLIMIT_FSIZE, no core dumps, a wall-clock limit after which
the whole process tree is killed, a cap on the bytes read back, and stdin/stdout pipes as the only
channel (no files shared with the host).

The backend is chosen by $BACKPROP_LAB_SANDBOX: ``auto`` (default: bwrap when it works, else
subprocess), ``bwrap`` (fail if it does not work) or ``subprocess``.
"""
import functools
import math
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.sandbox import process

ENV_BACKEND = "BACKPROP_LAB_SANDBOX"
STARTUP_ALLOWANCE = 10.0      # seconds for process start and imports, until the first record arrives
STDERR_CAP = 64 * 1024        # bytes of raw stderr kept
FILE_SIZE_CAP = 16 * 1024 * 1024
NOBODY = 65534

GRADER_DIR = Path(__file__).resolve().parent.parent


class SandboxUnavailable(RuntimeError):
    pass


@dataclass
class Outcome:
    output: bytes                 # what the process wrote on its result channel (stdout)
    stderr: str                   # first STDERR_CAP bytes of raw stderr
    returncode: int | None        # negative: killed by that signal
    timed_out: bool = False
    overflow: bool = False        # wrote more than the output cap
    backend: str = ""
    seconds: float = 0.0


def _child_env(home):
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": home,
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "NUMEXPR_NUM_THREADS": "1", "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
    if home != "/nonexistent":
        env["TMPDIR"] = home
    return env


def _is_under(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def interpreter_roots() -> list[str]:
    """Folders the child interpreter needs: its prefixes and, if `grader` is not installed inside
    them (editable install), the grader package itself (public course code, no references)."""
    roots = []
    for p in (sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix,
              os.path.dirname(os.path.realpath(sys.executable))):
        if p and os.path.isdir(p) and p not in roots:
            roots.append(p)
    if not any(_is_under(GRADER_DIR, r) for r in roots):
        roots.append(str(GRADER_DIR))
    return roots


def secret_paths(folders: Iterable[str | os.PathLike] = ()) -> list[str]:
    """The caller's secret folders (e.g. the hidden solutions), as the real paths that must never
    be visible in the sandbox (checked against every bind). The caller knows which folders are
    secret (grader.sandbox.trusted passes the solutions folder it grades with); this module does not
    guess them."""
    return [os.path.realpath(os.fspath(f)) for f in folders]


def _bwrap_args(user_ns, secrets):
    args = [shutil.which("bwrap"), "--unshare-all", "--die-with-parent", "--new-session"]
    if user_ns:
        args += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        host = f"/{name}"
        if os.path.islink(host):
            args += ["--symlink", os.readlink(host), host]
        elif os.path.isdir(host):
            args += ["--ro-bind", host, host]
    args += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    for root in interpreter_roots():
        if _is_under(root, "/usr"):
            continue
        if any(_is_under(secret, root) for secret in secrets):
            raise SandboxUnavailable(f"{root} (needed by Python) contains the hidden references; "
                                     f"install the course environment outside the course folder")
        args += ["--ro-bind", root, root]
    args += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/"]
    return args


@functools.lru_cache(maxsize=None)
def _bwrap_prefix(secrets=()):
    """The bwrap command prefix that works on this machine (with a user namespace if possible) and
    binds none of the `secrets` folders, or raise SandboxUnavailable with the reason."""
    if not shutil.which("bwrap"):
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    secrets = tuple(secret_paths(secrets))
    probe_path = secrets[0] if secrets else "/nonexistent-secret"
    reasons = []
    for user_ns in (True, False):
        prefix = _bwrap_args(user_ns, secrets)
        probe = "import numpy, os; print(os.path.exists(%r))" % probe_path
        try:
            proc = subprocess.run(prefix + [sys.executable, "-I", "-B", "-c", probe], env=_child_env("/nonexistent"),
                                  capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(str(exc))
            continue
        if proc.returncode == 0 and proc.stdout.strip() == "False":
            return tuple(prefix)
        reasons.append((proc.stderr or proc.stdout).strip()[:300])
    raise SandboxUnavailable("bubblewrap does not work here: " + " | ".join(reasons))


def bwrap_status(secrets: Iterable[str | os.PathLike] = ()) -> tuple[bool, str]:
    """(True, "") when the bubblewrap backend works here (hiding `secrets`), else (False, reason)."""
    try:
        _bwrap_prefix(tuple(secret_paths(secrets)))
        return True, ""
    except SandboxUnavailable as exc:
        return False, str(exc)


def choose_backend(requested: str | None = None, secrets: Iterable[str | os.PathLike] = ()) -> str:
    requested = requested or os.environ.get(ENV_BACKEND, "auto") or "auto"
    if requested not in ("auto", "bwrap", "subprocess"):
        raise ValueError(f"${ENV_BACKEND} must be auto, bwrap or subprocess, not {requested!r}")
    if requested == "subprocess":
        return "subprocess"
    ok, reason = bwrap_status(secrets)
    if ok:
        return "bwrap"
    if requested == "bwrap":
        raise SandboxUnavailable(reason)
    return "subprocess"


def _limits(memory_mb, cpu_seconds):
    def apply():
        memory = int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if cpu_seconds is not None:
            resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_CAP, FILE_SIZE_CAP))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    return apply


def run_python(source: str, stdin_bytes: bytes, *, timeout: float, memory_mb: int, output_cap: int,
               backend: str | None = None, secrets: Iterable[str | os.PathLike] = ()) -> Outcome:
    """Run `python -I -B -c source` in the sandbox, feed it stdin_bytes, return an Outcome.
    `secrets`: folders that must not be visible inside (bubblewrap refuses to start otherwise)."""
    cpu = int(math.ceil(timeout)) + 1
    secrets = tuple(secret_paths(secrets))
    return _start_and_communicate(source, stdin_bytes, choose_backend(backend, secrets), timeout, output_cap,
                                  memory_mb, cpu_seconds=cpu, secrets=secrets)


def _start_and_communicate(source, stdin_bytes, backend, timeout, output_cap, memory_mb, *, cpu_seconds, secrets):
    workdir = None
    if backend == "bwrap":
        cmd = list(_bwrap_prefix(tuple(secrets))) + [sys.executable, "-I", "-B", "-c", source]
        env, cwd = _child_env("/nonexistent"), "/"
    else:
        workdir = tempfile.mkdtemp(prefix="backprop-sandbox-")
        cmd = [sys.executable, "-I", "-B", "-c", source]
        env, cwd = _child_env(workdir), workdir
    start = time.monotonic()
    pipes = [os.pipe(), os.pipe(), os.pipe()]  # (read, write) of stdin, stdout, stderr
    try:
        try:
            proc = subprocess.Popen(cmd, stdin=pipes[0][0], stdout=pipes[1][1], stderr=pipes[2][1],
                                    cwd=cwd, env=env, start_new_session=True, close_fds=True,
                                    preexec_fn=_limits(memory_mb, cpu_seconds))
        except BaseException:
            for pair in pipes:
                for fd in pair:
                    os.close(fd)
            raise
        for fd in (pipes[0][0], pipes[1][1], pipes[2][1]):
            os.close(fd)
        outcome = _communicate(proc, pipes[0][1], pipes[1][0], pipes[2][0], stdin_bytes, start, timeout, output_cap)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    if backend == "bwrap" and outcome.returncode is not None and outcome.returncode > 128:
        outcome.returncode = 128 - outcome.returncode  # bwrap reports "killed by signal N" as 128 + N
    outcome.backend = backend
    outcome.seconds = time.monotonic() - start
    return outcome


ZYGOTE_SOURCE = (Path(__file__).with_name("zygote.py")).read_text()


def _frame(data):
    return len(data).to_bytes(8, "big") + data


def run_python_many(source: str, inputs: list[bytes], *, timeout: float, memory_mb: int, output_cap: int,
                    backend: str | None = None, secrets: Iterable[str | os.PathLike] = ()) -> list[Outcome]:
    """Like [run_python(source, x, ...) for x in inputs] (the jobs of one submission), with a shared
    sandboxed interpreter (grader/sandbox/zygote.py) that imports `source`'s modules once and forks
    a fresh child per input, each child with the limits run_python gives one process. Under
    bubblewrap the interpreter is kept for the next submissions graded by the same thread (it
    never holds student data, and kills whatever a submission left running in its pid namespace);
    with the fallback backend each call starts its own. An input whose result does not come back
    (a child killed the shared process, the protocol broke, time ran out) is run again alone with
    run_python, so a job can only ever spoil its own result."""
    inputs = list(inputs)
    if not inputs:
        return []
    secrets = tuple(secret_paths(secrets))
    backend = choose_backend(backend, secrets)
    reuse = backend == "bwrap"
    key = (source, memory_mb, secrets)
    shared = getattr(_SHARED, "interpreter", None) if reuse else None
    if shared is None or shared.key != key or not shared.alive():
        if shared is not None:
            shared.close()
        shared = _SharedInterpreter(source, backend, memory_mb, key, secrets)
        _SHARED.interpreter = shared if reuse else None
    cpu = int(math.ceil(timeout)) + 1
    header = {"n": len(inputs), "timeout": timeout, "cpu": cpu, "startup": STARTUP_ALLOWANCE,
              "output_cap": output_cap, "stderr_cap": STDERR_CAP}
    results = shared.run(inputs, header, budget=len(inputs) * (STARTUP_ALLOWANCE + timeout + 3.0),
                         total_cap=len(inputs) * (output_cap + STDERR_CAP + 4096))
    if not reuse or any(r is None for r in results):
        shared.close()
        _SHARED.interpreter = None
    for index, outcome in enumerate(results):
        if outcome is None:
            results[index] = run_python(source, inputs[index], timeout=timeout, memory_mb=memory_mb,
                                        output_cap=output_cap, backend=backend, secrets=secrets)
    return results


_SHARED = threading.local()


class _SharedInterpreter:
    """One sandboxed grader/sandbox/zygote.py process and the protocol to talk to it."""

    def __init__(self, source, backend, memory_mb, key, secrets):
        self.key, self.backend, self.workdir = key, backend, None
        if backend == "bwrap":
            cmd = list(_bwrap_prefix(secrets)) + [sys.executable, "-I", "-B", "-c", ZYGOTE_SOURCE, "namespaced"]
            env, cwd = _child_env("/nonexistent"), "/"
        else:
            self.workdir = tempfile.mkdtemp(prefix="backprop-sandbox-")
            cmd = [sys.executable, "-I", "-B", "-c", ZYGOTE_SOURCE]
            env, cwd = _child_env(self.workdir), self.workdir
        # No CPU limit on the long-lived process itself (it only forks and waits); each
        # submission's process and each child set their own.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True,
                                     close_fds=True, preexec_fn=_limits(memory_mb, None))
        self.pending = _frame(source.encode())

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, inputs: list[bytes], header: dict, *, budget: float, total_cap: int) -> list[Outcome | None]:
        """[Outcome or None] per input (None: no result came back)."""
        import json
        results = [None] * len(inputs)
        data = bytes(self.pending) + _frame(json.dumps(header).encode()) + b"".join(map(_frame, inputs))
        self.pending = b""
        view, out, got = memoryview(data), bytearray(), 0
        deadline = time.monotonic() + STARTUP_ALLOWANCE + budget
        stdin, stdout = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(stdin, False)
        sel = selectors.DefaultSelector()
        sel.register(stdin, selectors.EVENT_WRITE)
        sel.register(stdout, selectors.EVENT_READ)
        try:
            while got < len(inputs):
                left = deadline - time.monotonic()
                if left <= 0 or len(out) > total_cap:
                    break
                events = sel.select(timeout=min(left, 1.0))
                for key, _ in events:
                    if key.fd == stdin:
                        try:
                            view = view[os.write(stdin, view[:65536]):]
                        except OSError:
                            return results
                        if not view:
                            sel.unregister(stdin)
                        continue
                    chunk = os.read(stdout, 65536)
                    if not chunk:
                        return results
                    out += chunk
                    while True:
                        try:
                            frame = _parse_result(out, len(inputs), results, self.backend)
                        except ValueError:
                            return results  # a broken protocol: what came back so far stands
                        if frame is None:
                            break
                        index, outcome, used = frame
                        results[index] = outcome
                        del out[:used]
                        got += 1
        finally:
            sel.close()
        return results

    def close(self) -> None:
        process.kill_group(self.proc.pid)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc.wait()
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


def _parse_result(buf, n, results, backend):
    """(index, Outcome, bytes used) for the first complete result frame in buf, None while it is
    incomplete; ValueError when it is malformed."""
    import json
    if len(buf) < 8:
        return None
    size = int.from_bytes(buf[:8], "big")
    if len(buf) < 8 + size:
        return None
    try:
        info = json.loads(bytes(buf[8:8 + size]))
        index, n_out, n_err = int(info["i"]), int(info["out"]), int(info["err"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"malformed result frame: {exc}") from None
    if not 0 <= index < n or results[index] is not None or min(n_out, n_err) < 0:
        raise ValueError("malformed result frame")
    body = 8 + size
    if len(buf) < body + n_out + n_err:
        return None
    outcome = Outcome(bytes(buf[body:body + n_out]), bytes(buf[body + n_out:body + n_out + n_err])
                      .decode(errors="replace"), info.get("returncode"), timed_out=bool(info.get("timed_out")),
                      overflow=bool(info.get("overflow")), backend=backend, seconds=float(info.get("seconds") or 0))
    return index, outcome, body + n_out + n_err


def _communicate(proc, r_in, r_out, r_err, data, start, timeout, output_cap):
    """Outcome of `proc` (started with the pipe ends r_in/r_out/r_err, ours are the others): feed
    stdin, collect stdout (capped) and stderr (truncated) until both close. The time limit starts
    when the first complete record arrives on stdout (start-up has STARTUP_ALLOWANCE)."""
    try:
        got = process.communicate(r_in, r_out, r_err, data, deadline=start + STARTUP_ALLOWANCE + timeout,
                                  timeout=timeout, output_cap=output_cap, stderr_cap=STDERR_CAP)
    except BaseException:  # never leave the group running (e.g. KeyboardInterrupt while waiting)
        process.kill_group(proc.pid)
        proc.returncode = process.reap_group(proc.pid, 0.0)[0]
        raise
    if got.timed_out or got.overflow:
        process.kill_group(proc.pid)
    code, gave_up = process.reap_group(proc.pid, max(got.deadline - time.monotonic(), 0.0) + 2.0)
    proc.returncode = code  # reaped by reap_group, not by Popen
    return Outcome(got.out, got.err.decode(errors="replace"), code, timed_out=got.timed_out or gave_up,
                   overflow=got.overflow)
