"""Merges harness outputs (JSON: workload -> median_us) into one markdown table with ratios."""
import json, sys

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
head = "| workload | dualgrad µs | " + " | ".join(f"{p['peer']} µs | ratio" for p in peers) + " |"
print(head)
print("|" + "---|" * (2 + 2 * len(peers)))
for name, r in ours["results"].items():
    row = f"| {name} ({r['how']}) | {r['median_us']:.1f} |"
    for p in peers:
        cands = [(k, p["results"][k]["median_us"]) for k in ALIASES.get(name, [name]) if k in p["results"] and p["results"][k]["median_us"]]
        if cands:
            k, best = min(cands, key=lambda c: c[1])
            row += f" {best:.1f} ({k}) | {r['median_us'] / best:.3f} |"
        else:
            row += " – | – |"
    print(row)
