# Shared by the benchmark scripts (sourced): a timer that reports wall time
# and peak memory, and `measure`, one timed run of a command.
#
# setup_timer WORK: GNU time when there is one (installing it on Debian as
# root), else a small Python wrapper with the same output.
setup_timer() {
  local work=$1
  timer=(/usr/bin/time)
  if ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "installing GNU time" >&2
      apt-get install -y -q time >"$work/logs/apt.log" 2>&1 \
        || { apt-get update -q && apt-get install -y -q time; } >>"$work/logs/apt.log" 2>&1 || true
    fi
  fi
  if [ "${BENCH_PYTHON_TIMER:-0}" = 1 ] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    echo "GNU time unavailable (or BENCH_PYTHON_TIMER=1): timing with a Python resource wrapper" >&2
    cat >"$work/pytime.py" <<'PYTHON'
# pytime.py -f FORMAT -o FILE -- CMD...: writes "wall_s peak_rss_kb" like GNU time -f '%e %M'.
import resource, subprocess, sys, time
args = sys.argv[1:]
out = args[args.index("-o") + 1]
cmd = args[args.index("--") + 1:]
t0 = time.perf_counter()
rc = subprocess.call(cmd)
wall = time.perf_counter() - t0
with open(out, "w") as f:
    f.write(f"{wall:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.exit(rc)
PYTHON
    timer=(python3 "$work/pytime.py")
  fi
}

# measure NAME STDOUT OK_CODES CMD...: one timed run of CMD, its output to
# STDOUT; appends "wall_s peak_rss_kb" to $work/times/NAME. Other exit codes
# stop the script. Needs $work and $timer (setup_timer).
measure() {
  local name=$1 stdout=$2 ok=$3; shift 3
  local rc=0
  "${timer[@]}" -f '%e %M' -o "$work/times/last" -- "$@" >"$stdout" 2>"$work/logs/$name.err" || rc=$?
  if [[ " $ok " != *" $rc "* ]]; then
    echo "$(basename "$0"): $name exited with $rc: $*" >&2
    echo "its error output (last 30 lines of $work/logs/$name.err):" >&2
    tail -n 30 "$work/logs/$name.err" >&2
    exit 1
  fi
  tail -n 1 "$work/times/last" >>"$work/times/$name"   # GNU time may add an exit-status line first
}

# organizations_from SCHOOLS ORGS: the directory's organizations CSV
# (external_id,name,kind) from gen_export.py's schools list.
organizations_from() {
  python3 - "$1" "$2" <<'PYTHON'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    schools = list(csv.reader(f))[1:]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["external_id", "name", "kind"])
    w.writerows([sid, name, "school"] for sid, name in schools)
PYTHON
}

# The build that ships (the Makefile's, which `make install` and the Debian
# package use): the Swift runtime linked in, so a run does not spend ~8 ms
# loading and binding its shared libraries. The same flags and folder as
# the Makefile, so neither rebuilds everything after the other.
release_build_flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path .build-release)

# release_sis_sync REPO WORK BUILD [PRODUCT]: builds sis-sync as shipped
# (release_build_flags; once more if the first build fails, as a source file
# rewritten while the compiler reads it can crash it) when BUILD is 1, and
# sets $sis_sync to the binary. Stops the script when there is none.
release_sis_sync() {
  local repo=$1 work=$2 build=$3 product=${4:-} script
  script=$(basename "$0" .sh)
  if [ "$build" = 1 ]; then
    echo "[$(date +%H:%M:%S)] building sis-sync (release, static Swift runtime, .build-release)" >&2
    local flags=("${release_build_flags[@]}")
    [ -z "$product" ] || flags+=(--product "$product")
    (cd "$repo" && swift build "${flags[@]}") >"$work/logs/build.log" 2>&1 \
      || (cd "$repo" && swift build "${flags[@]}") >"$work/logs/build.log" 2>&1 || {
      grep -m 20 -E 'error:|Program crashed' "$work/logs/build.log" >&2 || tail -n 40 "$work/logs/build.log" >&2
      echo "$script: release build failed (log: $work/logs/build.log)" >&2
      exit 1
    }
  fi
  sis_sync="$(cd "$repo" && swift build -c release --scratch-path .build-release --show-bin-path)/sis-sync"
  [ -x "$sis_sync" ] || { echo "$script: no binary at $sis_sync" >&2; exit 1; }
}

