"""Figures of 04_pool_backward (drawn by img/make_figures.py)."""
import numpy as np
from matplotlib.patches import Rectangle

from make_figures import arrow, figure, plt, save

COLORS = ["#c0392b", "#2471a3", "#1e8449", "#b9770e"]
LIGHT = ["#f5b7b1", "#aed6f1", "#abebc6", "#f9e79f"]


def cells(ax, x0, y0, values, size, fill=None, fmt="{:g}", bold=None, fontsize=12):
    """A grid showing `values`; (x0, y0) is the top-left corner, row 0 at the top."""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            color = fill(r, c) if fill else "white"
            ax.add_patch(Rectangle((x0 + c * size, y0 - (r + 1) * size), size, size, fc=color, ec="#555555", lw=0.8))
            weight = "bold" if bold is not None and bold[r, c] else "normal"
            ax.text(x0 + (c + 0.5) * size, y0 - (r + 0.5) * size, fmt.format(values[r, c]), ha="center",
                    va="center", fontsize=fontsize, fontweight=weight)


def window(ax, x0, y0, size, r, c, f, color, lw=3.0, inset=0.0):
    ax.add_patch(Rectangle((x0 + c * size + inset, y0 - (r + f) * size + inset), f * size - 2 * inset,
                           f * size - 2 * inset, fill=False, ec=color, lw=lw))


