"""A kernel zygote for batch grading: imports ipykernel, numpy and matplotlib once, then forks a
fresh IPython kernel for every notebook.

Starting a kernel and importing numpy and matplotlib costs about 1.2 s of CPU per notebook, a
third of the time nbgrader spends on one submission of 01_shallow_nn. Each grading worker of
`python -m grader autograde` starts one zygote; its kernel spec runs `launch.py --zygote
SOCKET`, a small client that asks the zygote for a kernel and stands in for it towards
jupyter_client (signals forwarded, exit status returned), so nbgrader and nbclient see an
ordinary kernel process. If the zygote is unreachable the client starts a kernel the usual way.

    python grader/instructor/kernels/zygote.py SOCKET      # prints "ready" once it accepts requests

Protocol on the AF_UNIX stream socket:
    client -> zygote: one JSON line {"argv", "cwd", "env", "memory_mb"} carrying the client's
                      stdin, stdout and stderr (SCM_RIGHTS)
    zygote -> client: "pid N" once the kernel is forked, "exit CODE" when it has ended
                      (CODE as subprocess's returncode: -N for signal N)
The client closing its end (it was killed) kills the kernel's process group.

Each kernel is what a fresh `python -m ipykernel_launcher` would be for that client: its own
session, the client's stdio, working directory and environment, the same sys.path, the address
space limit, numpy's global random generator reseeded from the OS (Python's `random` reseeds
itself after fork), matplotlib's backend taken from the client's MPLBACKEND. Students cannot
reach the zygote's memory: each kernel is a separate copy-on-write process, and the zygote is
non-dumpable, so a kernel of the same uid can neither ptrace it nor open its /proc files. Environment
variables that numpy or matplotlib read while being imported (thread counts, config folders) come
from the zygote's environment, which the batch grader makes the one nbgrader runs with.
"""
import json
import os
import selectors
import signal
import socket
import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path


def _by_path(name, path):
    """A module loaded by its path: run as a script, this file must not import the `grader` package
    (its modules would then be in every forked kernel before the student imports them)."""
    spec = spec_from_file_location(f"_backprop_lab_kernels_{name}", path)
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sibling(name):
    return _by_path(name, Path(__file__).with_name(f"{name}.py"))


prepare_kernel = _sibling("launch").prepare_kernel
# the one process-group killer of the grader (it imports only os and signal)
_kill_group = _by_path("process", Path(__file__).resolve().parents[2] / "sandbox" / "process.py").kill_group

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Not preloaded, because importing them has effects that belong to the kernel: ipykernel.kernelapp
# (its traits read JPY_PARENT_PID and JPY_INTERRUPT_EVENT from the environment at import time) and
# matplotlib_inline.backend_inline (hooks itself into the running IPython shell at import time).
PRELOAD = ("ipykernel.ipkernel", "numpy", "matplotlib.pyplot", "matplotlib.backends.backend_agg")
REQUEST_TIMEOUT = 10.0


def preload(modules: tuple[str, ...] = PRELOAD) -> None:
    """Import what every kernel of the course imports (skipping what is not installed)."""
    added = "MPLBACKEND" not in os.environ
    if added:  # the backend ipykernel selects when the environment names none
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    try:
        for name in modules:
            try:
                __import__(name)
            except ImportError:
                pass
    finally:
        if added:
            del os.environ["MPLBACKEND"]


def receive_request(conn: socket.socket) -> tuple[dict, list[int]]:
    conn.settimeout(REQUEST_TIMEOUT)
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    try:
        while not data.endswith(b"\n"):
            more = conn.recv(1 << 16)
            if not more:
                raise ValueError("request cut short")
            data += more
        request = json.loads(data)
        if len(fds) != 3 or not isinstance(request.get("argv"), list):
            raise ValueError("malformed request")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    conn.settimeout(None)
    return request, fds


def become_kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: turn into the requested kernel; never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        _set_dumpable(True)  # as a freshly started kernel is
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, 1 << 16)  # the zygote's socket, other clients' connections, the wakeup pipe
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        prepare_kernel(int(request.get("memory_mb") or 0))
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        matplotlib = sys.modules.get("matplotlib")
        if matplotlib is not None:
            wanted = os.environ.get("MPLBACKEND") or INLINE_BACKEND
            if matplotlib.rcParams._get_backend_or_none() != wanted:
                matplotlib.rcParams["backend"] = wanted
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - report and exit; the zygote must never resume here
        import traceback
        traceback.print_exc()
    finally:
        try:
            import atexit
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _send(conn, text):
    try:
        conn.sendall(text.encode())
        return True
    except OSError:
        return False


def _set_dumpable(flag):
    """PR_SET_DUMPABLE: a non-dumpable process cannot be ptraced, nor its /proc files opened, by
    processes of the same uid without CAP_SYS_PTRACE."""
    import ctypes
    if ctypes.CDLL(None, use_errno=True).prctl(4, int(flag), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")


def serve(path: str) -> None:
    _set_dumpable(False)  # a kernel must not be able to reach into the zygote and so into later kernels
    preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_r, selectors.EVENT_READ, "child")
    kernels = {}  # pid -> connection to its client (None once the client is gone)
    print("ready", flush=True)
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "accept":
                    conn, _ = listener.accept()
                    try:
                        request, fds = receive_request(conn)
                    except (OSError, ValueError):
                        conn.close()
                        continue
                    sys.stdout.flush()
                    sys.stderr.flush()
                    pid = os.fork()
                    if pid == 0:
                        become_kernel(request, fds)
                    for fd in fds:
                        os.close(fd)
                    kernels[pid] = conn
                    if _send(conn, f"pid {pid}\n"):
                        selector.register(conn, selectors.EVENT_READ, pid)
                    else:
                        _kill_group(pid)
                        conn.close()
                        kernels[pid] = None
                elif key.data == "child":
                    try:
                        while os.read(wake_r, 512):
                            pass
                    except BlockingIOError:
                        pass
                    _reap(kernels, selector)
                else:  # a client sent something or went away: only EOF is expected
                    pid, conn = key.data, key.fileobj
                    try:
                        data = conn.recv(64)
                    except OSError:
                        data = b""
                    if not data:
                        selector.unregister(conn)
                        conn.close()
                        kernels[pid] = None
                        _kill_group(pid)
    finally:
        for pid in kernels:
            _kill_group(pid)


def _reap(kernels, selector):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _kill_group(pid)  # whatever the kernel left running
        conn = kernels.pop(pid, None)
        if conn is not None:
            selector.unregister(conn)
            _send(conn, f"exit {os.waitstatus_to_exitcode(status)}\n")
            conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python zygote.py SOCKET")
    serve(sys.argv[1])
