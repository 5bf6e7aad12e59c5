"""grader.instructor.bundle: what a worker gets as plain data (config, template gradebook, references, cell
layouts), and the per-machine copy of the references that outlives a chunk."""
import tempfile

from grader.instructor.bundle import make_bundle, stable_solutions
from tests.batch_subs import A
from tests.course import bare_course


def _gradebook(course):
    """A gradebook that knows A's notebook with a graded test cell, an answer cell and a locked source cell."""
    with course.gradebook() as gb:
        gb.add_assignment(A)
        gb.add_assignment("02_deep_nn")
        gb.add_notebook(A, A)
        gb.add_solution_cell("f", A, A)
        gb.add_source_cell("f", A, A, cell_type="code", locked=False, source="def f():\n    pass", checksum=None)
        gb.add_grade_cell("test_f", A, A, max_score=4, cell_type="code")
        gb.add_source_cell("test_f", A, A, cell_type="code", locked=True, source="assert f()", checksum="abc")
        gb.add_student("ann")
        gb.add_submission(A, "ann")


def test_a_bundle_holds_the_course_as_plain_data(tmp_path):
    course = bare_course(tmp_path / "course", db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    root = course.root
    (root / "solutions").mkdir(parents=True)
    (root / "solutions" / "shallow_nn.py").write_bytes(b"def f():\n    return 1\n")
    (root / "solutions" / "notes.txt").write_text("not a module")
    _gradebook(course)
    bundle = make_bundle(course, [A])
    assert bundle["config"] == "c = get_config()\n"
    assert bundle["solutions"] == {"shallow_nn.py": b"def f():\n    return 1\n"}
    assert bundle["layouts"] == {A: {A: [
        {"grade_id": "f", "cell_type": "code", "source": "def f():\n    pass", "locked": False, "checksum": None,
         "grade": False, "points": 0.0, "solution": True},
        {"grade_id": "test_f", "cell_type": "code", "source": "assert f()", "locked": True, "checksum": "abc",
         "grade": True, "points": 4.0, "solution": False}]}}
    template = tmp_path / "template.db"
    template.write_bytes(bundle["gradebook"])
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{template}") as gb:
        assert [a.name for a in gb.assignments] == [A], "only the assignments graded"
        assert [(c.name, c.max_score) for c in gb.find_notebook(A, A).grade_cells] == [("test_f", 4.0)]
        assert gb.students == [], "no student travels to a worker"


def test_stable_solutions_are_one_folder_per_content(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = stable_solutions({"solutions": {"m.py": b"x = 1"}})
    assert (first / "m.py").read_bytes() == b"x = 1" and first.parent == tmp_path
    assert stable_solutions({"solutions": {"m.py": b"x = 1"}}) == first
    assert stable_solutions({"solutions": {"m.py": b"x = 2"}}) != first
