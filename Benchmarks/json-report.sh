#!/usr/bin/env bash
# Times, in one run, how long `sis-sync plan EXPORT --disable-missing
# --format json` spends writing its JSON report against the time of the plan
# itself, and prints the medians and their ratio (issue 17: the JSON at most
# 20% of the plan). Every run's JSON is hashed: the hashes must agree (run to
# run, and with --before, build to build: the output is byte-identical).
#
# Usage: Benchmarks/json-report.sh [--runs N] [--rows N] [--work DIR] [--no-build]
#          [--cold-cache] [--before BIN]
#
#   --runs N       timed runs (default 5)
#   --rows N       data rows in the export (default 1000000); the data are
#                  those of plan-apply-vs-peers.sh (1% invalid, seed 42,
#                  directory share 0.95, directory extra 0.06)
#   --work DIR     data, databases, outputs and logs
#                  (default $SIS_SYNC_BENCH_JSON_DIR or /tmp/sis-sync-bench-json)
#   --no-build     use the existing release binary in .build-release
#   --cold-cache   delete the snapshot cache before each timed plan (the
#                  first plan after an apply); default: planning again
#   --before BIN   also time an older sis-sync binary, alternating run by
#                  run, and check its JSON is byte for byte the same (it
#                  must read this build's directory database)
#
# The JSON goes to a file in WORK/out (as a script would save it), not to
# /dev/null. How long the JSON takes is the `report` phase of
# SIS_SYNC_TIMING=1 (building and writing the report, to its last byte);
# the plan's own time is the run's wall time less that phase.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)

runs=5
rows=1000000
work=${SIS_SYNC_BENCH_JSON_DIR:-/tmp/sis-sync-bench-json}
build=1
cold_cache=0
before=

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --cold-cache) cold_cache=1; shift ;;
    --before) before=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "json-report: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "json-report: --runs must be 1 or more" >&2; exit 64; }
[ -z "$before" ] || [ -x "$before" ] || { echo "json-report: --before $before is not an executable" >&2; exit 64; }

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "json-report: $*" >&2; exit 1; }

mkdir -p "$work/logs" "$work/times" "$work/out" "$work/data"
work=$(cd "$work" && pwd)
source "$bench_dir/timing.sh"
release_sis_sync "$repo" "$work" "$build"
setup_timer "$work"

# --- data: as plan-apply-vs-peers.sh, reused while the options match ----------
d=$work/data
gen_sum=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)
params="rows=$rows invalid_share=0.01 directory_share=0.95 directory_extra=0.06 seed=42 gen=$gen_sum"
if [ "$(cat "$d/data.params" 2>/dev/null)" != "$params" ] || [ ! -f "$d/directory.sqlite" ]; then
  say "generating $d/export.csv and the directory ($params)"
  rm -f "$d/data.params" "$d"/directory.sqlite*
  python3 "$bench_dir/gen_export.py" --rows "$rows" --invalid-share 0.01 --seed 42 \
    --out "$d/export.csv" --schools "$d/schools.csv" --directory "$d/directory.csv" \
    --directory-share 0.95 --directory-extra 0.06 2>"$work/logs/gen.log"
  organizations_from "$d/schools.csv" "$d/organizations.csv"
  "$sis_sync" directory import --directory "$d/directory.sqlite" --organizations "$d/organizations.csv" \
    --accounts "$d/directory.csv" >"$work/logs/import.out" 2>&1 \
    || { tail -n 30 "$work/logs/import.out" >&2; die "directory import failed"; }
  echo "$params" >"$d/data.params"
fi

# One untimed plan: writes the snapshot cache, warms the page cache.
"$sis_sync" plan "$d/export.csv" --directory "$d/directory.sqlite" --disable-missing --format json \
  >/dev/null 2>"$work/logs/warm.err" || true

# time_plan NAME BIN: one timed run; appends "wall_s report_s" to times/NAME
# and the JSON's SHA-256 to times/NAME.sha256.
time_plan() {
  local name=$1 bin=$2 out=$work/out/$1.json rc=0
  [ "$cold_cache" = 0 ] || rm -f "$d/directory.sqlite.snapshot"
  SIS_SYNC_TIMING=1 "${timer[@]}" -f '%e %M' -o "$work/times/last" -- \
    "$bin" plan "$d/export.csv" --directory "$d/directory.sqlite" --disable-missing --format json \
    >"$out" 2>"$work/logs/$name.err" || rc=$?
  # 1: rows with errors (left out); 11: a threshold holds the plan.
  [[ " 0 1 11 " == *" $rc "* ]] || { tail -n 30 "$work/logs/$name.err" >&2; die "$name exited with $rc"; }
  local wall report
  wall=$(tail -n 1 "$work/times/last" | cut -d' ' -f1)
  report=$(sed -n 's/^timing: report \([0-9.]*\) s$/\1/p' "$work/logs/$name.err")
  [ -n "$report" ] || die "$name printed no 'timing: report' line (an older build?)"
  echo "$wall $report" >>"$work/times/$name"
  sha256sum "$out" | cut -d' ' -f1 >>"$work/times/$name.sha256"
}

rm -f "$work"/times/*
tools=(sis-sync)
[ -z "$before" ] || tools=(before sis-sync)
for run in $(seq 1 "$runs"); do
  say "run $run of $runs"
  [ -z "$before" ] || time_plan before "$before"
  time_plan sis-sync "$sis_sync"
done

# --- the table ----------------------------------------------------------------
python3 - "$work" "$rows" "$cold_cache" "${tools[@]}" <<'PYTHON'
import os, statistics, sys
work, rows, cold, tools = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
print(f"plan --disable-missing --format json, {rows:,} rows, "
      f"{'cold snapshot cache' if cold else 'snapshot cache at hand'}; medians of the runs")
print(f"{'build':<10} {'plan s':>8} {'JSON s':>8} {'JSON/plan':>10} {'JSON MB':>9} {'MB/s':>7}  runs (wall/JSON s)")
hashes = {}
verdict = 0
for tool in tools:
    runs = [tuple(map(float, line.split())) for line in open(f"{work}/times/{tool}")]
    plan = statistics.median(wall - report for wall, report in runs)
    report = statistics.median(report for _, report in runs)
    size = os.path.getsize(f"{work}/out/{tool}.json") / 1e6
    hashes[tool] = set(open(f"{work}/times/{tool}.sha256").read().split())
    shown = " ".join(f"{w:.2f}/{r:.3f}" for w, r in runs)
    print(f"{tool:<10} {plan:>8.3f} {report:>8.3f} {report / plan:>9.1%} {size:>9.1f} {size / report:>7.0f}  {shown}")
    if tool == "sis-sync":
        ok = report <= 0.2 * plan
        print(f"{'PASS' if ok else 'FAIL'}: writing the JSON takes {report / plan:.1%} of the plan's time (target <= 20%)")
        verdict |= 0 if ok else 1
every = set().union(*hashes.values())
if len(every) == 1:
    print(f"PASS: every run's JSON is the same bytes (sha256 {every.pop()[:16]}…)")
else:
    print("FAIL: the JSON differs between runs or builds: " + "; ".join(f"{t}: {sorted(h)}" for t, h in hashes.items()))
    verdict = 1
sys.exit(verdict)
PYTHON
