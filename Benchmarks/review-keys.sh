#!/usr/bin/env bash
# The review screen at scale, release build, in one run: for a 10,000-row
# and a 1,000,000-row export (1% invalid) against directories of about the
# same size, the time to the first interactive frame, peak memory, and the
# time from a key to a finished frame (reduce + render + changed rows) for
# a fixed script of navigation keys and for exclude/undo decisions.
#
# Usage: Benchmarks/review-keys.sh [--rounds N] [--work DIR] [--no-build]
#   --rounds N   rounds of the key script (default 20; 47 keys a round)
#   --work DIR   data and logs (default $SIS_SYNC_BENCH_REVIEW_DIR or /tmp/sis-sync-bench-review)
#   --no-build   use the existing release binaries in .build-release
# Targets (issue 4): navigation median < 5 ms at 1,000,000 rows, and not
# growing with the row count (1,000,000 vs 10,000 within 2x).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
rounds=20
work=${SIS_SYNC_BENCH_REVIEW_DIR:-/tmp/sis-sync-bench-review}
build=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "review-keys: unknown option $1" >&2; exit 64 ;;
  esac
done
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
mkdir -p "$work/logs" "$work/times"
source "$bench_dir/timing.sh"
setup_timer "$work"

if [ "$build" = 1 ]; then
  say "building sis-sync and review-bench (release, .build-release)"
  (cd "$repo" && swift build -c release --scratch-path .build-release --product sis-sync >"$work/logs/build.log" 2>&1 \
    && swift build -c release --scratch-path .build-release --product review-bench >>"$work/logs/build.log" 2>&1) \
    || { tail -n 30 "$work/logs/build.log" >&2; exit 1; }
fi
bin=$repo/.build-release/release
gen_sum=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)

# data SIZE: export, organizations and an imported directory for SIZE rows.
data() {
  local size=$1 d=$work/rows-$1
  local params="rows=$size invalid=0.01 seed=42 gen=$gen_sum"
  mkdir -p "$d"
  if [ "$(cat "$d/params" 2>/dev/null)" = "$params" ] && [ -f "$d/directory.sqlite" ]; then
    say "reusing $d"
    return
  fi
  say "generating and importing $size rows into $d"
  python3 "$bench_dir/gen_export.py" --rows "$size" --invalid-share 0.01 --seed 42 --out "$d/export.csv" \
    --schools "$d/schools.csv" --directory "$d/directory.csv" --directory-share 0.95 --directory-extra 0.06 \
    2>"$work/logs/gen-$size.log"
  organizations_from "$d/schools.csv" "$d/organizations.csv"
  rm -f "$d/directory.sqlite"*
  "$bin/sis-sync" directory import --directory "$d/directory.sqlite" --organizations "$d/organizations.csv" \
    --accounts "$d/directory.csv" >"$work/logs/import-$size.log" 2>&1
  echo "$params" >"$d/params"
}

data 10000
data 1000000

for size in 10000 1000000; do
  d=$work/rows-$size
  # Cold: no snapshot cache, as right after the directory changed.
  rm -f "$d/directory.sqlite.snapshot"
  say "review-bench on $size rows, cold snapshot cache"
  "${timer[@]}" -f '%e %M' -o "$work/times/review-cold-$size" -- \
    "$bin/review-bench" "$d/export.csv" "$d/directory.sqlite" --rounds 1 >"$work/logs/review-cold-$size.out"
  say "review-bench on $size rows ($rounds rounds)"
  "${timer[@]}" -f '%e %M' -o "$work/times/review-$size" -- \
    "$bin/review-bench" "$d/export.csv" "$d/directory.sqlite" --rounds "$rounds" >"$work/logs/review-$size.out"
done

median() { sed -n 's/.*navigation keys ([0-9]*): median \([0-9.]*\) ms.*/\1/p' "$work/logs/review-$1.out"; }
echo
echo "review screen at scale; sis-sync $(cd "$repo" && git rev-parse --short HEAD); $(nproc) cores"
for size in 10000 1000000; do
  echo
  echo "$size rows (export $(( $(stat -c %s "$work/rows-$size/export.csv") / 1000000 )) MB):"
  echo "  cold snapshot cache: $(grep 'first interactive' "$work/logs/review-cold-$size.out"), peak RSS $(( $(cut -d' ' -f2 "$work/times/review-cold-$size") / 1024 )) MB"
  echo "  warm (directory unchanged since the last read):"
  sed 's/^/  /' "$work/logs/review-$size.out"
  echo "  peak RSS $(( $(cut -d' ' -f2 "$work/times/review-$size") / 1024 )) MB; wall $(cut -d' ' -f1 "$work/times/review-$size") s"
done
small=$(median 10000)
large=$(median 1000000)
echo
python3 - "$small" "$large" <<'PYTHON'
import sys
small, large = float(sys.argv[1]), float(sys.argv[2])
print("targets:")
print(f"  {'PASS' if large < 5 else 'FAIL'}  navigation median < 5 ms at 1,000,000 rows ({large:.3f} ms)")
ratio = large / small if small > 0 else float('inf')
print(f"  {'PASS' if ratio <= 2 else 'FAIL'}  does not grow with rows: 1,000,000 / 10,000 = {ratio:.2f}x (<= 2x)")
PYTHON
