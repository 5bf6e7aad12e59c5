"""Time the reference conv_backward against a straightforward loop version and PyTorch (CPU).

    .venv/bin/python bench/bench_conv_backward.py [--threads N] [--repeats R]

Realistic layer: m = 64 examples of 32 x 32 x 16, 32 filters of 3 x 3 x 16, pad 1, stride 1, float64.
Each median is taken over R rounds on the same inputs; a round runs every implementation once,
so that the load of a shared machine affects them alike. The loop version is O(m) and takes tens of
seconds at m = 64, so it is timed on a few examples and scaled per example (printed as such).
numpy (OpenBLAS) and PyTorch are given the same number of threads, set before either is imported.
"""
import argparse
import os
import sys
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / torch threads (default: all cores)")
parser.add_argument("--repeats", type=int, default=7, help="runs per median (default 7)")
parser.add_argument("--loop-examples", type=int, default=2, help="examples for the loop timing (default 2)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from solutions import conv_backward as ref  # noqa: E402
from timing import interleaved_medians  # noqa: E402


def loop_conv_backward(dZ, cache):
    """The four nested loops of the lesson (one window per output entry), with stride and padding."""
    A_prev, W, b, hparameters = cache
    stride, pad = hparameters["stride"], hparameters["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    _, n_H, n_W, n_C = dZ.shape
    A_prev_pad = ref.zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros_like(A_prev_pad)
    dW = np.zeros_like(W)
    db = np.zeros((1, 1, 1, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    top, left = h * stride, w * stride
                    window = (i, slice(top, top + f), slice(left, left + f), slice(None))
                    dA_prev_pad[window] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += A_prev_pad[window] * dZ[i, h, w, c]
                    db[0, 0, 0, c] += dZ[i, h, w, c]
    return dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db


def main():
    m, n, n_C_prev, f, n_C = 64, 32, 16, 3, 32
    hparameters = {"stride": 1, "pad": 1}
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((m, n, n, n_C_prev))
    W = 0.1 * rng.standard_normal((f, f, n_C_prev, n_C))
    b = 0.1 * rng.standard_normal((1, 1, 1, n_C))
    Z, cache = ref.conv_forward(A_prev, W, b, hparameters)
    dZ = rng.standard_normal(Z.shape)
    print(f"layer: A_prev {A_prev.shape}, W {W.shape}, stride 1, pad 1, float64; "
          f"{args.threads} thread(s) for numpy/OpenBLAS and torch; median of {args.repeats} runs")

    k = args.loop_examples
    small_cache = (A_prev[:k], W, b, hparameters)
    functions = {
        "reference": lambda: ref.conv_backward(dZ, cache),
        "convolution form": lambda: ref.conv_backward_vectorized(dZ, cache),
        "loops": lambda: loop_conv_backward(dZ[:k], small_cache),
    }

    # The loop version and the reference agree (checked on the examples that the loops handle).
    agree = all(np.allclose(x, y, rtol=1e-10, atol=1e-10)
                for x, y in zip(loop_conv_backward(dZ[:k], small_cache), ref.conv_backward(dZ[:k], small_cache)))

    try:
        import torch
    except ImportError:
        torch = None
    agree_torch = None
    if torch is not None:
        torch.set_num_threads(args.threads)
        x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)
        weight = torch.tensor(W.transpose(3, 2, 0, 1).copy(), requires_grad=True)
        bias = torch.tensor(b.ravel().copy(), requires_grad=True)
        grad = torch.tensor(dZ.transpose(0, 3, 1, 2).copy())
        out = torch.nn.functional.conv2d(x, weight, bias, stride=1, padding=1)
        dx, dw, _ = torch.autograd.grad(out, (x, weight, bias), grad, retain_graph=True)
        ref_dA, ref_dW, _ = ref.conv_backward(dZ, cache)
        agree_torch = (np.allclose(dx.numpy().transpose(0, 2, 3, 1), ref_dA, rtol=1e-9, atol=1e-9)
                       and np.allclose(dw.numpy().transpose(2, 3, 1, 0), ref_dW, rtol=1e-9, atol=1e-9))
        functions["torch64"] = lambda: torch.autograd.grad(out, (x, weight, bias), grad, retain_graph=True)
        x32, w32 = x.detach().float().requires_grad_(), weight.detach().float().requires_grad_()
        b32 = bias.detach().float().requires_grad_()
        out32 = torch.nn.functional.conv2d(x32, w32, b32, stride=1, padding=1)
        grad32 = grad.float()
        functions["torch32"] = lambda: torch.autograd.grad(out32, (x32, w32, b32), grad32, retain_graph=True)
    else:
        print("PyTorch is not installed: no PyTorch timing")

    t = interleaved_medians(functions, args.repeats)
    t_loop = t["loops"] * m / k
    rows = [("reference conv_backward (numpy)", t["reference"], ""),
            ("convolution form (rot180 + dilation, numpy)", t["convolution form"], ""),
            ("loop version (4 nested loops)", t_loop,
             f"timed on m = {k} ({t['loops']:.2f} s) and scaled x {m // k}: the loops are O(m)")]
    if torch is not None:
        rows.append((f"PyTorch {torch.__version__} conv2d backward (float64, NCHW)", t["torch64"],
                     f"{torch.get_num_threads()} thread(s); same gradients as the reference: {agree_torch}"))
        rows.append(("PyTorch conv2d backward (float32, for information)", t["torch32"],
                     "not comparable: float32, oneDNN kernels"))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'implementation':<{width}}  {'median':>10}  notes")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds * 1e3:>8.1f} ms  {note}")
    print(f"\nloop version and reference agree on the timed examples: {agree}")
    print(f"reference speed-up over the loop version: {t_loop / t['reference']:,.0f}x (target >= 100x)")
    if torch is not None:
        print(f"reference time / PyTorch float64 time: {t['reference'] / t['torch64']:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
