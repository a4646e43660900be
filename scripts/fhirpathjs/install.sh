#!/bin/sh
# Installs the pinned fhirpath.js (package.json, package-lock.json) into .cache/fhirpathjs
# (git-ignored), where conformance/search_test.go looks for it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="${FHIRPATHJS_DIR:-$root/.cache/fhirpathjs}"
mkdir -p "$dest"
cp "$here/package.json" "$here/evaluate.js" "$dest/"
if [ -f "$here/package-lock.json" ]; then
	cp "$here/package-lock.json" "$dest/"
	(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts)
else
	(cd "$dest" && npm install --no-audit --no-fund --ignore-scripts)
	cp "$dest/package-lock.json" "$here/package-lock.json"
fi
echo "fhirpath.js installed in $dest"
