#!/bin/sh
# CI check of the go-generate example: regenerating gives the committed bytes, and the
# module builds, vets and passes its tests.
set -eu
cd "$(dirname "$0")"
go generate ./...
changed=$(git status --porcelain -- .)
if [ -n "$changed" ]; then
	echo "examples/go-generate: go generate changed committed files:"
	echo "$changed"
	exit 1
fi
go vet ./...
go test ./...
