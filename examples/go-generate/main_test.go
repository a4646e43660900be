package main

import (
	"strings"
	"testing"

	"example.com/clinic/fhir"
)

func TestNote(t *testing.T) {
	if err := run([]string{"testdata/note.json"}); err != nil {
		t.Fatal(err)
	}
	var n fhir.ClinicNote
	if err := n.UnmarshalJSON([]byte(`{"resourceType":"ClinicNote","subject":{"reference":"Patient/p1"},"written":"2024-05-06"}`)); err != nil {
		t.Fatal(err)
	}
	if err := n.Validate(); err == nil || !strings.Contains(err.Error(), "ClinicNote.title") {
		t.Errorf("a note without a title: %v", err)
	}
	found := false
	for _, e := range fhir.ExtractSearchIndex(&n) {
		found = found || e.Param == "subject" && e.ID == "p1"
	}
	if !found {
		t.Error("no subject in the search index")
	}
}
