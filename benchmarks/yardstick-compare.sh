#!/usr/bin/env bash
# Is the side-by-side run's load client the bottleneck? This drives one native echo server (a
# "floor": no Java server can do much better) with the project's load client and with a native
# epoll load client, interleaved, in one sitting, and prints both figures and their ratio.
#
#   benchmarks/yardstick-compare.sh DIR [RUNS]
#
# DIR holds two programs that are NOT part of this project (nothing here builds or needs them):
# `floor-server` (a minimal C epoll echo server of this protocol) and `loadgen` (a C epoll load
# client that prints rule 18's RESULT line). Without DIR the script says so and exits 0.
# Placement: the floor server on CPU 0, each client on CPU 1 (taskset). The workload is the
# side-by-side run's "pipelined": 100 connections, 16 frames in flight, 64-byte payloads. RUNS
# (default 3) pairs run; the order is reversed every other pair. Needs the jars (./run or
# ./mvnw -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-}
runs=${2:-3}
if [ -z "$dir" ] || [ ! -x "$dir/loadgen" ] || [ ! -x "$dir/floor-server" ]; then
  echo "yardstick-compare: skipped: give the folder that holds loadgen and floor-server (got '${dir}')"
  exit 0
fi
. .ci/find-jdk
find_jdk
jar=nio-selector/target/nio-selector.jar      # the side-by-side run's load client
[ -f "$jar" ] || { echo "yardstick-compare: $jar is not built: run ./mvnw -DskipTests package" >&2; exit 1; }
case "$runs" in ''|*[!0-9]*) echo "yardstick-compare: RUNS must be a number from 1 to 9" >&2; exit 2;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 9 ] || { echo "yardstick-compare: RUNS must be from 1 to 9" >&2; exit 2; }

out=$(mktemp -d)
taskset -c 0 "$dir/floor-server" --port 0 --threads 1 >"$out/floor" 2>&1 &
floor=$!
trap 'kill $floor 2>/dev/null || true; rm -rf "$out"' EXIT
for _ in $(seq 50); do grep -q '^listening on' "$out/floor" && break; sleep 0.1; done   # bounded: 5 s
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out/floor")
[ -n "$port" ] || { echo "yardstick-compare: floor-server did not start: $(cat "$out/floor")" >&2; exit 1; }

shape=(--host 127.0.0.1 --port "$port" --connections 100 --size 64 --pipeline 16)
native() { taskset -c 1 timeout 120 "$dir/loadgen" "${shape[@]}" --messages 30000 2>/dev/null | grep '^RESULT'; }
java_client() {
  taskset -c 1 timeout 120 "$JAVA_HOME/bin/java" -Xms1g -Xmx1g -jar "$jar" client "${shape[@]}" \
    --messages 30000 --warm-up 10000 --timeout 100 | grep '^RESULT'
}
rate() { sed -n 's/.* msgs_per_sec=\([0-9.]*\).*/\1/p'; }

echo "floor-server --threads 1 on CPU 0 (port $port); clients on CPU 1; 100 x 16 in flight, 64 B"
for i in $(seq "$runs"); do
  if [ $((i % 2)) -eq 1 ]; then n=$(native | rate); j=$(java_client | rate)
  else j=$(java_client | rate); n=$(native | rate); fi
  echo "$n $j" >>"$out/pairs"
  printf 'run %d: loadgen %10.0f msgs/s   nio-selector client %10.0f msgs/s   ratio %.2f\n' "$i" "$n" "$j" \
    "$(awk "BEGIN {print $j / $n}")"
done
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
mn=$(cut -d' ' -f1 "$out/pairs" | median)
mj=$(cut -d' ' -f2 "$out/pairs" | median)
printf 'median: loadgen %.0f, nio-selector client %.0f: the client reaches %.2f of the native client\n' \
  "$mn" "$mj" "$(awk "BEGIN {print $mj / $mn}")"
