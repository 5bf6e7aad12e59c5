"""Figures of 03_conv_backward (drawn by img/make_figures.py)."""
from matplotlib.patches import Rectangle

from make_figures import arrow, figure, plt, save

RED, BLUE, GREY = "#c0392b", "#2471a3", "#d5d8dc"


def grid(ax, x0, y0, rows, cols, size, fill=None):
    """A rows x cols grid of square cells; (x0, y0) is the top-left corner, row 0 at the top."""
    for r in range(rows):
        for c in range(cols):
            color = fill(r, c) if fill else "white"
            ax.add_patch(Rectangle((x0 + c * size, y0 - (r + 1) * size), size, size, fc=color, ec="#555555", lw=0.8))


def box(ax, x0, y0, size, r, c, h, w, color, lw=3.0, ls="-"):
    ax.add_patch(Rectangle((x0 + c * size, y0 - (r + h) * size), w * size, h * size, fill=False, ec=color,
                           lw=lw, ls=ls))


@figure
def conv_backward_window():
    """One dZ entry sends W * dZ back to its window of dA_prev_pad (stride 2, pad 1, f = 3)."""
    fig, ax = plt.subplots(figsize=(12.5, 6.2))
    s, pad, f, n_prev = 2, 1, 3, 5
    n_pad = n_prev + 2 * pad
    n_out = (n_prev + 2 * pad - f) // s + 1  # 3

    # dZ[i, :, :, c]: 3 x 3, two highlighted entries.
    z0, zy, zs = 0.3, 4.6, 0.9
    highlight = {(1, 2): RED, (1, 1): BLUE}
    light = {RED: "#f5b7b1", BLUE: "#aed6f1"}
    grid(ax, z0, zy, n_out, n_out, zs, lambda r, c: light.get(highlight.get((r, c)), "white"))
    for (r, c), color in highlight.items():
        ax.text(z0 + (c + 0.5) * zs, zy - (r + 0.5) * zs, f"h={r}\nw={c}", ha="center", va="center",
                fontsize=10, color=color)
    ax.text(z0 + 1.5 * zs, zy + 0.3, r"$dZ[i,:,:,c]$,  $3 \times 3$", ha="center", fontsize=12)

    # dA_prev_pad[i, :, :, :]: 7 x 7 with a grey border of padding.
    a0, ay, a_s = 5.6, 5.3, 0.72
    grid(ax, a0, ay, n_pad, n_pad, a_s,
         lambda r, c: GREY if r < pad or c < pad or r >= n_pad - pad or c >= n_pad - pad else "white")
    # The column that both windows share: its entries receive both contributions.
    ax.add_patch(Rectangle((a0 + 4 * a_s, ay - 5 * a_s), a_s, 3 * a_s, fc="#bb8fce", ec="none", alpha=0.6))
    for (r, c), color in highlight.items():
        box(ax, a0, ay, a_s, r * s, c * s, f, f, color)
    box(ax, a0, ay, a_s, pad, pad, n_prev, n_prev, "#333333", lw=1.6, ls="--")
    for k in range(n_pad):
        ax.text(a0 - 0.22, ay - (k + 0.5) * a_s, str(k), ha="center", va="center", fontsize=9, color="#555555")
        ax.text(a0 + (k + 0.5) * a_s, ay + 0.18, str(k), ha="center", va="center", fontsize=9, color="#555555")
    ax.text(a0 + n_pad * a_s / 2, ay + 0.55, r"$dA_{prev,pad}[i,:,:,:]$: pad = 1, stride $s$ = 2, $f$ = 3",
            ha="center", fontsize=12)

    arrow(ax, (z0 + 3 * zs - 0.1, zy - 1.5 * zs), (a0 + 4 * a_s - 0.08, ay - 2.5 * a_s), RED, rad=-0.2)
    arrow(ax, (z0 + 1.5 * zs, zy - 2 * zs + 0.05), (a0 + 2 * a_s - 0.05, ay - 3.5 * a_s), BLUE, rad=0.15)
    ax.text(z0, 1.75, r"$dZ[i,1,2,c]$: rows 2-4, columns 4-6:" "\n"
            r"$dA_{prev,pad}[i, 2{:}5, 4{:}7, :]$" "\n" r"$\quad +\!=\; W[:,:,:,c]\; dZ[i,1,2,c]$",
            color=RED, fontsize=11, va="top", linespacing=1.5)
    ax.text(z0, 0.0, r"$dZ[i,1,1,c]$: rows 2-4, columns 2-4" "\n"
            r"a window starts at row $h s$, column $w s$", color=BLUE, fontsize=11, va="top", linespacing=1.5)

    notes = [("grey: padding, cropped away at the end", "#333333"),
             ("dashed: the $5 \\times 5$ input, dA_prev", "#333333"),
             ("purple: column 4 lies in both windows,", "#7d3c98"),
             ("    so its two contributions add up", "#7d3c98"),
             ("and for every window:", "#333333"),
             ("    $dW[:,:,:,c] \\;+\\!=\\; a_{slice}\\, dZ[i,h,w,c]$", "#333333"),
             ("    $db[c] \\;+\\!=\\; dZ[i,h,w,c]$", "#333333")]
    for k, (text, color) in enumerate(notes):
        ax.text(a0 + n_pad * a_s + 0.4, ay - 0.4 - 0.5 * k, text, fontsize=11, color=color, va="center")
    ax.set_xlim(0, 15.2)
    ax.set_ylim(-0.7, 6.0)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, "conv_backward_window")