def finish(ax, xmax, ymin, ymax):
    ax.set_xlim(0, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")


@figure
def pool_backward_max():
    """Max pooling f = 2, stride 2: forward picks the maximum, backward routes dA to its position."""
    A_prev = np.array([[1, 3, 2, 0], [4, 2, 5, 1], [0, 6, 7, 2], [6, 1, 3, 5]], dtype=float)
    dA = np.array([[0.8, -0.4], [1.2, 2.0]])
    f, size = 2, 0.9
    first = np.zeros((4, 4), dtype=bool)
    dA_prev = np.zeros((4, 4))
    for h in range(2):
        for w in range(2):
            block = A_prev[2 * h:2 * h + 2, 2 * w:2 * w + 2]
            u, v = np.unravel_index(np.argmax(block), block.shape)
            first[2 * h + u, 2 * w + v] = True
            dA_prev[2 * h + u, 2 * w + v] = dA[h, w]
    A = A_prev.reshape(2, 2, 2, 2).max(axis=(1, 3))
    color_of = lambda r, c: 2 * (r // 2) + c // 2  # noqa: E731 - which window a pixel is in

    fig, ax = plt.subplots(figsize=(13, 5.2))
    top = 4.4
    # Forward: A_prev -> A.
    x1 = 0.3
    cells(ax, x1, top, A_prev, size, lambda r, c: LIGHT[color_of(r, c)] if first[r, c] else "white", bold=first)
    for h in range(2):
        for w in range(2):
            window(ax, x1, top, size, 2 * h, 2 * w, f, COLORS[2 * h + w])
    ax.text(x1 + 2 * size, top + 0.3, r"$A_{prev}$ (one channel)", ha="center", fontsize=12)
    x2 = 5.0
    cells(ax, x2, top - size, A, size, lambda r, c: LIGHT[2 * r + c], fmt="{:g}")
    ax.text(x2 + size, top - size + 0.3, r"$A$ = max of each window", ha="center", fontsize=12)
    arrow(ax, (x1 + 4 * size + 0.15, top - 2 * size), (x2 - 0.15, top - 2 * size), "#333333", "forward", 0.25)

    # Backward: dA -> dA_prev.
    x3 = 8.0
    cells(ax, x3, top - size, dA, size, lambda r, c: LIGHT[2 * r + c])
    ax.text(x3 + size, top - size + 0.3, r"$dA$", ha="center", fontsize=12)
    x4 = 10.9
    cells(ax, x4, top, dA_prev, size, lambda r, c: LIGHT[color_of(r, c)] if first[r, c] else "white",
          bold=first)
    for h in range(2):
        for w in range(2):
            window(ax, x4, top, size, 2 * h, 2 * w, f, COLORS[2 * h + w])
    ax.text(x4 + 2 * size, top + 0.3, r"$dA_{prev}$", ha="center", fontsize=12)
    arrow(ax, (x3 + 2 * size + 0.15, top - 2 * size), (x4 - 0.15, top - 2 * size), "#333333", "backward", 0.25)

    notes = [r"Each window's gradient goes whole to the position of its maximum (the mask); the other entries get 0.",
             r"The bottom-left window holds its maximum 6 twice: only the first in row-major order, [2, 1], gets 1.2",
             r"(np.argmax's choice), so the window passes its gradient on once and the totals agree: "
             r"$\sum dA_{prev} = \sum dA = 3.6$."]
    for k, text in enumerate(notes):
        ax.text(0.3, 0.35 - 0.45 * k, text, fontsize=11.5, va="center")
    finish(ax, 14.6, -1.0, 4.9)
    save(fig, "pool_backward_max")


@figure
def pool_backward_average():
    """Average pooling: each gradient is split in f^2 equal shares; overlapping windows add their shares."""
    fig, ax = plt.subplots(figsize=(13, 5.6))
    size, top = 0.9, 4.6
    # Left: f = stride = 2, no overlap.
    dA = np.array([[0.8, -0.4], [1.2, 2.0]])
    x1 = 0.3
    cells(ax, x1, top - size, dA, size, lambda r, c: LIGHT[2 * r + c])
    ax.text(x1 + size, top - size + 0.3, r"$dA$", ha="center", fontsize=12)
    x2 = 3.3
    dA_prev = np.kron(dA, np.full((2, 2), 0.25))
    cells(ax, x2, top, dA_prev, size, lambda r, c: LIGHT[2 * (r // 2) + c // 2])
    for h in range(2):
        for w in range(2):
            window(ax, x2, top, size, 2 * h, 2 * w, 2, COLORS[2 * h + w])
    ax.text(x2 + 2 * size, top + 0.3, r"$dA_{prev}$: $f$ = stride = 2", ha="center", fontsize=12)
    arrow(ax, (x1 + 2 * size + 0.15, top - 2 * size), (x2 - 0.15, top - 2 * size), "#333333", r"$\div f^2$", 0.3)
    ax.text(0.3, 0.3, r"each entry of $dA$ becomes $f^2 = 4$ shares of a quarter:" "\n"
            r"$\sum dA_{prev} = \sum dA$; a copy would give $4 \sum dA$", fontsize=11.5, va="center",
            linespacing=1.6)

    # Right: f = 2, stride 1 on a 3 x 3 input, dA all ones: overlapping windows accumulate.
    x3 = 8.0
    ones = np.ones((2, 2))
    cells(ax, x3, top - size, ones, size, lambda r, c: LIGHT[2 * r + c])
    ax.text(x3 + size, top - size + 0.3, r"$dA$ (all ones)", ha="center", fontsize=12)
    x4 = 10.9
    count = np.zeros((3, 3))
    for h in range(2):
        for w in range(2):
            count[h:h + 2, w:w + 2] += 1
    cells(ax, x4, top - 0.45, count / 4, size * 1.05, fmt="{:g}")
    for h in range(2):
        for w in range(2):
            window(ax, x4, top - 0.45, size * 1.05, h, w, 2, COLORS[2 * h + w], lw=2.5, inset=0.05 + 0.04 * (2 * h + w))
    ax.text(x4 + 1.5 * size, top - 0.15, r"$dA_{prev}$: $f$ = 2, stride 1", ha="center", fontsize=12)
    arrow(ax, (x3 + 2 * size + 0.15, top - 2 * size), (x4 - 0.15, top - 2 * size), "#333333", r"$+\!=$", 0.3)
    ax.text(8.0, 0.3, "windows overlap: the centre lies in all four and" "\n"
            r"receives $4 \times \frac{1}{4} = 1$, a corner only $\frac{1}{4}$ (add, never overwrite)",
            fontsize=11.5, va="center", linespacing=1.6)
    ax.plot([7.4, 7.4], [0.0, 4.8], color="#aaaaaa", lw=1)
    finish(ax, 14.3, -0.4, 5.1)
    save(fig, "pool_backward_average")
