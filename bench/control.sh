#!/usr/bin/env bash
# Benchmark of the control socket (release build):
#   - status and show round trips, p50/p99, idle and under a 2,000 files/s ingest;
#   - status requests per second from 8 concurrent clients;
#   - `newsctl ls --json` of the shared corpus, end to end (the daemon scans it in place, with
#     its state in a temporary directory).
# Targets: round trip p99 <= 5 ms under load; ls --json of the corpus <= 1 s.
#
#   bench/control.sh [CORPUS]        (default ../shared/corpus; that part is skipped without it)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"

swift build -c release --product newsd >/dev/null
swift build -c release --product newsctl >/dev/null
bin="$(swift build -c release --show-bin-path)"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most 300 s) until the daemon on socket $1 answers, then until its start-up scan
# is committed (`sync` is answered after it).
wait_watching() {
    for _ in $(seq 3000); do
        if "$bin/newsctl" status --socket "$1" >/dev/null 2>&1; then
            "$bin/newsctl" sync --socket "$1" >/dev/null
            return 0
        fi
        sleep 0.1
    done
    echo "newsd did not become ready"; exit 1
}

echo "== round trips (tree: seeds + 2,000 files)"
mkdir -p "$work/tree/base"
cp seeds/* "$work/tree/"
for i in $(seq 2000); do echo "base article $i" > "$work/tree/base/$i.txt"; done
"$bin/newsd" run --root "$work/tree" --state "$work/state" --log-level warning 2>"$work/newsd.log" &
pids+=($!)
socket="$work/state/newsd.sock"
wait_watching "$socket"
show="$(ls seeds | head -1)"
echo "idle:"
python3 bench/control_client.py latency "$socket" 5000 "$show"
echo "under a 2,000 files/s ingest:"
python3 bench/control_client.py ingest "$work/tree" 2000 12 &
ingest=$!
sleep 1
python3 bench/control_client.py latency "$socket" 5000 "$show"
wait "$ingest"
"$bin/newsctl" sync --socket "$socket" >/dev/null
echo "  catalogued after the ingest: $("$bin/newsctl" status --json --socket "$socket" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"])') files"
echo "throughput:"
python3 bench/control_client.py throughput "$socket" 8 5

if [ -d "$corpus" ]; then
    corpus="$(cd "$corpus" && pwd)"
    echo "== newsctl ls --json of $corpus"
    "$bin/newsd" run --root "$corpus" --state "$work/corpus-state" --socket "$work/corpus.sock" \
        --log-level warning 2>"$work/corpus.log" &
    pids+=($!)
    wait_watching "$work/corpus.sock"
    best=""
    for run in 1 2 3 4 5; do
        t0=$(date +%s%N)
        lines=$("$bin/newsctl" ls --json --socket "$work/corpus.sock" | wc -l)
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        echo "  run $run: $lines lines in $ms ms"
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "  best: $best ms (target <= 1000 ms)"
    t0=$(date +%s%N); "$bin/newsctl" ls --socket "$work/corpus.sock" >/dev/null; t1=$(date +%s%N)
    echo "  human table: $(( (t1 - t0) / 1000000 )) ms"
else
    echo "== corpus not found at $corpus: skipping ls --json"
fi
