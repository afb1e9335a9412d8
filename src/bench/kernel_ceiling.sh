#!/usr/bin/env bash
# The matrix kernel beside its ceiling and OpenBLAS, in one run, at both vector widths of an AVX-512 machine:
#   bash src/bench/kernel_ceiling.sh
# dualgrad: matmul_256/512/1024 (the kernel in gemm) and the bare register tiles matmul_1024_tile_* (TileCeiling),
# one thread, with SPECIES_PREFERRED as the machine has it and again with -XX:UseAVX=2 (4 doubles). PyTorch's
# float64 matmul (OpenBLAS, 1 thread) with the core type OpenBLAS detects (OPENBLAS_CORETYPE unset: these machines'
# environment sets it to Haswell), then with OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernel) and Haswell (AVX2).
# Prints one markdown table of GFLOP/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-target/bench}
mkdir -p "$out"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="target/classes:target/test-classes:$(cat "$out/cp.txt")"
rows=matmul_256,matmul_512,matmul_1024,matmul_1024_tile_4x2W,matmul_1024_tile_6x2W,matmul_1024_tile_8x2W,matmul_1024_tile_4x3W,matmul_1024_tile_3x4W
java --add-modules jdk.incubator.vector -Ddualgrad.threads=1 -cp "$cp" dev.dualgrad.bench.Harness 1.5 3 "$rows" 2>/dev/null > "$out/ceiling-w.json"
java --add-modules jdk.incubator.vector -Ddualgrad.threads=1 -XX:UseAVX=2 -cp "$cp" dev.dualgrad.bench.Harness 1.5 3 "$rows" 2>/dev/null > "$out/ceiling-w4.json"
peers=()
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  env -u OPENBLAS_CORETYPE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_matmul.py 1 > "$out/ceiling-blas.json"
  OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_matmul.py 1 > "$out/ceiling-blas-skx.json"
  OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 src/bench/torch_matmul.py 1 > "$out/ceiling-blas-hsw.json"
  peers=("$out/ceiling-blas.json" "$out/ceiling-blas-skx.json" "$out/ceiling-blas-hsw.json")
fi
/usr/bin/python3 - "$out/ceiling-w.json" "$out/ceiling-w4.json" "${peers[@]}" <<'PY'
import json, re, sys
def load(p):
    d = json.load(open(p)); return d.get("results", d)
def gflops(name, us):
    n = int(re.match(r"matmul_(\d+)", name).group(1)); return 2 * n ** 3 / us / 1e3
cols = [("dualgrad, preferred width", sys.argv[1]), ("dualgrad, -XX:UseAVX=2", sys.argv[2])]
cols += list(zip(["OpenBLAS as detected", "OpenBLAS SkylakeX", "OpenBLAS Haswell"], sys.argv[3:]))
data = [(c, load(p)) for c, p in cols]
names = list(data[0][1])
print("| row (GFLOP/s) | " + " | ".join(c for c, _ in data) + " |")
print("|---|" + "---|" * len(data))
for n in names:
    cells = ["%.1f" % gflops(n, d[n]["median_us"]) if n in d else "" for _, d in data]
    print(f"| {n} | " + " | ".join(cells) + " |")
PY
