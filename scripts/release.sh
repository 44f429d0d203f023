#!/usr/bin/env bash
# Builds a release of ivig-fhir for Linux that runs without a Swift toolchain:
#   dist/ivig-fhir-VERSION-linux-ARCH.tar.gz and its .sha256
# holding bin/ivig-fhir (Swift's standard library and Foundation linked in statically), the
# Mappings/ files it reads (dosing rules, product table, local-record ConceptMaps), the man page
# and the README.
#
#   scripts/release.sh [VERSION]      # VERSION defaults to `git describe`, else 0.0.0-dev
#
# The version and commit are stamped into Sources/ivig-fhir/BuildInfo+Release.swift for the
# build and the file is restored after it, so `ivig-fhir --version` names them; other builds
# say `dev` and `unknown`.
#
# libxml2 and zlib stay shared libraries: Debian's libxml2.a needs static ICU and liblzma too,
# and a static ICU adds some 30 MB of data. The machine running the release needs the runtime
# packages named in RUNTIME-PACKAGES (Debian/Ubuntu: libxml2 zlib1g libstdc++6; libxml2 brings
# libicu and liblzma); the script checks with ldd that nothing else outside glibc is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-modified"; fi
version=${1:-$(git describe --tags --always 2>/dev/null || echo 0.0.0-dev)}
arch=$(uname -m)
name="ivig-fhir-$version-linux-$arch"
stamp=Sources/ivig-fhir/BuildInfo+Release.swift

cp "$stamp" "$stamp.orig"
trap 'mv "$stamp.orig" "$stamp"' EXIT
cat > "$stamp" <<SWIFT
// Written by scripts/release.sh for a release build, and restored after it; keep it this shape.
enum ReleaseStamp {
    static let version = "$version"
    static let commit = "$commit"
}
SWIFT

swift build -c release --product ivig-fhir --static-swift-stdlib
binary=$(swift build -c release --product ivig-fhir --static-swift-stdlib --show-bin-path)/ivig-fhir

rm -rf "dist/$name"
mkdir -p "dist/$name/bin" "dist/$name/Mappings" "dist/$name/share/man/man1"
cp "$binary" "dist/$name/bin/ivig-fhir"
strip "dist/$name/bin/ivig-fhir" 2>/dev/null || true
cp Mappings/*.json Mappings/*.md "dist/$name/Mappings/"
cp README.md "dist/$name/"
# The man page, from swift-argument-parser's generate-manual plugin (run on the release build).
if swift package plugin --list 2>/dev/null | grep -q generate-manual; then
  swift package --allow-writing-to-package-directory generate-manual --product ivig-fhir \
    --output-directory "dist/$name/share/man/man1" >/dev/null
else
  echo "note: the generate-manual plugin is not available; no man page" >&2
fi

# What the binary still needs at run time, beyond glibc and the loader.
needed=$(ldd "dist/$name/bin/ivig-fhir" | awk '{print $1}' |
  grep -Ev '^(linux-vdso|/lib.*/ld-linux|ld-linux|libc\.|libm\.|libpthread\.|libdl\.|librt\.|libutil\.)' || true)
unexpected=$(echo "$needed" | grep -Ev '^(libxml2\.|libz\.|libicu[a-z0-9]*\.|liblzma\.|libstdc\+\+\.|libgcc_s\.|$)' || true)
if [ -n "$unexpected" ]; then
  echo "error: the binary needs libraries outside the runtime packages: $unexpected" >&2
  exit 1
fi
{
  echo "# Shared libraries ivig-fhir needs besides glibc (ldd), and Debian/Ubuntu packages that ship them:"
  echo "$needed" | sed 's/^/#   /'
  echo "libxml2 zlib1g libstdc++6"
} > "dist/$name/RUNTIME-PACKAGES"

tar -C dist -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist/$name.tar.gz"
