"""Run several sandbox jobs in one sandboxed process: start Python and import numpy once, then fork
one fresh child per job (see grader.sandbox.run_python_many, which runs this file's text with
`python -I -B -c` inside the sandbox).

Input on stdin, each part framed by an 8-byte big-endian length: a JSON header
{"n", "timeout", "cpu", "startup", "output_cap", "stderr_cap"}, the child program's source (it must
define main(), which reads its job from stdin and writes records on stdout), then the n job inputs.

For each job, in order, a child is forked with fresh pipes as its stdin/stdout/stderr and its own
process group and CPU limit; this process feeds it the job, collects its output with the same caps
and time limits as grader.sandbox.run_python, kills its process group when it ends, and writes one
frame on stdout: a JSON header {"i", "returncode", "timed_out", "overflow", "seconds", "out", "err"}
("out"/"err": byte counts) followed by those bytes.

Isolation: this process never runs student code itself and is made non-dumpable first, so a child
(same uid) can neither ptrace it nor open its memory or file descriptors through /proc; a child can
only kill it, which loses the remaining jobs (the caller re-runs them alone).
"""
import ctypes
import io
import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback


def _read_frame(stream):
    head = stream.read(8)
    if len(head) != 8:
        raise EOFError("truncated input")
    size = int.from_bytes(head, "big")
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("truncated input")
    return data


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _child(main, fds, cpu):
    r_in, w_out, w_err = fds
    try:
        os.setpgid(0, 0)
        os.dup2(r_in, 0)
        os.dup2(w_out, 1)
        os.dup2(w_err, 2)
        os.closerange(3, 65536)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)))
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True)
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on stderr, like an uncaught exception
        try:
            traceback.print_exc()
        except BaseException:  # noqa: BLE001
            pass
        code = 1
    os._exit(code & 0xFF)


def _run_one(main, job, header):
    timeout, startup = float(header["timeout"]), float(header["startup"])
    output_cap, stderr_cap = int(header["output_cap"]), int(header["stderr_cap"])
    r_in, w_in = os.pipe()
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(main, (r_in, w_out, w_err), int(header["cpu"]))
    for fd in (r_in, w_out, w_err):
        os.close(fd)
    deadline = start + startup + timeout
    out, err = bytearray(), bytearray()
    ready = timed_out = overflow = False
    sel = selectors.DefaultSelector()
    view = memoryview(job)
    if view:
        os.set_blocking(w_in, False)
        sel.register(w_in, selectors.EVENT_WRITE)
    else:
        os.close(w_in)
    sel.register(r_out, selectors.EVENT_READ)
    sel.register(r_err, selectors.EVENT_READ)
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in sel.select(timeout=min(left, 1.0)):
                fd = key.fd
                if fd == w_in:
                    try:
                        view = view[os.write(w_in, view[:65536]):]
                    except OSError:
                        view = view[:0]
                    if not view:
                        sel.unregister(w_in)
                        os.close(w_in)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    sel.unregister(fd)
                    os.close(fd)
                    continue
                if fd == r_out:
                    out += chunk
                    if not ready and len(out) >= 8 and len(out) >= 8 + int.from_bytes(out[:8], "big"):
                        ready = True
                        deadline = min(deadline, time.monotonic() + timeout)
                    if len(out) > output_cap:
                        overflow = True
                        break
                elif len(err) < stderr_cap:
                    err += chunk[:stderr_cap - len(err)]
            if overflow:
                break
    finally:
        for fd in list(sel.get_map()):
            sel.unregister(fd)
            os.close(fd)
        sel.close()
    if timed_out or overflow:
        _kill_group(pid)
    # Reap only after killing what is left of the child's group (its id cannot be reused before).
    end = time.monotonic() + 2.0
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is None:
        if time.monotonic() > end:
            timed_out = True
            break
        time.sleep(0.005)
    _kill_group(pid)
    _, status = os.waitpid(pid, 0)
    return {"returncode": os.waitstatus_to_exitcode(status), "timed_out": timed_out, "overflow": overflow,
            "seconds": time.monotonic() - start}, bytes(out[:output_cap]), bytes(err)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def zygote():
    stdin = sys.stdin.buffer
    header = json.loads(_read_frame(stdin))
    source = _read_frame(stdin).decode()
    jobs = [_read_frame(stdin) for _ in range(int(header["n"]))]
    channel = os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.set_inheritable(channel, False)
    # PR_SET_DUMPABLE = 4: a child of the same uid cannot ptrace this process or read its memory
    # and file descriptors through /proc.
    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
    namespace = {"__name__": "grader_sandbox_child", "__builtins__": __builtins__}
    exec(compile(source, "<sandbox child>", "exec"), namespace)  # noqa: S102 - our own child program
    main = namespace["main"]
    for index, job in enumerate(jobs):
        info, out, err = _run_one(main, job, header)
        info.update(i=index, out=len(out), err=len(err))
        head = json.dumps(info).encode()
        _write_all(channel, len(head).to_bytes(8, "big") + head + out + err)


if __name__ == "__main__":
    zygote()
