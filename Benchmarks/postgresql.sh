#!/usr/bin/env bash
# The PostgreSQL directory at district scale, side by side in one run with
# the SQLite directory and with psql's \copy (the floor: the server loading
# rows with no program in between). Prints medians, spreads and ratios:
#   1. import of 1,000,000 accounts: `sis-sync directory import` into
#      PostgreSQL vs psql \copy of the same rows into an equivalent bare
#      table vs the same import into SQLite;
#   2. a plan of the 1,000,000-row export against those accounts:
#      `sis-sync plan --disable-missing` on PostgreSQL vs the first (cold
#      snapshot cache) plan on SQLite;
#   3. an apply of 100,000 updates on PostgreSQL vs psql (\copy into a temp
#      table, alone and followed by one UPDATE … FROM) vs the same apply
#      on SQLite, each on a fresh copy of the imported directory;
#   4. 200 directories of 5,000 accounts in one database: 10 applies to
#      different directories one after another, then 10 at once, with
#      pg_locks sampled during the concurrent ones.
#
# Usage: Benchmarks/postgresql.sh [--runs N] [--rows N] [--changes N]
#          [--districts N] [--district-accounts N] [--concurrent N]
#          [--fsync on|off] [--work DIR] [--no-build]
#
#   --runs N               timed runs of each measurement (default 3)
#   --rows N               export rows; the directory holds about as many (1000000)
#   --changes N            accounts the apply updates (default 100000)
#   --districts N          directories in the shared database (default 200)
#   --district-accounts N  accounts in each (default 5000)
#   --concurrent N         applies at once (default 10; needs 2 x N x runs <= districts)
#   --fsync on|off         the server's fsync (default on, as in production)
#   --work DIR             data, logs and timings (default $SIS_SYNC_BENCH_PG_DIR
#                          or /tmp/sis-sync-bench-pg)
#   --no-build             use the existing release binary in .build-release
#
# It starts its own throwaway server (Tests/postgres-server.sh, loopback
# only) and stops it on exit. Needs psql. See Benchmarks/README.md.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)

runs=3
rows=1000000
changes=100000
districts=200
district_accounts=5000
concurrent=10
fsync=on
work=${SIS_SYNC_BENCH_PG_DIR:-/tmp/sis-sync-bench-pg}
build=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --changes) changes=$2; shift 2 ;;
    --districts) districts=$2; shift 2 ;;
    --district-accounts) district_accounts=$2; shift 2 ;;
    --concurrent) concurrent=$2; shift 2 ;;
    --fsync) fsync=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "postgresql: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
for n in "$runs" "$rows" "$changes" "$districts" "$district_accounts" "$concurrent"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "postgresql: counts must be 1 or more" >&2; exit 64; }
done
[[ $fsync == on || $fsync == off ]] || { echo "postgresql: --fsync on or off" >&2; exit 64; }
(( 2 * concurrent * runs <= districts )) || { echo "postgresql: --districts must be >= 2 x --concurrent x --runs" >&2; exit 64; }
(( changes <= rows / 2 )) || { echo "postgresql: --changes must be at most half of --rows" >&2; exit 64; }

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "postgresql: $*" >&2; exit 1; }
command -v psql >/dev/null || die "psql is missing (Debian package postgresql-client)"

mkdir -p "$work/logs" "$work/times" "$work/data" "$work/plans"
work=$(cd "$work" && pwd)
d=$work/data
source "$bench_dir/timing.sh"
release_sis_sync "$repo" "$work" "$build"
setup_timer "$work"

