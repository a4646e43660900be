#!/usr/bin/env bash
# run.sh — the peer benchmarks from a fresh clone: fetch the R4 examples package if it is
# missing, generate fhirgen's R4 package (go generate), then run go test with the given
# arguments. With none it runs the benchmarks as BENCHMARKS.md does: 6 interleaved rounds,
# each one `go test -bench` process running every peer once (go test's own -count would
# repeat each peer 6 times in a row before the next one).
#
#   bench/run.sh > results.txt                            # then: benchstat results.txt
#   bench/run.sh -run TestFidelity -v                     # fidelity per peer
#   bench/run.sh -run TestCorpusList -bench . -benchtime 1x   # the CI smoke run
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -d ../.cache/npm/hl7.fhir.r4.examples@4.0.1 ]]; then
	# The bench reads <repository root>/.cache/npm, the script's default cache.
	FHIRGEN_CACHE= ../scripts/fetch-packages.sh r4
fi
if [[ ! -d ../.cache/benchnode/node_modules ]]; then
	node/install.sh # the pinned JavaScript peers (Medplum, fhirpath.js) of BenchmarkValidate/Extract
fi
go generate ./...
if [[ $# -eq 0 ]]; then
	go test -c -o /dev/null . # build once, before the first timed round
	for round in 1 2 3 4 5 6; do
		go test -run '^$' -bench . -benchmem -count 1 .
	done
	exit 0
fi
exec go test "$@" .
