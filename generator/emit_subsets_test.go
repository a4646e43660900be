package generator_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// Each emitter brings only its own part of the support runtime: a types-only package has
// the JSON core and no router, search or validation runtime, and every subset of emitters
// gives a package that compiles and vets on its own.
func TestEmitSubsets(t *testing.T) {
	mod := tempmod.New(t, "subsets")
	core := []string{"support_decode.gen.go", "support_encode.gen.go", "support_fields.gen.go", "support_values.gen.go"}
	for _, tc := range []struct {
		emit     []string
		support  []string // beyond the core
		fhirpath bool
	}{
		{[]string{"types"}, nil, false},
		{[]string{"types", "search"}, []string{"support_search.gen.go"}, true},
		{[]string{"types", "validate"}, []string{"support_format.gen.go", "support_terminology.gen.go", "support_terminology_data.gen.go", "support_validate.gen.go", "support_xhtml.gen.go", "support_xhtml_scan.gen.go"}, true},
		{[]string{"types", "http"}, []string{"support_server.gen.go", "support_server_patch.gen.go", "support_server_search.gen.go", "support_server_subset.gen.go"}, false},
		{[]string{"types", "validate", "http"}, []string{"support_format.gen.go", "support_server.gen.go", "support_server_patch.gen.go",
			"support_server_search.gen.go", "support_server_subset.gen.go", "support_server_validate.gen.go", "support_terminology.gen.go", "support_terminology_data.gen.go", "support_validate.gen.go", "support_xhtml.gen.go", "support_xhtml_scan.gen.go"}, true},
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
			mod.Write(name+"/"+f.Name, f.Content)
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
	if out, err := mod.Go("vet", "./..."); err != nil {
		t.Fatalf("a subset of emitters gives a package that does not vet: %v\n%s", err, out)
	}
}
