"""JupyterHub for the Backprop Lab course: local unix accounts, one server per user, nbgrader's exchange.

    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py      (as root; `make hub` does this locally)

Everything that differs between machines comes from environment variables (docs/deploy.md):

  BACKPROP_HUB_INSTRUCTORS   comma-separated unix accounts that teach (formgrader, course list)
  BACKPROP_HUB_STUDENTS      comma-separated unix accounts that may log in as students
  BACKPROP_HUB_STUDENT_GROUP a unix group whose members may log in as students (instead or as well)
  BACKPROP_HUB_ADMINS        comma-separated hub administrators (start/stop servers); default none
  BACKPROP_HUB_ENV           the users' environment built by prepare.py env (default /opt/backprop-lab/venv)
  BACKPROP_HUB_STATE         the hub's own files: database, cookie secret (default /srv/jupyterhub)
  BACKPROP_LAB_EXCHANGE      nbgrader's exchange (default /srv/nbgrader/exchange; prepare.py exchange)
  BACKPROP_LAB_COURSE        the instructor's course folder, relative to their home (default backprop-lab)
  BACKPROP_HUB_IP / _PORT    where the proxy listens (default 127.0.0.1:8000: this machine only)
  BACKPROP_HUB_API_PORT      the hub's internal port (8081), BACKPROP_HUB_PROXY_API_PORT the proxy's (8001)
  BACKPROP_HUB_PROXY         configurable-http-proxy (default deploy/node_modules/.bin/configurable-http-proxy)
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 - provided by traitlets when JupyterHub loads this file

HERE = Path(__file__).resolve().parent


def _names(var):
    return {n.strip() for n in os.environ.get(var, "").split(",") if n.strip()}


INSTRUCTORS = _names("BACKPROP_HUB_INSTRUCTORS")
STUDENTS = _names("BACKPROP_HUB_STUDENTS")
STUDENT_GROUP = os.environ.get("BACKPROP_HUB_STUDENT_GROUP", "").strip()
USERS_ENV = Path(os.environ.get("BACKPROP_HUB_ENV", "/opt/backprop-lab/venv"))
STATE = Path(os.environ.get("BACKPROP_HUB_STATE", "/srv/jupyterhub"))
EXCHANGE = os.environ.get("BACKPROP_LAB_EXCHANGE", "/srv/nbgrader/exchange")
COURSE = os.environ.get("BACKPROP_LAB_COURSE", "backprop-lab")
IP = os.environ.get("BACKPROP_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("BACKPROP_HUB_PORT", "8000"))
PROXY = os.environ.get("BACKPROP_HUB_PROXY", str(HERE.parent / "node_modules" / ".bin" / "configurable-http-proxy"))

# ---------------------------------------------------------------- network: the proxy is the only door
# Behind a TLS-terminating reverse proxy (docs/deploy.md) the public side stays 127.0.0.1 too.
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("BACKPROP_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('BACKPROP_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# ---------------------------------------------------------------- the hub's own state (root only)
STATE.mkdir(parents=True, exist_ok=True)
STATE.chmod(0o700)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# Stopping the hub stops every user's server (and so their kernels).
c.JupyterHub.cleanup_servers = True

# ---------------------------------------------------------------- who may log in: local unix accounts
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
if STUDENT_GROUP:
    c.LocalAuthenticator.allowed_groups = {STUDENT_GROUP}
c.Authenticator.admin_users = _names("BACKPROP_HUB_ADMINS")
# Accounts are made by the system administrator, never by the hub.
c.LocalAuthenticator.create_system_users = False

# ---------------------------------------------------------------- each user's server: the course's environment
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(USERS_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def _config_path(spawner):
    """Instructors read etc/backprop-lab/instructor first (formgrader and course list on, the
    course folder); everyone reads the environment's etc/jupyter (exchange, students' defaults)."""
    return str(USERS_ENV / "etc" / "backprop-lab" / "instructor") if spawner.user.name in INSTRUCTORS else ""


c.Spawner.environment = {
    # The hub passes no PATH on: kernels and terminals find the course's tools first.
    "PATH": f"{USERS_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LOGNAME": lambda spawner: spawner.user.name,
    "JUPYTER_CONFIG_PATH": _config_path,
    "BACKPROP_LAB_EXCHANGE": EXCHANGE,
    "BACKPROP_LAB_COURSE": lambda spawner: os.path.join("~", COURSE) if spawner.user.name in INSTRUCTORS else "",
}
