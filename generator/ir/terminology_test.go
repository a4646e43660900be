package ir_test

import (
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/internal/gentest"
)

// TestExpansion generates the custom resource Zoo (testdata/terminology), whose code
// elements are bound (required) to one ValueSet each, and checks the expansion the IR
// computes for each: a whole CodeSystem, is-a / descendent-of / is-not-a filters on its
// hierarchy (two filters in one include: both apply), a concept list, exclude (by list and by filter), nested ValueSets (two
// includes: union; two in one include: intersection), and the reasons a binding is not
// checkable (an external terminology, a fragment CodeSystem, a filter on another property,
// a ValueSet not in the inputs), each also a warning naming the element.
func TestExpansion(t *testing.T) {
	_, res, ds := gentest.Generate(t, generator.Config{
		Inputs: []string{"definitions", "generator/ir/testdata/terminology"}, Package: "zoo",
		Emit: []string{"types"}, Resources: []string{"Zoo"}})
	var zoo *ir.Type
	for _, ty := range res.Model.Types {
		if ty.FHIRName == "Zoo" {
			zoo = ty
		}
	}
	if zoo == nil {
		t.Fatal("no type Zoo")
	}
	want := map[string]string{
		"Zoo.all":          "animal mammal dog cat bird parrot plant",
		"Zoo.isA":          "mammal dog cat",
		"Zoo.descendentOf": "mammal dog cat bird parrot",
		"Zoo.isNotA":       "animal bird parrot plant",
		"Zoo.listed":       "dog plant",
		"Zoo.excluded":     "animal mammal dog cat",
		"Zoo.concept":      "animal mammal dog cat",
		"Zoo.nested":       "mammal dog cat plant",
		"Zoo.intersected":  "dog",
		"Zoo.twoFilters":   "animal bird parrot",
		"Zoo.external":     "! CodeSystem http://snomed.info/sct is not in the inputs",
		"Zoo.fragment":     "! CodeSystem http://example.org/cs/partial content is fragment",
		"Zoo.byProperty":   "! filter on property parent needs an external terminology",
		"Zoo.missing":      "! ValueSet not in the inputs",
	}
	seen := 0
	for _, f := range zoo.Fields {
		w, ok := want[f.Path]
		if !ok {
			continue
		}
		seen++
		if f.Binding == nil {
			t.Errorf("%s: no binding", f.Path)
			continue
		}
		var got string
		if f.Binding.Expansion == nil {
			got = "! " + f.Binding.Reason
		} else {
			var codes []string
			for _, c := range f.Binding.Expansion {
				if c.System != "http://example.org/cs/living" {
					t.Errorf("%s: code %s of system %q", f.Path, c.Code, c.System)
				}
				codes = append(codes, c.Code)
			}
			got = strings.Join(codes, " ")
		}
		if got != w {
			t.Errorf("%s: expansion %q, want %q", f.Path, got, w)
		}
		if strings.HasPrefix(w, "!") {
			warned := false
			for _, d := range ds {
				if d.Kind == "binding-not-expandable" && d.Element == f.Path && strings.Contains(d.Msg, f.Binding.Reason) {
					warned = true
				}
			}
			if !warned {
				t.Errorf("%s: no binding-not-expandable warning", f.Path)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d bound elements", seen, len(want))
	}
}
