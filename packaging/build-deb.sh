#!/usr/bin/env bash
# packaging/build-deb.sh BIN OUT: builds OUT/sis-sync_VERSION_ARCH.deb with
# dpkg-deb, offline, from the release binary BIN (built by `make` with
# --static-swift-stdlib, so it needs only Debian's libraries). Run it as
# `make deb`, which builds BIN first. Prints the package's path.
#
# The files are those of `make install` under /usr; Depends comes from
# dpkg-shlibdeps (the libraries the binary links, and the Debian packages
# that own them), with libpq5 recommended (loaded at run time, only for a
# directory on a PostgreSQL server); the version from `BIN --version`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Installed files and folders readable by all, whoever builds.
umask 022

bin=$1
out=$2
scratch=$(dirname "$(dirname "$bin")")
version=$("$bin" --version | awk '{ print $2 }')
arch=$(dpkg --print-architecture)
deb="$out/sis-sync_${version}_${arch}.deb"

# Every dependency SwiftPM checked out must be named in the copyright file:
# a new one in Package.swift fails here until its licence is recorded.
for checkout in "$scratch"/checkouts/*/; do
  name=$(basename "$checkout")
  if ! grep -q "checkouts/$name/" packaging/debian/copyright; then
    echo "build-deb: $name (in Package.swift) is not in packaging/debian/copyright: add its licence" >&2
    exit 1
  fi
done

# dpkg-shlibdeps wants a source tree: debian/control, and the package's
# files in debian/PACKAGE.
work="$out/work"
root="$work/debian/sis-sync"
rm -rf "$work"
mkdir -p "$work/debian"
printf 'Source: sis-sync\n\nPackage: sis-sync\nArchitecture: any\n' >"$work/debian/control"

make --no-print-directory install DESTDIR="$root" PREFIX=/usr SCRATCH="$scratch" \
  ZSH_COMPLETIONS=/usr/share/zsh/vendor-completions >/dev/null
# Debian policy: binaries stripped, man pages compressed, the copyright file
# in the package's doc folder.
strip --strip-unneeded "$root/usr/bin/sis-sync"
gzip -9n "$root/usr/share/man/man1/sis-sync.1" "$root/usr/share/man/man5/sis-sync-mapping.5"
install -d "$root/usr/share/doc/sis-sync"
install -m 644 packaging/debian/copyright "$root/usr/share/doc/sis-sync/copyright"

# DEBIAN/ first: dpkg-shlibdeps finds the package's root by it.
install -d -m 755 "$root/DEBIAN"
depends=$(cd "$work" && dpkg-shlibdeps -O -e debian/sis-sync/usr/bin/sis-sync | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

{
  echo "Package: sis-sync"
  echo "Version: $version"
  echo "Architecture: $arch"
  echo "Maintainer: sis-sync maintainers <maintainers@users.noreply.r-seed-1cbb50f2.example>"
  echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
  echo "Depends: $depends"
  # Loaded with dlopen at the first PostgreSQL connection (LibPQ.swift), so
  # dpkg-shlibdeps does not see it; only directories on a server need it.
  echo "Recommends: libpq5"
  echo "Section: admin"
  echo "Priority: optional"
  echo "Description: review and apply a Student Information System export to the user directory"
  echo " Brings a school district's SIS export into its user directory safely:"
  echo " every row checked, every change shown before it is made, nothing"
  echo " applied blind, everything recorded and revertible."
} >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -exec md5sum {} + | sort -k 2) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
