"""Figures of 05_rnn_bptt (drawn by img/make_figures.py)."""
from make_figures import arrow, figure, node, plt, save

FORWARD, BACKWARD = "#2c3e50", "#c0392b"
X_COLOR, H_COLOR, O_COLOR, L_COLOR = "#d6eaf8", "#d5f5e3", "#fdebd0", "#f5b7b1"


@figure
def rnn_unrolled():
    """The RNN unrolled over T_x = 3 steps: forward edges (U, W, V shared by every step) and the two
    backward paths that reach dh^t = dJ/dh^t, named but not evaluated (the student derives them)."""
    fig, ax = plt.subplots(figsize=(14, 8))
    T, dx = 3, 4.3
    col = {t: 1.0 + dx * t for t in range(T + 1)}  # column of step t; h^0 in column 0
    y_x, y_h, y_o, y_L = 0.0, 2.4, 4.6, 6.6

    node(ax, (col[0], y_h), r"$h^{0}$", H_COLOR)
    for t in range(1, T + 1):
        c = col[t]
        node(ax, (c, y_x), rf"$x^{{{t}}}$", X_COLOR)
        node(ax, (c, y_h), rf"$h^{{{t}}}$", H_COLOR)
        node(ax, (c, y_o), rf"$o^{{{t}}}\to\hat y^{{{t}}}$", O_COLOR)
        node(ax, (c, y_L), rf"$\mathcal{{L}}^{{{t}}}$", L_COLOR)
        # forward: x -> h (U), h^{t-1} -> h^t (W), h -> o (V), o -> L
        arrow(ax, (c - 0.35, y_x + 0.4), (c - 0.35, y_h - 0.4), FORWARD, "U", offset=0.0)
        ax.texts[-1].set_position((c - 0.6, (y_x + y_h) / 2))
        arrow(ax, (col[t - 1] + 1.2, y_h - 0.12), (c - 1.2, y_h - 0.12), FORWARD)
        ax.text((col[t - 1] + c) / 2, y_h - 0.45, "W", ha="center", fontsize=11, color=FORWARD)
        arrow(ax, (c - 0.35, y_h + 0.4), (c - 0.35, y_o - 0.4), FORWARD)
        ax.text(c - 0.6, (y_h + y_o) / 2 + 0.3, "V", ha="center", fontsize=11, color=FORWARD)
        arrow(ax, (c - 0.35, y_o + 0.4), (c - 0.35, y_L - 0.4), FORWARD)
        # backward, output path: L^t -> o^t -> h^t
        arrow(ax, (c + 0.35, y_L - 0.4), (c + 0.35, y_o + 0.4), BACKWARD)
        ax.text(c + 0.45, (y_o + y_L) / 2, r"$do^{%d}$" % t, fontsize=12, color=BACKWARD, va="center")
        arrow(ax, (c + 0.35, y_o - 0.4), (c + 0.35, y_h + 0.4), BACKWARD)
        ax.text(c + 0.45, (y_h + y_o) / 2 + 0.3, "output\npath", fontsize=10, color=BACKWARD, va="center")
        # backward, path through h^t into h^{t-1}
        arrow(ax, (c - 1.2, y_h + 0.14), (col[t - 1] + 1.2, y_h + 0.14), BACKWARD, rad=0.35)
        ax.text((col[t - 1] + c) / 2, y_h + 0.82, r"path through $h^{%d}$" % t, ha="center",
                fontsize=10.5, color=BACKWARD)

    ax.text(col[T] + 1.4, y_h, r"$dh^{%d}$: output path only" % T, fontsize=11, color=BACKWARD, va="center")
    ax.text(col[0] - 1.3, y_L + 0.9,
            r"$J = \frac{1}{m}\sum_{i}\sum_{t}\mathcal{L}^{t}_{i}$,   $do^{t} = \partial J/\partial o^{t}$ (the $\frac{1}{m}$ is in it),"
            r"   $dh^{t} = \partial J/\partial h^{t}$ = output path + path through $h^{t+1}$",
            fontsize=13, color=BACKWARD, va="bottom")
    ax.text(col[0] - 1.3, y_x - 1.2,
            "black: forward pass (the same U, W, V, b, c at every step)     red: backward pass (BPTT)",
            fontsize=11, color="#555555")
    ax.set_xlim(col[0] - 1.4, col[T] + 4.2)
    ax.set_ylim(y_x - 1.5, y_L + 1.8)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, "rnn_unrolled")
