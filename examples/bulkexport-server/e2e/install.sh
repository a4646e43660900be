#!/bin/sh
# Installs the pinned fhir-kit-client (package.json, package-lock.json) and client.mjs into
# .cache/fhirkit (git-ignored), where the end-to-end test looks for them (FHIRKIT_DIR
# overrides).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
dest="${FHIRKIT_DIR:-$root/.cache/fhirkit}"
mkdir -p "$dest"
cp "$here/package.json" "$here/client.mjs" "$dest/"
if [ -f "$here/package-lock.json" ]; then
	cp "$here/package-lock.json" "$dest/"
	(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts)
else
	(cd "$dest" && npm install --no-audit --no-fund --ignore-scripts)
	cp "$dest/package-lock.json" "$here/package-lock.json"
fi
echo "fhir-kit-client installed in $dest"
