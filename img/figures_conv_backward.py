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
    """Which window of A_pad each output entry reads (stride 2, pad 1, f = 3): overlapping windows share pixels."""
    fig, ax = plt.subplots(figsize=(12.5, 5.6))
    s, pad, f, n_prev = 2, 1, 3, 5
    n_pad = n_prev + 2 * pad
    n_out = (n_prev + 2 * pad - f) // s + 1  # 3

    # Z[i, :, :, c]: 3 x 3, two highlighted entries.
    z0, zy, zs = 0.3, 4.6, 0.9
    highlight = {(1, 2): RED, (1, 1): BLUE}
    light = {RED: "#f5b7b1", BLUE: "#aed6f1"}
    grid(ax, z0, zy, n_out, n_out, zs, lambda r, c: light.get(highlight.get((r, c)), "white"))
    for (r, c), color in highlight.items():
        ax.text(z0 + (c + 0.5) * zs, zy - (r + 0.5) * zs, f"h={r}\nw={c}", ha="center", va="center",
                fontsize=10, color=color)
    ax.text(z0 + 1.5 * zs, zy + 0.3, r"$Z[i,:,:,c]$,  $3 \times 3$", ha="center", fontsize=12)

    # A_pad[i, :, :, :]: 7 x 7 with a grey border of padding.
    a0, ay, a_s = 5.6, 5.3, 0.72
    grid(ax, a0, ay, n_pad, n_pad, a_s,
         lambda r, c: GREY if r < pad or c < pad or r >= n_pad - pad or c >= n_pad - pad else "white")
    # The column that both windows share.
    ax.add_patch(Rectangle((a0 + 4 * a_s, ay - 5 * a_s), a_s, 3 * a_s, fc="#bb8fce", ec="none", alpha=0.6))
    for (r, c), color in highlight.items():
        box(ax, a0, ay, a_s, r * s, c * s, f, f, color)
    box(ax, a0, ay, a_s, pad, pad, n_prev, n_prev, "#333333", lw=1.6, ls="--")
    for k in range(n_pad):
        ax.text(a0 - 0.22, ay - (k + 0.5) * a_s, str(k), ha="center", va="center", fontsize=9, color="#555555")
        ax.text(a0 + (k + 0.5) * a_s, ay + 0.18, str(k), ha="center", va="center", fontsize=9, color="#555555")
    ax.text(a0 + n_pad * a_s / 2, ay + 0.55, r"$A_{pad}[i,:,:,:]$: pad = 1, stride $s$ = 2, $f$ = 3",
            ha="center", fontsize=12)

    # Arrows in the direction of the forward pass: a window is read to make one output entry.
    arrow(ax, (a0 + 4 * a_s - 0.08, ay - 2.5 * a_s), (z0 + 3 * zs - 0.1, zy - 1.5 * zs), RED, rad=0.2)
    arrow(ax, (a0 + 2 * a_s - 0.05, ay - 3.5 * a_s), (z0 + 1.5 * zs, zy - 2 * zs + 0.05), BLUE, rad=-0.15)
    ax.text(z0, 1.55, r"$Z[i,1,2,c]$ reads rows 2-4, columns 4-6" "\n"
            r"(its window starts at row $1 \cdot s$, column $2 \cdot s$)", color=RED, fontsize=11, va="top",
            linespacing=1.5)
    ax.text(z0, 0.45, r"$Z[i,1,1,c]$ reads rows 2-4, columns 2-4", color=BLUE, fontsize=11, va="top")

    legend = [("grey: padding (zeros, not inputs of the layer)", "#333333"),
              ("dashed: the $5 \\times 5$ input A_prev", "#333333"),
              ("purple: column 4 is read by both windows", "#7d3c98"),
              ("each window is read by all $n_C$ filters,", "#333333"),
              ("each filter by every window", "#333333")]
    for k, (text, color) in enumerate(legend):
        ax.text(a0 + n_pad * a_s + 0.4, ay - 0.4 - 0.5 * k, text, fontsize=11, color=color, va="center")
    ax.set_xlim(0, 15.2)
    ax.set_ylim(-0.2, 6.0)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, "conv_backward_window")


