"""Time 06's fast convolution (im2col + one matrix product) against 03's reference and PyTorch (CPU, float64).

    .venv/bin/python bench/bench_one_network.py [--threads N] [--repeats R]

Layer: m = 64 examples of 32 x 32 x 16, 32 filters of 3 x 3 x 16, pad 1, stride 1, float64. Timed: the forward
and backward passes together (what one training step of the layer costs) and the backward pass alone. Medians
over R interleaved rounds (bench/timing.py), so that the load of a shared machine affects every implementation
alike. numpy (OpenBLAS) and PyTorch get the same number of threads, set before either is imported.
Target: the fast reference within 1.5x of PyTorch float64.
"""
import argparse
import os
import sys
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / torch threads (default: all cores)")
parser.add_argument("--repeats", type=int, default=9, help="runs per median (default 9)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from solutions import conv_backward as ref03  # noqa: E402
from solutions import one_network as ref  # noqa: E402
from timing import interleaved_medians  # noqa: E402


def main() -> None:
    m, n, n_C_prev, f, n_C = 64, 32, 16, 3, 32
    hparameters = {"stride": 1, "pad": 1}
    rng = np.random.default_rng(0)
    A_prev = rng.standard_normal((m, n, n, n_C_prev))
    W = 0.1 * rng.standard_normal((f, f, n_C_prev, n_C))
    b = 0.1 * rng.standard_normal((1, 1, 1, n_C))
    Z, cache = ref.conv_forward_fast(A_prev, W, b, hparameters)
    dZ = rng.standard_normal(Z.shape)
    print(f"layer: A_prev {A_prev.shape}, W {W.shape}, stride 1, pad 1, float64; "
          f"{args.threads} thread(s) for numpy/OpenBLAS and torch; median of {args.repeats} interleaved runs")

    def fast_step():
        _, c = ref.conv_forward_fast(A_prev, W, b, hparameters)
        return ref.conv_backward_fast(dZ, c)

    def ref03_step():
        _, c = ref03.conv_forward(A_prev, W, b, hparameters)
        return ref03.conv_backward(dZ, c)

    functions = {"fast": fast_step, "fast backward": lambda: ref.conv_backward_fast(dZ, cache),
                 "03": ref03_step, "03 backward": lambda: ref03.conv_backward(dZ, cache)}
    agree03 = all(np.allclose(x, y, rtol=1e-10, atol=1e-10) for x, y in zip(fast_step(), ref03_step()))

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

        def torch_step():
            out = torch.nn.functional.conv2d(x, weight, bias, stride=1, padding=1)
            return torch.autograd.grad(out, (x, weight, bias), grad)

        out = torch.nn.functional.conv2d(x, weight, bias, stride=1, padding=1)
        dx, dw, db = torch_step()
        dA, dW, dB = ref.conv_backward_fast(dZ, cache)
        agree_torch = (np.allclose(dx.numpy().transpose(0, 2, 3, 1), dA, rtol=1e-9, atol=1e-9)
                       and np.allclose(dw.numpy().transpose(2, 3, 1, 0), dW, rtol=1e-9, atol=1e-9)
                       and np.allclose(db.numpy(), dB.ravel(), rtol=1e-9, atol=1e-9))
        functions["torch"] = torch_step
        functions["torch backward"] = lambda: torch.autograd.grad(out, (x, weight, bias), grad, retain_graph=True)
    else:
        print("PyTorch is not installed: no PyTorch timing")

    t = interleaved_medians(functions, args.repeats)
    rows = [("06 fast (im2col + matmul), forward + backward", t["fast"]),
            ("06 fast, backward only", t["fast backward"]),
            ("03 reference (offset loops + tensordot), forward + backward", t["03"]),
            ("03 reference, backward only", t["03 backward"])]
    if torch is not None:
        rows += [(f"PyTorch {torch.__version__} conv2d float64, forward + backward", t["torch"]),
                 ("PyTorch conv2d float64, backward only", t["torch backward"])]
    width = max(len(r[0]) for r in rows)
    print(f"\n{'implementation':<{width}}  {'median':>10}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1e3:>8.1f} ms")
    print(f"\nsame gradients as 03's reference: {agree03}")
    print(f"06 fast / 03 reference (forward + backward): {t['fast'] / t['03']:.2f}")
    if torch is not None:
        print(f"same gradients as PyTorch: {agree_torch}")
        print(f"06 fast / PyTorch float64, forward + backward: {t['fast'] / t['torch']:.2f} (target <= 1.5)")
        print(f"06 fast / PyTorch float64, backward only: {t['fast backward'] / t['torch backward']:.2f}")


if __name__ == "__main__":
    main()
