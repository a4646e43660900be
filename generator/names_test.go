package generator_test

import (
	"os"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
)

// A model name that clashes with the support runtime or an emitter's own names is an
// error at generation naming both files and the FHIR type, not a compile error later; a
// clash with a runtime that is not copied (--emit types has no search runtime) is none.
func TestDeclarationClashes(t *testing.T) {
	fsys := os.DirFS("..")
	cases := []struct {
		goName string
		emit   []string
		want   []string // substrings of the one error; none: generation succeeds
	}{
		{"SearchEntry", nil, []string{"Go name SearchEntry", "FHIR type Period", "templates/support/search.go"}},
		{"Issue", nil, []string{"Go name Issue", "FHIR type Period", "templates/support/validate.go"}},
		{"Decimal", []string{"types"}, []string{"Go name Decimal", "templates/support/values.go"}},
		{"ServerError", nil, []string{"Go name ServerError", "printed by the http emitter", "FHIR type Period"}},
		{"UnmarshalResource", []string{"types"}, []string{"resources.gen.go (printed by the types emitter)"}},
		{"BulkDataExportReader", nil, []string{"server_resources.gen.go (printed by the http emitter)"}},
		{"SearchEntry", []string{"types"}, nil},
		{"Issue", []string{"types", "search"}, nil},
	}
	for _, c := range cases {
		t.Run(c.goName+"/"+strings.Join(c.emit, "+"), func(t *testing.T) {
			cfg := mainJob
			cfg.Emit = c.emit
			cfg.Renames = map[string]string{"Period": c.goName}
			files, _, ds := generator.Generate(fsys, cfg)
			errs := ds.Errors()
			if c.want == nil {
				if len(errs) > 0 || len(files) == 0 {
					t.Fatalf("want a clean generation, got %d files and %v", len(files), errs)
				}
				return
			}
			if len(errs) != 1 || files != nil {
				t.Fatalf("want one error and no files, got %d files and %v", len(files), errs)
			}
			msg := errs[0].String()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
		})
	}
}
