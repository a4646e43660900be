#!/bin/sh
# Regenerates templates/support/terminology_data.go from the pinned sources (see gen.js):
# installs them with npm ci into <repository root>/.cache/terminology (git-ignored), runs
# gen.js, gofmt's the result. Then run go generate ./... to copy it into generated/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dest="$root/.cache/terminology"
mkdir -p "$dest"
cp "$here/package.json" "$here/gen.js" "$dest/"
if [ -f "$here/package-lock.json" ]; then
	cp "$here/package-lock.json" "$dest/"
	(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
else
	(cd "$dest" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error)
	cp "$dest/package-lock.json" "$here/package-lock.json"
fi
out="${1:-$root/templates/support/terminology_data.go}"
node "$dest/gen.js" "$out"
gofmt -w "$out"
