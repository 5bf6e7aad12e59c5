"""Start an IPython kernel under a memory limit (used by the batch grader's kernel spec).

    python -m grader.kernel_launch --memory-mb 2048 -f CONNECTION_FILE

sets RLIMIT_AS (address space) of this process, which the kernel inherits, then runs ipykernel.
An allocation above the limit raises MemoryError in the student's cell instead of exhausting the
machine. Kept tiny on purpose: it runs before every graded kernel.
"""
import sys


def main(argv):
    args = list(argv)
    if "--memory-mb" in args:
        i = args.index("--memory-mb")
        memory_mb = int(args[i + 1])
        del args[i:i + 2]
        if memory_mb > 0:
            import resource
            limit = memory_mb * 1024 * 1024
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    sys.argv = [sys.argv[0], *args]
    from ipykernel import kernelapp
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1:])
