package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"../../generated/fhir/testdata/roundtrip/manifest.json"}, true, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"export export-1: completed (requested 2024-05-01T09:59:58.123Z)",
		"status note: finished on schedule",
		"output  Observation",
		`"_status":{"id":"st1","extension":[{"url":"https://example.org/fhir/StructureDefinition/status-reason","valueString":"finished on schedule"},{"url":"https://example.org/fhir/StructureDefinition/inspected-by","valueString":"examples/bulkexport"}]}`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}
