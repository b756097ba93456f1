#!/usr/bin/env bash
# Builds the libFuzzer harnesses and runs each for a while (Fuzz/README.md).
#
#   Fuzz/run.sh [--seconds N] [--jobs J] [--debug] [--ci] [csv|mapping|files|cache ...]
#
# Default: all four targets, 60 s each, one job, release builds. --debug:
# unoptimised builds (half the build time, a third of the speed, and
# assert() checked). --ci: --debug and 25 s each. Exits
# non-zero when a target found a crash, hang or out-of-memory (its input is
# kept in .build-fuzz/findings/TARGET/), or when a build failed.
#
# Environment: FUZZ_SCRATCH (default .build-fuzz) holds the fuzz build, the
# corpora, artifacts and logs; FUZZ_DEBUG_SCRATCH (default .build, what
# `swift build` uses) builds the debug sis-sync that makes seed plan files.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
jobs=1
configuration=release
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --jobs=*) jobs="${1#*=}"; shift ;;
    --debug) configuration=debug; shift ;;
    --ci) seconds=25; configuration=debug; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    csv | mapping | files | cache) targets+=("$1"); shift ;;
    *) echo "run.sh: unknown argument '$1' (targets: csv, mapping, files, cache)" >&2; exit 64 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(csv mapping files cache)

scratch="${FUZZ_SCRATCH:-.build-fuzz}"
debug_scratch="${FUZZ_DEBUG_SCRATCH:-.build}"
# -sanitize=fuzzer: coverage instrumentation and libFuzzer; address: the
# engine reads rows through unsafe buffers, unchecked in release builds.
# -parse-as-library and FUZZING: see Fuzz/driver/LibFuzzer.swift; the
# harness's main finds LLVMFuzzerRunDriver with dlsym.
# CI builds them unoptimised (--debug): the release build of every layer
# with the sanitizers took 5 of CI's 22 minutes, a debug one half that.
build_flags=(
  -c "$configuration" --scratch-path "$scratch"
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -DFUZZING
  -Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver
)
# libFuzzer, not Swift's backtracer, must catch a crash to save its input.
export SWIFT_BACKTRACE=enable=no
# No allocation stacks in reports: allocating is 40% faster (rerun a
# reproducer with ASAN_OPTIONS= for them).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:malloc_context_size=0}"

# Seeds: the repository's fixtures, cut to the length fuzzing uses.
seed() { # seed TARGET FILE [NAME]
  local name="${3:-$(echo "$2" | tr '/' '_')}"
  head -c 65536 "$2" >"$scratch/corpus/$1/seed-$name"
}

seed_csv() {
  local file
  while IFS= read -r file; do seed csv "$file"; done \
    < <(find Fixtures/exports Fixtures/presets -name '*.csv' -size -4M | sort)
}

# The debug sis-sync makes what only it can: preset texts, a plan file.
sis_sync=""
debug_binary() {
  if [ -z "$sis_sync" ]; then
    echo "== building the debug sis-sync for seeds ($debug_scratch)"
    if swift build --scratch-path "$debug_scratch" --product sis-sync >"$scratch/logs/sis-sync-build.log" 2>&1; then
      sis_sync="$debug_scratch/debug/sis-sync"
    else
      echo "   (failed, see $scratch/logs/sis-sync-build.log: seeding from fixtures only)"
      sis_sync="none"
    fi
  fi
  [ "$sis_sync" != "none" ]
}

