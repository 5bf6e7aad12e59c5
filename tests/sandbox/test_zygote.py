"""sandbox.run_python_many: one sandboxed interpreter per submission, a fresh forked child per job.
Each job must behave as if it ran alone (run_python): its own state, limits and outcome, and a job
that breaks the shared process spoils nothing but its own result."""
import os

import pytest

from grader.sandbox import isolate as sandbox

BWRAP_OK, BWRAP_REASON = sandbox.bwrap_status()
BACKENDS = [pytest.param("bwrap", marks=pytest.mark.skipif(not BWRAP_OK,
                                                           reason=f"bubblewrap not usable: {BWRAP_REASON}")),
            "subprocess"]

# The child program: imports numpy once (in the shared process), then runs each job's text.
PROGRAM = """
import os, sys
import numpy

def main():
    exec(sys.stdin.read(), {"__name__": "job"})

if __name__ == "__main__":  # run alone (run_python); the shared process calls main() per job
    main()
"""
IS_SHARED_PARENT = ("import os\n"
                    "shared = b'grader.sandbox.run_python_many' in "
                    "open(f'/proc/{os.getppid()}/cmdline', 'rb').read()\n")


def run_many(jobs, backend, timeout=5, output_cap=1 << 20):
    return sandbox.run_python_many(PROGRAM, [j.encode() for j in jobs], timeout=timeout, memory_mb=1024,
                                   output_cap=output_cap, backend=backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_job_starts_from_the_same_fresh_state(backend):
    outcomes = run_many(["import numpy, os; numpy.marker = 1; print(os.getpid(), hasattr(numpy, 'marker'))",
                         "import numpy, os; print(os.getpid(), hasattr(numpy, 'marker'))"], backend)
    assert [o.returncode for o in outcomes] == [0, 0], [o.stderr for o in outcomes]
    (pid0, seen0), (pid1, seen1) = (o.output.decode().split() for o in outcomes)
    assert (seen0, seen1) == ("True", "False"), "a job saw what the previous job changed"
    assert pid0 != pid1
    assert all(o.backend == backend for o in outcomes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failing_job_costs_only_its_own_outcome(backend):
    outcomes = run_many(["print('first')",
                         "while True: pass",
                         "import os; os._exit(3)",
                         "print('x' * 100_000)",
                         "raise ValueError('broken job')",
                         "import sys; sys.exit(5)",
                         "import numpy; x = numpy.ones(10**10)",
                         "print('last')"], backend, timeout=2, output_cap=50_000)
    first, loop, exit3, flood, raises, exit5, memory, last = outcomes
    assert first.output == b"first\n" and first.returncode == 0
    assert loop.timed_out or loop.returncode == -24  # wall clock or CPU limit (SIGXCPU)
    assert exit3.returncode == 3 and not exit3.timed_out
    assert flood.overflow
    assert raises.returncode == 1 and "ValueError: broken job" in raises.stderr
    assert exit5.returncode == 5
    assert memory.returncode == 1 and "MemoryError" in memory.stderr, memory.stderr
    assert last.output == b"last\n" and last.returncode == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_job_that_kills_the_shared_process_spoils_nothing_else(backend):
    # The killer only kills a parent that is the shared process: run alone (the fallback), it prints.
    killer = IS_SHARED_PARENT + "if shared:\n    os.kill(os.getppid(), 9)\nprint('alone', shared)"
    outcomes = run_many(["print('before')", killer, "print('after')"], backend)
    assert [o.output for o in outcomes] == [b"before\n", b"alone False\n", b"after\n"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_job_cannot_reach_into_the_shared_process(backend):
    if backend == "subprocess" and os.geteuid() == 0:
        pytest.skip("root (CAP_SYS_PTRACE) opens a non-dumpable process's files: the fallback is no boundary for root")
    probe = IS_SHARED_PARENT + """
assert shared
ppid = os.getppid()
for path, mode in ((f"/proc/{ppid}/mem", "rb"), (f"/proc/{ppid}/fd/1", "wb"), (f"/proc/{ppid}/environ", "rb")):
    try:
        open(path, mode).close()
        print("opened", path)
    except OSError as exc:
        print("refused", type(exc).__name__)
"""
    (outcome,) = run_many([probe], backend)
    assert outcome.returncode == 0, outcome.stderr
    lines = outcome.output.decode().splitlines()
    assert len(lines) == 3 and all(line.startswith("refused") for line in lines), lines


@pytest.mark.parametrize("backend", BACKENDS)
def test_outcomes_match_run_python(backend):
    jobs = ["print(sum(range(10)))", "import sys; print('err', file=sys.stderr); sys.exit(2)"]
    together = run_many(jobs, backend)
    alone = [sandbox.run_python(PROGRAM, j.encode(), timeout=5, memory_mb=1024, output_cap=1 << 20, backend=backend)
             for j in jobs]
    for a, b in zip(together, alone):
        assert (a.output, a.returncode, a.timed_out, a.overflow) == (b.output, b.returncode, b.timed_out, b.overflow)
        assert a.stderr.strip() == b.stderr.strip()


@pytest.mark.skipif(not BWRAP_OK, reason=f"bubblewrap not usable: {BWRAP_REASON}")
def test_under_bwrap_the_interpreter_serves_the_next_submission_clean():
    leaver = ("import os, time\n"
              "if os.fork() == 0:\n"
              "    os.setsid()\n"
              "    os.closerange(0, 3)\n"
              "    time.sleep(60)\n"
              "    os._exit(0)\n"
              "print('left a process behind')")
    census = "import os; print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))"
    (first,) = run_many([leaver], "bwrap")
    assert first.output == b"left a process behind\n"
    shared = sandbox._SHARED.interpreter
    (second,) = run_many([census], "bwrap")
    assert sandbox._SHARED.interpreter is shared and shared.alive(), "the interpreter was not reused"
    pids = eval(second.output.decode())  # noqa: S307 - a list of ints printed by the test job
    # bwrap's init (1), the shared interpreter (2), this submission's process and the job itself
    assert len(pids) == 4 and pids[:2] == [1, 2], pids
