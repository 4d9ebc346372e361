#!/usr/bin/env bash
# Find (or fetch) a User Mode Linux kernel that really boots on this host, and a busybox rootfs.
#
# Prints two lines on success, for scripts to read:
#   UMLTOP_KERNEL=<path of a kernel that booted to userspace here>
#   UMLTOP_ROOTFS=<path of the busybox rootfs>
# Everything else goes to stderr. Exit status 0 only when a kernel booted.
#
# Candidates, in order, each probed by booting it to a userspace marker:
#   1. $UMLTOP_KERNEL
#   2. `linux` / `linux.uml` on PATH (e.g. an installed user-mode-linux package)
#   3. this Debian release's user-mode-linux package (downloaded, not installed)
#   4. (or only this, with --unstable) Debian unstable's user-mode-linux with unstable's libc, patchelf'd to use it
#      (the system itself stays on its release; nothing is installed system-wide)
# Results (good and bad) are cached by the kernel's sha256 under $UMLTOP_CACHE
# (default ${XDG_CACHE_HOME:-~/.cache}/umltop).
set -euo pipefail

CACHE="${UMLTOP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/umltop}"
ROOTFS="$CACHE/rootfs"
PROBES="$CACHE/probes"
# the rootfs is rebuilt when the init script changes
ROOTFS_VERSION=$(sha256sum "$(dirname "$0")/guest-init.sh" | cut -c1-12)
PROBE_VERSION=2    # bump when what the probe checks changes
say() { printf 'umltop-kernel: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

mkdir -p "$CACHE" "$PROBES"

need_tools() {
  local missing=()
  command -v busybox >/dev/null && busybox --list >/dev/null 2>&1 && [ "$(file -b "$(command -v busybox)" 2>/dev/null | grep -c 'statically\|static-pie')" != 0 ] || missing+=(busybox-static)
  command -v patchelf >/dev/null || missing+=(patchelf)
  command -v uml_mconsole >/dev/null || missing+=(uml-utilities)
  command -v file >/dev/null || missing=(file "${missing[@]}")
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or apt-get install them)"
    say "installing Debian packages this needs: ${missing[*]}"
    apt-get update -qq >&2 || say "apt-get update failed; trying the install anyway"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

build_rootfs() {
  if [ -f "$ROOTFS/.umltop-rootfs-$ROOTFS_VERSION" ]; then return; fi
  say "building the busybox rootfs in $ROOTFS"
  local tmp="$ROOTFS.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,mnt}
  cp "$(command -v busybox)" "$tmp/bin/busybox"
  for applet in $("$tmp/bin/busybox" --list); do
    [ -e "$tmp/bin/$applet" ] || ln -s busybox "$tmp/bin/$applet"
  done
  cp "$(dirname "$0")/guest-init.sh" "$tmp/init"
  chmod 0755 "$tmp/init"
  touch "$tmp/.umltop-rootfs-$ROOTFS_VERSION"
  rm -rf "$ROOTFS"; mv "$tmp" "$ROOTFS"
}

# probe KERNEL: boot it to userspace, make it dump every task's stack (sysrq t: crash bundles need
# it, and Debian 12's 6.1 UML panics there on some hosts), then wait for the marker.
# The verdict is cached by content hash.
probe() {
  local kernel="$1" sum verdict dir log pid i
  [ -x "$kernel" ] || { say "not executable: $kernel"; return 1; }
  sum=v$PROBE_VERSION-$(sha256sum "$kernel" | cut -c1-32)
  if [ -f "$PROBES/$sum" ]; then
    verdict=$(cat "$PROBES/$sum")
    say "cached probe (boot + sysrq t) of $kernel: $verdict"
    [ "$verdict" = ok ]; return
  fi
  say "probing $kernel by booting it (about 2 s)"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/umltop-probe.XXXXXX")
  log="$dir/console.log"
  setsid "$kernel" mem=48M umid=probe uml_dir="$dir/" rootfstype=hostfs hostfs="$ROOTFS" ro \
    init=/init umltop.workload=probe con0=null,fd:1 con=null </dev/null >"$log" 2>&1 &
  pid=$!
  verdict="no userspace marker within 60 s"
  for i in $(seq 1 600); do
    if grep -q 'UMLTOP-PROBE-OK' "$log" 2>/dev/null; then verdict=ok; break; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      verdict="exited before the marker: $(grep -m1 -E 'Kernel panic|Kernel mode fault|set fp regs failed|[Pp]anic' "$log" | tr -d '\r' | cut -c1-160)"
      break
    fi
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  say "probe of $kernel: $verdict"
  if [ "$verdict" != ok ] && grep -q 'ptrace set fp regs failed' <<<"$verdict"; then
    say "  (this is the AMX fp-regs panic of kernels before 6.13 on hosts with a large XSAVE area)"
  fi
  printf '%s\n' "$verdict" >"$PROBES/$sum"
  [ "$verdict" = ok ]
}

# The Debian mirror this system already uses (first deb.sources/sources.list URI).
debian_mirror() {
  local uri
  uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | grep -m1 debian || true)
  [ -n "$uri" ] || uri=$(grep -hsE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | grep -m1 debian || true)
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt sources"
  printf '%s\n' "$uri"
}