# --- the server -------------------------------------------------------------------
say "starting a throwaway PostgreSQL server (fsync $fsync)"
eval "$(SIS_SYNC_TEST_POSTGRESQL_FSYNC=$fsync "$repo/Tests/postgres-server.sh" start)"
server_folder=$SIS_SYNC_TEST_POSTGRESQL_FOLDER
trap '"$repo/Tests/postgres-server.sh" stop "$server_folder"' EXIT
base=${SIS_SYNC_TEST_POSTGRESQL%/postgres}   # postgresql://sis@127.0.0.1:PORT
unset SIS_SYNC_TEST_POSTGRESQL SIS_SYNC_TEST_POSTGRESQL_FOLDER
pg() { local db=$1; shift; PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$base/$db" "$@"; }
[ "$(pg postgres -At -c "SHOW fsync")" = "$fsync" ] || die "the server's fsync is not $fsync"
# fresh_database NAME [TEMPLATE]: NAME dropped and made again (a copy of TEMPLATE).
fresh_database() {
  pg postgres -c "DROP DATABASE IF EXISTS $1" \
    -c "CREATE DATABASE $1${2:+ TEMPLATE $2 STRATEGY file_copy}" >/dev/null
}

# --- data ---------------------------------------------------------------------------
gen_sum=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)
params="rows=$rows changes=$changes district_accounts=$district_accounts gen=$gen_sum"
if [ "$(cat "$d/params" 2>/dev/null)" = "$params" ]; then
  say "reusing the data in $d ($params)"
else
  say "generating the data in $d ($params)"
  rm -f "$d/params"
  python3 "$bench_dir/gen_export.py" --rows "$rows" --invalid-share 0.01 --seed 42 \
    --out "$d/export.csv" --schools "$d/schools.csv" --directory "$d/directory.csv" \
    --directory-share 0.95 --directory-extra 0.06 2>"$work/logs/gen.log"
  organizations_from "$d/schools.csv" "$d/organizations.csv"
  # The apply's export: the directory's own rows, CHANGES of them (every
  # ninth from the top that is Active and has a custom_id) with another
  # middle name; changes-only.csv holds
  # just those (what the psql side loads).
  python3 - "$d/directory.csv" "$d/changes.csv" "$d/changes-only.csv" "$changes" <<'PYTHON'
import csv, sys
src, everything, only, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(src, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
changed = 0
for index, row in enumerate(rows):
    if index % 9 == 0 and changed < want and row[9] == "Active" and row[4]:
        row[1] = "Quill" if row[1] != "Quill" else "Quince"
        changed += 1
        rows[index] = row + ["*"]
for path, keep in ((everything, lambda r: True), (only, lambda r: r[-1] == "*")):
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        w.writerows(r[:10] for r in rows if keep(r) and len(r) >= 10)
PYTHON
  # One district: DISTRICT_ACCOUNTS people; every one gets a new middle name.
  python3 "$bench_dir/gen_export.py" --rows "$district_accounts" --invalid-share 0 --seed 7 \
    --out "$d/district-export.csv" --schools "$d/district-schools.csv" --directory "$d/district.csv" \
    --directory-share 1 --directory-extra 0 --directory-changed 0 2>>"$work/logs/gen.log"
  organizations_from "$d/district-schools.csv" "$d/district-organizations.csv"
  python3 - "$d/district.csv" "$d/district-changes.csv" <<'PYTHON'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
for row in rows[1:]:
    row[1] = "Quill" if row[1] != "Quill" else "Quince"
with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    csv.writer(out, lineterminator="\n").writerows(rows)
PYTHON
  echo "$params" >"$d/params"
fi
accounts=$(( $(wc -l <"$d/directory.csv") - 1 ))
pg_url="$base/imported?directory=bench"
sqlite_db=$work/imported.sqlite

# The bare table's rows: the directory CSV as the account table's own
# columns (ids and organization ids as sis-sync gives them), made untimed.
bare_rows() {
  pg imported -c "\\copy (SELECT id, external_id FROM sis_sync_bench.organization) TO '$work/org-ids.csv' WITH (FORMAT csv)"
  python3 - "$work/org-ids.csv" "$d/directory.csv" "$work/bare-accounts.csv" <<'PYTHON'
import csv, sys
ids = {external: oid for oid, external in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))}
with open(sys.argv[2], newline="", encoding="utf-8") as f, open(sys.argv[3], "w", newline="", encoding="utf-8") as out:
    reader = csv.reader(f)
    next(reader)
    w = csv.writer(out, lineterminator="\n")
    for n, (first, middle, last, email, cid, school, kind, position, grade, status) in enumerate(reader, 1):
        w.writerow([n, cid or None, first, middle, last, email, ids[school], kind, position, grade, status, 1])
