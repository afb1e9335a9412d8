#!/usr/bin/env bash
# Runs dualgrad's harness and the peers in one go on this machine and prints one table (markdown).
#   bash src/bench/compare.sh            # needs PyTorch for the torch column:
#   apt-get install -y python3-torch libopenblas0-pthread
# BENCH_THREADS=1 (the default): one thread on both sides (dualgrad with -Ddualgrad.threads=1, PyTorch with
# torch.set_num_threads(1) and OpenBLAS/OpenMP at 1). BENCH_THREADS=default: both sides' defaults (dualgrad's
# threads, one per processor; PyTorch's own thread count, or BENCH_TORCH_THREADS).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-target/bench}
mkdir -p "$out"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
# --add-modules enables the Vector API matmul kernel; BENCH_JAVA_OPTS='-Ddualgrad.vector=false' measures the plain one.
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"
threads=${BENCH_THREADS:-1}
if [ "$threads" = 1 ]; then
  jthreads=-Ddualgrad.threads=1
  peer_env=(env OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1)
  torch_threads=1
elif [ "$threads" = default ]; then
  jthreads=
  peer_env=(env)
  # PyTorch's own default, unless BENCH_TORCH_THREADS says otherwise (PyTorch 1.13 picks 1 on some VMs whose cores it cannot count)
  torch_threads=${BENCH_TORCH_THREADS:-$(/usr/bin/python3 -c 'import torch; print(torch.get_num_threads())' 2>/dev/null || echo 1)}
else
  echo "BENCH_THREADS is 1 or default, not $threads" >&2; exit 2
fi
echo "threads: $threads (dualgrad ${jthreads:-default pool}, torch $torch_threads)" >&2
# Several forks (fresh JVMs), each: JIT warm-up, then 3 rounds interleaved across workloads; the table
# takes the median of the forks' medians.
forks=()
for f in $(seq 1 "${BENCH_FORKS:-2}"); do
  java --add-modules jdk.incubator.vector $jthreads ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.dualgrad.bench.Harness "${BENCH_SECONDS:-1.5}" 3 > "$out/dualgrad-$f.json"
  forks+=("$out/dualgrad-$f.json")
done
/usr/bin/python3 src/bench/table.py --merge "${forks[@]}" > "$out/dualgrad.json"
peers=()
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  "${peer_env[@]}" /usr/bin/python3 ../shared/peers/torch_peer.py "$torch_threads" > "$out/torch-workloads.json"
  "${peer_env[@]}" /usr/bin/python3 src/bench/torch_matmul.py "$torch_threads" > "$out/torch-matmul.json"
  # the new ops' workloads (gp_nll_grad_*, layernorm_mlp_grad): a flat JSON, wrapped in the harness's form
  "${peer_env[@]}" /usr/bin/python3 ../shared/peers/torch_ops_peer.py "$torch_threads" | /usr/bin/python3 -c \
    'import json, sys; d = json.load(sys.stdin); m = d.pop("meta"); print(json.dumps({"peer": "torch " + m["torch"] + " ops", "results": d}))' \
    > "$out/torch-ops.json"
  /usr/bin/python3 src/bench/table.py --merge "$out/torch-workloads.json" "$out/torch-matmul.json" "$out/torch-ops.json" > "$out/torch.json"
  peers+=("$out/torch.json")
else
  echo "PyTorch not installed: no torch column (apt-get install -y python3-torch libopenblas0-pthread)" >&2
fi
# Commons Math 3 / Hipparchus: built from a copy, since shared/ is read-only.
rm -rf "$out/cm3" && cp -r ../shared/peers/cm3 "$out/cm3"
( cd "$out/cm3" && mvn -q -B -ntp package dependency:build-classpath -Dmdep.outputFile=cp.txt >/dev/null && java -cp "target/classes:$(cat cp.txt)" Cm3Peer ) > "$out/cm3.json"
peers+=("$out/cm3.json")
/usr/bin/python3 src/bench/table.py "$out/dualgrad.json" "${peers[@]}"
# Peak live memory through 64 tanh layers (forward JVP vs reverse tape), with a stop-the-world collector.
echo
java -XX:+UseSerialGC --add-modules jdk.incubator.vector -cp "$cp" dev.dualgrad.bench.PeakMemory 2>/dev/null
