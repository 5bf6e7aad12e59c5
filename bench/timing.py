"""Timing shared by the benchmark scripts (imported as `timing`: the scripts run from bench/)."""
import time

import numpy as np


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
