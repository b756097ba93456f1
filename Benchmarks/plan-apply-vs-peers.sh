#!/usr/bin/env bash
# Times, in one run, alternating, and prints medians and ratios:
#   1. planning: `sis-sync plan EXPORT --directory DB --disable-missing` on a
#      1,000,000-row export (1% invalid) against a directory of >= 1,000,000
#      accounts, vs peer_validate.py --impl csv and --impl polars given the
#      same directory CSV and schools list;
#   2. applying 100,000 creates: `sis-sync apply PLAN` on a directory holding
#      only the organizations, vs the sqlite3 shell loading the same rows into
#      a table with the same schema and indexes.
#
# Usage: Benchmarks/plan-apply-vs-peers.sh [--runs N] [--rows N] [--invalid-share F]
#          [--directory-share F] [--directory-extra F] [--creates N] [--seed S]
#          [--work DIR] [--no-build] [--cold-cache]
#
#   --runs N              timed runs of each tool (default 3)
#   --rows N              data rows in the planning export (default 1000000)
#   --invalid-share F     share of its rows with a defect (default 0.01)
#   --directory-share F   share of the export's people in the directory (default 0.95)
#   --directory-extra F   people only in the directory, as a share of those
#                         (default 0.06; with the defaults: 1,004,099 accounts)
#   --creates N           rows (all valid, all Active) in the apply export (default 100000)
#   --seed S              generator seed (default 42)
#   --work DIR            where data, databases, peers venv and logs go
#                         (default $SIS_SYNC_BENCH_PLAN_DIR or /tmp/sis-sync-bench-plan)
#   --no-build            use the existing release binary in .build-release
#   --cold-cache          delete the directory's snapshot cache before each timed
#                         plan, as after an apply (default: the cache written by
#                         the untimed plan is used, as when planning again
#                         against an unchanged directory)
#
# Environment: SIS_SYNC_SHARED (default: the shared/ folder beside the repo,
# $(dirname "$0")/../../shared), SIS_SYNC_BENCH_PLAN_DIR, PEERS_VENV (default
# WORK/peers), BENCH_PYTHON_TIMER=1 (time with the Python fallback instead
# of GNU time). See Benchmarks/README.md for the acceptance targets.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
shared=${SIS_SYNC_SHARED:-$(dirname "$0")/../../shared}

runs=3
rows=1000000
invalid_share=0.01
directory_share=0.95
directory_extra=0.06
creates=100000
seed=42
work=${SIS_SYNC_BENCH_PLAN_DIR:-/tmp/sis-sync-bench-plan}
build=1
cold_cache=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --invalid-share) invalid_share=$2; shift 2 ;;
    --directory-share) directory_share=$2; shift 2 ;;
    --directory-extra) directory_extra=$2; shift 2 ;;
    --creates) creates=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --cold-cache) cold_cache=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "plan-apply-vs-peers: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "plan-apply-vs-peers: --runs must be 1 or more" >&2; exit 64; }
[[ $creates =~ ^[1-9][0-9]*$ ]] || { echo "plan-apply-vs-peers: --creates must be 1 or more" >&2; exit 64; }

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "plan-apply-vs-peers: $*" >&2; exit 1; }

[ -f "$shared/bench/peer_validate.py" ] || {
  echo "plan-apply-vs-peers: no $shared/bench/peer_validate.py; set SIS_SYNC_SHARED" >&2
  exit 2
}
shared=$(cd "$shared" && pwd)
mkdir -p "$work/logs" "$work/times" "$work/plan" "$work/apply"
work=$(cd "$work" && pwd)
peers_venv=${PEERS_VENV:-$work/peers}

# --- 1. build ------------------------------------------------------------------
source "$(dirname "$0")/timing.sh"
release_sis_sync "$repo" "$work" "$build"
# A directory database is rebuilt when the binary changes (its schema may have).
sis_sync_sum=$(sha256sum "$sis_sync" | cut -c1-16)
gen_sum=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)

