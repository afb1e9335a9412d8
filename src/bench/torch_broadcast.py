"""PyTorch (CPU, float64, 1 thread) on dualgrad's BroadcastBench: x * y for the same shapes, best of 7 rounds of
5,000 calls, µs per call.

Run (from the project root):
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_broadcast.py
"""
import time
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
for a, b in [((5, 32, 32), (32, 32)), ((64, 16, 8), (16, 8)), ((10, 256, 4), (256, 4)), ((5120,), (5120,))]:
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
