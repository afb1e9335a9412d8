"""PyTorch (CPU, float64) on the workloads of dualgrad's ElementwiseBench: issue 20's elementwise functions on
2^20 elements, the primal alone and the gradient of its sum, median in µs.

Run (from the project root):
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_elementwise.py [runs]
"""
import statistics, sys, time
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
n = 1 << 20
g = torch.Generator().manual_seed(1)
x = torch.rand(n, generator=g) * 6 - 3
b = torch.rand(n, generator=g) * 6 - 3
ops = {
    "tanh (existing, for scale)": torch.tanh,
    "tan": torch.tan,
    "asinh": torch.asinh,
    "erf": torch.erf,
    "gelu": F.gelu,
    "geluTanh": lambda z: F.gelu(z, approximate="tanh"),
    "silu": F.silu,
    "lgamma(p)": lambda z: torch.lgamma(z + 3.1),
    "digamma(p)": lambda z: torch.digamma(z + 3.1),
    "atan2(x, b)": lambda z: torch.atan2(z, b),
    "logaddexp(x, b)": lambda z: torch.logaddexp(z, b),
}
print("op                          primal µs   grad µs    (n = 2^20, median of %d)" % runs)
for name, f in ops.items():
    def grad():
        z = x.clone().requires_grad_(True)
        (gz,) = torch.autograd.grad(f(z).sum(), z)
        return gz
    for _ in range(5):
        f(x); grad()
    tp, tg = [], []
    for _ in range(runs):
        t0 = time.perf_counter(); f(x); t1 = time.perf_counter(); grad(); t2 = time.perf_counter()
        tp.append((t1 - t0) * 1e6); tg.append((t2 - t1) * 1e6)
    print("%-26s %10.0f %10.0f" % (name, statistics.median(tp), statistics.median(tg)))
