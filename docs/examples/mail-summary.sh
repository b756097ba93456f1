#!/bin/sh
# Mails the summary of a sis-sync apply through sendmail, when there is one.
#
# An --on-finish command (man sis-sync, SCHEDULED RUNS):
#   sis-sync apply nightly.csv --yes --on-finish '/usr/local/lib/sis-sync/mail-summary.sh it@district.example'
# or, for every apply of the directory:
#   sis-sync settings set on_finish '/usr/local/lib/sis-sync/mail-summary.sh it@district.example problems'
#
# Arguments: the address to mail; then "problems" to mail only when the run
# was not applied cleanly or had nothing to do (held, refused, failed...).
# sis-sync gives the run's JSON summary on standard input (counts, never
# names) and SIS_SYNC_OUTCOME, SIS_SYNC_EXIT_CODE, SIS_SYNC_RUN_ID,
# SIS_SYNC_DIRECTORY, SIS_SYNC_EXPORT (or SIS_SYNC_PLAN) in the environment.
# What this prints goes to sis-sync's stderr; its exit code never changes
# sis-sync's.
set -eu

to=${1:?usage: mail-summary.sh ADDRESS [problems]}
only=${2:-all}

if [ "$only" = problems ]; then
  case "$SIS_SYNC_OUTCOME:$SIS_SYNC_EXIT_CODE" in
    applied:0 | nothing:10) exit 0 ;;
  esac
fi

sendmail=$(command -v sendmail 2>/dev/null || true)
for candidate in /usr/sbin/sendmail /usr/lib/sendmail; do
  [ -n "$sendmail" ] && break
  [ -x "$candidate" ] && sendmail=$candidate
done
if [ -z "$sendmail" ]; then
  echo "mail-summary.sh: no sendmail found; the summary of run ${SIS_SYNC_RUN_ID:-(none)} was not mailed" >&2
  exit 69 # EX_UNAVAILABLE
fi

summary=$(cat)
host=$(hostname 2>/dev/null || echo unknown)
{
  printf 'To: %s\n' "$to"
  printf 'Subject: sis-sync on %s: %s (exit %s)\n' "$host" "$SIS_SYNC_OUTCOME" "$SIS_SYNC_EXIT_CODE"
  printf 'Content-Type: text/plain; charset=UTF-8\n'
  printf '\n'
  printf 'Outcome:   %s (exit code %s)\n' "$SIS_SYNC_OUTCOME" "$SIS_SYNC_EXIT_CODE"
  printf 'Run:       %s\n' "${SIS_SYNC_RUN_ID:-none}"
  printf 'Directory: %s\n' "$SIS_SYNC_DIRECTORY"
  printf 'Input:     %s\n' "${SIS_SYNC_EXPORT:-${SIS_SYNC_PLAN:-}}"
  printf '\nSummary (JSON):\n%s\n' "$summary"
} | "$sendmail" -t -i