# --- 2. sqlite3 and the timer ---------------------------------------------------
apt_install() {   # apt_install PACKAGE: best effort, as root only
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] || return 0
  say "installing $1"
  apt-get install -y -q "$1" >>"$work/logs/apt.log" 2>&1 \
    || { apt-get update -q && apt-get install -y -q "$1"; } >>"$work/logs/apt.log" 2>&1 || true
}
command -v sqlite3 >/dev/null || apt_install sqlite3
command -v sqlite3 >/dev/null || die "the sqlite3 command-line tool is missing (Debian package sqlite3)"

setup_timer "$work"

# organizations_from (timing.sh) writes the directory's organizations CSV.

# import_directory DB ORGS ACCOUNTS LOGNAME: a fresh sis-sync directory from CSV.
# The import refuses the whole file if any row is invalid; then the script stops
# and shows the findings (it does not filter rows behind your back).
import_directory() {
  local db=$1 orgs=$2 accounts=$3 log=$4 rc=0
  rm -f "$db" "$db"-wal "$db"-shm "$db".lock
  "${timer[@]}" -f '%e %M' -o "$work/times/$log" -- \
    "$sis_sync" directory import --directory "$db" --organizations "$orgs" --accounts "$accounts" \
    >"$work/logs/$log.out" 2>"$work/logs/$log.err" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "plan-apply-vs-peers: sis-sync directory import exited with $rc for $accounts" >&2
    head -n 40 "$work/logs/$log.out" "$work/logs/$log.err" >&2
    exit 1
  fi
  # The copies below take the .sqlite file alone: nothing may be left in a WAL.
  [ ! -s "$db-wal" ] || die "$db-wal is not empty after the import"
  say "$(head -n 1 "$work/logs/$log.out") ($(tail -n 1 "$work/times/$log" | cut -d' ' -f1) s)"
}

# --- 3. planning data: export, schools, directory CSV, directory database ------
p=$work/plan
plan_params="rows=$rows invalid_share=$invalid_share directory_share=$directory_share directory_extra=$directory_extra seed=$seed gen=$gen_sum"
if [ -f "$p/export.csv" ] && [ -f "$p/schools.csv" ] && [ -f "$p/directory.csv" ] \
   && [ "$(cat "$p/data.params" 2>/dev/null)" = "$plan_params" ]; then
  say "reusing $p/export.csv and $p/directory.csv ($plan_params)"
else
  say "generating $p/export.csv and $p/directory.csv ($plan_params)"
  rm -f "$p/data.params" "$p/db.params"
  python3 "$bench_dir/gen_export.py" --rows "$rows" --invalid-share "$invalid_share" --seed "$seed" \
    --out "$p/export.csv" --schools "$p/schools.csv" --directory "$p/directory.csv" \
    --directory-share "$directory_share" --directory-extra "$directory_extra" 2>"$work/logs/gen-plan.log"
  organizations_from "$p/schools.csv" "$p/organizations.csv"
  echo "$plan_params" >"$p/data.params"
fi
plan_db=$p/directory.sqlite
plan_db_params="$plan_params sis-sync=$sis_sync_sum"
if [ -f "$plan_db" ] && [ "$(cat "$p/db.params" 2>/dev/null)" = "$plan_db_params" ]; then
  say "reusing $plan_db"
else
  say "importing $p/directory.csv into $plan_db"
  rm -f "$p/db.params"
  import_directory "$plan_db" "$p/organizations.csv" "$p/directory.csv" import-plan
  echo "$plan_db_params" >"$p/db.params"
fi
directory_accounts=$(( $(wc -l <"$p/directory.csv") - 1 ))
export_bytes=$(stat -c %s "$p/export.csv")

# --- 4. apply data: CREATES valid Active rows, organizations, empty directory --
a=$work/apply
apply_params="creates=$creates seed=$seed gen=$gen_sum"
if [ -f "$a/creates.csv" ] && [ -f "$a/organizations.csv" ] && [ -f "$a/accounts-empty.csv" ] \
   && [ "$(cat "$a/data.params" 2>/dev/null)" = "$apply_params" ]; then
  say "reusing $a/creates.csv ($apply_params)"
