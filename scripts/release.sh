#!/usr/bin/env bash
# Builds a release of ivig-fhir for Linux that runs without a Swift toolchain:
#   dist/ivig-fhir-VERSION-linux-ARCH.tar.gz and its .sha256
# holding bin/ivig-fhir (Swift's standard library and Foundation linked in statically; base R4's
# definitions are compiled into it), the Mappings/ files it reads (dosing rules, product table,
# local-record ConceptMaps), the man page, a README naming the runtime packages, and the
# project's README.
#
#   scripts/release.sh [VERSION]      # VERSION defaults to `git describe`, else 0.0.0-dev
#
# The build has its own folder, .build-release: it never touches the debug build in .build, and
# runs while a `swift test` holds .build's lock (the release test calls this script).
#
# The version and commit are stamped into Sources/ivig-fhir/BuildInfo+Release.swift for the
# build and the file is restored after it, so `ivig-fhir --version` names them; other builds
# say `dev` and `unknown`. A debug build of this checkout while the script runs would take the
# stamp too: don't run one then.
#
# libxml2 and zlib stay shared libraries. Debian ships libxml2.a, but a static libxml2 needs
# Debian's ICU linked statically too (libicudata.a alone is 31 MB) beside the ICU that
# Foundation already carries, and liblzma; zlib would still be loaded for libxml2. Every
# Debian/Ubuntu machine has these packages or gets them with one apt-get, and they get the
# distribution's security fixes. The script asks ldd what the binary needs and dpkg which
# packages ship it, refuses anything outside the expected set, and names the packages in the
# tarball's README.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=(--scratch-path .build-release)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-modified"; fi
version=${1:-$(git describe --tags --always 2>/dev/null || echo 0.0.0-dev)}
arch=$(uname -m)
name="ivig-fhir-$version-linux-$arch"
stamp=Sources/ivig-fhir/BuildInfo+Release.swift

# Kept outside Sources/, where SwiftPM would take it for a file of the target.
mkdir -p .build-release
cp "$stamp" .build-release/BuildInfo+Release.swift.orig
# Restored by writing, not by mv: a file back with its old modification time would look
# unchanged to the next debug build, which would keep the release's stamp.
trap 'cat .build-release/BuildInfo+Release.swift.orig > "$stamp" && rm .build-release/BuildInfo+Release.swift.orig' EXIT
cat > "$stamp" <<SWIFT
// Written by scripts/release.sh for a release build, and restored after it; keep it this shape.
enum ReleaseStamp {
    static let version = "$version"
    static let commit = "$commit"
}
SWIFT

build=(-c release --product ivig-fhir --static-swift-stdlib "${scratch[@]}")
swift build "${build[@]}" >&2
binary=$(swift build "${build[@]}" --show-bin-path)/ivig-fhir

folder="dist/$name"
rm -rf "$folder" "dist/$name.tar.gz" "dist/$name.tar.gz.sha256"
mkdir -p "$folder/bin" "$folder/Mappings" "$folder/share/man/man1" "$folder/share/doc/ivig-fhir"
cp "$binary" "$folder/bin/ivig-fhir"
strip "$folder/bin/ivig-fhir" 2>/dev/null || true
cp Mappings/*.json Mappings/*.md "$folder/Mappings/"
cp README.md "$folder/share/doc/ivig-fhir/README.md"
# The man page, by swift-argument-parser's generate-manual plugin's own tool, run on the binary
# shipped. Not through `swift package generate-manual`: that first builds every product again
# without --static-swift-stdlib (which `swift package` does not take), a second full release
# build. `--help` makes SwiftPM build the plugin's tool, and the plugin stop before building.
swift package "${scratch[@]}" generate-manual --help >/dev/null
manual_tool=$(find .build-release -path '*/debug/generate-manual-tool' -type f | head -n 1)
[ -x "$manual_tool" ] || { echo "error: swift-argument-parser's generate-manual tool was not built" >&2; exit 1; }
"$manual_tool" "$folder/bin/ivig-fhir" --output-directory "$folder/share/man/man1" >&2
[ -s "$folder/share/man/man1/ivig-fhir.1" ] || { echo "error: generate-manual wrote no ivig-fhir.1" >&2; exit 1; }

# What the binary still needs at run time, beyond glibc and the loader, and who ships it.
libraries=$(ldd "$folder/bin/ivig-fhir" | awk '$3 ~ /^\// {print $1, $3}' |
  grep -Ev '^(libc|libm|libpthread|libdl|librt|libutil)\.so' || true)
unexpected=$(echo "$libraries" | awk '{print $1}' |
  grep -Ev '^(libxml2|libz|libicu[a-z0-9]*|liblzma|libstdc\+\+|libgcc_s)\.so|^$' || true)
if [ -n "$unexpected" ]; then
  echo "error: the binary needs libraries outside the runtime packages: $unexpected" >&2
  exit 1
fi
# dpkg knows a library by the path its package installed, which on a merged /usr may be the
# /usr/lib one behind ldd's /lib one.
package_of() {
  local path=$1 real found
  real=$(readlink -f "$path")
  for candidate in "$path" "/usr$path" "$real" "/usr$real"; do
    found=$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1) || true
    if [ -n "$found" ]; then echo "$found"; return 0; fi
  done
}
packages=$(for path in $(echo "$libraries" | awk '{print $2}'); do package_of "$path"; done | sort -u | paste -sd ' ')
packages=${packages:-libxml2 zlib1g libstdc++6}

cat > "$folder/README.md" <<README
# ivig-fhir $version (commit $commit), Linux $arch

Converts and validates FHIR R4 (4.0.1) records of intravenous immunoglobulin therapy: FHIR JSON,
FHIR XML and a hospital's local format. No Swift toolchain is needed: Swift's runtime and
Foundation are linked into \`bin/ivig-fhir\`, and base R4's definitions are compiled into it.

- \`bin/ivig-fhir\`: the tool (\`ivig-fhir --help\`, \`ivig-fhir --version\`).
- \`Mappings/\`: the dosing rules, product table and local-record ConceptMaps; \`validate\` and
  \`convert --from local\` find them beside \`bin/\`, so keep the two folders together.
- \`share/man/man1/ivig-fhir.1\`: the manual (\`man share/man/man1/ivig-fhir.1\`).
- \`share/doc/ivig-fhir/README.md\`: the full documentation.

## Runtime packages

libxml2 (FHIR XML) and zlib (gzip) are the system's shared libraries, so that they get the
distribution's security fixes and the tarball does not carry a second ICU. On Debian or Ubuntu:

    apt-get install $packages

The libraries this build was checked to need besides glibc (\`ldd bin/ivig-fhir\`):

$(echo "$libraries" | awk '{print "    " $1}')

## Install

    sha256sum -c $name.tar.gz.sha256
    tar -xzf $name.tar.gz
    $name/bin/ivig-fhir --version
README

tar -C dist -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist/$name.tar.gz"
