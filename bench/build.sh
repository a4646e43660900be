#!/usr/bin/env bash
# build.sh — the build-side figures of BENCHMARKS.md, printed as Markdown tables:
#
#   1. generation time of all of R4 (hl7.fhir.r4.examples@4.0.1) with every emitter, and
#      the generated source per emitter set (bytes and lines of the .go files);
#   2. `go build` time of a package with a cold build cache: for each package a fresh
#      GOCACHE, its dependencies built first (untimed), then `go build` of the package
#      alone, timed (wall, and user+sys CPU): fhirgen's R4 with every emitter and with
#      --emit types (types + JSON), samply's R4 types package, google's R4 proto packages;
#   3. the size of binaries: one that uses only BulkDataExport (the main job's package,
#      generated/fhir) beside one that uses all of R4 (UnmarshalResource, Validate,
#      ExtractSearchIndex) and one that uses only r4.Patient.
#
# Everything it makes is in bench/_build (git-ignored; go's ./... skips _ directories).
#   bench/build.sh > bench/results/build-YYYY-MM-DD.md
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d ../.cache/npm/hl7.fhir.r4.examples@4.0.1 ]]; then
	FHIRGEN_CACHE= ../scripts/fetch-packages.sh r4
fi
r4pkg=../.cache/npm/hl7.fhir.r4.examples@4.0.1
rm -rf _build && mkdir -p _build/bin
go build -o _build/bin/fhirgen github.com/fhirgen/fhirgen/cmd/fhirgen

secs() { # secs CMD...: runs CMD, prints "wall user+sys" in seconds
	local f
	f=$(mktemp)
	/usr/bin/time -f '%e %U %S' -o "$f" "$@" >/dev/null
	awk '{printf "%.1f %.1f\n", $1, $2 + $3}' "$f"
	rm -f "$f"
}
srcsize() { # srcsize DIR: "bytes lines files" of DIR's .go files
	cat "$1"/*.go | wc -cl | awk -v n="$(ls "$1"/*.go | wc -l)" '{printf "%d %d %d\n", $2, $1, n}'
}

echo "# Build-side figures"
echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'); $(go version); $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "## Generation of R4 (\`fhirgen generate --emit SET --out DIR --package r4 $r4pkg\`)"
echo
echo "| emitters | generation s (wall) | CPU s | files | bytes | lines |"
echo "|---|---:|---:|---:|---:|---:|"
for set in all types types,search types,validate types,http; do
	dir=_build/gen-${set//,/-}
	emit=()
	[[ $set != all ]] && emit=(--emit "$set")
	read -r wall cpu < <(secs _build/bin/fhirgen generate -q "${emit[@]}" --out "$dir" --package r4 "$r4pkg")
	read -r bytes lines files < <(srcsize "$dir")
	echo "| $set | $wall | $cpu | $files | $bytes | $lines |"
done
echo

# coldbuild NAME PKG...: fresh GOCACHE, dependencies first (untimed), then PKG..., timed.
coldbuild() {
	local name=$1
	shift
	local cache
	cache=$(mktemp -d)
	local deps
	deps=$(go list -deps "$@" | grep -vxF -f <(go list "$@"))
	# shellcheck disable=SC2086
	GOCACHE=$cache go build $deps
	read -r wall cpu < <(secs env GOCACHE="$cache" go build "$@")
	echo "| $name | $(go list "$@" | wc -l) | $wall | $cpu |"
	rm -rf "$cache"
}
echo "## go build of the package, cold cache (dependencies built first, untimed)"
echo
echo "| package | Go packages | build s (wall) | CPU s |"
echo "|---|---:|---:|---:|"
coldbuild "fhirgen R4, every emitter" ./_build/gen-all
coldbuild "fhirgen R4, --emit types (types + JSON)" ./_build/gen-types
coldbuild "samply R4 (fhir-models/fhir)" github.com/samply/golang-fhir-models/fhir-models/fhir
coldbuild "google R4 protos (what jsonformat imports of proto/r4)" $(go list -deps github.com/google/fhir/go/jsonformat | grep '/google/fhir/go/proto/google/fhir/proto/r4/')
echo

mkdir -p _build/cmd/bulk _build/cmd/r4all _build/cmd/r4patient
cat > _build/cmd/bulk/main.go <<'GO'
// Command bulk decodes, validates and encodes a BulkDataExport with the main job's package.
package main

import (
	"fmt"
	"io"
	"os"

	fhir "github.com/fhirgen/fhirgen/generated/fhir"
)

func main() {
	data, _ := io.ReadAll(os.Stdin)
	r, err := fhir.UnmarshalResource(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, ok := r.(*fhir.BulkDataExport)
	if !ok {
		return
	}
	out, _ := fhir.Marshal(b)
	fmt.Println(b.Validate(), len(fhir.ExtractSearchIndex(b)), len(out))
}
GO
cat > _build/cmd/r4all/main.go <<'GO'
// Command r4all decodes, validates, indexes and encodes any R4 resource.
package main

import (
	"fmt"
	"io"
	"os"

	r4 "github.com/fhirgen/fhirgen/bench/_build/gen-all"
)

func main() {
	data, _ := io.ReadAll(os.Stdin)
	r, err := r4.UnmarshalResource(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := r4.Marshal(r)
	fmt.Println(r.(interface{ Validate() error }).Validate(), len(r4.ExtractSearchIndex(r)), len(out))
}
GO
cat > _build/cmd/r4patient/main.go <<'GO'
// Command r4patient decodes and validates a Patient with the all-of-R4 package.
package main

import (
	"fmt"
	"io"
	"os"

	r4 "github.com/fhirgen/fhirgen/bench/_build/gen-all"
)

func main() {
	data, _ := io.ReadAll(os.Stdin)
	var p r4.Patient
	if err := p.UnmarshalJSON(data); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Validate())
}
GO
echo "## Binary size (\`go build\`, default flags; \`-ldflags=-s -w\` strips symbols and DWARF)"
echo
echo "| program | bytes | bytes, -s -w |"
echo "|---|---:|---:|"
for p in bulk r4patient r4all; do
	go build -o _build/bin/$p ./_build/cmd/$p
	go build -ldflags='-s -w' -o _build/bin/$p-stripped ./_build/cmd/$p
	echo "| $p | $(stat -c %s _build/bin/$p) | $(stat -c %s _build/bin/$p-stripped) |"
done
