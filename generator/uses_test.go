package generator

import (
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// TestCompileGuard checks that a generated file using a name of the runtime that the run
// did not copy, or a name nothing declares, fails generation with the file and the name,
// and that declared names, imports and predeclared identifiers pass.
func TestCompileGuard(t *testing.T) {
	files := []emit.File{
		{Name: "a.gen.go", Content: []byte(`package fhir

import "strings"

func f(s *searchState) int {
	_ = strings.ToLower
	_ = helper
	_ = nowhere
	return len("")
}
`)},
		{Name: "b.gen.go", Content: []byte("package fhir\n\nfunc helper() {}\n")},
	}
	ds := checkDeclarations(files, map[string]string{}, &ir.Model{})
	var got []string
	for _, d := range ds {
		got = append(got, d.Msg)
	}
	want := []string{
		"internal error: generated a.gen.go uses searchState of templates/support/search.go, which this run does not copy (see generator.supportConcerns)",
		"internal error: generated a.gen.go uses nowhere, which nothing in the generated package declares",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
