package search_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
)

// TestDefinitionsCoverage generates the main job's definitions with the search emitter and
// checks the coverage note and that nothing fails.
func TestDefinitionsCoverage(t *testing.T) {
	_, _, ds := generator.Generate(os.DirFS("../../.."), generator.Config{
		Inputs: []string{"definitions"}, Package: "fhir", Emit: []string{"types", "search"}})
	if ds.HasErrors() {
		t.Fatalf("generation failed:\n%v", ds.Errors())
	}
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
	files, _, ds := generator.Generate(os.DirFS("../../.."), generator.Config{
		Inputs: []string{"definitions"}, Package: "fhir", Emit: []string{"types", "search"}})
	if ds.HasErrors() {
		t.Fatalf("generation failed:\n%v", ds.Errors())
	}
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module searchtmp\n\ngo 1.24\n"))
	for _, f := range files {
		write(filepath.Join("fhir", f.Name), f.Content)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "behaviour_test.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join("fhir", "search_behaviour_test.go"), src)
	args := []string{"test", "-count=1", "./fhir"}
	if b := os.Getenv("FHIRGEN_SEARCH_BENCH"); b != "" {
		args = append(args, "-run", "^$", "-bench", b, "-benchmem")
	} else {
		args = append(args, "-v", "-run", "Search")
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("%s", out)
	vet := exec.Command("go", "vet", "./fhir")
	vet.Dir = dir
	vet.Env = cmd.Env
	if out, err := vet.CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}