@figure
def conv_backward_dilation():
    """dA_pad as the full convolution of the dilated dZ: dilate, pad by f - 1, slide rot180(W) (stride 2, pad 1, f = 3)."""
    fig, ax = plt.subplots(figsize=(15, 5.4))
    s, f, n_out = 2, 3, 3
    n_dil = (n_out - 1) * s + 1 + 0  # 5: one row per window start of a 7 x 7 padded input
    n_full = n_dil + 2 * (f - 1)       # 9
    n_pad = n_full - f + 1             # 7
    size = 0.5
    top = 5.0
    label = {(h, w): f"$z_{{{h}{w}}}$" for h in range(n_out) for w in range(n_out)}
    shared = {(1, 1): BLUE, (1, 2): RED}

    def entries(x0, mapping, n, caption, border=0):
        def fill(r, c):
            if (r, c) in mapping:
                return "#fdebd0"
            return GREY if min(r, c) < border or max(r, c) >= n - border else "white"
        grid(ax, x0, top, n, n, size, fill)
        for (r, c), (h, w) in mapping.items():
            ax.text(x0 + (c + 0.5) * size, top - (r + 0.5) * size, label[h, w], ha="center", va="center",
                    fontsize=10, color=shared.get((h, w), "#333333"))
        ax.text(x0 + n * size / 2, top + 0.25, caption, ha="center", fontsize=11.5)

    x_dz, x_d, x_full, x_out = 0.2, 2.7, 6.2, 11.8
    entries(x_dz, {(h, w): (h, w) for h in range(n_out) for w in range(n_out)}, n_out, r"$dZ$, $3 \times 3$")
    entries(x_d, {(h * s, w * s): (h, w) for h in range(n_out) for w in range(n_out)}, n_dil,
            r"dilated $D$: $D[hs, ws] = dZ[h, w]$")
    ax.text(x_d + n_dil * size / 2, top - n_dil * size - 0.35, "zeros between the entries:\n"
            "one row per window start", ha="center", va="top", fontsize=10.5)
    entries(x_full, {(h * s + f - 1, w * s + f - 1): (h, w) for h in range(n_out) for w in range(n_out)}, n_full,
            r"$D$ padded with $f-1 = 2$ zeros (grey)", border=f - 1)
    # rot180(W) over rows 3-5, columns 4-6 of the padded D: the window that makes dA_pad[3, 4].
    box(ax, x_full, top, size, 3, 4, f, f, "#7d3c98")
    ax.text(x_full + n_full * size / 2, top - n_full * size - 0.3, "slide rot180(W) over it:\na cross-correlation",
            ha="center", va="top", fontsize=11.5, color="#7d3c98")

    # rot180(W) itself, small, under the dilated D.
    wx, wy, ws = x_d + 0.35, top - n_dil * size - 1.2, 0.62
    grid(ax, wx, wy, f, f, ws)
    for u in range(f):
        for v in range(f):
            color = BLUE if (u, v) == (1, 0) else RED if (u, v) == (1, 2) else "#333333"
            ax.text(wx + (v + 0.5) * ws, wy - (u + 0.5) * ws, f"$W_{{{f - 1 - u}{f - 1 - v}}}$", ha="center",
                    va="center", fontsize=10, color=color)
    ax.text(wx + f * ws + 0.15, wy - 1.5 * ws, r"$\mathrm{rot180}(W)$", va="center", fontsize=11.5)

    grid(ax, x_out, top, n_pad, n_pad, size, lambda r, c: "#d2b4de" if (r, c) == (3, 4) else
         GREY if min(r, c) < 1 or max(r, c) >= n_pad - 1 else "white")
    ax.text(x_out + n_pad * size / 2, top + 0.25, r"$dA_{pad}$, $7 \times 7$ (grey: padding, cropped)", ha="center", fontsize=11.5)
    for k in range(n_pad):
        ax.text(x_out - 0.18, top - (k + 0.5) * size, str(k), ha="center", va="center", fontsize=8.5, color="#555555")
        ax.text(x_out + (k + 0.5) * size, top - n_pad * size - 0.18, str(k), ha="center", va="center", fontsize=8.5,
                color="#555555")
    ax.text(x_out + n_pad * size / 2, top - n_pad * size - 0.55,
            r"$dA_{pad}[3,4] = W_{12}\, z_{11} + W_{10}\, z_{12}$", ha="center", va="top", fontsize=12)
    ax.text(x_out + n_pad * size / 2, top - n_pad * size - 1.05,
            "the two windows that contain pixel (3, 4)", ha="center", va="top", fontsize=10.5)

    arrow(ax, (x_dz + n_out * size + 0.1, top - 0.75), (x_d - 0.1, top - 0.75), "#333333")
    arrow(ax, (x_d + n_dil * size + 0.1, top - 1.25), (x_full - 0.1, top - 2.25), "#333333")
    arrow(ax, (x_full + 7 * size + 0.1, top - 4 * size), (x_out + 4 * size, top - 3.5 * size), "#7d3c98", rad=-0.25)
    fig.suptitle(r"$dA_{pad} = D \circledast W$ (full true convolution) $= \mathrm{pad}_{f-1}(D) \star \mathrm{rot180}(W)$"
                 "   (stride 2, pad 1, $f$ = 3, one channel)", fontsize=13, y=0.97)
    ax.set_xlim(0, 15.6)
    ax.set_ylim(-0.9, 5.6)
    ax.set_aspect("equal")
    ax.axis("off")
    save(fig, "conv_backward_dilation")
