"""Merges harness outputs (JSON: workload -> median_us) into one markdown table with ratios."""
import json, statistics, sys

if sys.argv[1] == "--merge":
    # Several runs of one peer (forks, or a peer split over two scripts) into one: the median of the
    # runs' medians for each workload, the union of workloads, the first run's label.
    runs = [json.load(open(p)) for p in sys.argv[2:]]
    merged = {}
    for run in runs:
        for name, r in run["results"].items():
            merged.setdefault(name, []).append(r)
    results = {}
    for name, rs in merged.items():
        r = dict(rs[0])
        r["median_us"] = statistics.median(x["median_us"] for x in rs)
        if len(rs) > 1:
            r["runs"] = len(rs)
        results[name] = r
    label = runs[0]["peer"] + (f", median of {len(runs)} forks" if len({tuple(r["results"]) for r in runs}) == 1 and len(runs) > 1 else "")
    print(json.dumps({"peer": label, "results": results}, indent=1))
    sys.exit(0)

ours = json.load(open(sys.argv[1]))
peers = [json.load(open(p)) for p in sys.argv[2:]]
# Which peer workload a dualgrad workload is compared with: the same name, or the peer's better mode.
ALIASES = {
    "jacobian_wide": ["jacobian_wide_fwd", "jacobian_wide_rev"],
    "jacobian_tall": ["jacobian_tall_fwd", "jacobian_tall_rev"],
    "jacobian_wide_rev": ["jacobian_wide_rev"],
    "jacobian_tall_fwd": ["jacobian_tall_fwd"],
    "batch_jacobian": ["batch_jacobian_vmap_jacrev", "batch_jacobian_loop", "batch_jacobian_vmap_jacfwd", "batch_jacobian_hipparchus_gradient"],
    "jacobian_penalty_step": ["jacobian_penalty_step", "jacobian_penalty_step_double_backward"],
    "rosenbrock_grad": ["rosenbrock_grad", "rosenbrock_grad_hipparchus_gradient"],
    "batch_jacobian_checked": ["batch_jacobian_vmap_jacrev", "batch_jacobian_loop", "batch_jacobian_vmap_jacfwd"],
    "batch_jacobian_fwd": ["batch_jacobian_vmap_jacfwd"],
}
# the bare register tiles (TileCeiling) each time 2·1024³ flops: read beside OpenBLAS's matmul_1024
for _t in ("4x2W", "6x2W", "8x2W", "4x3W", "3x4W"):
    ALIASES["matmul_1024_tile_" + _t] = ["matmul_1024"]
head = "| workload | dualgrad µs | " + " | ".join(f"{p['peer']} µs | ratio" for p in peers) + " |"
print(head)
print("|" + "---|" * (2 + 2 * len(peers)))
for name, r in ours["results"].items():
    how = r["how"]
    if name.startswith("matmul_"):  # also in GFLOP/s, the unit of the kernel's target
        n = int(name.split("_")[1])
        how += f"; {2 * n ** 3 / r['median_us'] / 1e3:.1f} GFLOP/s"
        for p in peers:
            if name in p["results"]:
                how += f" vs {2 * n ** 3 / p['results'][name]['median_us'] / 1e3:.1f}"
    row = f"| {name} ({how}) | {r['median_us']:.1f} |"
    for p in peers:
        cands = [(k, p["results"][k]["median_us"]) for k in ALIASES.get(name, [name]) if k in p["results"] and p["results"][k]["median_us"]]
        if cands:
            k, best = min(cands, key=lambda c: c[1])
            row += f" {best:.1f} ({k}) | {r['median_us'] / best:.3f} |"
        else:
            row += " – | – |"
    print(row)
