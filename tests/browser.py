"""JupyterLab in a real browser: start a server on 127.0.0.1 with isolated settings, drive chromium.

Used by tests/notebooks/test_browser.py (and img/screenshot_jupyterlab.py through it). Needs Debian's chromium
(`sudo apt-get install chromium`) and the `playwright` Python package (requirements.txt); Playwright's
own browser download is never used.
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
INSTALL_HINT = "chromium is not installed: `sudo apt-get install chromium` to run the browser tests"
BIN = Path(sys.executable).parent


def chromium_path():
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# JupyterLab settings of the test user: no news or update toasts, every cell kept in the DOM.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


class Lab:
    """A JupyterLab server serving `root`, with its own config/runtime/settings/workspaces folders."""

    def __init__(self, root, home, log):
        self.root, self.home, self.log_path = Path(root), Path(home), Path(log)
        self.port, self.token = free_port(), secrets.token_hex(16)
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def environment(self):
        env = dict(os.environ)
        env.pop("BACKPROP_LAB_SOLUTIONS", None)
        for var, name in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("JUPYTER_DATA_DIR", "data")):
            env[var] = str(self.home / name)
            (self.home / name).mkdir(parents=True, exist_ok=True)
        # The venv's share/jupyter (nbgrader's labextension, the python3 kernelspec) and its
        # etc/jupyter (nbgrader's server extension) stay on Jupyter's system paths (sys.prefix).
        env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
        return env

    def start(self, timeout=90):
        for name, value in SETTINGS.items():
            path = self.home / "settings" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        cmd = [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.proc, self.log = start_server(cmd, cwd=self.root, env=self.environment(), log_path=self.log_path,
                                           ready_url=f"{self.url}/api/status?token={self.token}",
                                           what="jupyter lab", timeout=timeout)
        return self

    def stop(self):
        """Stop the server and its kernels: signal the process group, wait, kill if needed."""
        if self.proc is None:
            return
        stop_server(self.proc, self.log)
        self.proc = None

    def notebook_url(self, relpath):
        return f"{self.url}/lab/tree/{relpath}?token={self.token}&reset"


def start_server(cmd, *, cwd, env, log_path, ready_url, what, timeout):
    """Start a server in its own process group, its output in log_path; wait until ready_url answers 200.
    Returns (process, log file); on failure the group is stopped and RuntimeError says why, with the log."""
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited {proc.returncode}:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(ready_url, timeout=2) as r:
                if r.status == 200:
                    return proc, log
        except OSError:
            time.sleep(0.3)
    stop_server(proc, log)
    raise RuntimeError(f"{what} did not answer in {timeout} s:\n{Path(log_path).read_text()}")


def stop_server(proc, log, grace=20):
    """SIGTERM to the server's process group, wait, SIGKILL whatever is left of the group (its kernels, a proxy)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    log.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(),
                                      args=["--disable-gpu", "--disable-quic", "--no-sandbox"])


# ---------------------------------------------------------------- page helpers

STATUS_IDLE = ".jp-StatusBar-Widget >> text=/\\| Idle/"


def dismiss_popups(page):
    """Close notification toasts (news, updates) and answer a kernel selection dialog."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and "Select Kernel" in (dialog.first.inner_text() or ""):
        dialog.first.get_by_role("button", name="Select", exact=True).click()
        dialog.first.wait_for(state="detached")
    for close in page.locator(".jp-Notification-Toast-Close, .Toastify__close-button").all():
        try:
            close.click(timeout=1000)
        except Exception:
            pass


def wait_kernel_idle(page, timeout=120_000):
    """The status bar names the kernel and says Idle (the toolbar indicator turns idle earlier)."""
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('#jp-main-statusbar');
            return bar && /Python 3.*\\|\\s*Idle/.test(bar.innerText);
        }""", timeout=timeout)


def open_notebook(page, lab, relpath, timeout=120_000):
    page.goto(lab.notebook_url(relpath))
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=timeout)
    # A kernel selection dialog, if any, appears once the session is being set up.
    deadline = time.monotonic() + timeout / 1000
    while True:
        dismiss_popups(page)
        try:
            wait_kernel_idle(page, timeout=2000)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
    dismiss_popups(page)


def menu(page, top, item):
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def run_all(page, timeout=300_000):
    """Run > Run All Cells, then wait until no cell is queued or running and the kernel is idle."""
    # Make sure the click is not lost to an unfocused page.
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    menu(page, "Run", "Run All Cells")
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && !prompts.some(p => p.innerText.includes('*'));
        }""", timeout=timeout)
    wait_kernel_idle(page, timeout=timeout)
    # The last code cell either ran or run-all stopped at an error; both leave no '[*]'.


def cell_index(page, text):
    """Index (among .jp-Cell) of the first cell whose input contains `text`."""
    return page.evaluate(
        """(text) => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell')]
                .findIndex(c => (c.querySelector('.jp-InputArea-editor')?.innerText || '').includes(text))""",
        text)


def cell(page, index):
    return page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)


def set_cell_source(page, index, source):
    """Type `source` into cell `index` as a student would paste it: select all, insert text."""
    target = cell(page, index)
    target.scroll_into_view_if_needed()
    target.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")  # command mode


def cell_output(page, index):
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def validate(page, timeout=300_000):
    """Press nbgrader's Validate toolbar button; return the text of its "Validation Results" dialog."""
    page.locator(".jp-NotebookPanel-toolbar .validate-button").first.click()
    result = page.locator(".jp-Dialog", has=page.locator("#validation-message"))
    result.first.wait_for(timeout=timeout)
    return result.first.inner_text()


def scroll_dialog_to_end(page):
    page.evaluate("""() => document.querySelectorAll('.jp-Dialog pre, .jp-Dialog-body')
        .forEach(e => { e.scrollTop = e.scrollHeight; })""")


def close_dialog(page):
    dialog = page.locator(".jp-Dialog")
    buttons = dialog.first.locator(".jp-Dialog-footer button")
    buttons.last.click()
    dialog.first.wait_for(state="detached")


def shot(page, path, **kw):
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), **kw)
    return path
