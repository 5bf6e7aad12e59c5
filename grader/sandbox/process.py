"""Processes of the sandbox room: starting them in their own process group, and ending the whole group."""
import os
import signal


def kill_group(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send `sig` to the process group led by `pid` (the process and everything it started); a group
    that has already gone, or that this user may not signal, is left alone."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
