#!/usr/bin/env bash
# The review screen at scale, release build, in one run: for a 10,000-row
# and a 1,000,000-row export (1% invalid) against directories of about the
# same size, the time to the first interactive frame, peak memory, and the
# time from a key to a finished frame (reduce + render + changed rows) for
# a fixed script of navigation keys and for exclude/undo decisions.
#
# Then, on the 1,000,000-row export, the first interactive frame (a preview
# of the first rows while the rest is planned) against `sis-sync validate`
# of the same file, alternating runs, medians: with the snapshot cache at
# hand, and cold (no cache: the first rows' errors show while the directory
# is read from SQLite, then their plan).
#
# Usage: Benchmarks/review-keys.sh [--rounds N] [--work DIR] [--frame-runs N] [--frame-data DIR] [--no-build]
#   --rounds N       rounds of the key script (default 20; 47 keys a round)
#   --work DIR       data and logs (default $SIS_SYNC_BENCH_REVIEW_DIR or /tmp/sis-sync-bench-review)
#   --frame-runs N   alternating runs of validate and the first frame (default 5)
#   --frame-data DIR a folder with export.csv and directory.sqlite for the first frame
#                    (default the 1,000,000-row set here; a copy of the database is used)
#   --no-build       use the existing release binaries in .build-release
# Targets (issue 4): navigation median < 5 ms at 1,000,000 rows, and not
# growing with the row count (1,000,000 vs 10,000 within 2x). Issue 17:
# x/u < 1 ms at 1,000,000 rows, not growing with rows; the first frame
# within 50% of validate's time.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
rounds=20
work=${SIS_SYNC_BENCH_REVIEW_DIR:-/tmp/sis-sync-bench-review}
build=1
frame_runs=5
frame_data=
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --frame-runs) frame_runs=$2; shift 2 ;;
    --frame-data) frame_data=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "review-keys: unknown option $1" >&2; exit 64 ;;
  esac
done
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
mkdir -p "$work/logs" "$work/times"
source "$bench_dir/timing.sh"
setup_timer "$work"

if [ "$build" = 1 ]; then
  say "building sis-sync and review-bench (release, static Swift runtime, .build-release)"
  (cd "$repo" && swift build "${release_build_flags[@]}" --product sis-sync >"$work/logs/build.log" 2>&1 \
    && swift build "${release_build_flags[@]}" --product review-bench >>"$work/logs/build.log" 2>&1) \
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
# The first frame against validate, in turn, on the same file.
frame_data=${frame_data:-$work/rows-1000000}
frame_db=$work/frame-db/directory.sqlite
mkdir -p "$work/frame-db"
if [ ! -f "$frame_db" ] || [ "$frame_data/directory.sqlite" -nt "$frame_db" ]; then
  rm -f "$frame_db"*
  cp "$frame_data/directory.sqlite" "$frame_db"
fi
# The snapshot cache beside the copy, as a second review finds it.
"$bin/review-bench" "$frame_data/export.csv" "$frame_db" --rounds 0 --decisions 0 >/dev/null
: >"$work/times/validate-frame" ; : >"$work/times/first-frame" ; : >"$work/times/whole-plan"
: >"$work/times/first-frame-cold" ; : >"$work/times/first-rows-planned-cold"
for run in $(seq "$frame_runs"); do
  say "first frame vs validate, run $run of $frame_runs"
  "${timer[@]}" -f '%e' -o "$work/times/validate-one" -- \
    "$bin/sis-sync" validate "$frame_data/export.csv" >/dev/null 2>&1 || true
  tail -n 1 "$work/times/validate-one" >>"$work/times/validate-frame"
  "$bin/review-bench" "$frame_data/export.csv" "$frame_db" --rounds 0 --decisions 0 >"$work/logs/frame-$run.out"
  sed -n 's/^first interactive frame: \([0-9.]*\) s.*/\1/p' "$work/logs/frame-$run.out" >>"$work/times/first-frame"
  sed -n 's/^whole plan on screen: \([0-9.]*\) s.*/\1/p' "$work/logs/frame-$run.out" >>"$work/times/whole-plan"
  rm -f "$frame_db.snapshot"
  "$bin/review-bench" "$frame_data/export.csv" "$frame_db" --rounds 0 --decisions 0 >"$work/logs/frame-cold-$run.out"
  sed -n 's/^first interactive frame: \([0-9.]*\) s.*/\1/p' "$work/logs/frame-cold-$run.out" \
    >>"$work/times/first-frame-cold"
  sed -n 's/^first rows planned on screen: \([0-9.]*\) s.*/\1/p' "$work/logs/frame-cold-$run.out" \
    >>"$work/times/first-rows-planned-cold"
  # The next warm run finds the cache again (the cold run may end before writing it).
  [ -f "$frame_db.snapshot" ] || "$bin/review-bench" "$frame_data/export.csv" "$frame_db" --rounds 0 --decisions 0 \
    >/dev/null
done
echo
echo "first interactive frame vs validate ($frame_data/export.csv, $frame_runs runs in turn):"
sed -n 's/^first interactive frame: [0-9.]* s/  last run:/p' "$work/logs/frame-$frame_runs.out"
sed -n 's/^first interactive frame: [0-9.]* s/  last cold run:/p' "$work/logs/frame-cold-$frame_runs.out"

small=$(median 10000)
large=$(median 1000000)
decisions_p95() { sed -n 's/.*exclude\/undo keys ([0-9]*): median [0-9.]* ms, p95 \([0-9.]*\) ms.*/\1/p' "$work/logs/review-$1.out"; }
echo
python3 - "$small" "$large" "$work/times" "$(decisions_p95 10000)" "$(decisions_p95 1000000)" <<'PYTHON'
import statistics, sys
small, large, times = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
xu_small, xu_large = float(sys.argv[4]), float(sys.argv[5])
def med(name):
    with open(f"{times}/{name}") as f:
        return statistics.median(float(line) for line in f if line.strip())
validate, frame, whole = med("validate-frame"), med("first-frame"), med("whole-plan")
cold, cold_planned = med("first-frame-cold"), med("first-rows-planned-cold")
print(f"  validate {validate:.3f} s, first interactive frame {frame:.3f} s, whole plan on screen {whole:.3f} s (medians)")
print(f"  no snapshot cache: first interactive frame {cold:.3f} s (the first rows' errors), "
      f"their plan on screen {cold_planned:.3f} s (medians)")
print("targets:")
print(f"  {'PASS' if large < 5 else 'FAIL'}  navigation median < 5 ms at 1,000,000 rows ({large:.3f} ms)")
ratio = large / small if small > 0 else float('inf')
print(f"  {'PASS' if ratio <= 2 else 'FAIL'}  does not grow with rows: 1,000,000 / 10,000 = {ratio:.2f}x (<= 2x)")
share = frame / validate if validate > 0 else float('inf')
print(f"  {'PASS' if xu_large < 1 else 'FAIL'}  x/u p95 < 1 ms at 1,000,000 rows ({xu_large:.3f} ms; {xu_small:.3f} ms at 10,000)")
print(f"  {'PASS' if share <= 0.5 else 'FAIL'}  first interactive frame within 50% of validate: {share:.2f}x")
cold_share = cold / validate if validate > 0 else float('inf')
print(f"  {'PASS' if cold_share <= 0.5 else 'FAIL'}  the same without the snapshot cache: {cold_share:.2f}x")
PYTHON
