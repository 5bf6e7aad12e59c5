"""grader.instructor.worker: the temporary course a worker grades a chunk in (its nbgrader config and kernel spec)."""
import json

from grader.instructor import worker
from grader.instructor.worker import Options, write_worker_course


def test_worker_course_uses_ipc_kernels_limits_and_robust_execute(tmp_path):
    bundle = {"config": "c = get_config()\nc.Execute.timeout = 120\n", "gradebook": b"", "solutions": {"m.py": b"x = 1"},
              "layouts": {}}
    write_worker_course(tmp_path, bundle, Options(cell_timeout=7, memory_mb=123, max_output_bytes=999))
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert 'c.KernelManager.transport = "ipc"' in config
    assert f"c.KernelManager.ip = {str(tmp_path / 'ipc' / 'kernel')!r}" in config
    assert "c.Execute.timeout = 7" in config and "c.RobustExecute.max_output_bytes = 999" in config
    assert "RobustExecute as _RE" in config and "c.Autograde.autograde_preprocessors = [_RE," in config
    spec = json.loads((tmp_path / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["argv"][1].endswith("kernels/launch.py") and spec["argv"][2:4] == ["--memory-mb", "123"]
    assert (tmp_path / "solutions" / "m.py").read_bytes() == b"x = 1"


def test_worker_kernel_spec_uses_the_zygote_unless_disabled(tmp_path):
    bundle = {"solutions": {}, "gradebook": b"", "config": ""}
    for enabled, folder in ((True, tmp_path / "on"), (False, tmp_path / "off")):
        folder.mkdir()
        options = worker.Options(kernel_zygote=enabled)
        zygote = folder / "ipc" / "zygote" if enabled else None
        worker.write_worker_course(folder, bundle, options, zygote)
        argv = json.loads((folder / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())["argv"]
        assert ("--zygote" in argv) == enabled
        if enabled:
            assert argv[argv.index("--zygote") + 1] == str(zygote)
