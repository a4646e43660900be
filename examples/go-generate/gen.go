// Package main is a user's own FHIR server repository in miniature: its go:generate line
// runs fhirgen (pinned as a Go tool in go.mod) on the base definitions plus its own
// custom resource, ClinicNote, into ./fhir.
package main

//go:generate go tool fhirgen generate --out fhir --package fhir --resources ClinicNote ../../definitions ./definitions
