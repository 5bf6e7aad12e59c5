"""Kernels forked by grader/instructor/kernels/zygote.py behave like freshly started ones towards jupyter_client.

The batch grader's kernel spec runs grader/instructor/kernels/launch.py --zygote SOCKET; these tests use the
same spec through jupyter_client's KernelManager, as nbgrader does.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from grader.instructor import worker

pytest.importorskip("ipykernel")
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402

GRADER = worker.KERNELS


@pytest.fixture
def zygote(tmp_path):
    (tmp_path / "ipc").mkdir()
    path = tmp_path / "ipc" / "zygote"
    proc = worker.start_zygote(tmp_path, path, dict(os.environ))
    assert proc is not None, "the zygote did not print 'ready'"
    yield proc, path
    worker.stop_zygote(proc)


def _spec_manager(tmp_path, socket_path, memory_mb=0):
    spec = tmp_path / "kernels" / "graded"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(GRADER / "launch.py"), "--zygote", str(socket_path),
                 "--memory-mb", str(memory_mb), "-f", "{connection_file}"],
        "display_name": "graded", "language": "python"}))
    return KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])


class Kernel:
    def __init__(self, specs, cwd, env=None, name="graded"):
        self.km = KernelManager(kernel_name=name, kernel_spec_manager=specs)
        self.km.start_kernel(cwd=str(cwd), env={**os.environ, **(env or {})})
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def run(self, code, timeout=60):
        outputs = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=outputs.append)
        text = "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
        return reply["content"], text, outputs

    def close(self, now=False):
        self.kc.stop_channels()
        if self.km.has_kernel:
            self.km.shutdown_kernel(now=now)


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


SYS_PATH = "import json, sys\nprint(json.dumps(sys.path))"


def _stock_sys_path(tmp_path, cwd):
    """sys.path of a kernel started the stock way (`python -m ipykernel_launcher`), as serial nbgrader does."""
    spec = tmp_path / "stock-kernels" / "stock"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "stock", "language": "python"}))
    kernel = Kernel(KernelSpecManager(kernel_dirs=[str(spec.parent)]), cwd, name="stock")
    try:
        return json.loads(kernel.run(SYS_PATH)[1])
    finally:
        kernel.close()


def test_kernel_is_a_child_of_the_zygote_with_the_clients_cwd_env_and_path(zygote, tmp_path):
    proc, path = zygote
    work = tmp_path / "student"
    work.mkdir()
    kernel = Kernel(_spec_manager(tmp_path, path), work, env={"GRADER_TEST_VALUE": "42"})
    try:
        reply, text, _ = kernel.run("import os\nprint(os.getppid(), os.getcwd(), os.environ['GRADER_TEST_VALUE'])")
        assert reply["status"] == "ok"
        ppid, cwd, value = text.split()
        assert int(ppid) == proc.pid, "the kernel was not forked by the zygote"
        assert (cwd, value) == (str(work), "42")
        sys_path = json.loads(kernel.run(SYS_PATH)[1])
    finally:
        kernel.close()
    assert sys_path == _stock_sys_path(tmp_path, work), "sys.path differs from a stock kernel's"
    assert str(GRADER) not in sys_path


def test_a_kernel_started_without_the_zygote_has_a_stock_sys_path(tmp_path):
    work = tmp_path / "student"
    work.mkdir()
    kernel = Kernel(_spec_manager(tmp_path, tmp_path / "no-such-socket"), work)
    try:
        sys_path = json.loads(kernel.run(SYS_PATH)[1])
    finally:
        kernel.close()
    assert sys_path == _stock_sys_path(tmp_path, work), "sys.path differs from a stock kernel's"
    assert str(GRADER) not in sys_path


def test_every_kernel_gets_its_own_numpy_random_state(zygote, tmp_path):
    specs = _spec_manager(tmp_path, zygote[1])
    draws = []
    for _ in range(2):
        kernel = Kernel(specs, tmp_path)
        try:
            draws.append(kernel.run("import numpy as np\nprint(np.random.rand())")[1])
        finally:
            kernel.close()
    assert draws[0] != draws[1], "forked kernels share numpy's global random state"


def test_plots_render_inline(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1]), tmp_path)
    try:
        reply, _, outputs = kernel.run("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
        assert reply["status"] == "ok"
        assert any("image/png" in m["content"].get("data", {}) for m in outputs if m["msg_type"] == "display_data")
    finally:
        kernel.close()


def test_memory_limit_raises_memory_error(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1], memory_mb=1024), tmp_path)
    try:
        reply, _, _ = kernel.run("import numpy as np\nx = np.ones(10**10)")
        assert reply["status"] == "error" and reply["ename"] == "MemoryError"
        assert kernel.run("print(1 + 1)")[1] == "2\n", "the kernel did not survive the MemoryError"
    finally:
        kernel.close()


def test_interrupt_reaches_the_kernel(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1]), tmp_path)
    try:
        threading.Timer(1.0, kernel.km.interrupt_kernel).start()
        start = time.monotonic()
        reply, _, _ = kernel.run("import time\ntime.sleep(30)")
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        assert time.monotonic() - start < 20
    finally:
        kernel.close()


def test_a_kernel_that_exits_ends_its_stand_in_with_the_same_code(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1]), tmp_path)
    try:
        with pytest.raises(TimeoutError):
            kernel.run("import os\nos._exit(3)", timeout=5)
        kernel.km.provisioner.process.wait(10)
        assert kernel.km.provisioner.process.returncode == 3
        assert not kernel.km.is_alive()
    finally:
        kernel.close()


def test_killing_the_stand_in_kills_the_kernel_and_what_it_started(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1]), tmp_path)
    _, text, _ = kernel.run("import os, subprocess\np = subprocess.Popen(['sleep', '300'])\nprint(os.getpid(), p.pid)")
    pids = [int(x) for x in text.split()]
    assert all(_alive(p) for p in pids)
    kernel.close(now=True)  # jupyter_client's hard kill: SIGKILL to the stand-in's process group
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids), "the kernel or its subprocess outlived the kill"


def test_stopping_the_zygote_kills_its_kernels(tmp_path):
    (tmp_path / "ipc").mkdir()
    path = tmp_path / "ipc" / "zygote"
    proc = worker.start_zygote(tmp_path, path, dict(os.environ))
    kernel = Kernel(_spec_manager(tmp_path, path), tmp_path)
    try:
        kernel_pid = int(kernel.run("import os\nprint(os.getpid())")[1])
        worker.stop_zygote(proc)
        deadline = time.monotonic() + 10
        while _alive(kernel_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(kernel_pid)
        kernel.km.provisioner.process.wait(10)  # and the stand-in does not hang
    finally:
        kernel.close(now=True)


def test_a_malformed_request_does_not_stop_the_zygote(zygote, tmp_path):
    import socket
    proc, path = zygote
    for payload in (b"not json\n", b'{"argv": "x"}\n', b""):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(path))
            if payload:
                socket.send_fds(conn, [payload], [0, 1, 2])
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(64) == b"", "the zygote answered a malformed request"
    assert proc.poll() is None
    kernel = Kernel(_spec_manager(tmp_path, path), tmp_path)
    try:
        assert kernel.run("print('still serving')")[1] == "still serving\n"
    finally:
        kernel.close()


def test_without_a_zygote_the_kernel_starts_the_usual_way(tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, tmp_path / "no-such-socket"), tmp_path)
    try:
        _, text, _ = kernel.run("import os\nprint(os.getpid())")
        assert int(text) == kernel.km.provisioner.process.pid, "the stand-in did not become the kernel"
    finally:
        kernel.close()


def test_the_zygote_is_reaped_with_no_kernel_left(zygote, tmp_path):
    proc, path = zygote
    specs = _spec_manager(tmp_path, path)
    for _ in range(3):
        kernel = Kernel(specs, tmp_path)
        kernel.run("x = 1")
        kernel.close()
    deadline = time.monotonic() + 10
    while _children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _children(proc.pid) == [], "finished kernels were left as children (zombies) of the zygote"


def test_sigterm_is_forwarded_to_the_kernel(zygote, tmp_path):
    kernel = Kernel(_spec_manager(tmp_path, zygote[1]), tmp_path)
    try:
        kernel_pid = int(kernel.run("import os\nprint(os.getpid())")[1])
        kernel.km.provisioner.process.send_signal(signal.SIGTERM)
        kernel.km.provisioner.process.wait(10)
        assert kernel.km.provisioner.process.returncode == -signal.SIGTERM
        assert not _alive(kernel_pid)
    finally:
        kernel.close(now=True)


def test_a_kernel_cannot_reach_into_the_zygote(zygote, tmp_path):
    proc, path = zygote
    kernel = Kernel(_spec_manager(tmp_path, path), tmp_path)
    try:
        _, text, _ = kernel.run("import ctypes\nprint(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))")
        assert text == "1\n", "a forked kernel should be dumpable, as a freshly started one is"
        if os.geteuid() == 0:
            pytest.skip("root (CAP_SYS_PTRACE) opens a non-dumpable process's files")
        _, text, _ = kernel.run(f"""
for name, mode in (("mem", "rb"), ("environ", "rb"), ("fd/0", "rb")):
    try:
        open(f"/proc/{proc.pid}/{{name}}", mode).close()
        print("opened", name)
    except OSError as exc:
        print("refused", type(exc).__name__)
""")
        lines = text.splitlines()
        assert len(lines) == 3 and all(line.startswith("refused") for line in lines), lines
    finally:
        kernel.close()
