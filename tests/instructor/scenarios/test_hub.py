"""A class on the course's JupyterHub, end to end, in a real browser.

The test makes one instructor and two students (real local unix accounts, removed afterwards),
builds the users' environment (build/hub/venv: a separate virtualenv with a non-editable grader,
so nothing a student runs leads back to this checkout's solutions/), and starts JupyterHub with
deploy/jupyterhub/jupyterhub_config.py on 127.0.0.1. Then:

1. the instructor, in a private copy of the course in their home, releases 01_shallow_nn to the exchange;
2. each student, in chromium: logs in, fetches 01 in the Assignments tab, answers (one right, one
   with a transposed gradient; the other answers are written into the fetched file, the graded one
   is typed in the browser), presses Validate, submits;
3. the instructor collects (nbgrader collect), grades (python -m grader autograde), writes the
   feedback (python -m grader feedback) and releases it (nbgrader release_feedback);
4. each student fetches the feedback in the browser and sees their score and the diagnosis, and
   no test source;
5. as each student's unix account: the exchange's inbound and feedback folders cannot be listed,
   the other student's home, the instructor's solutions/ and gradebook cannot be read, the
   course's exchange folder cannot be renamed away.

Screenshots in build/screenshots/hub_*.png; the hub's log and the instructor's commands with their
output in build/hub/last-test/. Skipped, with the reason, where accounts cannot be
made (not root, no useradd) or chromium/npm are missing. Prints the round trip's duration.
"""
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from grader.cells import answer_cells
from grader.instructor.notebook import fill, fill_region, reference_bodies
from tests import browser, hub as hubtools

REASON = hubtools.why_not()
pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.skipif(REASON is not None, reason=REASON or "")]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                     "(it is in requirements.txt: `make test` installs it)")

ROOT = hubtools.ROOT
SHOTS = ROOT / "build" / "screenshots"
USERS_ENV = ROOT / "build" / "hub" / "venv"
ASSIGNMENT, TYPED = "01_shallow_nn", "backward_propagation"
BUG = ("dW2 = dZ2 @ A1.T / m", "dW2 = A1 @ dZ2.T / m")
DIAGNOSIS = 'grads["dW2"] has shape (4, 1) but should have shape (1, 4)'
COURSE_FILES = ("nbgrader_config.py", "pyproject.toml", "notebooks", "solutions", "grader")


def _prepare():
    """The users' environment and the proxy (both cached after the first run)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("hub_prepare", ROOT / "deploy" / "jupyterhub" / "prepare.py")
    prepare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(prepare)
    blocked = prepare.unreachable_parent(USERS_ENV)
    if blocked:
        pytest.skip(f"other users cannot enter {blocked}, so their servers could not run {USERS_ENV}")
    t = time.monotonic()
    try:
        prepare.shared_python()
    except SystemExit as e:
        pytest.skip(str(e))
    python = prepare.build_env(USERS_ENV)
    proxy = prepare.install_proxy()
    print(f"\nusers' environment and proxy ready in {time.monotonic() - t:.0f} s")
    return prepare, python, proxy


def _owned_copy(src: Path, dst: Path, account) -> None:
    """Copy into an account's home, owned by it; the course folder itself is private (0700)."""
    if src.is_dir():
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copy(src, dst)
    for path in [dst, *dst.rglob("*")] if dst.is_dir() else [dst]:
        os.chown(path, account.uid, account.gid, follow_symlinks=False)


def _write_as(account, path: Path, nb) -> None:
    nbformat.write(nb, str(path))
    os.chown(path, account.uid, account.gid)


