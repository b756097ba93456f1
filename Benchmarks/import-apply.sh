#!/usr/bin/env bash
# Times, in one run, alternating, and prints medians:
#   1. `sis-sync directory import` of directories of about 100,000, 1,000,000
#      and 2,000,000 accounts, as the cost per account at each size (it
#      should not grow with the directory);
#   2. `sis-sync apply` of 100,000 creates into a directory holding only the
#      organizations, vs the sqlite3 shell writing the same accounts and the
#      same history (run and change rows) into the same schema.
#
# Usage: Benchmarks/import-apply.sh [--runs N] [--sizes "N N N"] [--creates N]
#          [--seed S] [--work DIR] [--no-build] [--no-import] [--no-apply]
#
#   --runs N       timed runs of each (default 3)
#   --sizes LIST   export rows the directories are generated from (default
#                  "100000 1000000 2000000"; gen_export.py --directory-share
#                  0.95 --directory-extra 0.06 makes about 1.004 accounts a row)
#   --creates N    creates in the apply (default 100000)
#   --seed S       generator seed (default 42)
#   --work DIR     data, databases and logs (default $SIS_SYNC_BENCH_IMPORT_DIR
#                  or /tmp/sis-sync-bench-import)
#   --no-build     use the existing release binary in .build-release
#   --no-import    skip measurement 1;  --no-apply: skip measurement 2
#
# Environment: SIS_SYNC_BIN (a sis-sync binary to time instead of building
# this checkout's), BENCH_PYTHON_TIMER=1 (time with the Python fallback). See
# Benchmarks/README.md for the targets.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
runs=3
sizes="100000 1000000 2000000"
creates=100000
seed=42
work=${SIS_SYNC_BENCH_IMPORT_DIR:-/tmp/sis-sync-bench-import}
build=1
do_import=1
do_apply=1
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --creates) creates=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-import) do_import=0; shift ;;
    --no-apply) do_apply=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "import-apply: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "import-apply: --runs must be 1 or more" >&2; exit 64; }
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "import-apply: $*" >&2; exit 1; }

mkdir -p "$work/logs" "$work/times"
work=$(cd "$work" && pwd)
source "$bench_dir/timing.sh"
if [ -n "${SIS_SYNC_BIN:-}" ]; then sis_sync=$SIS_SYNC_BIN; else release_sis_sync "$repo" "$work" "$build"; fi
command -v sqlite3 >/dev/null || die "the sqlite3 command-line tool is missing (Debian package sqlite3)"
setup_timer "$work"
gen_sum=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)
rm -f "$work"/times/run-*

# timed NAME STDOUT CMD...: as `measure` (timing.sh), and also the CPU seconds
# (user + system): on a machine shared with builds the wall time swings with
# the load, the CPU time far less. Appends "wall_s peak_rss_kb cpu_s".
timed() {
  local name=$1 stdout=$2; shift 2
  local rc=0
  "${timer[@]}" -f '%e %M %U %S' -o "$work/times/last" -- "$@" >"$stdout" 2>"$work/logs/$name.err" || rc=$?
  [ "$rc" = 0 ] || { tail -n 30 "$work/logs/$name.err" >&2; die "$name exited with $rc: $*"; }
  tail -n 1 "$work/times/last" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' >>"$work/times/$name"
}
# fresh DB: no database file (nor its WAL, shared memory, lock) at DB.
fresh() { rm -f "$1" "$1"-wal "$1"-shm "$1".lock; }
accounts() { sqlite3 "$1" 'SELECT count(*) FROM account'; }

# --- 1. data -------------------------------------------------------------------
if [ "$do_import" = 1 ]; then
  for size in $sizes; do
    d=$work/import-$size
    params="rows=$size seed=$seed gen=$gen_sum"
    mkdir -p "$d"
    if [ "$(cat "$d/data.params" 2>/dev/null)" != "$params" ]; then
      say "generating $d/directory.csv ($params)"
      python3 "$bench_dir/gen_export.py" --rows "$size" --invalid-share 0.01 --seed "$seed" \
        --out "$d/export.csv" --schools "$d/schools.csv" --directory "$d/directory.csv" \
        --directory-share 0.95 --directory-extra 0.06 2>"$work/logs/gen-$size.log"
      rm -f "$d/export.csv"
      organizations_from "$d/schools.csv" "$d/organizations.csv"
      echo "$params" >"$d/data.params"
    fi
  done
