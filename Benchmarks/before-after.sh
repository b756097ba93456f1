#!/usr/bin/env bash
# Times two builds of sis-sync on the same data, alternating, and prints the
# medians and the ratio after/before: `validate` and `plan --disable-missing`
# of the planning export, and `apply` of the saved creates plan. For a
# refactor's "no slower": the before binary is built from another commit.
#
# Usage: Benchmarks/before-after.sh --before BINARY [--after BINARY] [--runs N]
#          [--work DIR]
#
#   --before BINARY   the sis-sync to compare against (build it from the old
#                     commit: git worktree add DIR REV, then in DIR
#                     swift build -c release --static-swift-stdlib
#                     --disable-local-rpath --scratch-path .build-release,
#                     as the Makefile and timing.sh build)
#   --after BINARY    default: this checkout's .build-release/release/sis-sync
#   --runs N          timed runs of each (default 5)
#   --work DIR        plan-apply-vs-peers.sh's work folder, whose data is used
#                     (default $SIS_SYNC_BENCH_PLAN_DIR or /tmp/sis-sync-bench-plan;
#                     run that script once first)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${SIS_SYNC_BENCH_PLAN_DIR:-/tmp/sis-sync-bench-plan}
runs=5
before=""
after=""
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --before) before=$2; shift 2 ;;
    --after) after=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "before-after: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[ -n "$after" ] || after=$repo/.build-release/release/sis-sync
for binary in "$before" "$after"; do
  [ -x "$binary" ] || { echo "before-after: no sis-sync binary at '$binary'" >&2; exit 64; }
done
p=$work/plan
a=$work/apply
for file in "$p/export.csv" "$p/organizations.csv" "$p/directory.csv" "$a/creates.csv" "$a/organizations.csv" \
  "$a/accounts-empty.csv"; do
  [ -f "$file" ] || { echo "before-after: no $file; run Benchmarks/plan-apply-vs-peers.sh first" >&2; exit 2; }
done
out=$work/before-after
mkdir -p "$out/times" "$out/logs"
rm -f "$out/times/"*
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Each build gets its own directories, imported by itself (schemas may differ).
for side in before after; do
  binary=$before
  [ $side = after ] && binary=$after
  say "importing the directories with the $side binary"
  rm -f "$out/$side-plan.sqlite"* "$out/$side-apply.sqlite"*
  "$binary" directory import --directory "$out/$side-plan.sqlite" --organizations "$p/organizations.csv" \
    --accounts "$p/directory.csv" >"$out/logs/$side-import.out"
  "$binary" directory import --directory "$out/$side-apply.sqlite" --organizations "$a/organizations.csv" \
    --accounts "$a/accounts-empty.csv" >"$out/logs/$side-import-apply.out"
  # One untimed plan writes the snapshot cache, as a second plan finds it.
  "$binary" plan "$p/export.csv" --directory "$out/$side-plan.sqlite" --disable-missing --format json \
    >/dev/null 2>&1 || true
  cp "$out/$side-apply.sqlite" "$out/$side-apply-base.sqlite"
  "$binary" plan "$a/creates.csv" --directory "$out/$side-apply.sqlite" --out "$out/$side-creates.plan" \
    >/dev/null 2>&1 || true
done

# timed NAME CMD...: appends the wall time in seconds (exit codes 0, 1 and
# 11 count: rows with errors are exit 1, a plan a threshold holds 11).
timed() {
  local name=$1 start end rc=0
  shift
  start=$(date +%s.%N)
  "$@" >/dev/null 2>>"$out/logs/$name.err" || rc=$?
  end=$(date +%s.%N)
  [ $rc -le 1 ] || [ $rc = 11 ] || { echo "before-after: $name exited with $rc" >&2; tail -n 5 "$out/logs/$name.err" >&2; exit 1; }
  echo "$end - $start" | bc >>"$out/times/$name"
}

for run in $(seq "$runs"); do
  say "run $run of $runs"
  for side in before after; do
    binary=$before
    [ $side = after ] && binary=$after
    timed "validate-$side" "$binary" validate "$p/export.csv" --format json
    timed "plan-$side" "$binary" plan "$p/export.csv" --directory "$out/$side-plan.sqlite" --disable-missing \
      --format json
    cp "$out/$side-apply-base.sqlite" "$out/$side-apply.sqlite"
    rm -f "$out/$side-apply.sqlite-wal" "$out/$side-apply.sqlite-shm" "$out/$side-apply.sqlite.snapshot"
    timed "apply-$side" "$binary" apply "$out/$side-creates.plan" --directory "$out/$side-apply.sqlite"
  done
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-10s %10s %10s %8s\n' step before after ratio
for step in validate plan apply; do
  b=$(median "$out/times/$step-before")
  f=$(median "$out/times/$step-after")
  printf '%-10s %9.2fs %9.2fs %8.3f\n' "$step" "$b" "$f" "$(echo "$f / $b" | bc -l)"
done
echo "medians of $runs runs each, alternating; ratio = after / before (below 1: faster)"
