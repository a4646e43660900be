// Package templates holds fhirgen's hand-written, model-independent code and text: the
// support runtime copied into every generated package (support/*.go, a real package so it
// is compiled and tested here) and the template of the once-written service stub of
// `fhirgen scaffold service` (scaffold/*.tmpl; generator/scaffold renders it).
package templates

import "embed"

// Support is the runtime copied into generated packages (tests excluded when copying).
//
//go:embed support/*.go
var Support embed.FS

// Scaffold holds the templates generator/scaffold renders.
//
//go:embed scaffold/*.tmpl
var Scaffold embed.FS
