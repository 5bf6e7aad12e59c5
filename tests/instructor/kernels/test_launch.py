"""grader.instructor.kernels.launch: the grading kernel's launcher sets the memory limit the kernel inherits."""
import subprocess
import sys


def test_kernel_launcher_sets_the_memory_limit(tmp_path):
    """The launcher's limit is inherited by the kernel: checked here by launching a tiny script
    through the same rlimit code path instead of a kernel."""
    import resource
    code = ("import sys, resource; sys.argv = ['x', '--memory-mb', '321']\n"
            "import runpy\n"
            "import ipykernel.kernelapp as k\n"
            "k.launch_new_instance = lambda: print(resource.getrlimit(resource.RLIMIT_AS)[0])\n"
            "from grader.instructor.kernels import launch as kernel_launch\n"
            "kernel_launch.main(sys.argv[1:])\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) == 321 * 1024 * 1024
    assert resource.getrlimit(resource.RLIMIT_AS)[0] != 321 * 1024 * 1024
