"""Static checks of the source notebooks: one source of truth, complete API, clean cells."""
import base64
import json
import re
from pathlib import Path

import pytest

from grader import fixtures, reference
from grader.instructor import known_values
from grader.exercises import ASSIGNMENTS as ASSIGNMENTS_OF_THE_SPEC, exercises
from grader.cells import answer_cells
from grader.instructor.notebook import (BEGIN, END, STUB_LINES, is_lesson_cell, available, read,
                             signature_mismatches, source_path)

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = available()


def test_every_assignment_of_the_spec_has_its_notebook():
    assert ASSIGNMENTS == list(ASSIGNMENTS_OF_THE_SPEC)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_signatures_match_references(assignment):
    assert signature_mismatches(assignment) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_regions_hold_only_the_stub(assignment):
    for cell, grade_id in answer_cells(read(source_path(assignment))):
        lines = [line.strip() for line in cell.source.splitlines()]
        inside = lines[lines.index(BEGIN) + 1:lines.index(END)]
        assert tuple(inside) == STUB_LINES, f"{grade_id}: solution code belongs in solutions/, not the notebook"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_has_answer_and_graded_test_cell(assignment):
    nb = read(source_path(assignment))
    answers = {grade_id for _, grade_id in answer_cells(nb)}
    tests = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            assert meta.get("locked"), f"{meta['grade_id']} must be locked"
            assert meta.get("points", 0) > 0, f"{meta['grade_id']} has no points"
            tests[meta["grade_id"]] = cell.source
    graded = set(exercises(assignment))
    assert graded <= answers, f"graded functions without an answer cell: {graded - answers}"
    for name in graded:
        cells = [src for gid, src in tests.items() if re.fullmatch(rf"test_{name}(_.*)?", gid)]
        assert cells, f"{name} has no graded test cell"
        joined = "\n".join(cells)
        assert f'check_visible("{assignment}", "{name}", {name})' in joined
        hidden = joined.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        assert f'check_hidden("{assignment}", "{name}", {name})' in hidden


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_known_values_are_in_sync_with_references(assignment):
    committed = json.loads(fixtures.path_of(assignment).read_text())
    fresh = json.loads(known_values.render(assignment, reference.load(assignment)))
    found = known_values.differences(committed, fresh)
    assert not found, ("run `python -m grader fixtures` after changing a reference or an exercise:\n"
                       + "\n".join(found[:10]))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_only_lesson_outputs_are_committed(assignment):
    for cell in read(source_path(assignment)).cells:
        if cell.cell_type == "code" and cell.outputs:
            assert is_lesson_cell(cell), f"output committed for a non-lesson cell:\n{cell.source[:80]}"


# A decimal number in printed text, and the most significant digits a lesson output may show: nbval compares
# the text, and a value printed at full precision differs in its last digits on another CPU or thread count.
NUMBER = re.compile(r"(?<![\w.])-?(\d+)\.(\d+)(?:e[-+]?\d+)?")
MAX_SIGNIFICANT_DIGITS = 8


def significant_digits(integer, fraction):
    digits = (integer + fraction).lstrip("0")
    return len(digits)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lesson_outputs_print_no_number_at_full_precision(assignment):
    for cell in read(source_path(assignment)).cells:
        if cell.cell_type != "code" or not cell.outputs:
            continue
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        long = [m.group(0) for m in NUMBER.finditer(text) if significant_digits(*m.groups()) > MAX_SIGNIFICANT_DIGITS]
        assert not long, f"round these before printing them (nbval compares the text): {long[:3]} in\n{cell.source[:80]}"


def test_the_precision_guard_catches_a_full_precision_number():
    assert [m.group(0) for m in NUMBER.finditer("cost 0.6931471805599453, shape (2, 400), 0.5025")] == \
        ["0.6931471805599453", "0.5025"]
    assert significant_digits("0", "6931471805599453") > MAX_SIGNIFICANT_DIGITS >= significant_digits("0", "5025")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_figures_are_embedded_from_img(assignment):
    found = 0
    for cell in read(source_path(assignment)).cells:
        for name in re.findall(r"\(attachment:([^)]+)\)", cell.source if cell.cell_type == "markdown" else ""):
            data = cell.get("attachments", {}).get(name, {}).get("image/png")
            assert data, f"{name} is not embedded: run `python img/make_figures.py --embed`"
            assert base64.b64decode(data) == (ROOT / "img" / name).read_bytes(), \
                f"{name} differs from img/{name}: run `python img/make_figures.py --embed`"
            found += 1
    assert found, f"{assignment} shows no figure from img/"
