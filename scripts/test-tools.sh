#!/usr/bin/env bash
# Tools only the tests need, unpacked from Debian's own packages into ~/.cache/umltop/tools/root
# (never installed: no prometheus or ssh service is started or enabled on this machine):
#   prometheus, promtool  — the exporter test scrapes umltop with a real Prometheus server
#   sshd (+ libwrap)      — the multi-host test runs a second sshd on loopback
# and installs man-db/groff-base, systemd, openssl, curl, lintian, debootstrap and binutils if
# missing (below).
# Prints the directory holding them; scripts/test.sh puts its bin dirs on PATH.
set -euo pipefail
say() { printf 'umltop-test-tools: %s\n' "$*" >&2; }
root="${UMLTOP_TOOLS_DIR:-$HOME/.cache/umltop/tools}/root"
mkdir -p "$root"
fetch=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$root/usr/bin/$1" ] || [ -x "$root/usr/sbin/$1" ]; }
have prometheus && have promtool || fetch+=(prometheus)
if ! have sshd && [ ! -x /usr/sbin/sshd ]; then
  fetch+=(openssh-server)
  ldconfig -p | grep -q libwrap.so.0 || fetch+=(libwrap0)
fi
# UMLTOP_TOOLS_FETCH=1 unpacks them even when the system has them (to check this script).
[ -z "${UMLTOP_TOOLS_FETCH:-}" ] || fetch=(prometheus openssh-server libwrap0)
if [ ${#fetch[@]} -gt 0 ]; then
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  say "unpacking Debian packages for the tests: ${fetch[*]}"
  (cd "$work" && apt-get download "${fetch[@]}" >&2) || { apt-get update -qq >&2 && (cd "$work" && apt-get download "${fetch[@]}" >&2); }
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$root"; done
fi
# Installed when missing (no service is started by installing them): man + groff (the packaging
# test renders the man page), systemd-analyze (the unit test verifies contrib/systemd), openssl
# and curl (the --web-config test makes certificates and checks the exporter as curl sees it).
install=()
command -v man >/dev/null && command -v groff >/dev/null || install+=(man-db groff-base)
command -v systemd-analyze >/dev/null || install+=(systemd)
command -v openssl >/dev/null || install+=(openssl)
command -v curl >/dev/null || install+=(curl)
# The .deb test (test/packaging/deb.integration.test.ts): lintian checks the package, debootstrap
# builds the clean Debian root it is installed in (cached), strip comes with binutils.
command -v lintian >/dev/null || install+=(lintian)
command -v debootstrap >/dev/null || install+=(debootstrap)
command -v strip >/dev/null || install+=(binutils)
if [ ${#install[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { say "error: the tests need: apt-get install ${install[*]}"; exit 1; }
  say "installing ${install[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${install[@]}" >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${install[@]}" >&2; }
fi
# sshd refuses to start as root without its privilege-separation user and directory.
if [ "$(id -u)" = 0 ] && ! getent passwd sshd >/dev/null; then
  say "adding the system user 'sshd' (sshd's privilege separation)"
  useradd --system --no-create-home --home-dir /run/sshd --shell /usr/sbin/nologin sshd
fi
echo "$root"
