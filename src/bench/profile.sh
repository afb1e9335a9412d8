#!/usr/bin/env bash
# Profiles one harness workload with JDK Flight Recorder and prints where the time goes:
#   bash src/bench/profile.sh mlp_primal [seconds]
# Top frames by self time (Java samples, every 10 ms), native frames (e.g. StrictMath), and GC count.
# One thread (-Ddualgrad.threads=1); PROFILE_THREADS=" " profiles the default pool instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${BENCH_OUT:-target/bench}
mkdir -p "$out"
mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
jfr_file="$out/$1.jfr"
java --add-modules jdk.incubator.vector ${PROFILE_THREADS:--Ddualgrad.threads=1} -XX:StartFlightRecording=filename="$jfr_file",settings=profile \
  -cp "target/classes:target/test-classes:$(cat "$out/cp.txt")" dev.dualgrad.bench.Profile "$1" "${2:-8}" 2>/dev/null | grep -v '^\[' || true
top() { # the first frame of each sample of an event, counted
  jfr print --events "$1" "$jfr_file" | awk '/stackTrace = \[/{getline; print}' | sed 's/line:.*//; s/^ *//' | sort | uniq -c | sort -rn | head -"$2"
}
total=$(jfr print --events jdk.ExecutionSample "$jfr_file" | grep -c 'stackTrace = \[' || true)
echo "Java samples: $total; top frames by self time:"
top jdk.ExecutionSample 12
echo "native samples (every 20 ms):"
top jdk.NativeMethodSample 3
echo "garbage collections: $(jfr summary "$jfr_file" | awk '$1 == "jdk.GarbageCollection" {print $2}')"
