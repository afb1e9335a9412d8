#!/usr/bin/env bash
# Issue 18: the Taylor-mode and forward-Laplacian workloads, dualgrad beside ../shared/peers/torch_taylor_peer.py,
# in one run on this machine, and one markdown table of ratios:
#   bash src/bench/taylor_compare.sh                  # TAYLOR_ROUNDS=3 rounds, each: a harness fork, then the peer
#   TAYLOR_ROUNDS=1 BENCH_SECONDS=0.6 bash src/bench/taylor_compare.sh   # a quick look
# Needs PyTorch (functorch) at /usr/bin/python3: apt-get install -y python3-torch libopenblas0-pthread
# Steps: (1) the peer's own weights and inputs exported, dualgrad checked against the peer's Hessian-trace
# Laplacians and nested-jvp derivatives on them (TaylorBench.main); (2) rounds alternating the harness (a fresh
# JVM: JIT warm-up, then 3 interleaved rounds over these workloads) and the peer; (3) the table: medians over the
# rounds of each side's median, and the median of the per-round ratios; (4) LaplacianPeakMemory (serial GC).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-target/bench}
rounds=${TAYLOR_ROUNDS:-3}
mkdir -p "$out"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"
peer=../shared/peers/torch_taylor_peer.py
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
jvm=(java --add-modules jdk.incubator.vector -Ddualgrad.threads=1 ${BENCH_JAVA_OPTS:-} -cp "$cp") # one thread, as the peer
workloads=""
for d in 16 64 256; do workloads+="laplacian_mlp_D$d,laplacian_mlp_D${d}_checked,laplacian_mlp_D${d}_old,"; done
for k in 2 4 8; do workloads+="taylor_dir_K$k,taylor_dir_K${k}_nested,"; done
workloads=${workloads%,}

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main || echo ' (with uncommitted changes in src/main)'); $(lscpu | sed -n 's/^Model name: *//p'), $(getconf _NPROCESSORS_ONLN) CPUs, $(grep -q avx512f /proc/cpuinfo && echo AVX-512 || echo 'AVX2, no AVX-512'); $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# (1) the peer's own numbers: weights (make_mlp), inputs (its seeds), references (hessian_trace, nested jvp)
/usr/bin/python3 - "$peer" "$out/taylor_peer_check.txt" <<'EOF'
import importlib.util, sys, torch
spec = importlib.util.spec_from_file_location("peer", sys.argv[1]); peer = importlib.util.module_from_spec(spec); spec.loader.exec_module(peer)
lines = []
def put_shaped(name, t):
    lines.append(name + " " + (",".join(map(str, t.shape)) or "-") + " " + " ".join("%.17g" % v for v in t.detach().reshape(-1).tolist()))
for D in (16, 64, 256):
    params = peer.make_mlp(D, seed=D)
    X = torch.randn(64, D, generator=torch.Generator().manual_seed(100 + D))
    for i, (W, b) in enumerate(params):
        put_shaped(f"lap{D}.W{i}", W); put_shaped(f"lap{D}.b{i}", b)
    put_shaped(f"lap{D}.X", X); put_shaped(f"lap{D}.ref", peer.lap_hessian_trace(params, X))
params = peer.make_mlp(64, seed=7)
g = torch.Generator().manual_seed(8)
x = torch.randn(64, generator=g); v = torch.randn(64, generator=g)
for i, (W, b) in enumerate(params):
    put_shaped(f"jet.W{i}", W); put_shaped(f"jet.b{i}", b)
put_shaped("jet.x", x); put_shaped("jet.v", v)
for K in (2, 4, 8):
    put_shaped(f"jet.K{K}", peer.nested_jvp(params, x, v, K))
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
EOF
echo "Agreement on the peer's own weights and inputs:"
"${jvm[@]}" dev.dualgrad.bench.TaylorBench "$out/taylor_peer_check.txt" 2>/dev/null | sed 's/^/- /'
echo

