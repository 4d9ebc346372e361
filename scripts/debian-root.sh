#!/usr/bin/env bash
# A minimal Debian 12 root for the .deb test (test/packaging/deb.integration.test.ts): debootstrap's
# minbase from Debian's archive, plus what the test runs inside it (man-db for `man umltop`,
# bash-completion, systemd for `systemd-analyze verify`). No node, no npm, no compiler: the test
# checks. Built once and kept as a tarball in ~/.cache/umltop/debian-root/; prints its path.
set -euo pipefail
say() { printf 'umltop-debian-root: %s\n' "$*" >&2; }
suite=${UMLTOP_DEBIAN_SUITE:-bookworm}
mirror=${UMLTOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
include=man-db,bash-completion,systemd
dir="${UMLTOP_CACHE_DIR:-$HOME/.cache/umltop}/debian-root"
tarball="$dir/$suite-minbase-$(echo "$include" | md5sum | cut -c1-8).tar"
if [ -s "$tarball" ]; then echo "$tarball"; exit 0; fi
[ "$(id -u)" = 0 ] || { say "error: debootstrap needs root"; exit 1; }
command -v debootstrap >/dev/null || { say "error: debootstrap is missing (apt-get install debootstrap)"; exit 1; }
mkdir -p "$dir"
work=$(mktemp -d "$dir/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
say "building a $suite minbase root with $include from $mirror (once; a few minutes)"
debootstrap --variant=minbase --include="$include" "$suite" "$work/root" "$mirror" >"$work/log" 2>&1 ||
  { tail -20 "$work/log" >&2; say "error: debootstrap failed (log above)"; exit 1; }
# apt's downloaded packages are not part of the root
rm -rf "$work/root/var/cache/apt/archives/"*.deb
tar -C "$work/root" -cf "$tarball.part" .
mv "$tarball.part" "$tarball"
echo "$tarball"
