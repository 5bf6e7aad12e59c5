"""grader.sandbox.isolate: untrusted Python runs in a scrubbed, isolated process under time, CPU, memory and
output limits, on both backends (bubblewrap where it works here, and the plain-subprocess fallback)."""
import os
import textwrap

import pytest

from grader import reference
from grader.instructor.notebook import COURSE_ROOT
from grader.sandbox import isolate as sandbox

BWRAP_OK, BWRAP_REASON = sandbox.bwrap_status()
BACKENDS = [pytest.param("bwrap", marks=pytest.mark.skipif(not BWRAP_OK, reason=f"bubblewrap not usable: {BWRAP_REASON}")),
            "subprocess"]


def run(code, backend, timeout=10, memory_mb=1024):
    """Run `code` in the sandbox; return (stdout text, Outcome)."""
    out = sandbox.run_python(code, b"", timeout=timeout, memory_mb=memory_mb, output_cap=1 << 20, backend=backend)
    return out.output.decode(errors="replace"), out


# ----------------------------------------------------------------------------- isolation
@pytest.mark.parametrize("backend", BACKENDS)
def test_environment_is_scrubbed(backend, monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_SOLUTIONS", str(COURSE_ROOT / "solutions"))
    text, outcome = run("import os, sys; print(sorted(os.environ)); print(sys.flags.isolated, os.getcwd())", backend)
    assert outcome.returncode == 0, outcome.stderr
    assert "BACKPROP_LAB_SOLUTIONS" not in text
    assert "1" in text.splitlines()[1] and str(COURSE_ROOT) not in text


@pytest.mark.skipif(not BWRAP_OK, reason=f"bubblewrap not usable: {BWRAP_REASON}")
def test_bwrap_hides_the_course_and_the_network():
    code = textwrap.dedent(f"""
        import os, socket
        print(os.path.exists({str(COURSE_ROOT / 'solutions')!r}), os.path.exists({str(COURSE_ROOT / 'notebooks')!r}))
        print(sorted(os.listdir(os.path.dirname({str(sandbox.GRADER_DIR)!r}))))
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=2)
            print("network")
        except OSError:
            print("no network")
        try:
            open("/usr/escape", "w")
        except OSError:
            print("read-only")
        print(os.getuid())
        """)
    text, outcome = run(code, "bwrap")
    lines = text.splitlines()
    assert outcome.returncode == 0, outcome.stderr
    assert lines[0] == "False False"
    assert lines[1] in ("['grader']", "['.venv', 'grader']"), "only the interpreter and grader/ are bound"
    assert lines[2] == "no network" and lines[3] == "read-only"


def test_bwrap_is_preferred_when_it_works(monkeypatch):
    monkeypatch.delenv(sandbox.ENV_BACKEND, raising=False)
    assert sandbox.choose_backend() == ("bwrap" if BWRAP_OK else "subprocess")
    monkeypatch.setenv(sandbox.ENV_BACKEND, "subprocess")
    assert sandbox.choose_backend() == "subprocess"
    monkeypatch.setenv(sandbox.ENV_BACKEND, "nonsense")
    with pytest.raises(ValueError):
        sandbox.choose_backend()


# ----------------------------------------------------------------------------- limits
@pytest.mark.parametrize("backend", BACKENDS)
def test_wall_clock_limit_kills_a_loop(backend):
    # The limit runs from the first complete record (here an empty one): start-up is not counted.
    code = "import os, sys, time\nos.write(1, bytes(8))\nwhile True: time.sleep(0.01)"
    _, outcome = run(code, backend, timeout=0.5)
    assert outcome.timed_out and outcome.seconds < 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_cpu_limit_kills_a_busy_loop(backend):
    _, outcome = run("while True: pass", backend, timeout=1)
    assert outcome.returncode is not None and outcome.returncode < 0 or outcome.timed_out


@pytest.mark.parametrize("backend", BACKENDS)
def test_memory_limit(backend):
    text, outcome = run("import numpy as np\ntry:\n    np.ones((20000, 20000))\nexcept MemoryError:\n    print('refused')",
                        backend, memory_mb=512)
    assert "refused" in text


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_cap(backend):
    _, outcome = run("import sys\nwhile True: sys.stdout.write('x' * 65536)", backend, timeout=20)
    assert outcome.overflow and len(outcome.output) <= 1 << 20



def test_secrets_never_bound(monkeypatch):
    for root in sandbox.interpreter_roots():
        for secret in sandbox.secret_paths([COURSE_ROOT / "solutions", reference.solutions_dir()]):
            assert not (os.path.realpath(secret) + os.sep).startswith(os.path.realpath(root) + os.sep)

