"""The table of record of issue 21 from two compare.sh runs: one thread on both sides, and both sides' defaults.
   python3 src/bench/threads_table.py target/bench-1 target/bench-default
(BENCH_OUT=target/bench-1 BENCH_THREADS=1 bash src/bench/compare.sh, then BENCH_OUT=target/bench-default
BENCH_THREADS=default.) Prints, for the 13 workloads of the first table of shared/BENCHMARKS.md and the checked
batch Jacobian: both runs' times and ratios (dualgrad / PyTorch's best route), each side's speed-up from its
default threads, then the flop efficiency of the matmul-bound workloads at one thread: useful flops / time, as a
fraction of OpenBLAS's matmul_1024 rate in the same run."""
import json, sys

ALIASES = {
    "jacobian_wide": ["jacobian_wide_fwd", "jacobian_wide_rev"],
    "jacobian_tall": ["jacobian_tall_fwd", "jacobian_tall_rev"],
    "batch_jacobian": ["batch_jacobian_vmap_jacrev", "batch_jacobian_loop", "batch_jacobian_vmap_jacfwd"],
    "batch_jacobian_checked": ["batch_jacobian_vmap_jacrev", "batch_jacobian_loop", "batch_jacobian_vmap_jacfwd"],
    "jacobian_penalty_step": ["jacobian_penalty_step", "jacobian_penalty_step_double_backward"],
}
WORKLOADS = ["ce_tiny_jvp", "ce_tiny_grad", "mlp_primal", "mlp_jvp_input", "mlp_grad_params", "batch_jacobian",
             "batch_jacobian_checked", "jacobian_penalty_step", "jacobian_wide", "jacobian_tall", "hvp_input",
             "rosenbrock_grad", "rosenbrock_hessian", "matmul_256", "matmul_512", "matmul_1024"]
# Useful flops of the matmul-bound workloads: 2·m·k·n per product of the minimal algorithm.
MLP = 2 * 128 * (784 * 256 + 256 * 256 + 256 * 10)           # the forward products of 784-256-256-10 at B = 128
NET2 = 2 * 256 * (64 * 128 + 128 * 128 + 128 * 10)            # one pass of 64-128-128-10 at B = 256
FLOPS = {
    "mlp_primal": MLP,
    "mlp_jvp_input": 2 * MLP,                                  # the primal and one tangent
    "mlp_grad_params": 2 * MLP + 2 * 128 * (256 * 256 + 256 * 10),  # forward, every dW, dX of layers 2 and 3
    "batch_jacobian": NET2 * 11,                               # forward, and dX of every layer for 10 cotangents
    "matmul_256": 2 * 256 ** 3, "matmul_512": 2 * 512 ** 3, "matmul_1024": 2 * 1024 ** 3,
}


def load(d):
    ours = json.load(open(f"{d}/dualgrad.json"))["results"]
    torch = json.load(open(f"{d}/torch.json"))
    return ours, torch["results"], torch["peer"]


def peer(results, name):
    cands = [(k, results[k]["median_us"]) for k in ALIASES.get(name, [name]) if k in results and results[k]["median_us"]]
    return min(cands, key=lambda c: c[1]) if cands else (None, None)


one, tone, pone = load(sys.argv[1])
dflt, tdflt, pdflt = load(sys.argv[2])
print(f"1 thread: {pone}; default: {pdflt}\n")
print("| workload | dualgrad 1 thread µs | torch 1 thread µs | ratio | dualgrad default µs | torch default µs | ratio | dualgrad speed-up | torch speed-up |")
print("|---|---|---|---|---|---|---|---|---|")
for w in WORKLOADS:
    if w not in one:
        continue
    k1, t1 = peer(tone, w)
    k2, t2 = peer(tdflt, w)
    d1, d2 = one[w]["median_us"], dflt[w]["median_us"] if w in dflt else None
    cells = [f"{d1:.1f}", f"{t1:.1f} ({k1})" if t1 else "–", f"{d1 / t1:.3f}" if t1 else "–",
             f"{d2:.1f}" if d2 else "–", f"{t2:.1f} ({k2})" if t2 else "–", f"{d2 / t2:.3f}" if t2 and d2 else "–",
             f"{d1 / d2:.2f}×" if d2 else "–", f"{t1 / t2:.2f}×" if t1 and t2 else "–"]
    print(f"| {w} | " + " | ".join(cells) + " |")
blas = 2 * 1024 ** 3 / tone["matmul_1024"]["median_us"] / 1e3
print(f"\nFlop efficiency at 1 thread: useful GFLOP/s, and as a share of OpenBLAS's matmul_1024 rate in the same run ({blas:.1f} GFLOP/s)\n")
print("| workload | useful MFLOP | dualgrad GFLOP/s | share | torch GFLOP/s | share |")
print("|---|---|---|---|---|---|")
for w, f in FLOPS.items():
    _, t = peer(tone, w)
    g, gt = f / one[w]["median_us"] / 1e3, f / t / 1e3
    print(f"| {w} | {f / 1e6:.1f} | {g:.1f} | {g / blas:.0%} | {gt:.1f} | {gt / blas:.0%} |")
