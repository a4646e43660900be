#!/usr/bin/env bash
# run.sh — the peer benchmarks from a fresh clone: fetch the R4 examples package if it is
# missing, generate fhirgen's R4 package (go generate), then run go test with the given
# arguments (default: the benchmarks as BENCHMARKS.md runs them).
#
#   bench/run.sh                                          # go test -run '^$' -bench . -benchmem -count 5
#   bench/run.sh -run TestFidelity -v                     # fidelity per peer
#   bench/run.sh -run TestCorpusList -bench . -benchtime 1x   # the CI smoke run
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d ../.cache/npm/hl7.fhir.r4.examples@4.0.1 ]]; then
	# The bench reads <repository root>/.cache/npm, the script's default cache.
	FHIRGEN_CACHE= ../scripts/fetch-packages.sh r4
fi
go generate ./...
if [[ $# -eq 0 ]]; then
	set -- -run '^$' -bench . -benchmem -count 5
fi
exec go test "$@" .