# (2) alternating rounds
files=()
for r in $(seq 1 "$rounds"); do
  "${jvm[@]}" dev.dualgrad.bench.Harness "${BENCH_SECONDS:-1.5}" 3 "$workloads" 2>/dev/null > "$out/taylor-dualgrad-$r.json"
  /usr/bin/python3 "$peer" 2>/dev/null > "$out/taylor-torch-$r.json"
  files+=("$out/taylor-dualgrad-$r.json" "$out/taylor-torch-$r.json")
done

echo "rounds done $(date -u '+%H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# (3) the table
/usr/bin/python3 - "${files[@]}" <<'EOF'
import json, statistics, sys
paths = sys.argv[1:]
ours = [json.load(open(p))["results"] for p in paths[0::2]]
torch = [json.load(open(p)) for p in paths[1::2]]
R = len(ours)
med = statistics.median
def us(runs, k): return [r[k]["median_us"] for r in runs]
def f(x): return f"{x:,.1f}"
def ratios(a, b): return [x / y for x, y in zip(a, b)]
def rr(rs): return f"{med(rs):.3f}" + (" (" + ", ".join(f"{x:.2f}" for x in rs) + ")" if R > 1 else "")
print(f"{R} round(s); µs are medians over the rounds of each side's median; ratio = dualgrad / torch, the median of the"
      " per-round ratios (each round's in brackets). torch: " + torch[0]["_meta"]["how"] + ".")
print()
print("| workload | dualgrad µs | torch best AD route µs | ratio | torch manual floor µs | ratio to floor | goal |")
print("|---|---|---|---|---|---|---|")
for d in (16, 64, 256):
    best = us(torch, f"laplacian_mlp_D{d}")
    floor = us(torch, f"laplacian_mlp_D{d}_manual_fwdlap")
    routes = sorted({t[f"laplacian_mlp_D{d}"]["how"].split(":")[1].split("(")[0].strip() for t in torch})
    for suffix, what in (("", "batchLaplacian"), ("_checked", "batchLaplacian, independence check"), ("_old", "today: jvpBatched over grad")):
        a = us(ours, f"laplacian_mlp_D{d}{suffix}")
        goal = "≤ 0.4" if suffix == "" else ""
        print(f"| laplacian_mlp_D{d}{suffix} ({what}) | {f(med(a))} | {f(med(best))} ({'/'.join(routes)}) | {rr(ratios(a, best))} "
              f"| {f(med(floor))} | {rr(ratios(a, floor))} | {goal} |")
print()
print("| workload | dualgrad µs | torch nested jvp µs | ratio | torch manual jet µs | ratio to jet | goal |")
print("|---|---|---|---|---|---|---|")
for k in (2, 4, 8):
    nest = us(torch, f"taylor_dir_K{k}")
    jet = us(torch, f"taylor_dir_K{k}_manual_jet")
    for suffix, what in (("", "directionalDerivative, order K"), ("_nested", f"{k} nested Diff.jvp")):
        a = us(ours, f"taylor_dir_K{k}{suffix}")
        goal = "≤ 1 (to jet)" if k == 8 and suffix == "" else ""
        print(f"| taylor_dir_K{k}{suffix} ({what}) | {f(med(a))} | {f(med(nest))} | {rr(ratios(a, nest))} | {f(med(jet))} | {rr(ratios(a, jet))} | {goal} |")
k8, k2 = us(ours, "taylor_dir_K8"), us(ours, "taylor_dir_K2")
print()
print(f"time(K = 8) / time(K = 2), dualgrad directionalDerivative: {rr(ratios(k8, k2))} (goal ≤ 6); torch manual jet: "
      f"{rr(ratios(us(torch, 'taylor_dir_K8_manual_jet'), us(torch, 'taylor_dir_K2_manual_jet')))}")
print()
print("Torch's own checks: " + "; ".join(f"{k}: {v['check']}" for k, v in torch[0].items() if "check" in v and not k.endswith("_manual_fwdlap")))
EOF

# (4) peak live memory by depth, stop-the-world collector
echo
java -XX:+UseSerialGC --add-modules jdk.incubator.vector -Ddualgrad.threads=1 ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.dualgrad.bench.LaplacianPeakMemory 2>/dev/null