PYTHON
}
# The bare database: sis-sync's organization and account tables as the
# import made them (columns, keys, unique email index, checks), empty
# accounts; pg_dump copies the definitions.
bare_database() {
  fresh_database bare
  pg_dump_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/pg_dump
  [ -x "$pg_dump_bin" ] || pg_dump_bin=pg_dump
  "$pg_dump_bin" --schema-only --no-owner -n sis_sync_bench -t sis_sync_bench.organization \
    -t sis_sync_bench.account "$base/imported" >"$work/bare-schema.sql"
  pg bare -c "CREATE SCHEMA sis_sync_bench" >/dev/null
  pg bare -f "$work/bare-schema.sql" >/dev/null
  pg bare -c "\\copy sis_sync_bench.organization FROM '$work/organizations-rows.csv' WITH (FORMAT csv)"
}
import_ok() { [ "$(pg "$1" -At -c "SELECT count(*) FROM sis_sync_bench.account")" = "$accounts" ] \
  || die "$1 does not hold $accounts accounts after the import"; }

rm -f "$work"/times/run-*

# --- 1. import ----------------------------------------------------------------------
for ((run = 1; run <= runs; run++)); do
  say "import $run/$runs: sis-sync directory import into PostgreSQL ($accounts accounts)"
  fresh_database imported
  measure run-pg-import "$work/logs/pg-import.out" 0 \
    "$sis_sync" directory import --directory "$pg_url" --organizations "$d/organizations.csv" --accounts "$d/directory.csv"
  import_ok imported
  if [ "$run" = 1 ]; then
    pg imported -c "\\copy sis_sync_bench.organization TO '$work/organizations-rows.csv' WITH (FORMAT csv)"
    bare_rows
  fi
  say "import $run/$runs: psql \\copy into a bare table"
  bare_database
  measure run-psql-import "$work/logs/psql-import.out" 0 \
    psql -X -q -v ON_ERROR_STOP=1 "$base/bare" -c "\\copy sis_sync_bench.account (id, custom_id, first_name, middle_name, last_name, email, organization_id, user_type, position, grade, status, changed_generation) FROM '$work/bare-accounts.csv' WITH (FORMAT csv, FORCE_NOT_NULL (first_name, middle_name, last_name, email, user_type, position, grade, status))"
  import_ok bare
  say "import $run/$runs: sis-sync directory import into SQLite"
  rm -f "$sqlite_db" "$sqlite_db"-wal "$sqlite_db"-shm "$sqlite_db".lock "$sqlite_db".snapshot
  measure run-sqlite-import "$work/logs/sqlite-import.out" 0 \
    "$sis_sync" directory import --directory "$sqlite_db" --organizations "$d/organizations.csv" --accounts "$d/directory.csv"
done
pg postgres -c "DROP DATABASE bare" >/dev/null

# --- 2. plan ------------------------------------------------------------------------
for ((run = 1; run <= runs; run++)); do
  say "plan $run/$runs: PostgreSQL"
  SIS_SYNC_TIMING=1 measure run-pg-plan /dev/null "0 1 11" \
    "$sis_sync" plan "$d/export.csv" --directory "$pg_url" --disable-missing
  cp "$work/logs/run-pg-plan.err" "$work/logs/pg-plan-$run.timing"
  say "plan $run/$runs: SQLite, first plan (no snapshot cache)"
  rm -f "$sqlite_db".snapshot
  SIS_SYNC_TIMING=1 measure run-sqlite-plan /dev/null "0 1 11" \
    "$sis_sync" plan "$d/export.csv" --directory "$sqlite_db" --disable-missing
  cp "$work/logs/run-sqlite-plan.err" "$work/logs/sqlite-plan-$run.timing"
done

