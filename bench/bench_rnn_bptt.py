"""Time the reference RNN forward pass + full BPTT against the same RNN in PyTorch (CPU autograd).

    .venv/bin/python bench/bench_rnn_bptt.py [--threads N] [--repeats R]

Sizes of a small character model: m = 64 sequences of T_x = 50 steps, n_x = n_y = 64 symbols,
n_h = 128 hidden units, float64. Both implementations do the same work: rnn_forward, compute_cost
and the gradients of U, W, b, V, c (numpy: rnn_loss_backward; torch: loss.backward()). Each median
is over R rounds; a round runs every implementation once, so that the load of a shared machine
affects them alike. numpy (OpenBLAS) and torch get the same number of threads, set before import.
"""
import argparse
import os
import sys
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=os.cpu_count(), help="BLAS / torch threads (default: all cores)")
parser.add_argument("--repeats", type=int, default=7, help="runs per median (default 7)")
args = parser.parse_args()
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from solutions import rnn_bptt as ref  # noqa: E402


def interleaved_medians(functions, repeats):
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
    m, T_x, n_x, n_h = 64, 50, 64, 128
    n_y = n_x
    rng = np.random.default_rng(0)
    p = {"U": 0.1 * rng.standard_normal((n_h, n_x)), "W": rng.standard_normal((n_h, n_h)) / np.sqrt(n_h),
         "b": np.zeros((n_h, 1)), "V": 0.1 * rng.standard_normal((n_y, n_h)), "c": np.zeros((n_y, 1))}
    symbols = rng.integers(0, n_x, size=(m, T_x + 1))
    x = np.moveaxis(np.eye(n_x)[symbols[:, :-1]], -1, 0)
    Y = np.moveaxis(np.eye(n_y)[symbols[:, 1:]], -1, 0)
    h0 = np.zeros((n_h, m))

    def numpy_step():
        _, y_pred, caches = ref.rnn_forward(x, h0, p)
        ref.compute_cost(y_pred, Y)
        return ref.rnn_loss_backward(y_pred, Y, caches)

    functions = {"numpy reference": numpy_step}
    try:
        import torch
        torch.set_num_threads(args.threads)
        tp = {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}
        tx, tY, th0 = torch.tensor(x), torch.tensor(Y), torch.tensor(h0)

        def torch_step():
            for v in tp.values():
                v.grad = None
            h, loss = th0, 0.0
            for t in range(T_x):
                h = torch.tanh(tp["U"] @ tx[:, :, t] + tp["W"] @ h + tp["b"])
                loss = loss - torch.sum(tY[:, :, t] * torch.log_softmax(tp["V"] @ h + tp["c"], dim=0)) / m
            loss.backward()
            return {k: v.grad for k, v in tp.items()}

        functions["torch autograd"] = torch_step
        ours, theirs = numpy_step(), torch_step()
        worst = max(float(np.max(np.abs(ours["d" + k] - theirs[k].numpy()))) for k in p)
        print(f"largest difference between the gradients: {worst:.1e}")
    except ImportError:
        print("torch is not installed: timing numpy only")

    print(f"m = {m}, T_x = {T_x}, n_x = n_y = {n_x}, n_h = {n_h}, float64; {args.threads} thread(s); "
          f"median of {args.repeats} interleaved rounds (forward + loss + all gradients)")
    medians = interleaved_medians(functions, args.repeats)
    base = medians["numpy reference"]
    for name, seconds in medians.items():
        print(f"  {name:16s} {seconds * 1e3:8.1f} ms   ratio to numpy {seconds / base:5.2f}")


if __name__ == "__main__":
    main()