else
  # gen_export.py makes about 3% of rows Disabled, which plan as "nothing to
  # do" (SPEC §5), not as creates. So generate 6% more rows than needed, with
  # no defects, and keep the first CREATES rows whose status is not Disabled
  # (the lines are copied byte for byte).
  gen_rows=$(( creates + creates * 6 / 100 + 100 ))
  say "generating $a/creates.csv ($apply_params; $gen_rows rows generated, Disabled ones dropped)"
  rm -f "$a/data.params" "$a/db.params"
  python3 "$bench_dir/gen_export.py" --rows "$gen_rows" --invalid-share 0 --seed "$seed" \
    --out "$a/generated.csv" --schools "$a/schools.csv" \
    --directory "$a/accounts-empty.csv" --directory-share 0 2>"$work/logs/gen-apply.log"
  python3 - "$a/generated.csv" "$a/creates.csv" "$creates" <<'EOF'
import csv, os, sys
src, dst, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
kept = 0
with open(src, newline="", encoding="utf-8") as f, \
     open(dst + ".tmp", "w", newline="", encoding="utf-8") as out:
    out.write(f.readline())                       # the header
    for line in f:                                # the generator never breaks a field over lines
        if next(csv.reader([line]))[9] == "Disabled":
            continue
        out.write(line)
        kept += 1
        if kept == want:
            break
if kept < want:
    sys.exit(f"only {kept} rows that are not Disabled in {src}; wanted {want}")
os.replace(dst + ".tmp", dst)
EOF
  rm -f "$a/generated.csv"
  [ "$(wc -l <"$a/accounts-empty.csv")" -eq 1 ] || die "$a/accounts-empty.csv is not header-only"
  organizations_from "$a/schools.csv" "$a/organizations.csv"
  echo "$apply_params" >"$a/data.params"
fi
apply_base=$a/base.sqlite          # organizations only, as imported by sis-sync
sqlite_template=$a/sqlite3-template.sqlite
apply_db_params="$apply_params sis-sync=$sis_sync_sum"
if [ -f "$apply_base" ] && [ -f "$sqlite_template" ] && [ "$(cat "$a/db.params" 2>/dev/null)" = "$apply_db_params" ]; then
  say "reusing $apply_base and $sqlite_template"
else
  rm -f "$a/db.params"
  say "importing the organizations (accounts: header only) into $apply_base"
  import_directory "$apply_base" "$a/organizations.csv" "$a/accounts-empty.csv" import-apply
  # The sqlite3 side's database: sis-sync's tables and indexes, read from its
  # schema, and the same organization rows (sqlite3_template_sql, timing.sh).
  say "creating $sqlite_template from the schema of $apply_base"
  rm -f "$sqlite_template" "$sqlite_template"-wal "$sqlite_template"-shm
  sqlite3_template_sql "$apply_base" >"$a/sqlite3-template.sql"
  sqlite3 -bail "$sqlite_template" <"$a/sqlite3-template.sql" >/dev/null
  echo "$apply_db_params" >"$a/db.params"
fi
# What the timed sqlite3 command runs (sqlite3_load_sql, timing.sh): the CSV
# staged with .import, then the accounts, the run and one change row per
# account, as sis-sync's apply writes them, in one transaction.
sqlite3_load_sql "$a/creates.csv" >"$a/load.sql"

# fresh_copy SRC DST: DST becomes a copy of the database file SRC (not timed).
fresh_copy() { rm -f "$2" "$2"-wal "$2"-shm "$2".lock; cp "$1" "$2"; }
# accounts DB: the number of account rows.
accounts() { sqlite3 "$1" 'SELECT count(*) FROM account'; }

apply_db=$a/run-sis-sync.sqlite
sqlite_db=$a/run-sqlite3.sqlite
plan_file=$a/creates.plan
say "saving the plan for $a/creates.csv (not timed)"
fresh_copy "$apply_base" "$apply_db"
rc=0
"$sis_sync" plan "$a/creates.csv" --directory "$apply_db" --out "$plan_file" --format json \
  >"$work/logs/plan-creates.json" 2>"$work/logs/plan-creates.err" || rc=$?
[ "$rc" = 0 ] || { tail -n 30 "$work/logs/plan-creates.err" >&2; die "sis-sync plan (creates) exited with $rc"; }
planned_creates=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["create"])' \
  "$work/logs/plan-creates.json")
[ "$planned_creates" = "$creates" ] || die "the saved plan has $planned_creates creates, not $creates"

