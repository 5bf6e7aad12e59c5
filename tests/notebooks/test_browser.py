"""The student's path in a real browser: JupyterLab served locally, driven in Debian's chromium.

1. A released notebook (plain nbgrader, in a course without solutions/ in reach of the kernel): the
   student types a correct answer, runs all cells, sees the visible check pass, presses nbgrader's
   Validate and sees success; then a buggy answer, whose diagnosis must show both under the test cell
   and in the Validate dialog.
2. Every assignment's solved notebook, run in JupyterLab, renders its plots (image outputs).

Screenshots go to build/screenshots/. Skipped, with the install command, when chromium is missing.
"""
import time

import nbformat
import pytest

from grader.cells import answer_cells
from grader.instructor.notebook import available, fill, fill_region, reference_bodies, solve
from tests import browser
from tests.course import ROOT, make_course, release

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(browser.chromium_path() is None, reason=browser.INSTALL_HINT),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                     "(it is in requirements.txt: `make test` installs it)")

SHOTS = ROOT / "build" / "screenshots"
STUDENT_ASSIGNMENT, TYPED = "01_shallow_nn", "backward_propagation"
# A transposed weight gradient: the message must say so (not a bare AssertionError).
BUG = ("dW2 = dZ2 @ A1.T / m", "dW2 = A1 @ dZ2.T / m")
DIAGNOSIS = 'grads["dW2"] has shape (4, 1) but should have shape (1, 4)'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One JupyterLab server for the module, serving student/ (released notebooks) and course/
    (the solved notebooks, inside a course root whose solutions/ their hidden tests load)."""
    top = tmp_path_factory.mktemp("lab")
    course = make_course(top / "course")
    student = top / "student"
    student.mkdir()
    released = release(course, STUDENT_ASSIGNMENT)
    bodies = reference_bodies(STUDENT_ASSIGNMENT)
    # Every answer but the one the student types in the browser.
    others = fill(released, {k: v for k, v in bodies.items() if k != TYPED})
    for name in ("correct", "buggy"):
        nbformat.write(others, str(student / f"{name}.ipynb"))
    for assignment in available():
        target = course / "solved" / assignment / f"{assignment}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(solve(assignment), str(target))
    typed_cell = next(c for c, g in answer_cells(others) if g == TYPED).source
    lab = browser.Lab(top, tmp_path_factory.mktemp("jupyter-home"), top / "jupyterlab.log").start()
    try:
        with playwright_api.sync_playwright() as p:
            chromium = browser.launch(p)
            yield {"lab": lab, "browser": chromium, "typed_cell": typed_cell, "body": bodies[TYPED]}
            chromium.close()
    finally:
        lab.stop()


@pytest.fixture
def page(site):
    context = site["browser"].new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def answer_and_run(page, site, notebook, body):
    browser.open_notebook(page, site["lab"], f"student/{notebook}.ipynb")
    index = browser.cell_index(page, f"def {TYPED}(")
    assert index >= 0, f"no answer cell for {TYPED} in the released notebook"
    browser.set_cell_source(page, index, fill_region(site["typed_cell"], body))
    browser.run_all(page)
    test_index = browser.cell_index(page, f'"{TYPED}", {TYPED})')  # check_visible("<id>", "<f>", <f>)
    assert test_index > index, "no visible test cell after the answer cell"
    return index, test_index


def test_student_correct_answer_passes_and_validates(site, page):
    answer, test = answer_and_run(page, site, "correct", site["body"])
    output = browser.cell_output(page, test)
    assert f"\u2713 {TYPED}: " in output, output
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()
    browser.cell(page, test).scroll_into_view_if_needed()
    browser.shot(page, SHOTS / "student_correct_answer.png")
    dialog = browser.validate(page)
    browser.shot(page, SHOTS / "student_correct_validate.png")
    assert "Success! Your notebook passes all the tests." in dialog, dialog
    browser.close_dialog(page)


def test_student_buggy_answer_gets_the_diagnosis(site, page):
    body = site["body"]
    assert BUG[0] in body, "the reference changed: update BUG"
    answer, test = answer_and_run(page, site, "buggy", body.replace(*BUG))
    output = browser.cell_output(page, test)
    flat = " ".join(output.split())  # the diagnosis is wrapped to the width nbgrader's Validate shows
    assert "WrongAnswer" in output and flat.count(DIAGNOSIS) == 1 and "transpose" in output, output
    assert "grader/" not in output and "Traceback" not in output, output
    browser.cell(page, answer).scroll_into_view_if_needed()
    browser.cell(page, test).scroll_into_view_if_needed()
    browser.shot(page, SHOTS / "student_buggy_answer.png")
    dialog = browser.validate(page)
    browser.scroll_dialog_to_end(page)  # the diagnosis ends the traceback
    browser.shot(page, SHOTS / "student_buggy_validate.png")
    assert DIAGNOSIS in " ".join(dialog.split()) and "transpose" in dialog and "..." not in dialog, dialog
    browser.close_dialog(page)


@pytest.mark.parametrize("assignment", available())
def test_plots_render_in_jupyterlab(site, page, assignment):
    browser.open_notebook(page, site["lab"], f"course/solved/{assignment}/{assignment}.ipynb")
    browser.run_all(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()
    # The figures of the text (markdown attachments) are all decoded.
    broken = page.evaluate("""() => [...document.querySelectorAll('.jp-RenderedMarkdown img')]
        .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute('src'))""")
    assert not broken, f"{assignment}: figures not rendered: {broken}"
    images = page.locator(".jp-OutputArea-output img")
    assert images.count() >= 1, f"{assignment}: no image output rendered"
    # Rendered, not just present: every plot has a decoded size.
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-OutputArea-output img')]
        .every(img => img.complete && img.naturalWidth > 0)""")
    images.first.scroll_into_view_if_needed()
    browser.shot(page, SHOTS / f"plots_{assignment}.png")
