"""The course's JupyterHub (deploy/jupyterhub/) for tests: real local unix accounts, the hub started
and stopped by process group, commands run as those accounts. Used by tests/instructor/scenarios/test_hub.py.

Needs root (to create accounts and let the hub start servers as them), useradd/userdel/chpasswd,
npm (configurable-http-proxy) and Debian's chromium (tests/browser.py).
"""
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.browser import chromium_path, free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
TOOLS = ("useradd", "userdel", "chpasswd")


def why_not():
    """Why the hub test cannot run here (None when it can)."""
    if sys.platform != "linux":
        return "the hub test needs Linux (local unix accounts, PAM)"
    if os.geteuid() != 0:
        return "the hub test creates unix accounts and starts servers as them: run it as root"
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        return f"cannot create unix accounts here ({', '.join(missing)} not found: apt-get install passwd)"
    if shutil.which("npm") is None and not (ROOT / "deploy" / "node_modules" / ".bin").is_dir():
        return "npm is not installed (apt-get install npm): it installs configurable-http-proxy"
    if chromium_path() is None:
        return "chromium is not installed: `apt-get install chromium` to run the hub test"
    return None


@dataclass
class Account:
    name: str
    password: str
    uid: int
    gid: int
    home: Path


def create_account(name: str) -> Account:
    """A unix account with a random password and a private home (0700, whatever useradd's default)."""
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True,
                   capture_output=True, text=True)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", check=True, capture_output=True, text=True)
    entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    home.chmod(0o700)
    return Account(name, password, entry.pw_uid, entry.pw_gid, home)


def processes_of(uid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def resident_mb(uid: int) -> float:
    """Resident memory of every process of `uid` (a user's server and kernels), in MB."""
    total = 0
    for pid in processes_of(uid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def remove_account(account: Account) -> None:
    """Kill what is left running as the account (servers and kernels the test's hub started), remove it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_of(account.uid)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while processes_of(account.uid) and time.monotonic() < deadline:
            time.sleep(0.2)
    subprocess.run(["userdel", "--remove", account.name], capture_output=True, text=True)
    shutil.rmtree(account.home, ignore_errors=True)


def user_env(account: Account, users_env: Path, **extra) -> dict:
    env = {"HOME": str(account.home), "USER": account.name, "LOGNAME": account.name, "LANG": "C.UTF-8",
           "PATH": f"{users_env / 'bin'}:/usr/local/bin:/usr/bin:/bin"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_as(account: Account, cmd: list, cwd: Path, env: dict, timeout: float = 900, check: bool = True):
    """Run `cmd` as the account (its uid, gid and no other group), as they would in a terminal."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, user=account.uid, group=account.gid,
                          extra_groups=[], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} as {account.name} exited {proc.returncode}:\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


ATTEMPT = """
import os, sys
what, path = sys.argv[1], sys.argv[2]
try:
    if what == "read":
        open(path, "rb").read(1)
    elif what == "list":
        os.listdir(path)
    elif what == "rename":
        os.rename(path, path + ".moved")
    print("allowed")
except PermissionError:
    print("PermissionError")
except OSError as e:
    print(type(e).__name__)
"""


def attempt(account: Account, python: Path, what: str, path: Path) -> str:
    """Try to read / list / rename `path` as the account: 'allowed', 'PermissionError' or another error."""
    proc = run_as(account, [python, "-c", ATTEMPT, what, path], cwd=account.home,
                  env=user_env(account, python.parent.parent))
    return proc.stdout.strip()


class Hub:
    """JupyterHub with deploy/jupyterhub/jupyterhub_config.py on 127.0.0.1, its own ports and state."""

    def __init__(self, state: Path, settings: dict, log: Path):
        self.state, self.log_path = Path(state), Path(log)
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if k != "BACKPROP_LAB_SOLUTIONS"}
        self.env.update({k: str(v) for k, v in settings.items()})
        self.env.update(BACKPROP_HUB_STATE=str(self.state), BACKPROP_HUB_IP="127.0.0.1",
                        BACKPROP_HUB_PORT=str(self.port), BACKPROP_HUB_API_PORT=str(free_port()),
                        BACKPROP_HUB_PROXY_API_PORT=str(free_port()))
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "Hub":
        self.state.mkdir(parents=True, exist_ok=True)
        self.proc, self.log = start_server([str(BIN / "jupyterhub"), "-f", str(CONFIG)], cwd=self.state, env=self.env,
                                           log_path=self.log_path, ready_url=f"{self.url}/hub/health",
                                           what="jupyterhub", timeout=timeout)
        return self

    def stop(self) -> None:
        """SIGTERM to the hub's process group (the hub then stops every user's server and the proxy)."""
        if self.proc is None:
            return
        stop_server(self.proc, self.log, grace=30)  # the proxy is in the hub's process group
        self.proc = None


# ---------------------------------------------------------------- browser steps

def login(page, hub: Hub, account: Account, timeout: float = 180_000) -> None:
    """Log in on the hub's form and wait until the user's JupyterLab has loaded."""
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", account.name)
    page.fill("#password_input", account.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{account.name}/lab**", timeout=timeout)
    page.locator("#jp-main-dock-panel").wait_for(timeout=timeout)


def page_config(page) -> dict:
    return page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent)")
