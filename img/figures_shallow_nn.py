"""Figures of 01_shallow_nn (drawn by img/make_figures.py)."""
from make_figures import figure, plt, save
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

RED = "#c0392b"
INK = "#333333"


def _box(ax, x, y, width, text, fc, ec=INK, color="black"):
    """A rounded box of the given width centred on (x, y); returns its half-width."""
    ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.3), width, 0.6, boxstyle="round,pad=0.06",
                                fc=fc, ec=ec, lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=12, color=color)
    return width / 2


def _arrow(ax, start, end, color):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color, lw=1.5,
                                 shrinkA=0, shrinkB=0))


@figure
def shallow_graph():
    """Computation graph of the shallow network: the forward pass (black) and the order in which the backward
    pass (red) produces its gradients. Only names, no formulas: the student derives those."""
    fig, ax = plt.subplots(figsize=(14, 4.6))
    # (centre x, width, label) of each forward node; widths fit their text at fontsize 12.
    nodes = [(0.0, 0.9, r"$X$"),
             (2.5, 2.6, r"$Z^{[1]}=W^{[1]}X+b^{[1]}$"),
             (5.35, 2.3, r"$A^{[1]}=\tanh(Z^{[1]})$"),
             (8.25, 2.75, r"$Z^{[2]}=W^{[2]}A^{[1]}+b^{[2]}$"),
             (11.1, 2.1, r"$A^{[2]}=\sigma(Z^{[2]})$"),
             (13.35, 1.6, r"$J(A^{[2]},Y)$")]
    colors = ["#e8f1fb", "#fff4e0", "#fff4e0", "#fff4e0", "#fff4e0", "#eaf7ea"]
    y_fwd, y_bwd, y_par = 1.6, 0.35, -0.85
    for (x, width, label), color in zip(nodes, colors):
        _box(ax, x, y_fwd, width, label, color)
    for (xa, wa, _), (xb, wb, _) in zip(nodes, nodes[1:]):
        _arrow(ax, (xa + wa / 2 + 0.08, y_fwd), (xb - wb / 2 - 0.08, y_fwd), INK)
    for i, params in ((1, r"$W^{[1]}, b^{[1]}$"), (3, r"$W^{[2]}, b^{[2]}$")):
        x = nodes[i][0]
        ax.text(x, 2.75, params, ha="center", va="center", fontsize=12)
        _arrow(ax, (x, 2.55), (x, y_fwd + 0.38), INK)

    # Backward pass: one red box under each node it passes, right to left, and the parameter gradients
    # that branch off below the two linear nodes.
    backward = [(5, r"$J$"), (3, r"$dZ^{[2]}$"), (2, r"$dA^{[1]}$"), (1, r"$dZ^{[1]}$")]
    half = {}
    for i, label in backward[1:]:
        half[i] = _box(ax, nodes[i][0], y_bwd, 1.05, label, "white", ec=RED, color=RED)
    half[5] = 0.0
    for (a, _), (b, _) in zip(backward, backward[1:]):
        start = nodes[a][0] - half[a] - 0.08 if a != 5 else nodes[a][0]
        if a == 5:
            # From the cost node straight down, then left to dZ^[2].
            ax.add_patch(FancyArrowPatch((nodes[5][0], y_fwd - 0.38), (nodes[b][0] + half[b] + 0.08, y_bwd),
                                         arrowstyle="-|>", mutation_scale=14, color=RED, lw=1.5,
                                         connectionstyle="angle,angleA=-90,angleB=180,rad=0"))
            continue
        _arrow(ax, (start, y_bwd), (nodes[b][0] + half[b] + 0.08, y_bwd), RED)
    for i, label in ((3, r"$dW^{[2]},\ db^{[2]}$"), (1, r"$dW^{[1]},\ db^{[1]}$")):
        _arrow(ax, (nodes[i][0], y_bwd - 0.38), (nodes[i][0], y_par + 0.36), RED)
        _box(ax, nodes[i][0], y_par, 1.75, label, "#fdecea", ec=RED, color=RED)
    ax.text(nodes[5][0] + 0.1, y_par, "each gradient has the\nshape of what it\ndifferentiates",
            ha="center", va="center", fontsize=10.5, color=RED, style="italic")
    ax.set_xlim(-0.7, 14.4)
    ax.set_ylim(-1.35, 3.05)
    ax.axis("off")
    ax.set_title("Forward pass (black) and the gradients the backward pass (red) computes, in order", fontsize=13)
    save(fig, "shallow_graph")
