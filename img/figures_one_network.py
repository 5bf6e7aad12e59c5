"""Figures of 06_one_network (drawn by img/make_figures.py)."""
import numpy as np
from matplotlib.patches import Rectangle

from make_figures import arrow, figure, plt, save

COLORS = ["#c0392b", "#2471a3", "#1e8449", "#b9770e"]
LIGHT = ["#f5b7b1", "#aed6f1", "#abebc6", "#f9e79f"]
LETTERS = np.array(list("abcdefghijklmnop")).reshape(4, 4)


def box(ax, x, y, size, text, color="white", weight="normal", fontsize=11):
    ax.add_patch(Rectangle((x, y - size), size, size, fc=color, ec="#555555", lw=0.8))
    ax.text(x + size / 2, y - size / 2, text, ha="center", va="center", fontsize=fontsize, fontweight=weight)


@figure
def one_network_col2im():
    """im2col copies each pixel into every 3x3 window holding it (stride 1, 4x4 input: 4 windows); col2im sends
    each row back and adds, so a pixel collects one gradient per copy."""
    fig, ax = plt.subplots(figsize=(12.5, 3.6))
    size = 0.6
    # The input with its four windows.
    x0, y0 = 0.2, 3.0
    for r in range(4):
        for c in range(4):
            box(ax, x0 + c * size, y0 - r * size, size, LETTERS[r, c], weight="bold" if 0 < r < 3 and 0 < c < 3 else "normal")
    for k, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        inset = 0.04 * (k + 1)
        ax.add_patch(Rectangle((x0 + c * size + inset, y0 - (r + 3) * size + inset), 3 * size - 2 * inset,
                               3 * size - 2 * inset, fill=False, ec=COLORS[k], lw=2.2))
    ax.text(x0 + 2 * size, y0 + 0.35, "A_pad: 4x4, windows 3x3, stride 1", ha="center", fontsize=11)
    # cols: one row per window.
    x1, y1 = 3.4, 2.6
    for k, (r, c) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        for q, (u, v) in enumerate([(u, v) for u in range(3) for v in range(3)]):
            letter = LETTERS[r + u, c + v]
            box(ax, x1 + q * 0.5, y1 - k * 0.5, 0.5, letter, color=LIGHT[k],
                weight="bold" if letter == "f" else "normal", fontsize=10)
    ax.text(x1 + 2.25, y0 + 0.35, "cols = im2col(A_pad): one row per window", ha="center", fontsize=11)
    ax.text(x1 + 2.25, y1 - 2.35, "pixel f is copied into all 4 rows", ha="center", fontsize=10)
    arrow(ax, (2.75, 1.8), (3.3, 1.8), "#333333")
    arrow(ax, (8.05, 1.8), (8.6, 1.8), "#333333")
    # col2im of ones: the counts.
    x2 = 8.75
    counts = np.zeros((4, 4), dtype=int)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        counts[r:r + 3, c:c + 3] += 1
    for r in range(4):
        for c in range(4):
            box(ax, x2 + c * size, y0 - r * size, size, str(counts[r, c]),
                color="#d5d8dc" if counts[r, c] == 4 else "white", weight="bold" if counts[r, c] == 4 else "normal")
    ax.text(x2 + 2 * size, y0 + 0.35, "col2im(rows of 1): adds", ha="center", fontsize=11)
    ax.text(x2 + 2 * size, y0 - 4 * size - 0.3, "f receives 4 gradients, a receives 1", ha="center", fontsize=10)
    ax.set_xlim(0, 11.4)
    ax.set_ylim(0.1, 3.6)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, "one_network_col2im")
