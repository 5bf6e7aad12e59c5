"""The sandbox's shared interpreter (see grader.sandbox.run_python_many, which runs this file's text
with `python -I -B -c` inside the sandbox): start Python and import the child program's modules
(numpy) once, then grade submission after submission, each job in a fresh forked child.

Input on stdin, each part framed by an 8-byte big-endian length: first the child program's source
(it must define main(), which reads its job from stdin and writes records on stdout); then, per
submission, a JSON header {"n", "timeout", "cpu", "startup", "output_cap", "stderr_cap"} and the n
job inputs. End of input ends the process.

Each submission is handled by a process forked for it, which reads its jobs and, for each job in
order, forks a child with fresh pipes as stdin/stdout/stderr, its own process group and CPU limit,
feeds it the job, collects its output with the same caps and time limits as
grader.sandbox.run_python, kills the child's process group when it ends, and writes one frame on
stdout: a JSON header {"i", "returncode", "timed_out", "overflow", "seconds", "out", "err"}
("out"/"err": byte counts) followed by those bytes. Then it exits; under bubblewrap (argument
`namespaced`: alone in a pid namespace) every process a submission left behind is killed before
the next submission is read.

Isolation: no student code or data ever enters the long-lived process; all of them are made
non-dumpable, so a child (same uid, no capabilities under bubblewrap) can neither ptrace them nor
open their memory or file descriptors through /proc; a child can only kill them, which loses the
remaining jobs of its own submission (the caller re-runs them alone).
"""
import ctypes
import io
import json
import os
import resource
import signal
import sys
import time
import traceback

# Importable in the sandbox as grader.sandbox.child explains (this file's text runs with -c).
from grader.sandbox.process import communicate, kill_group, reap_group, read_exact, write_all


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
    got = communicate(w_in, r_out, r_err, job, deadline=start + startup + timeout, timeout=timeout,
                      output_cap=output_cap, stderr_cap=stderr_cap)
    if got.timed_out or got.overflow:
        kill_group(pid)
    # Reap only after killing what is left of the child's group (its id cannot be reused before).
    code, gave_up = reap_group(pid, 2.0)
    return {"returncode": code, "timed_out": got.timed_out or gave_up, "overflow": got.overflow,
            "seconds": time.monotonic() - start}, got.out, got.err


def _read_frame_fd(fd):
    return read_exact(fd, int.from_bytes(read_exact(fd, 8), "big"))


def _submission(main):
    """Grade one submission's jobs (read from fd 0), write one frame per job on fd 1.
    Exit codes: 0 done, 3 no more submissions (end of input)."""
    try:
        header = json.loads(_read_frame_fd(0))
    except EOFError:
        return 3
    jobs = [_read_frame_fd(0) for _ in range(int(header["n"]))]
    budget = len(jobs) * (int(header["cpu"]) + 2) + 10
    resource.setrlimit(resource.RLIMIT_CPU, (budget, budget + 1))
    for index, job in enumerate(jobs):
        info, out, err = _run_one(main, job, header)
        info.update(i=index, out=len(out), err=len(err))
        head = json.dumps(info).encode()
        write_all(1, len(head).to_bytes(8, "big") + head + out + err)
    return 0


def zygote(namespaced: bool) -> None:
    # PR_SET_DUMPABLE = 4: a child of the same uid cannot ptrace this process (or the per-submission
    # processes forked from it) or read their memory and file descriptors through /proc.
    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE) failed")
    source = _read_frame_fd(0).decode()
    namespace = {"__name__": "grader_sandbox_child", "__builtins__": __builtins__}
    exec(compile(source, "<sandbox child>", "exec"), namespace)  # noqa: S102 - our own child program
    main = namespace["main"]
    # Student data never enters this process: each submission is read, run and answered by a
    # process forked from it, which exits afterwards.
    while True:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _submission(main)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if namespaced:
            # Alone in our pid namespace (bwrap's init is spared): whatever a submission left
            # running dies before the next submission starts.
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if os.waitstatus_to_exitcode(status) != 0:
            break


if __name__ == "__main__":
    zygote(namespaced=sys.argv[1:] == ["namespaced"])
