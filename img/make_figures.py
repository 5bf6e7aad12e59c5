"""Draw the course figures into img/ and, with --embed, embed them in the notebooks.

    python img/make_figures.py            # redraw every figure
    python img/make_figures.py --embed    # redraw, then refresh the notebooks' attachments
    python img/make_figures.py expected_shallow_nn    # the expected plots of one notebook, from the references

A notebook markdown cell shows a figure as ![alt](attachment:NAME.png); embedding copies
img/NAME.png into that cell, so a released notebook is self-contained.
"""
import argparse
import base64
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

IMG = Path(__file__).resolve().parent
ROOT = IMG.parent
FIGURES = {}


def figure(fn):
    """Register a function that draws img/<its name>.png (modules img/figures_*.py use it)."""
    FIGURES[fn.__name__] = fn
    return fn


def save(fig, name):
    # No timestamp in the metadata, so a redraw with the same matplotlib gives the same bytes.
    fig.savefig(IMG / f"{name}.png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)


HALF = 1.1  # half the width of a graph node


def node(ax, xy, text, color):
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - HALF, y - 0.32), 2 * HALF, 0.64, boxstyle="round,pad=0.05",
                                fc=color, ec="#333333", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=12)


def arrow(ax, start, end, color, text="", offset=0.0, rad=0.0):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color,
                                 lw=1.5, connectionstyle=f"arc3,rad={rad}"))
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + offset, text, ha="center",
                va="center", fontsize=11, color=color)


def embed(notebooks):
    """Copy img/NAME.png into every markdown cell that shows attachment:NAME.png."""
    import nbformat
    for path in notebooks:
        nb = nbformat.read(str(path), as_version=4)
        changed = False
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            names = [part.split(")")[0] for part in cell.source.split("(attachment:")[1:]]
            if not names:
                continue
            attachments = {}
            for name in names:
                data = base64.b64encode((IMG / name).read_bytes()).decode("ascii")
                attachments[name] = {"image/png": data}
            if cell.get("attachments") != attachments:
                cell["attachments"] = attachments
                changed = True
        if changed:
            nbformat.write(nb, str(path))
            print(f"embedded figures in {path.relative_to(ROOT)}")


def draw_expected(assignment):
    """Run the solved notebook (references spliced into the answer cells) and save the k-th plot it draws as
    img/expected_<module>_<k>.png, k = 1, 2, ... in cell order: the expected results a student compares with."""
    import os
    import sys
    import tempfile

    from nbclient import NotebookClient

    sys.path.insert(0, str(ROOT))
    from grader.exercises import module_name
    from grader.instructor.notebook import solve
    from grader.reference import ENV_VAR
    os.environ.setdefault(ENV_VAR, str(ROOT / "solutions"))
    solved = solve(assignment, ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        NotebookClient(solved, timeout=900, resources={"metadata": {"path": tmp}}).execute()
    pngs = [out["data"]["image/png"] for cell in solved.cells if cell.cell_type == "code"
            for out in cell.outputs if "image/png" in out.get("data", {})]
    prefix = f"expected_{module_name(assignment)}_"
    for old in IMG.glob(f"{prefix}*.png"):
        old.unlink()
    for k, data in enumerate(pngs, 1):
        (IMG / f"{prefix}{k}.png").write_bytes(base64.b64decode(data))
    return len(pngs)


def expected_figure_name(assignment):
    """The registered name drawing a notebook's expected plots (img/expected_<module>_<k>.png)."""
    import sys
    sys.path.insert(0, str(ROOT))
    from grader.exercises import module_name
    return f"expected_{module_name(assignment)}"


def load_figure_modules():
    """Import every img/figures_*.py (each registers its figures with @figure) and register the expected plots
    of every notebook."""
    import functools
    import importlib.util
    import sys
    sys.modules.setdefault("make_figures", sys.modules[__name__])
    for path in sorted(IMG.glob("figures_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
    for notebook in sorted(ROOT.glob("notebooks/*/*.ipynb")):
        FIGURES[expected_figure_name(notebook.stem)] = functools.partial(draw_expected, notebook.stem)


def main():
    load_figure_modules()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true", help="also refresh the notebooks' attachments")
    parser.add_argument("names", nargs="*", help=f"figures to draw (default all: {', '.join(FIGURES)})")
    args = parser.parse_args()
    for name in args.names or FIGURES:
        drawn = FIGURES[name]()
        print(f"drew img/{name}_1..{drawn}.png" if isinstance(drawn, int) else f"drew img/{name}.png")
    if args.embed:
        embed(sorted(ROOT.glob("notebooks/*/*.ipynb")))


if __name__ == "__main__":
    main()