# --- 5. peers ------------------------------------------------------------------
say "setting up peers in $peers_venv"
"$shared/bench/setup-peers.sh" "$peers_venv" >"$work/logs/setup-peers.log" 2>&1 || {
  cat "$work/logs/setup-peers.log" >&2
  exit 1
}
peer_python=$peers_venv/bin/python

# --- 6. one untimed plan, for its counts (and a warm page cache) ---------------
say "sis-sync plan, untimed, for the counts"
rc=0
"$sis_sync" plan "$p/export.csv" --directory "$plan_db" --disable-missing --format json \
  >"$work/logs/plan-1m.json" 2>"$work/logs/plan-1m.err" || rc=$?
[[ " 0 1 11 " == *" $rc "* ]] || { tail -n 30 "$work/logs/plan-1m.err" >&2; die "sis-sync plan exited with $rc"; }
plan_rc=$rc
cat "$p/directory.csv" >/dev/null

# --- 7. runs, alternating ------------------------------------------------------
rm -f "$work"/times/run-*
peer=("$peer_python" "$shared/bench/peer_validate.py" --export "$p/export.csv"
      --directory "$p/directory.csv" --schools "$p/schools.csv")
for ((run = 1; run <= runs; run++)); do
  say "run $run/$runs: sis-sync plan --disable-missing"
  [ "$cold_cache" = 1 ] && rm -f "$plan_db.snapshot"
  # 1: rows with errors (left out of the plan); 11: a threshold holds the plan
  # (the disables of the missing accounts). Both are expected here.
  measure run-sis-sync-plan /dev/null "0 1 11" \
    "$sis_sync" plan "$p/export.csv" --directory "$plan_db" --disable-missing
  say "run $run/$runs: peer_validate.py --impl csv"
  measure run-peer-csv "$work/logs/peer-csv.out" "0" "${peer[@]}" --impl csv
  say "run $run/$runs: peer_validate.py --impl polars"
  measure run-peer-polars "$work/logs/peer-polars.out" "0" "${peer[@]}" --impl polars

  say "run $run/$runs: sis-sync apply ($creates creates)"
  fresh_copy "$apply_base" "$apply_db"
  measure run-sis-sync-apply "$work/logs/sis-sync-apply.out" "0" \
    "$sis_sync" apply "$plan_file" --directory "$apply_db"
  n=$(accounts "$apply_db"); [ "$n" = "$creates" ] || die "after sis-sync apply: $n accounts, not $creates"
  say "run $run/$runs: sqlite3 .import + INSERT ($creates rows)"
  fresh_copy "$sqlite_template" "$sqlite_db"
  measure run-sqlite3 "$work/logs/sqlite3.out" "0" sqlite3 -bail "$sqlite_db" ".read '$a/load.sql'"
  n=$(accounts "$sqlite_db"); [ "$n" = "$creates" ] || die "after the sqlite3 import: $n accounts, not $creates"
  n=$(sqlite3 "$sqlite_db" "SELECT count(*) FROM change"); [ "$n" = "$creates" ] || die "after the sqlite3 import: $n change rows"
done

# --- 8. table ------------------------------------------------------------------
commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
echo
echo "sis-sync plan/apply vs peers; sis-sync $commit$dirty; $runs runs each, alternating; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "snapshot cache: $([ "$cold_cache" = 1 ] && echo "cold (deleted before each plan)" || echo "warm (unchanged directory)")"
echo "planning: $rows-row export ($(awk "BEGIN{printf \"%.1f\", $export_bytes/1e6}") MB, $invalid_share invalid, seed $seed) vs a directory of $directory_accounts accounts in $(( $(wc -l <"$p/schools.csv") - 1 )) schools; --disable-missing"
echo "applying: $creates creates (valid Active rows) into a directory holding only $(( $(wc -l <"$a/schools.csv") - 1 )) schools; sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
python3 - "$work/logs/plan-1m.json" "$plan_rc" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
keys = ["create", "update", "disable", "reactivate", "unchanged", "assign_id", "skipped",
        "rows_with_errors"]
print(f"sis-sync plan counts (exit {sys.argv[2]}, held={d.get('held')}): "
      + " ".join(f"{k}={s.get(k)}" for k in keys))
