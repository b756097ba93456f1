#!/usr/bin/env bash
# Times `sis-sync validate` against the peer validators of shared/bench on one
# synthetic export, in the same run, alternating, and prints medians and ratios.
#
# Usage: Benchmarks/validate-vs-peers.sh [--runs N] [--rows N] [--invalid-share F]
#                                        [--seed S] [--work DIR] [--no-build]
#
#   --runs N           timed runs of each tool (default 3)
#   --rows N           data rows in the export (default 1000000)
#   --invalid-share F  share of rows with a defect (default 0.01)
#   --seed S           generator seed (default 42)
#   --work DIR         where the export, peers venv and logs go
#                      (default $SIS_SYNC_BENCH_DIR or /tmp/sis-sync-bench)
#   --no-build         use the existing release binary in .build-release
#
# Environment: SIS_SYNC_SHARED (default: the shared/ folder beside the repo,
# $(dirname "$0")/../../shared), SIS_SYNC_BENCH_DIR, PEERS_VENV (default
# WORK/peers), BENCH_PYTHON_TIMER=1 (time with the Python fallback instead
# of GNU time). See Benchmarks/README.md for the acceptance targets.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
shared=${SIS_SYNC_SHARED:-$(dirname "$0")/../../shared}

runs=3
rows=1000000
invalid_share=0.01
seed=42
work=${SIS_SYNC_BENCH_DIR:-/tmp/sis-sync-bench}
build=1

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --invalid-share) invalid_share=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "validate-vs-peers: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "validate-vs-peers: --runs must be 1 or more" >&2; exit 64; }

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

[ -f "$shared/bench/peer_validate.py" ] || {
  echo "validate-vs-peers: no $shared/bench/peer_validate.py; set SIS_SYNC_SHARED" >&2
  exit 2
}
shared=$(cd "$shared" && pwd)
mkdir -p "$work/logs" "$work/times"
peers_venv=${PEERS_VENV:-$work/peers}

# --- 1. build ------------------------------------------------------------------
source "$(dirname "$0")/timing.sh"
release_sis_sync "$repo" "$work" "$build"

# --- 2. data -------------------------------------------------------------------
# Reused when the parameters and the generator are the same as last time.
export_csv=$work/export.csv
schools_csv=$work/schools.csv
directory_csv=$work/directory-empty.csv
stamp=$work/export.params
params="rows=$rows invalid_share=$invalid_share seed=$seed gen=$(sha256sum "$bench_dir/gen_export.py" | cut -c1-16)"
if [ -f "$export_csv" ] && [ -f "$schools_csv" ] && [ -f "$directory_csv" ] \
   && [ "$(cat "$stamp" 2>/dev/null)" = "$params" ]; then
  say "reusing $export_csv ($params)"
else
  say "generating $export_csv ($params)"
  rm -f "$stamp"
  python3 "$bench_dir/gen_export.py" --rows "$rows" --invalid-share "$invalid_share" --seed "$seed" \
    --out "$export_csv" --schools "$schools_csv" \
    --directory "$directory_csv" --directory-share 0   # header only: an empty directory
  echo "$params" >"$stamp"
fi
[ "$(wc -l <"$directory_csv")" -eq 1 ] || { echo "validate-vs-peers: $directory_csv is not header-only" >&2; exit 1; }
export_bytes=$(stat -c %s "$export_csv")

# --- 3. peers ------------------------------------------------------------------
say "setting up peers in $peers_venv"
"$shared/bench/setup-peers.sh" "$peers_venv" >"$work/logs/setup-peers.log" 2>&1 || {
  cat "$work/logs/setup-peers.log" >&2
  exit 1
}
peer_python=$peers_venv/bin/python

# --- 4. the timer: GNU time, else a Python wrapper with the same output -------
setup_timer "$work"

# --- 5. runs, alternating ------------------------------------------------------
rm -f "$work"/times/*
cat "$export_csv" >/dev/null   # page cache warm for everyone
peer=("$peer_python" "$shared/bench/peer_validate.py" --export "$export_csv"
      --directory "$directory_csv" --schools "$schools_csv")
for ((run = 1; run <= runs; run++)); do
  say "run $run/$runs: sis-sync validate"
  # Exit code 1 means "rows with errors were found": expected here.
  measure sis-sync /dev/null "0 1" "$sis_sync" validate "$export_csv" --format json
  say "run $run/$runs: peer_validate.py --impl csv"
  measure peer-csv "$work/logs/peer-csv.out" "0" "${peer[@]}" --impl csv
  say "run $run/$runs: peer_validate.py --impl polars"
  measure peer-polars "$work/logs/peer-polars.out" "0" "${peer[@]}" --impl polars
done

# --- 6. table ------------------------------------------------------------------
commit=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- Sources Package.swift 2>/dev/null | grep -q . && echo " + uncommitted changes" || true)
echo
echo "sis-sync validate vs peers: $rows rows, ${invalid_share} invalid, seed $seed; export $export_csv"
echo "sis-sync $commit$dirty; $runs runs each, alternating; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "peer counts (csv): $(cat "$work/logs/peer-csv.out")"
cmp -s "$work/logs/peer-csv.out" "$work/logs/peer-polars.out" \
  || echo "peer counts (polars) DIFFER: $(cat "$work/logs/peer-polars.out")"
python3 - "$work/times" "$export_bytes" <<'EOF'
import statistics, sys
times_dir, export_bytes = sys.argv[1], int(sys.argv[2])
tools = [("sis-sync validate", "sis-sync"), ("peer_validate --impl csv", "peer-csv"),
         ("peer_validate --impl polars", "peer-polars")]
stats = {}
for label, name in tools:
    runs = [line.split() for line in open(f"{times_dir}/{name}") if line.strip()]
    walls = [float(w) for w, _ in runs]
    stats[name] = (statistics.median(walls), max(int(k) for _, k in runs) * 1024 / 1e6, walls)
base_wall, base_rss, _ = stats["sis-sync"]
print()
print(f"| {'tool':<28} | {'median wall s':>13} | {'peak RSS MB':>11} | {'time ratio peer/sis-sync':>24} |")
print(f"|{'-' * 30}|{'-' * 14}:|{'-' * 12}:|{'-' * 25}:|")
for label, name in tools:
    wall, rss, _ = stats[name]
    ratio = "-" if name == "sis-sync" else f"{wall / base_wall:.2f}x"
    print(f"| {label:<28} | {wall:>13.2f} | {rss:>11.0f} | {ratio:>24} |")
print()
mb = export_bytes / 1e6
print(f"export size {mb:.1f} MB; sis-sync peak RSS {base_rss:.0f} MB = {base_rss / mb:.2f}x the file size")
for label, name in tools:
    print(f"  {label}: runs " + ", ".join(f"{w:.2f}" for w in stats[name][2]) + " s")
csv_ratio = stats["peer-csv"][0] / base_wall
polars_ratio = stats["peer-polars"][0] / base_wall
mem_ratio = base_rss / mb
print()
print("targets:")
print(f"  {'PASS' if csv_ratio >= 5 else 'FAIL'}  >= 5x faster than --impl csv     ({csv_ratio:.2f}x)")
print(f"  {'PASS' if polars_ratio >= 4 else 'FAIL'}  >= 4x faster than --impl polars  ({polars_ratio:.2f}x)")
print(f"  {'PASS' if mem_ratio <= 1.5 else 'FAIL'}  peak RSS <= 1.5x the export size ({mem_ratio:.2f}x)")
EOF
