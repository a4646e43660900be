// Package fhirgen is the root of the fhirgen module. Run `go generate ./...` here to
// regenerate generated/ from definitions/ (the main job).
package fhirgen

//go:generate go run ./cmd/fhirgen generate --out generated/fhir --package fhir definitions