@pytest.fixture(scope="module")
def site():
    prepare, python, proxy = _prepare()
    top = Path(tempfile.mkdtemp(prefix="backprop-hub-"))
    top.chmod(0o755)
    tag = top.name.split("-")[-1][:5].lower().replace("_", "x")
    names = {"teacher": f"bpl{tag}t", "ada": f"bpl{tag}a", "bob": f"bpl{tag}b"}
    accounts = {}
    hub = None
    try:
        for role, name in names.items():
            accounts[role] = hubtools.create_account(name)
        exchange = prepare.make_exchange(top / "exchange")
        teacher = accounts["teacher"]
        course = teacher.home / "backprop-lab"
        course.mkdir()
        os.chown(course, teacher.uid, teacher.gid)
        course.chmod(0o700)
        for name in COURSE_FILES:
            _owned_copy(ROOT / name, course / name, teacher)
        for role in ("ada", "bob"):  # the browser test's JupyterLab settings: no toasts, every cell in the DOM
            acc = accounts[role]
            for name, value in browser.SETTINGS.items():
                path = acc.home / ".jupyter" / "lab" / "user-settings" / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(value))
            for path in [acc.home / ".jupyter", *(acc.home / ".jupyter").rglob("*")]:
                os.chown(path, acc.uid, acc.gid)
        settings = {"BACKPROP_HUB_INSTRUCTORS": teacher.name,
                    "BACKPROP_HUB_STUDENTS": f"{accounts['ada'].name},{accounts['bob'].name}",
                    "BACKPROP_HUB_ENV": USERS_ENV, "BACKPROP_LAB_EXCHANGE": exchange,
                    "BACKPROP_HUB_PROXY": proxy}
        hub = hubtools.Hub(top / "state", settings, top / "jupyterhub.log").start()
        with playwright_api.sync_playwright() as p:
            chromium = browser.launch(p)
            yield {"hub": hub, "accounts": accounts, "course": course, "exchange": exchange,
                   "python": python, "browser": chromium, "top": top}
            chromium.close()
    finally:
        if hub is not None:
            hub.stop()
        for acc in accounts.values():
            hubtools.remove_account(acc)
        logs = ROOT / "build" / "hub" / "last-test"  # kept to read after a failure
        logs.mkdir(parents=True, exist_ok=True)
        for name in ("jupyterhub.log", "instructor.log"):
            if (top / name).is_file():
                shutil.copy(top / name, logs / name)
        shutil.rmtree(top, ignore_errors=True)


def instructor(site, *args, **kw):
    """Run a command as the instructor in their course folder, as from a terminal on the hub."""
    teacher = site["accounts"]["teacher"]
    env = hubtools.user_env(teacher, USERS_ENV, BACKPROP_LAB_EXCHANGE=site["exchange"],
                            JUPYTER_CONFIG_PATH=USERS_ENV / "etc" / "backprop-lab" / "instructor")
    proc = hubtools.run_as(teacher, list(args), cwd=site["course"], env=env, **kw)
    with open(site["top"] / "instructor.log", "a") as log:
        log.write(f"$ {' '.join(map(str, args))}\n{proc.stdout}{proc.stderr}\n")
    return proc


