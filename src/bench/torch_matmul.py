"""PyTorch's (OpenBLAS's) float64 matmul on N x N, on argv[1] threads (1 if absent): the peer of dualgrad's
matmul_N workloads. Prints JSON in the peers' format: workload -> median microseconds."""
import json, sys, time
import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
out = {}
for n in (256, 512, 1024):
    g = torch.Generator().manual_seed(n)
    a = torch.randn(n, n, dtype=torch.float64, generator=g)
    b = torch.randn(n, n, dtype=torch.float64, generator=g)
    for _ in range(3):
        a @ b
    times, end = [], time.perf_counter() + 1.5
    while time.perf_counter() < end or len(times) < 5:
        t = time.perf_counter()
        a @ b
        times.append((time.perf_counter() - t) * 1e6)
    times.sort()
    out[f"matmul_{n}"] = {"median_us": times[len(times) // 2]}
print(json.dumps({"peer": f"pytorch {torch.__version__} matmul", "results": out}))
