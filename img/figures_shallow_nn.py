"""Figures of 01_shallow_nn (drawn by img/make_figures.py)."""
from make_figures import HALF, arrow, figure, node, plt, save


@figure
def shallow_graph():
    """Computation graph of the shallow network: forward in black, backward in red."""
    fig, ax = plt.subplots(figsize=(14, 4.2))
    xs = [0, 2.7, 5.4, 8.1, 10.8, 13.5]
    labels = [r"$X$", r"$Z^{[1]}=W^{[1]}X+b^{[1]}$", r"$A^{[1]}=\tanh(Z^{[1]})$",
              r"$Z^{[2]}=W^{[2]}A^{[1]}+b^{[2]}$", r"$A^{[2]}=\sigma(Z^{[2]})$", r"$J(A^{[2]},Y)$"]
    colors = ["#e8f1fb", "#fff4e0", "#fff4e0", "#fff4e0", "#fff4e0", "#eaf7ea"]
    for x, label, color in zip(xs, labels, colors):
        node(ax, (x, 1.0), label, color)
    for x, params in ((xs[1], r"$W^{[1]}, b^{[1]}$"), (xs[3], r"$W^{[2]}, b^{[2]}$")):
        ax.text(x, 2.0, params, ha="center", fontsize=12)
        arrow(ax, (x, 1.85), (x, 1.4), "#333333")
    for a, b in zip(xs, xs[1:]):
        arrow(ax, (a + HALF + 0.04, 1.08), (b - HALF - 0.04, 1.08), "#333333")
    red = "#c0392b"
    backward = [(xs[5], xs[3], r"$dZ^{[2]}=A^{[2]}-Y$"),
                (xs[3], xs[2], r"$dA^{[1]}=W^{[2]T}dZ^{[2]}$"),
                (xs[2], xs[1], r"$dZ^{[1]}=dA^{[1]}\odot(1-A^{[1]}\odot A^{[1]})$")]
    for (a, b, text), y in zip(backward, (0.5, 0.22, 0.5)):
        arrow(ax, (a - 0.3, y), (b + 0.3, y), red)
        ax.text((a + b) / 2, y - 0.2, text, ha="center", va="center", fontsize=12, color=red)
    ax.text(xs[3], -0.45, r"$dW^{[2]}=\frac{1}{m}dZ^{[2]}A^{[1]T}$,   $db^{[2]}=\frac{1}{m}\sum_{i} dZ^{[2](i)}$",
            ha="center", fontsize=12, color=red)
    ax.text(xs[1] - 0.4, -0.45, r"$dW^{[1]}=\frac{1}{m}dZ^{[1]}X^{T}$,   $db^{[1]}=\frac{1}{m}\sum_{i} dZ^{[1](i)}$",
            ha="center", fontsize=12, color=red)
    ax.set_xlim(-1.3, 14.8)
    ax.set_ylim(-0.8, 2.3)
    ax.axis("off")
    ax.set_title("Forward pass (black) and backward pass (red) of the shallow network", fontsize=13)
    save(fig, "shallow_graph")
