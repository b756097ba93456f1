#!/usr/bin/env bash
# Times `sis-sync validate` on exports where every row shares one value
# (a placeholder email such as noemail@district.org, or one custom_id),
# against the same number of distinct rows, and prints PASS/FAIL for the
# targets of issue "Trust holes" item 2: time and memory stay linear.
#
# Usage: Benchmarks/shared-values.sh [--runs N] [--rows N] [--work DIR] [--no-build]
#
#   --runs N     timed runs of each export (default 3; medians reported)
#   --rows N     data rows in each export (default 100000)
#   --work DIR   where the exports and logs go
#                (default $SIS_SYNC_BENCH_SHARED_DIR or /tmp/sis-sync-bench-shared)
#   --no-build   use the existing release binary in .build-release
#
# Environment: BENCH_PYTHON_TIMER=1 (time with the Python fallback instead of
# GNU time). See Benchmarks/README.md for the targets.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)

runs=3
rows=100000
work=${SIS_SYNC_BENCH_SHARED_DIR:-/tmp/sis-sync-bench-shared}
build=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "shared-values: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "shared-values: --runs must be 1 or more" >&2; exit 64; }

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
mkdir -p "$work/logs" "$work/times"

# --- 1. build ------------------------------------------------------------------
source "$bench_dir/timing.sh"
release_sis_sync "$repo" "$work" "$build" sis-sync

# --- 2. data -------------------------------------------------------------------
# distinct.csv: gen_export.py with no defects (every email and custom_id
# unique). shared-email.csv and shared-id.csv: the same rows, byte for byte,
# but with one email (or one custom_id) in every row.
distinct=$work/distinct.csv
stamp=$work/data.params
params="rows=$rows gen=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)"
if [ -f "$distinct" ] && [ -f "$work/shared-email.csv" ] && [ -f "$work/shared-id.csv" ] \
   && [ "$(cat "$stamp" 2>/dev/null)" = "$params" ]; then
  say "reusing the exports in $work ($params)"
else
  say "generating the exports in $work ($params)"
  rm -f "$stamp"
  python3 "$bench_dir/gen_export.py" --rows "$rows" --invalid-share 0 --seed 42 --out "$distinct" 2>"$work/logs/gen.log"
  python3 - "$distinct" "$work" <<'PYTHON'
import csv, sys
source, work = sys.argv[1], sys.argv[2]
with open(source, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header = rows[0]
for name, column, value in [("shared-email", "email", "noemail@district.org"),
                            ("shared-id", "custom_id", "00000001")]:
    index = header.index(column)
    with open(f"{work}/{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows[1:]:
            row = list(row)
            row[index] = value
            w.writerow(row)
PYTHON
  echo "$params" >"$stamp"
fi

# --- 3. the timer ----------------------------------------------------------------
setup_timer "$work"

# --- 4. runs, alternating ------------------------------------------------------
rm -f "$work"/times/*
cat "$distinct" "$work/shared-email.csv" "$work/shared-id.csv" >/dev/null   # page cache warm
for ((run = 1; run <= runs; run++)); do
  for name in distinct shared-email shared-id; do
    say "run $run/$runs: sis-sync validate $name.csv --format json"
    # Exit code 1 means "rows with errors were found": expected for the shared ones.
    measure "$name" "$work/logs/$name.json" "0 1" "$sis_sync" validate "$work/$name.csv" --format json
  done
done

# --- 5. table ------------------------------------------------------------------
commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
echo
echo "sis-sync validate on $rows rows: distinct values vs one shared email vs one shared custom_id"
echo "sis-sync $commit$dirty; $runs runs each, alternating; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work" "$rows" <<'EOF'
import json, statistics, sys
work, rows = sys.argv[1], int(sys.argv[2])
exports = [("distinct values", "distinct"), ("one shared email", "shared-email"),
           ("one shared custom_id", "shared-id")]
stats = {}
for label, name in exports:
    runs = [line.split() for line in open(f"{work}/times/{name}") if line.strip()]
    walls = [float(w) for w, _ in runs]
    stats[name] = (statistics.median(walls), max(int(k) for _, k in runs) * 1024 / 1e6, walls)
    report = json.load(open(f"{work}/logs/{name}.json"))
    dup = [f for f in report["findings"] if f["code"] in ("E030", "E031")]
    longest = max((len(f.get("related_lines", [])) for f in report["findings"]), default=0)
    stats[name] += (report["summary"]["errors"], len(dup), longest,
                    max((f.get("related_count", 0) for f in dup), default=0))
print()
print(f"| {'export':<22} | {'median wall s':>13} | {'peak RSS MB':>11} | {'errors':>7} | {'longest related_lines':>21} | {'related_count':>13} |")
print(f"|{'-' * 24}|{'-' * 14}:|{'-' * 12}:|{'-' * 8}:|{'-' * 22}:|{'-' * 14}:|")
for label, name in exports:
    wall, rss, _, errors, _, longest, count = stats[name]
    print(f"| {label:<22} | {wall:>13.2f} | {rss:>11.0f} | {errors:>7} | {longest:>21} | {count:>13} |")
print()
for label, name in exports:
    print(f"  {label}: runs " + ", ".join(f"{w:.2f}" for w in stats[name][2]) + " s")
distinct_rss = stats["distinct"][1]
print()
print("targets:")
ok = True
for label, name in [("shared email", "shared-email"), ("shared custom_id", "shared-id")]:
    wall, rss = stats[name][0], stats[name][1]
    ratio = rss / distinct_rss
    exact = stats[name][3] == rows and stats[name][6] == rows - 1
    for passed, text in [(wall < 2, f"{label}: validate < 2 s ({wall:.2f} s)"),
                         (ratio < 3, f"{label}: peak RSS < 3x distinct rows ({rss:.0f} MB = {ratio:.2f}x)"),
                         (exact, f"{label}: {rows} errors, related_count {rows - 1}")]:
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")
sys.exit(0 if ok else 1)
EOF
