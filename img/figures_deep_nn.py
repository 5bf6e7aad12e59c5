"""Figures of 02_deep_nn (drawn by img/make_figures.py)."""
from make_figures import HALF, arrow, figure, node, plt, save


@figure
def deep_layer_blocks():
    """Forward blocks (black) store caches that the backward blocks (red) use, layer by layer."""
    fig, ax = plt.subplots(figsize=(15, 5))
    xs = [0, 4.0, 8.0, 12.0, 16.0]
    red, blue = "#c0392b", "#2c6fbb"
    forward = [r"$A^{[0]}=X$", r"layer 1: ReLU", r"layer $l$: ReLU", r"layer $L$: sigmoid", r"cost $J(A^{[L]}, Y)$"]
    colors = ["#e8f1fb", "#fff4e0", "#fff4e0", "#fff4e0", "#eaf7ea"]
    for x, label, color in zip(xs, forward, colors):
        node(ax, (x, 2.4), label, color)
    for x, label in zip(xs[1:4], [r"$dW^{[1]},\ db^{[1]}$", r"$dW^{[l]},\ db^{[l]}$", r"$dW^{[L]},\ db^{[L]}$"]):
        node(ax, (x, 0.0), label, "#fbeaea")
    forward_edges = [r"$A^{[0]}$", r"$A^{[1]} \cdots A^{[l-1]}$", r"$A^{[l]} \cdots A^{[L-1]}$", r"$A^{[L]}$"]
    for a, b, text in zip(xs, xs[1:], forward_edges):
        arrow(ax, (a + HALF + 0.05, 2.4), (b - HALF - 0.05, 2.4), "#333333", text, offset=0.3)
    backward_edges = [(xs[3], xs[2], r"$dA^{[L-1]} \cdots dA^{[l]}$"),
                      (xs[2], xs[1], r"$dA^{[l-1]} \cdots dA^{[1]}$"),
                      (xs[1], xs[0], r'$dA^{[0]}$, returned as grads["dA0"]')]
    for a, b, text in backward_edges:  # labels below the arrows, clear of the boxes
        arrow(ax, (a - HALF - 0.05, 0.0), (b + HALF + 0.05 if b > 0 else b + 0.4, 0.0), red, text, offset=-0.55)
    arrow(ax, (xs[4], 2.0), (xs[3] + HALF + 0.05, 0.15), red)
    ax.text(xs[4] - 0.2, 0.75, r"$dA^{[L]}$: column $i$ is" + "\n" + r"$\partial\mathcal{L}^{(i)}/\partial a^{[L](i)}$",
            ha="left", va="center", fontsize=11, color=red)
    for x, text in zip(xs[1:4], [r"cache$^{[1]}$", r"cache$^{[l]}$", r"cache$^{[L]}$"]):
        arrow(ax, (x, 2.0), (x, 0.42), blue)
        ax.text(x + 0.12, 1.2, text, ha="left", va="center", fontsize=11, color=blue)
    ax.text(xs[2], -1.2, r"cache$^{[l]} = \left((A^{[l-1]}, W^{[l]}, b^{[l]}),\ Z^{[l]}\right)$: what layer $l$ "
            r"saw and computed, kept by the forward pass for the backward pass", ha="center", fontsize=11, color=blue)
    ax.set_xlim(-1.4, 17.4)
    ax.set_ylim(-1.5, 3.1)
    ax.axis("off")
    ax.set_title("Forward pass (black) from layer 1 to L, keeping a cache per layer; backward pass (red) from L down "
                 "to 1, using it", fontsize=12.5)
    save(fig, "deep_layer_blocks")