# apt_fetch SUITE DEST PKG... : download packages of SUITE into DEST with a private apt state.
apt_fetch() {
  local suite="$1" dest="$2"; shift 2
  local state="$CACHE/apt-$suite"
  mkdir -p "$state/sources" "$state/lists/partial" "$state/cache/archives/partial" "$dest"
  cat >"$state/sources/$suite.sources" <<SRC
Types: deb
URIs: $(debian_mirror)
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$state/sources"
              -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache"
              -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" update -qq >&2
  (cd "$dest" && apt-get "${opts[@]}" download "$@" >&2)
}

candidate_stable() {
  local dir="$CACHE/debian-stable"
  if [ ! -x "$dir/root/usr/bin/linux.uml" ]; then
    say "fetching this release's user-mode-linux package to probe it (not installing it)"
    rm -rf "$dir"; mkdir -p "$dir/debs"
    apt_fetch "$(. /etc/os-release; echo "$VERSION_CODENAME")" "$dir/debs" user-mode-linux || return 1
    dpkg-deb -x "$dir"/debs/user-mode-linux_*.deb "$dir/root"
  fi
  printf '%s\n' "$dir/root/usr/bin/linux.uml"
}

candidate_unstable() {
  local dir="$CACHE/debian-unstable" root
  root="$dir/root"
  if [ ! -x "$dir/linux.uml" ]; then
    say "fetching Debian unstable's user-mode-linux and libc6 (kernels before 6.13 panic on AMX hosts;"
    say "  unstable's needs glibc >= 2.38, so it gets its own libc via patchelf; the system is not changed)"
    rm -rf "$dir"; mkdir -p "$dir/debs"
    apt_fetch sid "$dir/debs" user-mode-linux libc6 || return 1
    for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
    cp "$root/usr/bin/linux.uml" "$dir/linux.uml.tmp"
    patchelf --set-interpreter "$root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
             --set-rpath "$root/usr/lib/x86_64-linux-gnu" "$dir/linux.uml.tmp"
    mv "$dir/linux.uml.tmp" "$dir/linux.uml"
  fi
  printf '%s\n' "$dir/linux.uml"
}

main() {
  need_tools
  build_rootfs
  local k
  if [ "${1:-}" = --unstable ]; then
    k=$(candidate_unstable) && probe "$k" || die "Debian unstable's kernel does not boot here"
  elif [ -n "${UMLTOP_KERNEL:-}" ]; then
    probe "$UMLTOP_KERNEL" || die "\$UMLTOP_KERNEL=$UMLTOP_KERNEL does not boot here"
    k="$UMLTOP_KERNEL"
  else
    k=""
    for cand in $(command -v linux.uml linux 2>/dev/null || true); do
      cand=$(readlink -f "$cand")
      file -b "$cand" | grep -q ELF || continue
      if probe "$cand"; then k="$cand"; break; fi
    done
    if [ -z "$k" ] && c=$(candidate_stable) && probe "$c"; then k="$c"; fi
    if [ -z "$k" ] && c=$(candidate_unstable) && probe "$c"; then k="$c"; fi
    [ -n "$k" ] || die "no UML kernel boots on this host (see the probe lines above)"
  fi
  printf 'UMLTOP_KERNEL=%s\nUMLTOP_ROOTFS=%s\n' "$k" "$ROOTFS"
}
main "$@"
