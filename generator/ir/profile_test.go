package ir

import "testing"

func TestSplitElementID(t *testing.T) {
	for id, want := range map[string]struct {
		parent string
		slice  bool
	}{
		"Patient":                                {"", false},
		"Patient.identifier":                     {"Patient", false},
		"Patient.identifier:ihi":                 {"Patient.identifier", true},
		"Patient.identifier:ihi.system":          {"Patient.identifier:ihi", false},
		"Observation.component:a/b":              {"Observation.component:a", true},
		"Observation.component:a/b.code":         {"Observation.component:a/b", false},
		"Observation.value[x]:valueQuantity":     {"Observation.value[x]", true},
		"Extension.extension:x.value[x]":         {"Extension.extension:x", false},
		"Bundle.entry:composition.resource":      {"Bundle.entry:composition", false},
		"Composition.section:a.entry:b.resource": {"Composition.section:a.entry:b", false},
	} {
		parent, slice := splitElementID(id)
		if parent != want.parent || slice != want.slice {
			t.Errorf("splitElementID(%q) = %q, %v; want %q, %v", id, parent, slice, want.parent, want.slice)
		}
	}
}
