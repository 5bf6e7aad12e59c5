"""Start an IPython kernel under a memory limit (used by the batch grader's kernel spec).

    python grader/instructor/kernels/launch.py [--zygote SOCKET] --memory-mb 2048 -f CONNECTION_FILE

With --zygote, asks that kernel zygote (grader/instructor/kernels/zygote.py) to fork the kernel and stands in
for it: jupyter_client's signals are forwarded to the kernel's process group and this process
exits as the kernel did. Killing this process kills the kernel. When the zygote cannot be
reached, or without --zygote, it sets RLIMIT_AS (address space) of this process, which the
kernel inherits, and runs ipykernel itself. An allocation above the limit raises MemoryError in
the student's cell instead of exhausting the machine.

Kept tiny on purpose (a script, not importing the grader package): it runs before every graded
kernel.
"""
import os
import signal
import sys

FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def _option(args, name, convert=str):
    if name not in args:
        return None
    i = args.index(name)
    value = convert(args[i + 1])
    del args[i:i + 2]
    return value


def limit_address_space(memory_mb: int | None) -> None:
    """RLIMIT_AS of this process (and what it starts) to memory_mb MB, never above the hard
    limit; 0 or None for no limit."""
    if not memory_mb or memory_mb <= 0:
        return
    import resource
    limit = memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def prepare_kernel(memory_mb: int | None) -> None:
    """What both ways of starting a graded kernel do before ipykernel runs: the address-space limit,
    and sys.path as `python -m ipykernel_launcher` leaves it: without the folder of the script that
    was run (grader/, the grader's own modules); IPython's shell adds the working folder ('') back."""
    limit_address_space(memory_mb)
    scripts = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [p for p in sys.path if p != scripts]


def via_zygote(path: str, memory_mb: int, args: list[str]) -> int | None:
    """Run the kernel in a child of the zygote; returns this process's exit code, or None when
    the zygote could not start one (the caller then starts the kernel itself)."""
    import json
    import socket
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        request = {"argv": args, "cwd": os.getcwd(), "env": dict(os.environ), "memory_mb": memory_mb}
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        replies = conn.makefile("rb")
        first = replies.readline()
    except OSError:
        return None
    if not first.startswith(b"pid "):
        return None
    pid = int(first.split()[1])

    def forward(signum, _frame):
        try:
            os.killpg(pid, signum)
        except OSError:
            pass

    for signum in FORWARDED:
        signal.signal(signum, forward)
    try:
        last = replies.readline()
    except OSError:
        last = b""
    if not last.startswith(b"exit "):  # the zygote is gone: do not leave its kernel behind
        forward(signal.SIGKILL, None)
        return 1
    code = int(last.split()[1])
    if code < 0:  # die of the same signal, as jupyter_client expects of a killed kernel
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    return code


def main(argv: list[str]) -> None:
    args = list(argv)
    memory_mb = _option(args, "--memory-mb", int) or 0
    zygote = _option(args, "--zygote")
    if zygote:
        code = via_zygote(zygote, memory_mb, args)
        if code is not None:
            sys.exit(code)
    prepare_kernel(memory_mb)
    sys.argv = [sys.argv[0], *args]
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1:])
