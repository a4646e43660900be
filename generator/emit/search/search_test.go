package search_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/internal/gentest"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// TestDefinitionsCoverage generates the main job's definitions with the search emitter and
// checks the coverage note and that nothing fails.
func TestDefinitionsCoverage(t *testing.T) {
	_, _, ds := gentest.Generate(t, generator.Config{Emit: []string{"types", "search"}})
	var cov string
	for _, d := range ds {
		if d.Kind == "coverage" && d.Severity == diag.Note && strings.HasPrefix(d.Msg, "search parameters:") {
			cov = d.Msg
		}
	}
	want := "search parameters: 7 compiled, 3 without expression, 0 warnings, 0 failed"
	if cov != want {
		t.Errorf("coverage note %q, want %q", cov, want)
	}
}

// TestBehaviour generates definitions/ (types and search) into a temporary module and runs
// testdata/behaviour_test.go.txt there: BulkDataExport's status for every code, the
// Resource parameters read from meta, the registry, the options.
func TestBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package; skipped in -short mode")
	}
	files, _, _ := gentest.Generate(t, generator.Config{Emit: []string{"types", "search"}})
	m := tempmod.New(t, "searchtmp")
	m.WriteFiles("fhir", files)
	m.Copy("fhir/search_behaviour_test.go", filepath.Join("testdata", "behaviour_test.go.txt"))
	args := []string{"test", "-count=1", "./fhir"}
	if b := os.Getenv("FHIRGEN_SEARCH_BENCH"); b != "" {
		args = append(args, "-run", "^$", "-bench", b, "-benchmem")
	} else {
		args = append(args, "-v", "-run", "Search")
	}
	t.Logf("%s", m.MustGo(args...))
	m.MustGo("vet", "./fhir")
}
