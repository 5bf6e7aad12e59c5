"""Build what the course's JupyterHub needs outside its own configuration file.

    python deploy/jupyterhub/prepare.py env PREFIX      # the users' environment: a virtualenv at PREFIX
    python deploy/jupyterhub/prepare.py exchange PATH   # nbgrader's shared exchange folder (as root)
    python deploy/jupyterhub/prepare.py proxy           # configurable-http-proxy into deploy/node_modules

The users' environment is what every single-user server and kernel runs: requirements.txt and
deploy/jupyterhub/requirements.txt at the pins of constraints.txt, and the `grader` package installed
from a wheel built in a scratch copy of pyproject.toml + grader/ (never editable: an editable install
maps `grader` back into the checkout, where solutions/ lives). Nothing else of the repository goes
into it. Its etc/jupyter gets the students' settings (nbgrader's exchange and course id; formgrader
and course list off) and etc/backprop-lab/instructor the instructor's (JUPYTER_CONFIG_PATH points
there for instructors: formgrader and course list on, the course folder).

Re-running is cheap: the third-party packages are reinstalled only when a requirements or
constraints file changed, grader only when grader/ changed.
"""
import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REQUIREMENTS = [ROOT / "requirements.txt", HERE / "requirements.txt"]
CONSTRAINTS = ROOT / "constraints.txt"
INSTRUCTOR_CONFIG = Path("etc") / "backprop-lab" / "instructor"
PIP = ["-m", "pip", "install", "--disable-pip-version-check", "-q"]


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _grader_files() -> list[Path]:
    files = [ROOT / "pyproject.toml"]
    files += sorted(p for p in (ROOT / "grader").rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return files


def _run(cmd: list, **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def install_grader(python: Path) -> None:
    """grader/ as a regular (non-editable) package, built from a copy holding nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        shutil.copy(ROOT / "pyproject.toml", src)
        shutil.copytree(ROOT / "grader", src / "grader", ignore=shutil.ignore_patterns("__pycache__"))
        _run([python, "-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps",
              "--no-build-isolation", "-w", Path(tmp) / "dist", src])
        wheel = next((Path(tmp) / "dist").glob("*.whl"))
        _run([python, *PIP, "--no-deps", "--force-reinstall", wheel])


def install_config(prefix: Path) -> None:
    """Students' settings in <prefix>/etc/jupyter, the instructor's in <prefix>/etc/backprop-lab/instructor."""
    shutil.copytree(HERE / "etc" / "jupyter", prefix / "etc" / "jupyter", dirs_exist_ok=True)
    target = prefix / INSTRUCTOR_CONFIG
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(HERE / "etc" / "instructor", target)


def make_readable(prefix: Path) -> None:
    """Every user runs this environment: a+rX on all of it (a root umask of 077 would hide it)."""
    for dirpath, dirnames, filenames in os.walk(prefix):
        for name in dirnames + filenames + ["."]:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            extra = stat.S_IRGRP | stat.S_IROTH
            if stat.S_ISDIR(mode) or mode & stat.S_IXUSR:
                extra |= stat.S_IXGRP | stat.S_IXOTH
            if mode & extra != extra:
                path.chmod(mode | extra)


def shared_python() -> str:
    """A Python of this one's version that every user can run: a virtualenv's interpreter is a
    link to it (a Python installed under /root, e.g. by pyenv, is out of the users' reach)."""
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [os.path.realpath(getattr(sys, "_base_executable", sys.executable)),
                  f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for candidate in candidates:
        if os.access(candidate, os.X_OK) and unreachable_parent(Path(candidate)) is None:
            return candidate
    raise SystemExit(f"no Python {version} that other users can run (tried {', '.join(candidates)}): "
                     f"install one, e.g. apt-get install python{version} python{version}-venv")


def build_env(prefix: Path, base_python: str = None) -> Path:
    """Create or update the users' environment at `prefix`; returns its python."""
    prefix = Path(prefix).absolute()
    python = prefix / "bin" / "python"
    if python.exists() and unreachable_parent(Path(os.path.realpath(python))) is not None:
        shutil.rmtree(prefix)  # made from an interpreter the users cannot run
    if not python.exists():
        _run([base_python or shared_python(), "-m", "venv", prefix])
    stamp_deps, stamp_grader = prefix / ".backprop-lab-deps", prefix / ".backprop-lab-grader"
    deps = _digest(REQUIREMENTS + [CONSTRAINTS])
    if not stamp_deps.is_file() or stamp_deps.read_text() != deps:
        args = [a for r in REQUIREMENTS for a in ("-r", r)]
        _run([python, *PIP, *args, "-c", CONSTRAINTS])
        # As in the course's .venv: an optional package costing ~1.4 s in every process importing nbformat.
        _run([python, "-m", "pip", "uninstall", "-q", "-y", "rfc3987-syntax"])
        stamp_deps.write_text(deps)
        stamp_grader.unlink(missing_ok=True)
    code = _digest(_grader_files())
    if not stamp_grader.is_file() or stamp_grader.read_text() != code:
        install_grader(python)
        stamp_grader.write_text(code)
    install_config(prefix)
    make_readable(prefix)
    return python


def make_exchange(path: Path) -> Path:
    """nbgrader's exchange: a root-owned folder everyone may write to (nbgrader's `chmod ugo+rw`),
    with the sticky bit as /tmp has, so that nobody can rename or remove another user's entries
    (a student cannot replace the course's folder; nbgrader checks only the rwx bits)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o1777)
    return path


def install_proxy() -> Path:
    """configurable-http-proxy at the version of deploy/package-lock.json."""
    proxy = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
    lock = ROOT / "deploy" / "package-lock.json"
    stamp = ROOT / "deploy" / "node_modules" / ".backprop-lab-lock"
    if not proxy.exists() or not stamp.is_file() or stamp.read_bytes() != lock.read_bytes():
        _run(["npm", "ci", "--prefix", ROOT / "deploy", "--no-audit", "--no-fund"])
        stamp.write_bytes(lock.read_bytes())
    return proxy


def unreachable_parent(path: Path):
    """The first folder on the way to `path` that other users cannot enter, else None."""
    for folder in [*reversed(Path(path).absolute().parents), Path(path).absolute()]:
        if folder.exists() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    env = sub.add_parser("env", help="create or update the users' environment")
    env.add_argument("prefix", type=Path)
    exchange = sub.add_parser("exchange", help="create nbgrader's exchange folder (mode 1777)")
    exchange.add_argument("path", type=Path)
    sub.add_parser("proxy", help="install configurable-http-proxy (npm ci in deploy/)")
    args = parser.parse_args(argv)
    if args.what == "env":
        print(build_env(args.prefix))
        blocked = unreachable_parent(args.prefix)
        if blocked:
            print(f"warning: other users cannot enter {blocked}: their servers cannot run this environment",
                  file=sys.stderr)
    elif args.what == "exchange":
        print(make_exchange(args.path))
    else:
        print(install_proxy())


if __name__ == "__main__":
    main()