# --- 3. apply -----------------------------------------------------------------------
say "saving the plans of $changes updates (not timed)"
save_plan() {   # save_plan DIRECTORY PLAN
  local rc=0
  "$sis_sync" plan "$d/changes.csv" --directory "$1" --out "$2" --format json >"$2.json" 2>"$2.err" || rc=$?
  [ "$rc" = 0 ] || { tail -n 20 "$2.err" >&2; die "sis-sync plan of the changes exited with $rc"; }
  local n
  n=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["update"])' "$2.json")
  [ "$n" = "$changes" ] || die "the plan $2 has $n updates, not $changes"
}
save_plan "$pg_url" "$work/plans/changes-pg.plan"
rm -f "$sqlite_db".snapshot
save_plan "$sqlite_db" "$work/plans/changes-sqlite.plan"
cat >"$work/copy-only.sql" <<EOF
BEGIN;
CREATE TEMPORARY TABLE account_change (first_name text, middle_name text, last_name text, email text,
  custom_id text, school_district_external_id text, user_type text, position text, grade text, status text)
  ON COMMIT DROP;
\\copy account_change FROM '$d/changes-only.csv' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL (first_name, middle_name, last_name, email, school_district_external_id, user_type, position, grade, status))
COMMIT;
EOF
# The same, then every account's row written as sis-sync's update writes it.
sed '$d' "$work/copy-only.sql" >"$work/copy-update.sql"
cat >>"$work/copy-update.sql" <<'EOF'
UPDATE sis_sync_bench.account AS a
SET first_name = c.first_name, middle_name = c.middle_name, last_name = c.last_name, email = c.email,
    organization_id = o.id, user_type = c.user_type, position = c.position, grade = c.grade,
    status = c.status, changed_generation = 999999,
    email_generated = CASE WHEN a.email = c.email THEN a.email_generated ELSE 0 END
FROM account_change AS c JOIN sis_sync_bench.organization AS o ON o.external_id = c.school_district_external_id
WHERE a.custom_id = c.custom_id;
COMMIT;
EOF
updated() { pg apply_run -At -c "SELECT count(*) FROM sis_sync_bench.account WHERE middle_name IN ('Quill', 'Quince') AND changed_generation > 1"; }
for ((run = 1; run <= runs; run++)); do
  say "apply $run/$runs: PostgreSQL ($changes updates)"
  fresh_database apply_run imported
  SIS_SYNC_TIMING=1 measure run-pg-apply "$work/logs/pg-apply.out" 0 \
    "$sis_sync" apply "$work/plans/changes-pg.plan" --directory "$base/apply_run?directory=bench"
  cp "$work/logs/run-pg-apply.err" "$work/logs/pg-apply-$run.timing"
  n=$(updated); [ "$n" -ge "$changes" ] || die "after sis-sync apply: $n accounts updated, not $changes"
  say "apply $run/$runs: psql \\copy into a temporary table"
  measure run-psql-copy "$work/logs/psql-copy.out" 0 psql -X -q -v ON_ERROR_STOP=1 "$base/apply_run" -f "$work/copy-only.sql"
  say "apply $run/$runs: psql \\copy + UPDATE ... FROM"
  fresh_database apply_run imported
  measure run-psql-update "$work/logs/psql-update.out" 0 psql -X -q -v ON_ERROR_STOP=1 "$base/apply_run" -f "$work/copy-update.sql"
  n=$(updated); [ "$n" -ge "$changes" ] || die "after psql UPDATE: $n accounts updated, not $changes"
  say "apply $run/$runs: SQLite"
  rm -f "$work/apply-run.sqlite"*
  cp "$sqlite_db" "$work/apply-run.sqlite"
  SIS_SYNC_TIMING=1 measure run-sqlite-apply "$work/logs/sqlite-apply.out" 0 \
    "$sis_sync" apply "$work/plans/changes-sqlite.plan" --directory "$work/apply-run.sqlite"
  cp "$work/logs/run-sqlite-apply.err" "$work/logs/sqlite-apply-$run.timing"
done
pg postgres -c "DROP DATABASE apply_run" >/dev/null

# --- 4. many districts in one database --------------------------------------------
say "importing $districts directories of $district_accounts accounts into one database"
fresh_database districts
district_url() { printf '%s/districts?directory=d%03d' "$base" "$1"; }
export -f district_url
export base sis_sync d
seq 1 "$districts" | xargs -P 2 -I{} bash -c \
  '"$sis_sync" directory import --directory "$(district_url {})" --organizations "$d/district-organizations.csv" --accounts "$d/district.csv" >/dev/null 2>>"'"$work"'/logs/district-import.err"' \
  || die "a district import failed (see $work/logs/district-import.err)"