EOF
echo "peer counts (csv): $(cat "$work/logs/peer-csv.out")"
cmp -s "$work/logs/peer-csv.out" "$work/logs/peer-polars.out" \
  || echo "peer counts (polars) DIFFER: $(cat "$work/logs/peer-polars.out")"
[ "$directory_accounts" -ge 1000000 ] || echo "NOTE: the directory has fewer than 1,000,000 accounts; the targets are defined for >= 1,000,000"
python3 - "$work/times" "$cold_cache" <<'EOF'
import statistics, sys
times_dir = sys.argv[1]
cold_cache = sys.argv[2] == "1"

def load(name):
    runs = [line.split() for line in open(f"{times_dir}/run-{name}") if line.strip()]
    walls = [float(w) for w, _ in runs]
    return statistics.median(walls), max(int(k) for _, k in runs) * 1024 / 1e6, walls

def table(title, rows, ratio_head, ratio):
    print()
    print(title)
    print(f"| {'tool':<35} | {'median wall s':>13} | {'peak RSS MB':>11} | {ratio_head:>27} |")
    print(f"|{'-' * 37}|{'-' * 14}:|{'-' * 12}:|{'-' * 28}:|")
    for label, name in rows:
        wall, rss, _ = stats[name]
        print(f"| {label:<35} | {wall:>13.2f} | {rss:>11.0f} | {ratio(name):>27} |")

names = ["sis-sync-plan", "peer-csv", "peer-polars", "sis-sync-apply", "sqlite3"]
stats = {n: load(n) for n in names}
plan = stats["sis-sync-plan"][0]
table("planning",
      [("sis-sync plan --disable-missing", "sis-sync-plan"),
       ("peer_validate --impl csv", "peer-csv"),
       ("peer_validate --impl polars", "peer-polars")],
      "time ratio peer/sis-sync",
      lambda n: "-" if n == "sis-sync-plan" else f"{stats[n][0] / plan:.2f}x")
sqlite = stats["sqlite3"][0]
table("applying creates",
      [("sis-sync apply PLAN", "sis-sync-apply"),
       ("sqlite3 .import + accounts + history", "sqlite3")],
      "time ratio sis-sync/sqlite3",
      lambda n: "-" if n == "sqlite3" else f"{stats[n][0] / sqlite:.2f}x")
print()
labels = {"sis-sync-plan": "sis-sync plan", "peer-csv": "peer_validate --impl csv",
          "peer-polars": "peer_validate --impl polars", "sis-sync-apply": "sis-sync apply",
          "sqlite3": "sqlite3 import"}
for n in names:
    print(f"  {labels[n]}: runs " + ", ".join(f"{w:.2f}" for w in stats[n][2]) + " s")
csv_ratio = stats["peer-csv"][0] / plan
polars_ratio = stats["peer-polars"][0] / plan
apply_ratio = stats["sis-sync-apply"][0] / sqlite
print()
print("targets:")
print(f"  {'PASS' if csv_ratio >= 5 else 'FAIL'}  plan >= 5x faster than --impl csv        ({csv_ratio:.2f}x)")
print(f"  {'PASS' if polars_ratio > 1 else 'FAIL'}  plan faster than --impl polars            ({polars_ratio:.2f}x)")
print(f"  {'PASS' if apply_ratio <= 1.5 else 'FAIL'}  apply <= 1.5x sqlite3 with history       ({apply_ratio:.2f}x)")
# Issue 17, item 1: the first plan (no snapshot cache: --cold-cache) at least
# 2x polars, the second (cache at hand) at least 3x, either at no more than
# a third of polars' peak memory.
speed_target = 2 if cold_cache else 3
which = "first plan (no cache)" if cold_cache else "second plan (cache)"
memory_ratio = stats["sis-sync-plan"][1] / stats["peer-polars"][1]
print(f"  {'PASS' if polars_ratio >= speed_target else 'FAIL'}  {which} >= {speed_target}x faster than polars"
      f" ({polars_ratio:.2f}x)")
print(f"  {'PASS' if memory_ratio <= 1 / 3 else 'FAIL'}  plan peak memory <= 1/3 of polars'        ({memory_ratio:.2f})")
EOF
