#!/usr/bin/env bash
# Cold start: from process launch to the first gradient, dualgrad (a fresh JVM) against PyTorch (a fresh Python), run
# for run with farm-bench (../.library: times whole processes, pairs A and B):
#   bash src/bench/cold_start.sh          # needs PyTorch: apt-get install -y python3-torch libopenblas0-pthread
# Threads: each side's default (PyTorch uses every core; set BENCH_THREADS=1 for one thread on both).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-target/bench}
mkdir -p "$out"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" >/dev/null
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"
jopts=""; popts=""
if [ "${BENCH_THREADS:-}" = 1 ]; then jopts="-Ddualgrad.threads=1"; export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1; fi
for w in ce_tiny mlp; do
  echo "== $w: A = dualgrad (java ${jopts:-default threads}), B = torch"
  farm-bench -n "${BENCH_RUNS:-10}" --timeout 600 --vs "/usr/bin/python3 src/bench/torch_cold.py $w" -- \
    java --add-modules jdk.incubator.vector $jopts -cp "$cp" dev.dualgrad.bench.ColdStart "$w"
done
