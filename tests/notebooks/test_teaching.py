"""What a student reads: hints that stay collapsed and never hand over an answer, one stated convention,
nothing about material the student does not have, no tooling markers, an expected picture beside every plot."""
import re
import sys
from pathlib import Path

import pytest

from grader.instructor.notebook import available, read, reference_bodies, source_path

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = available()
DETAILS = re.compile(r"<details(?P<attrs>[^>]*)>(?P<body>.*?)</details>", re.S)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.S)


def student_text(assignment):
    """(cell type, text) of every cell as a student sees it (hidden tests removed)."""
    return [(cell.cell_type, HIDDEN.sub("", cell.source)) for cell in read(source_path(assignment)).cells]


def hints(assignment):
    return [m for kind, text in student_text(assignment) if kind == "markdown" for m in DETAILS.finditer(text)]


def code_lines(body):
    return [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hints_are_collapsed_and_escalate(assignment):
    found = hints(assignment)
    assert len(found) >= 3, f"{assignment}: derive-first needs escalating hints (<details> blocks), found {len(found)}"
    for hint in found:
        assert "open" not in hint["attrs"], f"a hint must start collapsed: <details{hint['attrs']}>"
        summary = re.search(r"<summary>(.*?)</summary>", hint["body"], re.S)
        assert summary, f"a hint needs a <summary> line: {hint['body'][:80]!r}"
        # JupyterLab renders markdown inside <details> only after a blank line.
        assert re.match(r"[ \t]*\n[ \t]*\n", hint["body"][summary.end():]), \
            f"a blank line must follow {summary.group(0)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_hint_holds_a_whole_answer(assignment):
    bodies = reference_bodies(assignment)
    for hint in hints(assignment):
        text = {line.strip() for line in hint["body"].splitlines()}
        for name, body in bodies.items():
            lines = code_lines(body)
            assert not lines or not all(line in text for line in lines), \
                f"a hint of {assignment} contains the whole answer of {name}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_mention_of_notes_the_student_does_not_have(assignment):
    for kind, text in student_text(assignment):
        found = re.search(r".{0,40}(\bnotes\b|\b(the|these|our|source|lecture|study) note\b).{0,40}", text, re.I)
        assert not found, f"{assignment} mentions notes the student does not have: {found.group(0)!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_states_its_gradient_convention_once(assignment):
    boxes = [text for kind, text in student_text(assignment) if kind == "markdown" and "**Gradient convention.**" in text]
    assert len(boxes) == 1, f"{assignment} must state its gradient convention in one box, found {len(boxes)}"
    assert r"\partial J" in boxes[0] and "m" in boxes[0], "the box says what the arrays hold and the factor m"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_tooling_markers_in_student_text(assignment):
    for kind, text in student_text(assignment):
        assert "NBVAL" not in text, f"a tooling marker is shown to students: {text[:80]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_plot_has_its_expected_picture(assignment):
    cells = student_text(assignment)
    for i, (kind, text) in enumerate(cells):
        if kind == "code" and "plt.show()" in text:
            after = [t for k, t in cells[i + 1:i + 3] if k == "markdown"]
            assert any("attachment:expected_" in t for t in after), \
                f"{assignment}: the plot of this cell has no expected picture after it:\n{text[:120]}"


def test_every_picture_is_drawn_by_a_committed_script():
    sys.path.insert(0, str(ROOT / "img"))
    import make_figures
    make_figures.load_figure_modules()
    for assignment in ASSIGNMENTS:
        for kind, text in student_text(assignment):
            for name in re.findall(r"\(attachment:([^)]+)\.png\)", text):
                drawn_by = name.rsplit("_", 1)[0] if name.startswith("expected_") else name
                assert drawn_by in make_figures.FIGURES, f"img/{name}.png is drawn by no img/figures_*.py"
                assert (ROOT / "img" / f"{name}.png").is_file(), f"img/{name}.png is missing"
