#!/usr/bin/env bash
# ig-packages.sh — lay out the packages of the implementation guides of issue 13 as a
# directory fhirgen's --packages reads.
#
# Usage: scripts/ig-packages.sh DIR
#
# Fetches (with scripts/fetch-packages.sh, which checks each tarball against its pin in
# definitions/packages.lock) hl7.fhir.uv.ips 2.0.0, hl7.fhir.au.base 6.0.0,
# hl7.terminology.r4 7.0.1, hl7.fhir.uv.extensions.r4 5.3.0-ballot-tc1 and
# hl7.fhir.r4.examples 4.0.1, and makes DIR/<name>/package a symlink to the unpacked
# cache directory $CACHE/<name>@<version>/ (which holds the tarball's package/ files).
# Then, with examples/ig/config.json mapping the versions the guides name onto these:
#
#   fhirgen generate --out OUT --package ips --config examples/ig/config.json \
#       --packages DIR DIR/hl7.fhir.uv.ips
#
# $CACHE is .cache/npm, or $FHIRGEN_CACHE (as for fetch-packages.sh). Idempotent: links
# already there are replaced.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

if [[ $# -ne 1 || "$1" == -h || "$1" == --help ]]; then
	sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
dir=$1

packages=(
	"hl7.fhir.uv.ips 2.0.0"
	"hl7.fhir.au.base 6.0.0"
	"hl7.terminology.r4 7.0.1"
	"hl7.fhir.uv.extensions.r4 5.3.0-ballot-tc1"
	"hl7.fhir.r4.examples 4.0.1"
)
names=()
for p in "${packages[@]}"; do
	names+=("${p%% *}")
done
"$script_dir/fetch-packages.sh" "${names[@]}"

cache="${FHIRGEN_CACHE:-$repo_root/.cache/npm}"
cache=$(cd "$cache" && pwd)
mkdir -p "$dir"
for p in "${packages[@]}"; do
	name=${p%% *}
	version=${p#* }
	src="$cache/$name@$version"
	[[ -f "$src/package.json" ]] || {
		echo "ig-packages: error: $src/package.json missing after fetch-packages.sh" >&2
		exit 1
	}
	mkdir -p "$dir/$name"
	rm -rf -- "${dir:?}/$name/package"
	ln -s "$src" "$dir/$name/package"
	printf '%-26s %-17s %s -> %s\n' "$name" "$version" "$dir/$name/package" "$src"
done
