"""Processes of the sandbox room: ending a whole process group, and the pipe loop that feeds a child
its input and collects its output under a time limit and a size cap.

Used on the host (grader.sandbox.isolate) and inside the sandbox (grader.sandbox.zygote, whose text
is run with `python -I -B -c`, imports this module like grader.sandbox.child does: see there why
`grader` is importable in both backends). Standard library only.
"""
import os
import selectors
import signal
import time
from dataclasses import dataclass


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send `sig` to the process group led by `pid` (the process and everything it started); a group
    that has already gone, or that this user may not signal, is left alone."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to a blocking fd (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read_exact(fd: int, size: int) -> bytes:
    """Exactly `size` bytes from fd, unbuffered (what follows on the fd belongs to someone else);
    EOFError if the input ends first."""
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError("end of input")
        data += chunk
    return bytes(data)


@dataclass
class Collected:
    out: bytes          # stdout, at most output_cap bytes
    err: bytes          # stderr, at most stderr_cap bytes
    timed_out: bool
    overflow: bool      # wrote more than output_cap on stdout
    deadline: float     # the time limit in force at the end (time.monotonic())


def communicate(stdin: int, stdout: int, stderr: int, data: bytes, *, deadline: float, timeout: float,
                output_cap: int, stderr_cap: int) -> Collected:
    """Feed `data` to the fd `stdin`, collect the fds `stdout` (capped) and `stderr` (truncated) until
    both close, the deadline passes or stdout overflows. Closes the three fds. Once the first complete
    record (8-byte big-endian length + body) has arrived on stdout, the deadline becomes at most
    `timeout` from then: start-up time is not counted against the student's code."""
    out, err = bytearray(), bytearray()
    ready = timed_out = overflow = False
    sel = selectors.DefaultSelector()
    view = memoryview(data)
    if view:
        os.set_blocking(stdin, False)
        sel.register(stdin, selectors.EVENT_WRITE)
    else:
        os.close(stdin)
    sel.register(stdout, selectors.EVENT_READ)
    sel.register(stderr, selectors.EVENT_READ)
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in sel.select(timeout=min(left, 1.0)):
                fd = key.fd
                if fd == stdin:
                    try:
                        view = view[os.write(stdin, view[:65536]):]
                    except OSError:
                        view = view[:0]
                    if not view:
                        sel.unregister(stdin)
                        os.close(stdin)
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    sel.unregister(fd)
                    os.close(fd)
                    continue
                if fd == stdout:
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
    return Collected(bytes(out[:output_cap]), bytes(err), timed_out, overflow, deadline)


def reap_group(pid: int, grace: float) -> tuple[int, bool]:
    """(exit status as os.waitstatus_to_exitcode gives it, gave up waiting) for the child `pid`,
    leader of its own process group: wait up to `grace` seconds for it to exit, then kill what is
    left of its group while the leader is still unreaped (so the group id cannot have been reused)
    and reap it."""
    end = time.monotonic() + grace
    gave_up = False
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is None:
        if time.monotonic() > end:
            gave_up = True
            break
        time.sleep(0.005)
    kill_group(pid)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), gave_up
