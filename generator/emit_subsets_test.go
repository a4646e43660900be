package generator_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Each emitter brings only its own part of the support runtime: a types-only package has
// the JSON core and no router, search or validation runtime, and every subset of emitters
// gives a package that compiles and vets on its own.
func TestEmitSubsets(t *testing.T) {
	mod := t.TempDir()
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module subsets\n\ngo 1.24\n"), 0o644)
	core := []string{"support_decode.gen.go", "support_encode.gen.go", "support_fields.gen.go", "support_values.gen.go"}
	for _, tc := range []struct {
		emit     []string
		support  []string // beyond the core
		fhirpath bool
	}{
		{[]string{"types"}, nil, false},
		{[]string{"types", "search"}, []string{"support_search.gen.go"}, true},
		{[]string{"types", "validate"}, []string{"support_format.gen.go", "support_validate.gen.go"}, true},
		{[]string{"types", "http"}, []string{"support_server.gen.go", "support_server_patch.gen.go", "support_server_search.gen.go", "support_server_subset.gen.go"}, false},
		{[]string{"types", "validate", "http"}, []string{"support_format.gen.go", "support_server.gen.go", "support_server_patch.gen.go",
			"support_server_search.gen.go", "support_server_subset.gen.go", "support_server_validate.gen.go", "support_validate.gen.go"}, true},
	} {
		name := strings.Join(tc.emit, "_")
		cfg := mainJob
		cfg.Emit, cfg.Package = tc.emit, name
		files := generate(t, repoFS, cfg)
		var support []string
		hasFHIRPath := false
		size := 0
		for _, f := range files {
			size += len(f.Content)
			if strings.HasPrefix(f.Name, "support_") {
				support = append(support, f.Name)
			}
			if strings.HasPrefix(f.Name, "fhirpath") {
				hasFHIRPath = true
			}
			writeFile(t, filepath.Join(mod, name, f.Name), f.Content)
		}
		want := append(append([]string(nil), core...), tc.support...)
		sort.Strings(want)
		if strings.Join(support, " ") != strings.Join(want, " ") {
			t.Errorf("--emit %s: support files\n%s\nwant\n%s", name, strings.Join(support, " "), strings.Join(want, " "))
		}
		if hasFHIRPath != tc.fhirpath {
			t.Errorf("--emit %s: FHIRPath runtime present: %v, want %v", name, hasFHIRPath, tc.fhirpath)
		}
		t.Logf("--emit %s: %d files, %d bytes", strings.Join(tc.emit, ","), len(files), size)
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("a subset of emitters gives a package that does not vet: %v\n%s", err, out)
	}
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
