"""Time the reference pool_backward against a straightforward loop version and PyTorch (CPU).

    .venv/bin/python bench/bench_pool_backward.py [--threads N] [--repeats R]

Realistic layers: m = 64 examples of 32 x 32 x 16, float64, pooled with f = 2, stride 2 (windows side by
side) and f = 3, stride 2 (overlapping windows), in both modes. Each median is taken over R rounds on the
same inputs; a round runs every implementation once, so that the load of a shared machine affects them
alike. The loop version is O(m) and slow, so it is timed on a few examples and scaled per example
(printed as such). numpy and PyTorch are given the same number of threads, set before either is imported.

What is timed: the reference's backward finds the window maxima again from the cached input (the SPEC's
cache is (A_prev, hparameters)); PyTorch's max_pool2d backward reuses the indices its forward pass stored.
"""
import argparse
import os
import sys
import time
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
from solutions import pool_backward as ref  # noqa: E402


def loop_pool_backward(dA, cache, mode="max"):
    """The four nested loops of the lesson (one window per output entry), with the stride."""
    A_prev, hparameters = cache
    f, stride = hparameters["f"], hparameters["stride"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    top, left = h * stride, w * stride
                    if mode == "max":
                        window = A_prev[i, top:top + f, left:left + f, c]
                        dA_prev[i, top:top + f, left:left + f, c] += (
                            ref.create_mask_from_window(window) * dA[i, h, w, c])
                    else:
                        dA_prev[i, top:top + f, left:left + f, c] += ref.distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev


def interleaved_medians(functions, repeats):
    """{name: median seconds}, timing the functions in turn, round after round, so that a change in
    the machine's load (other processes on shared cores) affects all of them alike."""
    for fn in functions.values():
        fn()  # warm-up
    times = {name: [] for name in functions}
    for _ in range(repeats):
        for name, fn in functions.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def main():
    m, n, n_C = 64, 32, 16
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((m, n, n, n_C))
    k = args.loop_examples
    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
        print("PyTorch is not installed: no PyTorch timing")
    print(f"input: A_prev {A_prev.shape}, float64; {args.threads} thread(s) for numpy and torch; "
          f"median of {args.repeats} interleaved rounds")

    functions, agree, layers = {}, {}, []
    for f, stride in ((2, 2), (3, 2)):
        hparameters = {"f": f, "stride": stride}
        for mode in ("max", "average"):
            key = f"f={f} s={stride} {mode}"
            layers.append(key)
            A, cache = ref.pool_forward(A_prev, hparameters, mode)
            dA = rng.standard_normal(A.shape)
            small = (A_prev[:k], hparameters)
            functions[key + " | reference"] = lambda dA=dA, cache=cache, mode=mode: ref.pool_backward(dA, cache, mode)
            functions[key + " | loops"] = lambda dA=dA, small=small, mode=mode: loop_pool_backward(dA[:k], small, mode)
            same = np.allclose(loop_pool_backward(dA[:k], small, mode), ref.pool_backward(dA[:k], small, mode),
                               rtol=1e-12, atol=1e-12)
            if torch is not None:
                x = torch.tensor(A_prev.transpose(0, 3, 1, 2).copy(), requires_grad=True)  # NHWC -> NCHW
                pool = torch.nn.functional.max_pool2d if mode == "max" else torch.nn.functional.avg_pool2d
                out = pool(x, f, stride)
                grad = torch.tensor(dA.transpose(0, 3, 1, 2).copy())
                (dx,) = torch.autograd.grad(out, (x,), grad, retain_graph=True)
                same_torch = np.allclose(dx.numpy().transpose(0, 2, 3, 1), ref.pool_backward(dA, cache, mode),
                                         rtol=1e-12, atol=1e-12)
                functions[key + " | torch"] = (lambda out=out, x=x, grad=grad:
                                               torch.autograd.grad(out, (x,), grad, retain_graph=True))
                # Forward + backward: the work the reference's backward does (it finds the maxima again).
                functions[key + " | torch f+b"] = (lambda x=x, grad=grad, pool=pool, f=f, stride=stride:
                                                   torch.autograd.grad(pool(x, f, stride), (x,), grad))
                same = (same, same_torch)
            agree[key] = same

    t = interleaved_medians(functions, args.repeats)
    header = (f"{'layer':<17} {'reference':>10} {'loops(scaled)':>14} {'loops/ref':>10} {'torch bwd':>10} "
              f"{'ref/bwd':>8} {'torch f+b':>10} {'ref/(f+b)':>10}")
    print("\n" + header)
    for key in layers:
        t_ref, t_loop = t[key + " | reference"], t[key + " | loops"] * m / k
        row = f"{key:<17} {t_ref * 1e3:>7.2f} ms {t_loop * 1e3:>11.0f} ms {t_loop / t_ref:>9.0f}x"
        if torch is not None:
            t_bwd, t_fb = t[key + " | torch"], t[key + " | torch f+b"]
            row += (f" {t_bwd * 1e3:>7.2f} ms {t_ref / t_bwd:>8.2f} {t_fb * 1e3:>7.2f} ms {t_ref / t_fb:>10.2f}")
        print(row)
    print(f"\nloops timed on m = {k} examples and scaled x {m // k} (they are O(m)).")
    print("same gradients (loops vs reference on the timed examples, torch vs reference on all):", agree)
    if torch is not None:
        print(f"PyTorch {torch.__version__}, float64, NCHW; its backward reuses the forward's stored max indices.")


if __name__ == "__main__":
    main()
