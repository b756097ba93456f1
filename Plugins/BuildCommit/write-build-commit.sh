#!/bin/sh
# write-build-commit.sh CHECKOUT OUTPUT: writes OUTPUT/BuildCommit.swift,
# the commit CHECKOUT is at (12 hex digits, "-modified" when tracked files
# differ from it), or nil when CHECKOUT is not a git checkout or git is
# missing: a build never fails for want of git. The file is rewritten only
# when its text changes, so an unchanged commit recompiles nothing.
set -u
checkout=$1
output=$2
mkdir -p "$output" || exit 1

value=nil
if commit=$(git -C "$checkout" rev-parse --short=12 HEAD 2>/dev/null); then
  # --no-optional-locks: a build must not take the index lock from the user.
  if [ -n "$(git --no-optional-locks -C "$checkout" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    commit="$commit-modified"
  fi
  value="\"$commit\""
fi

file=$output/BuildCommit.swift
{
  echo "// Written by Plugins/BuildCommit/write-build-commit.sh at build time."
  echo "/// The commit this binary was built from; nil when built outside a git checkout."
  echo "let buildCommit: String? = $value"
} >"$file.new" || exit 1
if cmp -s "$file.new" "$file"; then rm -f "$file.new"; else mv "$file.new" "$file"; fi
