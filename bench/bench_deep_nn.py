"""Time the reference L-layer forward + backward pass against the same network in PyTorch (CPU autograd).

    .venv/bin/python bench/bench_deep_nn.py [--threads N] [--repeats R]

The network of notebook 02 at a realistic size: layers [784, 256, 128, 64, 1] (three ReLU layers, a
sigmoid output), m = 512 examples, float64. Both implementations do the same work per step:
L_model_forward, compute_cost and every gradient (numpy: L_model_backward, which also returns the
dA of every layer, including dA0 = W1^T dZ1, a (784, 256) x (256, 512) product that is about a
quarter of the arithmetic; torch: loss.backward(), dW and db only, since X needs no gradient). Each median is over R rounds; a round
runs every implementation once, so that the load of a shared machine affects them alike. numpy
(OpenBLAS) and torch get the same number of threads, set before import.
"""
import argparse
import os
import sys
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / torch threads (default: all cores)")
parser.add_argument("--repeats", type=int, default=7, help="runs per median (default 7)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from solutions import deep_nn as ref  # noqa: E402
from timing import interleaved_medians  # noqa: E402


def main():
    sizes, m = [784, 256, 128, 64, 1], 512
    L = len(sizes) - 1
    rng = np.random.default_rng(0)
    X = rng.standard_normal((sizes[0], m))
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    p = {}
    for l in range(1, L + 1):
        p[f"W{l}"] = rng.standard_normal((sizes[l], sizes[l - 1])) * np.sqrt(2.0 / sizes[l - 1])
        p[f"b{l}"] = 0.01 * rng.standard_normal((sizes[l], 1))

    def numpy_step():
        AL, caches = ref.L_model_forward(X, p)
        ref.compute_cost(AL, Y)
        return ref.L_model_backward(AL, Y, caches)

    functions = {"numpy reference": numpy_step}
    try:
        import torch
        torch.set_num_threads(args.threads)
        tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
        tX, tY = torch.tensor(X), torch.tensor(Y)

        def torch_step():
            for v in tp.values():
                v.grad = None
            H = tX
            for l in range(1, L):
                H = torch.relu(tp[f"W{l}"] @ H + tp[f"b{l}"])
            logits = tp[f"W{L}"] @ H + tp[f"b{L}"]
            torch.nn.functional.binary_cross_entropy_with_logits(logits, tY).backward()
            return {k: v.grad for k, v in tp.items()}

        functions["torch autograd"] = torch_step
        ours, theirs = numpy_step(), torch_step()
        worst = max(float(np.max(np.abs(ours["d" + k] - theirs[k].numpy()))) for k in p)
        print(f"largest difference between the gradients: {worst:.1e}")
    except ImportError:
        print("torch is not installed: timing numpy only")

    print(f"layers {sizes}, m = {m}, float64; {args.threads} thread(s); "
          f"median of {args.repeats} interleaved rounds (forward + cost + all gradients)")
    medians = interleaved_medians(functions, args.repeats)
    base = medians["numpy reference"]
    for name, seconds in medians.items():
        print(f"  {name:16s} {seconds * 1e3:8.2f} ms   ratio to numpy {seconds / base:5.2f}")


if __name__ == "__main__":
    main()