# sqlite3_template_sql BASE: the SQL that makes the sqlite3 side's database
# for an apply benchmark: WAL like sis-sync's, the organization, account, run
# and change tables with their indexes exactly as sis-sync created them in
# BASE (read from its schema), and BASE's organization rows (same ids).
sqlite3_template_sql() {
  echo "PRAGMA journal_mode = WAL;"
  sqlite3 "$1" "SELECT sql || ';' FROM sqlite_master
                WHERE tbl_name IN ('organization', 'account', 'run', 'change') AND sql IS NOT NULL
                ORDER BY type DESC, name"
  echo "ATTACH '$1' AS s; INSERT INTO organization SELECT * FROM s.organization; DETACH s;"
}

# sqlite3_load_sql CREATES_CSV: what the timed sqlite3 command runs for an
# apply of the creates in CREATES_CSV. It parses the CSV into an in-memory
# staging table (the shell's own .import), then, in one transaction, writes
# what `sis-sync apply` writes for those creates: the run record, the
# accounts (one INSERT ... SELECT doing to each row what a create does: the
# school's external ID looked up in `organization`, position dropped for
# students, grade normalised, generation 2) and one history row per account
# (`change`: action, account, organization, custom_id, export line, the ten
# values after, unit-separated), with foreign keys on and every index kept.
sqlite3_load_sql() {
  cat <<SQL
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE account_import (first_name TEXT, middle_name TEXT, last_name TEXT, email TEXT,
  custom_id TEXT, school_district_external_id TEXT, user_type TEXT, position TEXT, grade TEXT,
  status TEXT);
.import --csv --skip 1 "$1" account_import
BEGIN IMMEDIATE;
INSERT INTO run (kind, started_at, finished_at, user_name, host, export_path, generation, counts)
VALUES ('apply', strftime('%Y-%m-%dT%H:%M:%SZ'), strftime('%Y-%m-%dT%H:%M:%SZ'), 'bench', 'bench',
        '$(basename "$1")', 2, '{}');
INSERT INTO account (custom_id, first_name, middle_name, last_name, email, organization_id,
                     user_type, position, grade, status, changed_generation)
SELECT i.custom_id, i.first_name, i.middle_name, i.last_name, i.email, o.id, i.user_type,
       CASE WHEN i.user_type = 'Student' THEN '' ELSE i.position END,
       CASE WHEN i.user_type <> 'Student' THEN ''
            WHEN i.grade = '' THEN 'Unspecified' ELSE i.grade END,
       i.status, 2
FROM account_import AS i JOIN organization AS o ON o.external_id = i.school_district_external_id
ORDER BY i.rowid;
INSERT INTO change (run_id, action, account_id, organization_id, custom_id, line, before, after, outcome)
SELECT (SELECT max(id) FROM run), 'create', a.id, a.organization_id, a.custom_id, i.rowid + 1, NULL,
       a.first_name || char(31) || a.middle_name || char(31) || a.last_name || char(31) || a.email
       || char(31) || a.custom_id || char(31) || i.school_district_external_id || char(31) || a.user_type
       || char(31) || a.position || char(31) || a.grade || char(31) || a.status, NULL
FROM account_import AS i JOIN account AS a ON a.custom_id = i.custom_id
ORDER BY i.rowid;
UPDATE run SET counts = '{"create":' || (SELECT count(*) FROM change) || '}';
COMMIT;
SQL
}
