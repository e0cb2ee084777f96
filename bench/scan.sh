#!/usr/bin/env bash
# Benchmark: `newsd scan` cold and warm on the shared corpus, next to the floors measured in
# the same run: `find -printf` (stat walk), `sha256sum` over every file (hashing) and
# `jdupes -r` (exact duplicate finding). Prints each time and its ratio to the reference.
#
#   bench/scan.sh [CORPUS]        (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
[ -d "$corpus" ] || { echo "corpus not found at $corpus (pass its path)"; exit 2; }
corpus="$(cd "$corpus" && pwd)"
command -v jdupes >/dev/null 2>&1 || { apt-get -o APT::Sandbox::User=root update -qq && apt-get -o APT::Sandbox::User=root install -y -qq jdupes; }

swift build -c release --product newsd >/dev/null
newsd="$(swift build -c release --show-bin-path)/newsd"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Best of N runs, in seconds. The page cache is warm for every contender alike.
best() {
    local n=$1; shift
    local best=""
    for _ in $(seq "$n"); do
        local t0 t1
        t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
        best=$(python3 -c "a=$t1-$t0; b='$best'; print(a if b=='' else min(a, float(b)))")
    done
    echo "$best"
}

files=$(find "$corpus" -type f | wc -l)
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
cat "$corpus"/*/* >/dev/null  # warm the page cache

t_find=$(best 5 find "$corpus" -printf '%s %T@ %C@ %i %p\n')
t_sha=$(best 3 sh -c "find '$corpus' -type f -print0 | xargs -0 sha256sum")
t_jdupes=$(best 3 jdupes -r -q "$corpus")
cold() { rm -rf "$work/state"; "$newsd" scan --root "$corpus" --state "$work/state" --json "$@"; }
# The scanner alone: bytes, exact duplicates and the change log. Text analysis (measured
# against its own peers by bench/ingest.py) is left to the backfill; the full cold scan is
# printed too.
t_bytes=$(best 3 cold --defer-analysis)
t_cold=$(best 3 cold)
"$newsd" scan --root "$corpus" --state "$work/state" --json >/dev/null
warm_json=$("$newsd" scan --root "$corpus" --state "$work/state" --json)
t_warm=$(best 5 "$newsd" scan --root "$corpus" --state "$work/state" --json)

python3 - "$files" "$bytes" "$t_find" "$t_sha" "$t_jdupes" "$t_cold" "$t_warm" "$warm_json" "$t_bytes" <<'PY'
import json, sys
files, size = int(sys.argv[1]), int(sys.argv[2])
t_find, t_sha, t_jdupes, t_cold, t_warm = map(float, sys.argv[3:8])
warm = json.loads(sys.argv[8])
t_bytes = float(sys.argv[9])
print(f"corpus: {files} files, {size/1e6:.1f} MB; best of several runs, warm page cache")
print(f"{'':28}{'seconds':>9}  ratio")
print(f"{'find -printf (stat walk)':28}{t_find:9.3f}")
print(f"{'sha256sum (every file)':28}{t_sha:9.3f}")
print(f"{'jdupes -r':28}{t_jdupes:9.3f}  {t_jdupes/t_sha:5.2f}x sha256sum")
print(f"{'newsd scan, cold, bytes':28}{t_bytes:9.3f}  {t_bytes/t_sha:5.2f}x sha256sum   (target <= 2x; --defer-analysis)")
print(f"{'newsd scan, cold, analysed':28}{t_cold:9.3f}  {t_cold/t_sha:5.2f}x sha256sum   (text analysis, MinHash, FTS5 too)")
print(f"{'newsd scan, warm':28}{t_warm:9.3f}  {t_warm/t_find:5.2f}x find       (target <= 3x; read={warm['read']})")
PY
