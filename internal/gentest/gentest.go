// Package gentest runs the generator on the repository's own files for the tests of the
// generator's packages: one place that finds the module root and fails a test on a
// generation error.
package gentest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
)

// Root returns the module root: the nearest directory above the working directory that
// holds go.mod.
func Root(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Generate runs the generator with cfg on the module's files: cfg.Inputs are paths
// relative to the module root (definitions/ when empty) and the package is fhir unless
// cfg.Package says otherwise. A generation error fails the test.
func Generate(tb testing.TB, cfg generator.Config) ([]emit.File, *generator.Result, diag.List) {
	tb.Helper()
	if len(cfg.Inputs) == 0 {
		cfg.Inputs = []string{"definitions"}
	}
	if cfg.Package == "" {
		cfg.Package = "fhir"
	}
	files, res, ds := generator.Generate(os.DirFS(Root(tb)), cfg)
	if ds.HasErrors() {
		tb.Fatalf("generate %v: %v", cfg.Inputs, ds.Errors())
	}
	return files, res, ds
}