def instructor_sees_formgrader(site):
    """The instructor's JupyterLab has formgrader and course list; the formgrader shows the course."""
    teacher = site["accounts"]["teacher"]
    context, page = new_page(site)
    try:
        hubtools.login(page, site["hub"], teacher)
        disabled = set(hubtools.page_config(page)["disabledExtensions"])
        assert not disabled & {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list"}, disabled
        page.goto(f"{site['hub'].url}/user/{teacher.name}/formgrader")
        page.locator("td", has_text=ASSIGNMENT).first.wait_for()
        text = page.locator("body").inner_text()
        browser.shot(page, SHOTS / "hub_instructor_formgrader.png")
        return text
    finally:
        context.close()


def new_page(site):
    context = site["browser"].new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    return context, context.new_page()


def open_assignments(page):
    """Nbgrader > Assignment List: the Assignments tab, once its lists have loaded."""
    browser.dismiss_popups(page)
    browser.menu(page, "Nbgrader", "Assignment List")
    page.locator("#released_assignments_list, #fetched_assignments_list").first.wait_for()
    page.wait_for_function("""() => !document.querySelector('#released_assignments_list_loading')
        || getComputedStyle(document.querySelector('#released_assignments_list_loading')).display === 'none'""")


def row(page, section, text):
    return page.locator(f"#{section}_assignments_list .list_item", has_text=text).first


def student_works(site, role, body, shot=None):
    """Log in, fetch, answer, Validate, submit; returns the Validate dialog's text."""
    acc = site["accounts"][role]
    context, page = new_page(site)
    try:
        hubtools.login(page, site["hub"], acc)
        config = hubtools.page_config(page)
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list"} <= set(
            config["disabledExtensions"]), config["disabledExtensions"]
        assert page.request.get(f"{site['hub'].url}/user/{acc.name}/formgrader").status == 404
        open_assignments(page)
        released = row(page, "released", ASSIGNMENT)
        released.locator("button", has_text="Fetch").click()
        row(page, "fetched", ASSIGNMENT).wait_for()
        # The student's answers: all but one written into the fetched notebook (as the student's
        # file), the graded one typed in the browser below.
        path = acc.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nb = nbformat.read(str(path), as_version=4)
        bodies = reference_bodies(ASSIGNMENT)
        typed_cell = next(c for c, g in answer_cells(nb) if g == TYPED).source
        _write_as(acc, path, fill(nb, {k: v for k, v in bodies.items() if k != TYPED}))
        page.goto(f"{site['hub'].url}/user/{acc.name}/lab/tree/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
        deadline = time.monotonic() + 120
        while True:
            browser.dismiss_popups(page)
            try:
                browser.wait_kernel_idle(page, timeout=2000)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
        index = browser.cell_index(page, f"def {TYPED}(")
        assert index >= 0, "no answer cell for the typed function"
        browser.set_cell_source(page, index, fill_region(typed_cell, body))
        dialog = browser.validate(page)
        browser.scroll_dialog_to_end(page)
        browser.shot(page, SHOTS / f"hub_{role}_validate.png")
        browser.close_dialog(page)
        site.setdefault("memory", {})[role] = hubtools.resident_mb(acc.uid)
        open_assignments(page)
        fetched = row(page, "fetched", ASSIGNMENT)
        fetched.locator("button", has_text="Submit").click()
        row(page, "submitted", ASSIGNMENT).wait_for()
        if shot:
            browser.shot(page, shot)
        return dialog
    finally:
        context.close()


def student_reads_feedback(site, role):
    """Fetch the feedback in the Assignments tab, open it; returns the feedback page's text."""
    acc = site["accounts"][role]
    context, page = new_page(site)
    try:
        hubtools.login(page, site["hub"], acc)
        open_assignments(page)
        submitted = row(page, "submitted", ASSIGNMENT)
        submitted.locator("button", has_text="Fetch Feedback").click()
        link = page.locator("#submitted_assignments_list a", has_text="view feedback").first
        link.wait_for()
        link.click()
        item = page.locator(".jp-DirListing-item", has_text=f"{ASSIGNMENT}.html").first
        item.dblclick()
        frame = page.frame_locator(".jp-HTMLViewer iframe")
        frame.locator("h1").wait_for()
        text = frame.locator("body").inner_text()
        browser.shot(page, SHOTS / f"hub_{role}_feedback.png")
        failed = frame.locator("p.bad").first
        if failed.count():
            failed.scroll_into_view_if_needed()
            browser.shot(page, SHOTS / f"hub_{role}_feedback_diagnosis.png")
        return text
    finally:
        context.close()


def scores(site):
    """{student: (score, max_score)} of 01 in the instructor's gradebook (manual scores count)."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{site['course'] / 'gradebook.db'}") as gb:
        return {sub.student.id: (sub.score, sub.max_score) for sub in gb.assignment_submissions(ASSIGNMENT)}


def test_class_round_trip(site):
    start = time.monotonic()
    acc, course, exchange = site["accounts"], site["course"], site["exchange"]
    ada, bob = acc["ada"], acc["bob"]
    timings = {}

    instructor(site, "nbgrader", "generate_assignment", ASSIGNMENT, "--force")
    instructor(site, "nbgrader", "release_assignment", ASSIGNMENT)
    assert (exchange / "backprop-lab" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    timings["release"] = time.monotonic() - start

    body = reference_bodies(ASSIGNMENT)[TYPED]
    assert BUG[0] in body, "the reference changed: update BUG"
    dialog = student_works(site, "ada", body, shot=SHOTS / "hub_assignments.png")
    assert "Success! Your notebook passes all the tests." in dialog, dialog
    dialog = student_works(site, "bob", body.replace(*BUG))
    # The diagnosis is wrapped to the width Validate shows: compare with whitespace folded.
    assert DIAGNOSIS in " ".join(dialog.split()) and "transpose" in dialog, dialog
    timings["students work"] = time.monotonic() - start

    inbound = exchange / "backprop-lab" / "inbound"
    owners = sorted(p.owner() for p in inbound.iterdir())
    assert owners == sorted([ada.name, bob.name]), owners
    # Submissions are files any user could read by their exact name: what hides them is that
    # inbound/ cannot be listed (tried below) and the name's random part (nbgrader's add_random_string).
    for entry in inbound.iterdir():
        student, assignment, stamp, rand = entry.name.split("+")
        assert entry.owner() == student and assignment == ASSIGNMENT and len(rand) >= 12, entry.name

    instructor(site, "nbgrader", "collect", ASSIGNMENT)
    for student in (ada, bob):
        assert (course / "submitted" / student.name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    instructor(site, "python", "-m", "grader", "autograde", ASSIGNMENT, "--jobs", "2")
    got = scores(site)
    assert got[ada.name][0] == got[ada.name][1] > 0, got
    assert 0 < got[bob.name][0] < got[bob.name][1], got
    instructor(site, "python", "-m", "grader", "feedback", ASSIGNMENT)
    instructor(site, "nbgrader", "release_feedback", ASSIGNMENT)
    timings["grading"] = time.monotonic() - start
    formgrader = instructor_sees_formgrader(site)
    assert "Manage Assignments" in formgrader and ASSIGNMENT in formgrader, formgrader

    for role in ("ada", "bob"):
        text = student_reads_feedback(site, role)
        name = acc[role].name
        score, top = got[name]
        assert f"Score: {score:g} / {top:g}" in text, text
        if role == "bob":
            assert DIAGNOSIS in " ".join(text.split()), text
        assert "check_hidden" not in text and "BEGIN HIDDEN TESTS" not in text and "Traceback" not in text, text
        assert "extra file" not in text, text  # nbgrader's own files of the submission are no student's
    timings["feedback"] = time.monotonic() - start

    # Refusals, tried as each student's unix account with the users' environment.
    python = site["python"]
    for me, other in ((ada, bob), (bob, ada)):
        tries = {
            "list the exchange's inbound (submissions)": ("list", inbound),
            "list the exchange's released feedback": ("list", exchange / "backprop-lab" / "feedback"),
            "read the other student's copy": ("read", other.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
            "read the instructor's solutions/": ("read", course / "solutions" / "shallow_nn.py"),
            "list the instructor's course folder": ("list", course),
            "read the instructor's gradebook": ("read", course / "gradebook.db"),
            "rename the course's exchange folder": ("rename", exchange / "backprop-lab"),
        }
        for what, (action, path) in tries.items():
            assert hubtools.attempt(me, python, action, path) == "PermissionError", f"{me.name} could {what}"
    # The environment the students' kernels run: grader installed, not the checkout's; no solutions.
    probe = hubtools.run_as(ada, [python, "-c", "import grader, importlib.util, os; print(grader.__file__); "
                                  "print(importlib.util.find_spec('solutions')); print(os.environ.get('BACKPROP_LAB_SOLUTIONS'))"],
                            cwd=ada.home, env=hubtools.user_env(ada, USERS_ENV)).stdout.split()
    assert probe[0].startswith(str(USERS_ENV)) and probe[1:] == ["None", "None"], probe

    total = time.monotonic() - start
    steps = ", ".join(f"{k} done at {v:.0f} s" for k, v in timings.items())
    print(f"\nclass round trip on JupyterHub: {total:.0f} s ({steps})")
    print("resident memory of a student's server with the notebook's kernel open: "
          + ", ".join(f"{mb:.0f} MB" for mb in site["memory"].values()))
