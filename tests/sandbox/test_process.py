"""grader.sandbox.process: exact reads and full writes on raw fds, the pipe loop that feeds a child and collects
its output under a deadline and caps, and reaping a child's whole process group."""
import os
import subprocess
import sys
import threading
import time

import pytest

from grader.sandbox.process import communicate, kill_group, read_exact, reap_group, write_all


def test_write_all_and_read_exact_move_every_byte_in_order():
    r, w = os.pipe()
    data = bytes(range(256)) * 1000  # more than a pipe holds: os.write alone would write less
    writer = threading.Thread(target=lambda: (write_all(w, data), os.close(w)))
    writer.start()
    try:
        assert read_exact(r, 10) == data[:10]
        assert read_exact(r, len(data) - 10) == data[10:]
        writer.join()
        with pytest.raises(EOFError):
            read_exact(r, 1)
    finally:
        os.close(r)


def _child(code):
    """A python child on three fresh pipes; returns (process, our stdin, stdout, stderr fds)."""
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=in_r, stdout=out_w, stderr=err_w)
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    return proc, in_w, out_r, err_r


def _communicate(code, data=b"", timeout=30.0, output_cap=1 << 20, stderr_cap=1 << 10):
    proc, stdin, stdout, stderr = _child(code)
    try:
        return communicate(stdin, stdout, stderr, data, deadline=time.monotonic() + 30, timeout=timeout,
                           output_cap=output_cap, stderr_cap=stderr_cap)
    finally:
        proc.kill()
        proc.wait()


ECHO = "import sys\ndata = sys.stdin.buffer.read()\nsys.stdout.buffer.write(data[::-1])\nsys.stderr.write('e' * 5000)"


def test_the_child_gets_its_input_and_its_output_is_collected():
    data = os.urandom(300_000)
    got = _communicate(ECHO, data)
    assert got.out == data[::-1] and not got.timed_out and not got.overflow
    assert got.err == b"e" * 1024, "stderr is truncated at its cap"


def test_too_much_output_stops_the_loop_at_the_cap():
    got = _communicate("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)", output_cap=100_000)
    assert got.overflow and not got.timed_out and got.out == b"x" * 100_000
    got = _communicate("import sys\nsys.stdout.write('x' * 150_000)", output_cap=100_000)
    assert got.overflow and got.out == b"x" * 100_000, "a child that ends after passing the cap still overflowed"


def test_the_time_limit_runs_from_the_first_complete_record():
    # A slow start (1 s) is not counted; then the 0.5 s limit applies to what follows the first record.
    code = "import os, time\ntime.sleep(1)\nos.write(1, bytes(8))\ntime.sleep(60)"
    start = time.monotonic()
    got = _communicate(code, timeout=0.5)
    assert got.timed_out and got.out == bytes(8)
    assert 1.0 < time.monotonic() - start < 10


def test_reaping_waits_for_the_exit_status():
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"], start_new_session=True)
    assert reap_group(proc.pid, grace=30) == (3, False)
    proc.returncode = 3  # reaped above: Popen must not wait for it again


def test_reaping_a_child_that_does_not_exit_kills_its_whole_group(tmp_path):
    pidfile = tmp_path / "grandchild"
    code = (f"import subprocess, time\np = subprocess.Popen(['sleep', '300'])\n"
            f"open({str(pidfile)!r}, 'w').write(str(p.pid))\ntime.sleep(300)")
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    while not pidfile.is_file() or not pidfile.read_text():
        time.sleep(0.05)
    grandchild = int(pidfile.read_text())
    status, gave_up = reap_group(proc.pid, grace=0.2)
    proc.returncode = status
    assert gave_up and status == -9

    def gone():
        try:
            with open(f"/proc/{grandchild}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] == "Z"  # killed, not yet reaped by its new parent
        except FileNotFoundError:
            return True
    deadline = time.monotonic() + 10
    while not gone() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gone(), "the child's own child outlived the kill"


def test_killing_a_group_that_has_gone_is_no_error():
    proc = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    proc.wait()
    kill_group(proc.pid)
