"""PyTorch (CPU, float64, 1 thread) on dualgrad's BroadcastBench: x * y for the same shapes, best of 7 rounds of
5,000 calls, then sums of a [256, 256, 2] over each axis (7 rounds of 500), µs per call.

Run (from the project root):
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_broadcast.py
"""
import time
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
for a, b in [((5, 32, 32), (32, 32)), ((64, 16, 8), (16, 8)), ((10, 256, 4), (256, 4)), ((5120,), (5120,)),
             ((256, 1, 2), (1, 256, 2))]:
    x, y = torch.randn(a), torch.randn(b)
    for _ in range(20000):
        x * y
    best = float("inf")
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(5000):
            x * y
        best = min(best, (time.perf_counter() - t) / 5000 * 1e6)
    print(f"{list(a)} * {list(b)}: {best:.2f} µs")
z = torch.randn(256, 256, 2)
for axis in range(3):
    for _ in range(2000):
        z.sum(axis)
    best = float("inf")
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(500):
            z.sum(axis)
        best = min(best, (time.perf_counter() - t) / 500 * 1e6)
    print(f"[256, 256, 2].sum({axis}): {best:.2f} µs")