seed_mapping() {
  local file preset
  for file in Fixtures/mappings/*.map; do seed mapping "$file"; done
  if debug_binary; then
    for preset in $("$sis_sync" mapping list | grep -E '^[a-z0-9.-]+$'); do
      "$sis_sync" mapping show "$preset" >"$scratch/corpus/mapping/seed-preset-$preset" 2>/dev/null \
        || rm -f "$scratch/corpus/mapping/seed-preset-$preset"
    done
  fi
}

seed_files() {
  local work="$scratch/seed-work" export="Fixtures/exports/demo-district.csv" sha
  rm -rf "$work" && mkdir -p "$work"
  sha=$(sha256sum "$export" | cut -d' ' -f1)
  # A session as ReviewSession.save writes it (pretty, sorted keys).
  cat >"$work/demo.session" <<EOF
{
  "decisions" : [
    {
      "exclude" : {
        "line" : 3
      }
    },
    {
      "excludeLines" : {
        "_0" : [
          4,
          5
        ],
        "reason" : "E012 rows"
      }
    },
    {
      "editCustomID" : {
        "customID" : "S-0007",
        "line" : 7
      }
    },
    {
      "remapBuildingID" : {
        "from" : "0042",
        "to" : "BLDG-42"
      }
    },
    {
      "mapValue" : {
        "column" : "grade",
        "from" : "TK",
        "to" : "K"
      }
    }
  ],
  "export" : "$export",
  "export_sha256" : "$sha",
  "format" : "sis-sync session 1",
  "mapping" : "no mapping",
  "saved_at" : "2026-01-05T09:30:00Z"
}
EOF
  seed files "$work/demo.session" demo.session
  if debug_binary; then
    local directory="$work/demo.sqlite"
    if "$sis_sync" demo --no-review --directory "$directory" >"$work/demo.log" 2>&1; then
      "$sis_sync" plan "$export" --directory "$directory" --out "$work/demo.plan" >>"$work/demo.log" 2>&1 || true
      "$sis_sync" plan "$export" --directory "$directory" --session "$work/demo.session" \
        --out "$work/session.plan" >>"$work/demo.log" 2>&1 || true
    fi
    local plan
    for plan in demo.plan session.plan; do
      if [ -s "$work/$plan" ]; then
        seed files "$work/$plan" "$plan"
      else
        echo "   (no $plan made, see $work/demo.log)"
      fi
    done
  fi
}

# The snapshot cache sis-sync writes beside the demo directory.
seed_cache() {
  local work="$scratch/seed-work-cache"
  rm -rf "$work" && mkdir -p "$work"
  if debug_binary && "$sis_sync" demo --no-review --directory "$work/demo.sqlite" >"$work/demo.log" 2>&1 \
    && "$sis_sync" plan Fixtures/exports/demo-district.csv --directory "$work/demo.sqlite" >>"$work/demo.log" 2>&1; \
    [ -s "$work/demo.sqlite.snapshot" ]; then
    seed cache "$work/demo.sqlite.snapshot" demo.snapshot
  else
    echo "   (no snapshot cache made, see $work/demo.log)"
    printf 'sis-sync snapshot 4\n' >"$scratch/corpus/cache/seed-magic"
  fi
}

mkdir -p "$scratch/logs"
status=0
summary=()
build_total=0
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  # Not $scratch/artifacts: SwiftPM owns that folder and empties it.
  artifacts="$scratch/findings/$target"
  log="$scratch/logs/$target.log"
  mkdir -p "$corpus" "$artifacts"

  echo "== building fuzz-$target ($configuration)"
  started=$SECONDS
  if ! swift build "${build_flags[@]}" --product "fuzz-$target" >"$scratch/logs/build-$target.log" 2>&1; then
    tail -20 "$scratch/logs/build-$target.log" >&2
    summary+=("$target: BUILD FAILED (see $scratch/logs/build-$target.log)")
    status=1
    continue
  fi
  build_total=$((build_total + SECONDS - started))
  echo "   built in $((SECONDS - started)) s"

  "seed_$target"
  before=$(ls "$artifacts" | sort)

  echo "== fuzzing $target for $seconds s ($(ls "$corpus" | wc -l) inputs in $corpus)"
  options=(
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536
    -artifact_prefix="$artifacts/" -print_final_stats=1 -dict="Fuzz/dict/$target.dict"
  )
  [ "$jobs" -gt 1 ] && options+=(-fork="$jobs")
  started=$SECONDS
  set +e
  "$scratch/$configuration/fuzz-$target" "${options[@]}" "$corpus" >"$log" 2>&1
  code=$?
  set -e
  elapsed=$((SECONDS - started))

  units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # Fork mode prints no final stats: its last status line has the count.
  [ -n "$units" ] || units=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  units=${units:-0}
  found=$(comm -13 <(echo "$before") <(ls "$artifacts" | sort) | sed '/^$/d')
  line="$target: ${elapsed} s, $units executed units, $((units / (elapsed > 0 ? elapsed : 1))) exec/s"
  if [ $code -ne 0 ] || [ -n "$found" ]; then
    status=1
    line+=", FOUND SOMETHING (exit $code):"
    for artifact in $found; do line+=" $artifacts/$artifact"; done
    grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer)|Fatal error|SUMMARY:' "$log" | sed 's/^/   /' >&2 || true
  else
    line+=", nothing found"
  fi
  summary+=("$line")
done

echo "== summary (build $build_total s; logs in $scratch/logs)"
printf '%s\n' "${summary[@]}"
exit $status
