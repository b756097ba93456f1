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

# release_sis_sync REPO WORK BUILD [PRODUCT]: builds sis-sync in release
# (.build-release; once more if the first build fails, as a source file
# rewritten while the compiler reads it can crash it) when BUILD is 1, and
# sets $sis_sync to the binary. Stops the script when there is none.
release_sis_sync() {
  local repo=$1 work=$2 build=$3 product=${4:-} script
  script=$(basename "$0" .sh)
  if [ "$build" = 1 ]; then
    echo "[$(date +%H:%M:%S)] building sis-sync (release, .build-release)" >&2
    local flags=(-c release --scratch-path .build-release)
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
