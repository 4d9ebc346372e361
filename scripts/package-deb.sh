#!/usr/bin/env bash
# npm run package: dist/umltop_VERSION_amd64.deb, a Debian package that carries its own runtime (a
# private node under /usr/lib/umltop, the bundle, the unix-dgram addon prebuilt), so the host needs
# no nodejs package and no compiler. Prints the package's path on stdout.
# UMLTOP_DEB_VERSION overrides the version (the upgrade test builds an older one); UMLTOP_DEB_OUT
# the output directory; UMLTOP_DEB_NO_BUILD=1 packages the dist/ already built.
set -euo pipefail
say() { printf 'umltop-package: %s\n' "$*" >&2; }
cd "$(dirname "$0")/.."
root=$PWD
[ "$(uname -m)" = x86_64 ] || { say "error: builds amd64 packages only (this is $(uname -m))"; exit 1; }
for t in dpkg-deb strip gzip; do
	command -v "$t" >/dev/null || { say "error: $t is missing (apt-get install dpkg-dev binutils gzip)"; exit 1; }
done
maintainer=${UMLTOP_DEB_MAINTAINER:-umltop authors <umltop@localhost>}
version=${UMLTOP_DEB_VERSION:-$(node -p "require('./package.json').version")}
out=${UMLTOP_DEB_OUT:-$root/dist}
node_bin=$(node -p process.execPath)
node_version=$(node -p process.version)
node_license=
for f in /usr/share/doc/nodejs/LICENSE "$(dirname "$node_bin")/../share/doc/node/LICENSE"; do
	[ -f "$f" ] && { node_license=$f; break; }
done
[ -n "$node_license" ] || { say "error: Node.js's LICENSE is not beside $node_bin: it must ship with node"; exit 1; }
[ -n "${UMLTOP_DEB_NO_BUILD:-}" ] || npm run -s build >&2
[ -f dist/bundle/umltop.mjs ] || { say "error: dist/bundle is missing (npm run build)"; exit 1; }
addon=node_modules/unix-dgram/build/Release/unix_dgram.node
[ -f "$addon" ] || { say "error: $addon is missing (npm install builds it)"; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
lib=$stage/usr/lib/umltop
doc=$stage/usr/share/doc/umltop
install -d "$lib/bin" "$lib/dist/runtime" "$lib/scripts" "$stage/usr/bin" "$doc" \
	"$stage/usr/share/man/man1" "$stage/usr/share/bash-completion/completions" \
	"$stage/lib/systemd/system" "$stage/etc/default" "$stage/usr/share/umltop/prometheus" \
	"$stage/usr/share/lintian/overrides" "$stage/DEBIAN"
install -d -m 0700 "$stage/var/lib/umltop"

# The runtime: the node that builds the package (the one the tests ran on), without debug symbols.
strip --strip-unneeded --remove-section=.comment -o "$lib/node" "$node_bin"
chmod 0755 "$lib/node"
# What bin/umltop loads: the heap and JIT tuning, then the bundle (everything else is in it).
# (without its #! line: the launcher below runs it with the private node and bin/umltop's V8 flags)
sed 1d bin/umltop >"$lib/bin/umltop"
chmod 0644 "$lib/bin/umltop"
install -m 0644 dist/runtime/v8-heap.js dist/runtime/v8-jit.js "$lib/dist/runtime/"
cp -r dist/bundle "$lib/dist/bundle"
# The bundle's one external at run time: unix-dgram, its loader and the loader's one dependency.
for m in unix-dgram bindings file-uri-to-path; do
	install -d "$lib/node_modules/$m"
	(cd "node_modules/$m" && find . -maxdepth 1 -type f \( -name '*.js' -o -name package.json \) \
		-exec install -m 0644 {} "$lib/node_modules/$m/" \;)
done
install -d "$lib/node_modules/unix-dgram/lib" "$lib/node_modules/unix-dgram/build/Release"
install -m 0644 node_modules/unix-dgram/lib/*.js "$lib/node_modules/unix-dgram/lib/"
strip --strip-unneeded --remove-section=.comment -o "$lib/node_modules/unix-dgram/build/Release/unix_dgram.node" "$addon"
chmod 0644 "$lib/node_modules/unix-dgram/build/Release/unix_dgram.node"
# `umltop demo` provisions a kernel and a rootfs with these
install -m 0755 scripts/uml-kernel.sh scripts/guest-init.sh "$lib/scripts/"
node -e '
  const p = require("./package.json");
  const out = { name: p.name, version: process.argv[1], description: p.description, license: p.license, type: p.type };
  require("fs").writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + "\n");
' "$version" "$lib/package.json"
# The launcher: bin/umltop's V8 flags (a #! line passes them as one word, so a shell script does).
cat >"$stage/usr/bin/umltop" <<'SH'
#!/bin/sh
exec /usr/lib/umltop/node --min-semi-space-size=2 --max-semi-space-size=4 --single-threaded-gc /usr/lib/umltop/bin/umltop "$@"
SH
chmod 0755 "$stage/usr/bin/umltop"

gzip -9n <man/umltop.1 >"$stage/usr/share/man/man1/umltop.1.gz"
install -m 0644 completion/umltop.bash "$stage/usr/share/bash-completion/completions/umltop"
install -m 0644 contrib/systemd/umltop.service "$stage/lib/systemd/system/umltop.service"
install -m 0644 contrib/systemd/umltop.default "$stage/etc/default/umltop"
install -m 0644 contrib/prometheus/umltop-rules.yml contrib/prometheus/umltop-rules.test.yml \
	"$stage/usr/share/umltop/prometheus/"
install -m 0644 packaging/debian/lintian-overrides "$stage/usr/share/lintian/overrides/umltop"
gzip -9n <README.md >"$doc/README.md.gz"
printf 'umltop (%s) unstable; urgency=medium\n\n  * Built from %s.\n\n -- %s  %s\n' \
	"$version" "$(git rev-parse --short HEAD 2>/dev/null || echo 'a source tree')" "$maintainer" "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" |
	gzip -9n >"$doc/changelog.gz"
# Node's LICENSE (with the licences of everything node embeds) beside the copyright file that names it
gzip -9n <"$node_license" >"$doc/LICENSE.nodejs.gz"
node scripts/deb-copyright.mjs "$node_version" /usr/share/doc/umltop/LICENSE.nodejs.gz >"$doc/copyright"
chmod 0644 "$doc"/*

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
# Only what Debian 12 has: the C and C++ runtimes node links against.
depends='libc6 (>= 2.28), libgcc-s1 (>= 3.0), libstdc++6 (>= 6)'
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" -e "s/@DEPENDS@/$depends/" -e "s|@MAINTAINER@|$maintainer|" \
	packaging/debian/control.in >"$stage/DEBIAN/control"
echo /etc/default/umltop >"$stage/DEBIAN/conffiles"
install -m 0755 packaging/debian/postinst packaging/debian/postrm "$stage/DEBIAN/"
(cd "$stage" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | sort -z |
	xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb="$out/umltop_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
say "$(du -h "$deb" | cut -f1) package, ${installed_size} KiB installed, node $node_version inside"
echo "$deb"
