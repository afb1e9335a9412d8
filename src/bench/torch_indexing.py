"""PyTorch (CPU, float64) on IndexingBench's workloads (issue 20's indexing and shape ops), timed as
../shared/peers/torch_ops_peer.py times (median of per-call times after a warm-up).

Run (from the project root): OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_indexing.py
"""
import json, statistics, time
import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)
g = torch.Generator().manual_seed(0)


def timeit(fn, min_time=1.5, min_reps=5, max_reps=20000):
    for _ in range(3):
        fn()
    samples = []
    start = time.perf_counter()
    while ((time.perf_counter() - start) < min_time or len(samples) < min_reps) and len(samples) < max_reps:
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1e6


out = {}
q = torch.randn(8, 64, 32, generator=g, requires_grad=True)
k = torch.randn(8, 64, 32, generator=g, requires_grad=True)


def scores(f):
    def step():
        return torch.autograd.grad(f(q, k).square().sum(), (q, k))
    return step


out["einsum_scores_grad"] = {"median_us": timeit(scores(lambda a, b: torch.einsum("bqd,bkd->bqk", a, b))), "how": "torch.einsum, autograd.grad"}
out["matmul_scores_grad"] = {"median_us": timeit(scores(lambda a, b: a @ b.transpose(-1, -2))), "how": "a @ b.mT, autograd.grad"}
x = torch.randn(256, 1000, generator=g, requires_grad=True)
i = torch.arange(256 * 16)
index = ((i * 7919) % 1000 - torch.where(i % 3 == 0, 1000, 0)).reshape(256, 16) % 1000  # the same columns, made non-negative
out["take_along_axis_grad"] = {"median_us": timeit(lambda: torch.autograd.grad(torch.take_along_dim(x, index, 1).square().sum(), x)),
                               "how": "torch.take_along_dim, autograd.grad"}
m = torch.randn(512, 512, generator=g, requires_grad=True)
out["roll_flip_tril_grad"] = {"median_us": timeit(lambda: torch.autograd.grad(
    torch.roll(m, (3, -5), (0, 1)).flip(0).tril().square().sum() + m.trace(), m)), "how": "roll, flip, tril, trace; autograd.grad"}
print(json.dumps({"peer": "torch " + torch.__version__ + " (1 thread)", "results": out}, indent=1))