fi
a=$work/apply
if [ "$do_apply" = 1 ]; then
  params="creates=$creates seed=$seed gen=$gen_sum"
  mkdir -p "$a"
  if [ "$(cat "$a/data.params" 2>/dev/null)" != "$params" ]; then
    # As plan-apply-vs-peers.sh: 6% more rows, no defects, the first CREATES
    # that are not Disabled (those plan as nothing to do) copied byte for byte.
    say "generating $a/creates.csv ($params)"
    python3 "$bench_dir/gen_export.py" --rows $((creates + creates * 6 / 100 + 100)) --invalid-share 0 \
      --seed "$seed" --out "$a/generated.csv" --schools "$a/schools.csv" \
      --directory "$a/accounts-empty.csv" --directory-share 0 2>"$work/logs/gen-apply.log"
    python3 - "$a/generated.csv" "$a/creates.csv" "$creates" <<'PYTHON'
import csv, sys
src, dst, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
kept = 0
with open(src, newline="", encoding="utf-8") as f, open(dst, "w", newline="", encoding="utf-8") as out:
    out.write(f.readline())
    for line in f:
        if next(csv.reader([line]))[9] == "Disabled":
            continue
        out.write(line)
        kept += 1
        if kept == want:
            break
sys.exit(0 if kept == want else f"only {kept} rows that are not Disabled")
PYTHON
    rm -f "$a/generated.csv"
    organizations_from "$a/schools.csv" "$a/organizations.csv"
    echo "$params" >"$a/data.params"
  fi
  # Made fresh every time (cheap): the base directory, its saved plan, the
  # sqlite3 side's template and script.
  fresh "$a/base.sqlite"
  "$sis_sync" directory import --directory "$a/base.sqlite" --organizations "$a/organizations.csv" \
    --accounts "$a/accounts-empty.csv" >"$work/logs/import-base.out" 2>&1 || die "importing the organizations failed"
  fresh "$a/template.sqlite"
  sqlite3_template_sql "$a/base.sqlite" | sqlite3 -bail "$a/template.sqlite" >/dev/null
  sqlite3_load_sql "$a/creates.csv" >"$a/load.sql"
  fresh "$a/run-sis-sync.sqlite"; cp "$a/base.sqlite" "$a/run-sis-sync.sqlite"
  rc=0
  "$sis_sync" plan "$a/creates.csv" --directory "$a/run-sis-sync.sqlite" --out "$a/creates.plan" \
    >/dev/null 2>"$work/logs/plan-creates.err" || rc=$?
  [ "$rc" = 0 ] || { tail -n 20 "$work/logs/plan-creates.err" >&2; die "sis-sync plan exited with $rc"; }
fi

# --- 2. runs, alternating ------------------------------------------------------
for ((run = 1; run <= runs; run++)); do
  if [ "$do_import" = 1 ]; then
    for size in $sizes; do
      d=$work/import-$size
      say "run $run/$runs: sis-sync directory import ($size)"
      fresh "$d/directory.sqlite"
      SIS_SYNC_TIMING=1 timed "run-import-$size" "$work/logs/import-$size.out" \
        "$sis_sync" directory import --directory "$d/directory.sqlite" \
        --organizations "$d/organizations.csv" --accounts "$d/directory.csv"
      cp "$work/logs/run-import-$size.err" "$work/logs/import-$size-$run.timing"
      n=$(accounts "$d/directory.sqlite")
      [ "$n" = "$(($(wc -l <"$d/directory.csv") - 1))" ] || die "import $size: $n accounts"
      echo "$n" >"$d/accounts"
    done
  fi
  if [ "$do_apply" = 1 ]; then
    say "run $run/$runs: sis-sync apply ($creates creates)"
    fresh "$a/run-sis-sync.sqlite"; cp "$a/base.sqlite" "$a/run-sis-sync.sqlite"
    SIS_SYNC_TIMING=1 timed run-apply "$work/logs/apply.out" \
      "$sis_sync" apply "$a/creates.plan" --directory "$a/run-sis-sync.sqlite"
    cp "$work/logs/run-apply.err" "$work/logs/apply-$run.timing"
    [ "$(accounts "$a/run-sis-sync.sqlite")" = "$creates" ] || die "sis-sync apply: wrong account count"
    say "run $run/$runs: sqlite3 (accounts + history)"
    fresh "$a/run-sqlite3.sqlite"; cp "$a/template.sqlite" "$a/run-sqlite3.sqlite"
    timed run-sqlite3 "$work/logs/sqlite3.out" sqlite3 -bail "$a/run-sqlite3.sqlite" ".read '$a/load.sql'"
    [ "$(accounts "$a/run-sqlite3.sqlite")" = "$creates" ] || die "sqlite3: wrong account count"
    [ "$(sqlite3 "$a/run-sqlite3.sqlite" 'SELECT count(*) FROM change')" = "$creates" ] || die "sqlite3: wrong change count"
  fi