used=$(( 2 * concurrent * runs ))
say "saving $used district plans (not timed)"
seq 1 "$used" | xargs -P 2 -I{} bash -c \
  '"$sis_sync" plan "$d/district-changes.csv" --directory "$(district_url {})" --out "'"$work"'/plans/district-{}.plan" >/dev/null 2>>"'"$work"'/logs/district-plan.err"' \
  || die "a district plan failed (see $work/logs/district-plan.err)"
# The lock sampler: one session that, every 10 ms until lock_sample_stop has
# a row (at most 10 minutes), notes the locks waited for, the sessions
# waiting on a lock and the sis-sync directory locks held (advisory locks
# of class 0x53495353). pg_locks is read afresh by each statement.
pg districts -c "CREATE UNLOGGED TABLE lock_sample (waited int, waiting int, held int);
  CREATE UNLOGGED TABLE lock_sample_stop (x int)" >/dev/null
sample_locks() {
  pg districts -c "DO \$\$ BEGIN FOR i IN 1..60000 LOOP
      EXIT WHEN EXISTS (SELECT 1 FROM lock_sample_stop);
      INSERT INTO lock_sample SELECT (SELECT count(*) FROM pg_locks WHERE NOT granted),
        (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'),
        (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 1397314387);
      PERFORM pg_sleep(0.01);
    END LOOP; END \$\$" >/dev/null
}
rm -f "$work"/times/district-*
for ((run = 1; run <= runs; run++)); do
  first=$(( (run - 1) * 2 * concurrent + 1 ))
  for ((i = first; i < first + concurrent; i++)); do
    say "districts $run/$runs: apply to d$(printf %03d $i) alone"
    measure district-alone /dev/null 0 "$sis_sync" apply "$work/plans/district-$i.plan" --directory "$(district_url $i)"
  done
  say "districts $run/$runs: $concurrent applies at once"
  sample_locks &
  sampler=$!
  start=$(date +%s.%N)
  pids=()
  for ((i = first + concurrent; i < first + 2 * concurrent; i++)); do
    "${timer[@]}" -f '%e %M' -o "$work/times/district-$i" -- \
      "$sis_sync" apply "$work/plans/district-$i.plan" --directory "$(district_url $i)" \
      >/dev/null 2>"$work/logs/district-$i.err" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a concurrent apply failed (logs/district-*.err)"; done
  echo "$(date +%s.%N) $start" | awk '{printf "%.2f\n", $1 - $2}' >>"$work/times/district-batch"
  pg districts -c "INSERT INTO lock_sample_stop VALUES (1)" >/dev/null
  wait "$sampler"
  pg districts -c "DELETE FROM lock_sample_stop" >/dev/null
  for ((i = first + concurrent; i < first + 2 * concurrent; i++)); do
    tail -n 1 "$work/times/district-$i" >>"$work/times/district-together"
  done
done

pg districts -At -F ' ' -c "SELECT waited, waiting, held FROM lock_sample" >"$work/locks"

# --- table --------------------------------------------------------------------------
commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
settings=$(pg postgres -At -F '|' -c "SELECT current_setting('server_version'), current_setting('fsync'),
  current_setting('synchronous_commit'), current_setting('shared_buffers')")
echo
echo "sis-sync on PostgreSQL; sis-sync $commit$dirty; $runs runs each; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
IFS='|' read -r version fsync_now sync_commit buffers <<<"$settings"
echo "server: PostgreSQL $version on 127.0.0.1, fsync=$fsync_now synchronous_commit=$sync_commit shared_buffers=$buffers; sqlite: sis-sync's own (WAL)"
echo "directory: $accounts accounts; export: $rows rows; apply: $changes updates; districts: $districts x $district_accounts accounts"
python3 - "$work/times" "$work/locks" "$concurrent" <<'PYTHON'
import statistics, sys
times, locks, concurrent = sys.argv[1], sys.argv[2], int(sys.argv[3])

def load(name):
    rows = [line.split() for line in open(f"{times}/{name}") if line.strip()]
    walls = [float(r[0]) for r in rows]
    return statistics.median(walls), max(int(r[1]) for r in rows) * 1024 / 1e6 if len(rows[0]) > 1 else 0, walls

def table(title, rows, base, head):
    print()
    print(title)
    print(f"| {'what':<44} | {'median s':>8} | {'min-max s':>11} | {'peak RSS MB':>11} | {head:>14} |")
    print(f"|{'-' * 46}|{'-' * 9}:|{'-' * 12}:|{'-' * 12}:|{'-' * 15}:|")
    b = load(base)[0]
    for label, name in rows:
        med, rss, walls = load(name)
        print(f"| {label:<44} | {med:>8.2f} | {min(walls):>5.2f}-{max(walls):<5.2f} | {rss:>11.0f} | {med / b:>13.2f}x |")
    return {name: load(name)[0] for _, name in rows}

imp = table("import of the directory", [
    ("sis-sync directory import (PostgreSQL)", "run-pg-import"),
    ("psql \\copy into a bare table (same indexes)", "run-psql-import"),
    ("sis-sync directory import (SQLite)", "run-sqlite-import")], "run-psql-import", "vs \\copy")
pln = table("plan of the export against it (--disable-missing)", [
    ("sis-sync plan (PostgreSQL)", "run-pg-plan"),
    ("sis-sync plan (SQLite, first: no cache)", "run-sqlite-plan")], "run-sqlite-plan", "vs SQLite")
app = table("apply of the updates", [
    ("sis-sync apply (PostgreSQL)", "run-pg-apply"),
    ("psql \\copy into a temporary table", "run-psql-copy"),
    ("psql \\copy + one UPDATE ... FROM", "run-psql-update"),
    ("sis-sync apply (SQLite)", "run-sqlite-apply")], "run-psql-copy", "vs \\copy")
alone = load("district-alone")
together = load("district-together")
batch = [float(x) for x in open(f"{times}/district-batch") if x.strip()]
samples = [list(map(int, l.split())) for l in open(locks) if l.strip()]
print()
print(f"{concurrent} applies to different directories in one database (each: every account updated)")
print(f"  one at a time: median {alone[0]:.2f} s per apply (min-max {min(alone[2]):.2f}-{max(alone[2]):.2f}); "
      f"{concurrent} of them in a row: {alone[0] * concurrent:.2f} s")
print(f"  all at once:   median {together[0]:.2f} s per apply (min-max {min(together[2]):.2f}-{max(together[2]):.2f}); "
      f"batch wall: " + ", ".join(f"{b:.2f}" for b in batch) + " s")
print(f"  pg_locks, {len(samples)} samples during the concurrent applies: locks waited for max "
      f"{max((s[0] for s in samples), default=0)}, sessions waiting on a lock max {max((s[1] for s in samples), default=0)}, "
      f"sis-sync directory locks held at once max {max((s[2] for s in samples), default=0)}")
print()
print("targets:")
r = pln["run-pg-plan"] / pln["run-sqlite-plan"]
print(f"  {'PASS' if r <= 1.5 else 'FAIL'}  plan on PostgreSQL within 1.5x of SQLite's first plan ({r:.2f}x)")
r = app["run-pg-apply"] / app["run-psql-copy"]
print(f"  {'PASS' if r <= 2 else 'FAIL'}  apply within 2x of raw \\copy of the rows ({r:.2f}x)")
r = app["run-pg-apply"] / app["run-psql-update"]
print(f"  {'PASS' if r <= 2 else 'FAIL'}  apply within 2x of \\copy + UPDATE ... FROM ({r:.2f}x)")
waited = max((s[0] + s[1] for s in samples), default=0)
print(f"  {'PASS' if waited == 0 else 'FAIL'}  no concurrent apply waited on a lock (samples with a waiter: "
      f"{sum(1 for s in samples if s[0] + s[1] > 0)})")
PYTHON
