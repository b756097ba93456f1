#!/usr/bin/env bash
# packaging/check-install.sh: the install checks CI runs as root after the
# tests (README, "Install"). Builds the release binary once and reuses it:
#  1. `make install` into a temporary DESTDIR puts every file in place, the
#     installed binary finds its demo data, and `make uninstall` removes all;
#  2. the Debian package installs; from an empty folder `sis-sync --version`
#     names this checkout's commit, `man sis-sync` renders, and
#     `sis-sync demo --no-review` works; every library the binary loads
#     belongs to a Debian package, none to the Swift toolchain; `dpkg -r`
#     leaves none of its files behind.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "check-install: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes a Debian package"

scratch=$(mktemp -d)
installed_package=false
cleanup() {
  if $installed_package; then dpkg -r sis-sync >/dev/null 2>&1 || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# The one release build (about 15 min on 2 cores), reused below.
make --no-print-directory all
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo "unknown")

# 1. make install / uninstall into a DESTDIR.
destdir=$scratch/destdir
prefix=/usr/local
files=(
  bin/sis-sync
  share/man/man1/sis-sync.1
  share/man/man5/sis-sync-mapping.5
  share/bash-completion/completions/sis-sync
  share/zsh/site-functions/_sis-sync
  share/fish/vendor_completions.d/sis-sync.fish
  share/sis-sync/demo/organizations.csv
  share/sis-sync/demo/accounts.csv
  share/sis-sync/exports/demo-district.csv
)
make --no-print-directory install DESTDIR="$destdir" PREFIX="$prefix" >/dev/null
for file in "${files[@]}"; do
  [ -s "$destdir$prefix/$file" ] || fail "make install did not install $prefix/$file"
done
[ -x "$destdir$prefix/bin/sis-sync" ] || fail "the installed binary is not executable"
extra=$(find "$destdir" -type f | sed "s|^$destdir$prefix/||" | grep -vxF -f <(printf '%s\n' "${files[@]}") || true)
[ -z "$extra" ] || fail "make install installed files the check does not know: $extra"
grep -q -- '--disable-missing' "$destdir$prefix/share/bash-completion/completions/sis-sync" \
  || fail "the bash completions do not name --disable-missing"
mkdir "$scratch/empty1"
(cd "$scratch/empty1" && "$destdir$prefix/bin/sis-sync" demo --no-review) >"$scratch/demo1.txt" \
  || fail "the installed binary's demo failed: $(cat "$scratch/demo1.txt")"
grep -qF "$destdir$prefix/share/sis-sync/exports/demo-district.csv" "$scratch/demo1.txt" \
  || fail "the installed demo did not use the installed data: $(cat "$scratch/demo1.txt")"
make --no-print-directory uninstall DESTDIR="$destdir" PREFIX="$prefix" >/dev/null
left=$(find "$destdir" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
[ ! -e "$destdir$prefix/share/sis-sync" ] || fail "make uninstall left $prefix/share/sis-sync"
echo "check-install: make install put ${#files[@]} files in place; make uninstall removed them"

# 2. The Debian package.
deb=$(make --no-print-directory deb | tail -n 1)
[ -f "$deb" ] || fail "make deb made no package"
dpkg-deb --field "$deb" Depends
[ "$(dpkg-deb --field "$deb" Recommends)" = libpq5 ] || fail "the package does not recommend libpq5"
dpkg -i "$deb" >/dev/null
installed_package=true
mkdir "$scratch/empty2"
(
  cd "$scratch/empty2"
  # Only what the package installed: nothing in /usr/local or the toolchain.
  export PATH=/usr/sbin:/usr/bin:/sbin:/bin MANWIDTH=80
  [ "$(command -v sis-sync)" = /usr/bin/sis-sync ] || fail "sis-sync is not /usr/bin/sis-sync"
  version=$(sis-sync --version)
  echo "check-install: $version"
  [[ $version == "sis-sync "*" (commit $commit"* ]] || fail "--version does not name commit $commit: $version"
  man -P cat sis-sync 2>&1 | grep -q '^NAME' || fail "man sis-sync does not render"
  man -P cat 5 sis-sync-mapping 2>&1 | grep -q '^NAME' || fail "man 5 sis-sync-mapping does not render"
  sis-sync demo --no-review >"$scratch/demo2.txt" || fail "sis-sync demo --no-review failed: $(cat "$scratch/demo2.txt")"
  grep -qF /usr/share/sis-sync/exports/demo-district.csv "$scratch/demo2.txt" \
    || fail "the packaged demo did not use /usr/share/sis-sync: $(cat "$scratch/demo2.txt")"
  [ -f sis-sync-demo.sqlite ] || fail "sis-sync demo made no sis-sync-demo.sqlite"
)

# The libraries it loads: each owned by a Debian package (with merged /usr
# the loader may name /lib/… where dpkg recorded /usr/lib/…, or the reverse).
toolchain=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")")
owner() {
  dpkg -S "$1" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null || dpkg -S "${1#/usr}" 2>/dev/null \
    || dpkg -S "$(readlink -f "$1")" 2>/dev/null
}
libraries=$(ldd /usr/bin/sis-sync | awk '$2 == "=>" { print $3 } $1 ~ /^\// { print $1 }')
! ldd /usr/bin/sis-sync | grep -q 'not found' || fail "ldd: a library is missing: $(ldd /usr/bin/sis-sync)"
for library in $libraries; do
  case $library in "$toolchain"/*) fail "the packaged binary loads $library from the Swift toolchain" ;; esac
  package=$(owner "$library") || fail "no Debian package owns $library"
  echo "check-install: ${package%%:*}: $library"
done

files_of_package=$(dpkg -L sis-sync | while read -r path; do [ -d "$path" ] || echo "$path"; done)
dpkg -r sis-sync >/dev/null
installed_package=false
status=$(dpkg-query -W -f='${db:Status-Status}' sis-sync 2>/dev/null || echo not-installed)
[ "$status" = not-installed ] || fail "after dpkg -r, sis-sync is $status"
for path in $files_of_package /usr/share/sis-sync /usr/share/doc/sis-sync; do
  [ ! -e "$path" ] || fail "dpkg -r left $path"
done
echo "check-install: $(basename "$deb") installed, ran, and was removed without a trace"