done

# --- 3. the same rows on both sides (checked once, untimed) ---------------------
if [ "$do_apply" = 1 ]; then
  compare() {
    sqlite3 "$1" "SELECT custom_id, first_name, middle_name, last_name, email, organization_id, user_type, position,
                         grade, status, changed_generation FROM account ORDER BY custom_id" | sha256sum
    sqlite3 "$1" "SELECT c.action, a.custom_id, c.organization_id, c.custom_id, c.line, c.before, c.after, c.outcome
                  FROM change c JOIN account a ON a.id = c.account_id ORDER BY c.line" | sha256sum
  }
  [ "$(compare "$a/run-sis-sync.sqlite")" = "$(compare "$a/run-sqlite3.sqlite")" ] \
    && same="identical" || same="DIFFERENT"
fi

commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
echo
echo "sis-sync import/apply; sis-sync $commit$dirty; $runs runs each, alternating; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$do_apply" = 1 ] && echo "apply: accounts and change rows of sis-sync and sqlite3 $same (all columns but ids)"
python3 - "$work" "$do_import" "$do_apply" $sizes <<'PYTHON'
import statistics, sys
work, do_import, do_apply, sizes = sys.argv[1], sys.argv[2] == "1", sys.argv[3] == "1", sys.argv[4:]
def load(name):
    runs = [line.split() for line in open(f"{work}/times/run-{name}") if line.strip()]
    walls = [float(r[0]) for r in runs]
    cpus = [float(r[2]) if len(r) > 2 else float("nan") for r in runs]  # the Python timer has no CPU time
    return statistics.median(walls), statistics.median(cpus), max(int(r[1]) for r in runs) * 1024 / 1e6, walls
if do_import:
    print("\n| import | accounts | median wall s | median CPU s | µs/account (wall) | µs/account (CPU) | peak RSS MB | runs s |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    per = []
    for size in sizes:
        n = int(open(f"{work}/import-{size}/accounts").read())
        wall, cpu, rss, walls = load(f"import-{size}")
        per.append((wall / n * 1e6, cpu / n * 1e6))
        print(f"| {size} rows | {n} | {wall:.2f} | {cpu:.2f} | {per[-1][0]:.1f} | {per[-1][1]:.1f} | {rss:.0f} | "
              + ", ".join(f"{w:.2f}" for w in walls) + " |")
    wall_growth, cpu_growth = per[-1][0] / per[0][0], (per[-1][1] / per[0][1] if per[0][1] else float("nan"))
    print(f"\nper-account cost, largest ÷ smallest: {wall_growth:.2f}x wall, {cpu_growth:.2f}x CPU")
    print(f"  {'PASS' if wall_growth <= 1.15 else 'FAIL'}  flat (wall time within 15%)")
if do_apply:
    s, q = load("apply"), load("sqlite3")
    print("\n| apply 100k creates | median wall s | median CPU s | peak RSS MB | runs s |")
    print("|---|---:|---:|---:|---|")
    for label, (wall, cpu, rss, walls) in (("sis-sync apply", s), ("sqlite3 accounts + history", q)):
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | " + ", ".join(f"{w:.2f}" for w in walls) + " |")
    ratio, cpu_ratio = s[0] / q[0], (s[1] / q[1] if q[1] else float("nan"))
    print(f"\n  {'PASS' if ratio <= 1.5 else 'FAIL'}  apply <= 1.5x sqlite3 with history "
          f"({ratio:.2f}x wall, {cpu_ratio:.2f}x CPU)")
PYTHON
