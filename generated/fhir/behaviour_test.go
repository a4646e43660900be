package fhir_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generated/fhir"
)

// The fixtures in testdata/roundtrip are written in the canonical form the encoder
// produces (definition order, "_x" right after "x", compact), so decode → encode must give
// back the same bytes.
func TestRoundTripFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/roundtrip/*.json")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			in, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			in = bytes.TrimRight(in, "\n")
			r, err := fhir.UnmarshalResource(in)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			out, err := r.MarshalJSON()
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(in, out) {
				t.Errorf("round trip changed the bytes\n in: %s\nout: %s", in, out)
			}
			// the typed entry point gives the same result
			var b fhir.BulkDataExport
			if err := json.Unmarshal(in, &b); err != nil {
				t.Fatalf("json.Unmarshal: %v", err)
			}
			out2, _ := fhir.Marshal(&b)
			if !bytes.Equal(in, out2) {
				t.Errorf("typed round trip changed the bytes\n in: %s\nout: %s", in, out2)
			}
		})
	}
}

func decodeFixture(t *testing.T, name string) *fhir.BulkDataExport {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/roundtrip", name))
	if err != nil {
		t.Fatal(err)
	}
	var b fhir.BulkDataExport
	if err := b.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	return &b
}

// What survives is checked field by field, not only as bytes.
func TestDecodedValues(t *testing.T) {
	b := decodeFixture(t, "manifest.json")
	if b.Status != fhir.AsyncJobStatusCompleted || !b.Status.Known() {
		t.Errorf("Status = %q", b.Status)
	}
	if b.StatusExt == nil || b.StatusExt.ID != "st1" || len(b.StatusExt.Extension) != 1 {
		t.Fatalf("StatusExt = %+v", b.StatusExt)
	}
	if v, ok := b.StatusExt.Extension[0].Value.(*fhir.StringValue); !ok || v.Value != "finished on schedule" {
		t.Errorf("status extension value = %#v", b.StatusExt.Extension[0].Value)
	}
	if len(b.Output) != 2 || b.Output[1].Type != fhir.ResourceTypeObservation || b.Output[1].URLExt == nil {
		t.Errorf("Output = %+v", b.Output)
	}
	if b.RequiresAccessToken == nil || !*b.RequiresAccessToken {
		t.Errorf("RequiresAccessToken = %v", b.RequiresAccessToken)
	}
	// a primitive array with a null value and an extension-only item
	p := b.Meta.Profile
	if len(p) != 2 || p[0] != "" || p[1] != "https://example.org/fhir/StructureDefinition/export" {
		t.Errorf("Meta.Profile = %q", p)
	}
	if pe := b.Meta.ProfileExt; len(pe) != 2 || pe[0] == nil || pe[1] != nil {
		t.Errorf("Meta.ProfileExt = %v", pe)
	}
	if !strings.Contains(b.Text.Div, "size < 10 MB & \"quoted\"") {
		t.Errorf("narrative div = %q", b.Text.Div)
	}

	d := decodeFixture(t, "decimal-extension.json")
	if v, ok := d.Extension[0].Value.(*fhir.DecimalValue); !ok || v.Value != "1.50" {
		t.Errorf("decimal extension = %#v", d.Extension[0].Value)
	}
	if v := d.Extension[2].Value.(*fhir.DecimalValue); v.Value != "12345678901234567890.123456789" {
		t.Errorf("big decimal = %q", v.Value)
	}
	if q, ok := d.Extension[3].Value.(*fhir.Quantity); !ok || q.Value != "2.50" {
		t.Errorf("quantity extension = %#v", d.Extension[3].Value)
	}

	c := decodeFixture(t, "contained.json")
	if len(c.Contained) != 2 {
		t.Fatalf("Contained = %v", c.Contained)
	}
	oo, ok := c.Contained[0].(*fhir.OperationOutcome)
	if !ok || oo.Issue[0].Severity != fhir.IssueSeverityWarning {
		t.Errorf("contained[0] = %#v", c.Contained[0])
	}
	raw, ok := c.Contained[1].(*fhir.RawResource)
	if !ok || raw.Type != "Patient" || !bytes.Contains(raw.JSON, []byte(`"_given":[null,{`)) {
		t.Errorf("contained[1] = %#v", c.Contained[1])
	}
}

// Writing from Go: the zero value of every field is absent, and empty objects and arrays
// never reach the output.
func TestEncodeFromGo(t *testing.T) {
	b := &fhir.BulkDataExport{
		Status:      fhir.AsyncJobStatusActive,
		StatusExt:   &fhir.Element{Extension: []fhir.Extension{{URL: "https://example.org/x", Value: &fhir.BooleanValue{Value: fhir.Bool(true)}}}},
		RequestTime: "2024-05-01T09:59:58Z",
		Request:     "https://example.org/fhir/$export",
		Meta:        &fhir.Meta{},                                                                // empty: left out
		Output:      []fhir.BulkDataExportOutput{{}, {URL: "u", Type: fhir.ResourceTypePatient}}, // empty item left out
		Extension:   []fhir.Extension{{URL: "https://example.org/d", Value: &fhir.DecimalValue{Value: fhir.DecimalOf(0.1)}}},
		Contained:   []fhir.Resource{&fhir.OperationOutcome{ID: "o"}},
	}
	got, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"resourceType":"BulkDataExport","contained":[{"resourceType":"OperationOutcome","id":"o"}],` +
		`"extension":[{"url":"https://example.org/d","valueDecimal":0.1}],"status":"active",` +
		`"_status":{"extension":[{"url":"https://example.org/x","valueBoolean":true}]},` +
		`"requestTime":"2024-05-01T09:59:58Z","request":"https://example.org/fhir/$export",` +
		`"output":[{"type":"Patient","url":"u"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// Structural faults are decode errors with a FHIRPath-style location, matchable with
// errors.As.
func TestMalformed(t *testing.T) {
	const ok = `"status":"active","requestTime":"2024-05-01T09:59:58Z","request":"https://x"`
	cases := []struct {
		name, in, path, msg string
	}{
		{"unknown element", `{"resourceType":"BulkDataExport",` + ok + `,"output":[{"type":"Patient","url":"a"},{"type":"Patient","url":"b","size":3}]}`,
			"BulkDataExport.output[1].size", `unknown element "size"`},
		{"wrong JSON type", `{"resourceType":"BulkDataExport","status":"active","requestTime":20240501,"request":"x"}`,
			"BulkDataExport.requestTime", "expected string, found number"},
		{"two choice variants", `{"resourceType":"BulkDataExport",` + ok + `,"extension":[{"url":"u","valueString":"a","valueInteger":1}]}`,
			"BulkDataExport.extension[0].valueInteger", "more than one variant"},
		{"array for a single value", `{"resourceType":"BulkDataExport","status":["active"]}`,
			"BulkDataExport.status", "expected string, found array"},
		{"single value for an array", `{"resourceType":"BulkDataExport",` + ok + `,"output":{"type":"Patient","url":"a"}}`,
			"BulkDataExport.output", "expected array, found object"},
		{"empty string", `{"resourceType":"BulkDataExport","status":""}`, "BulkDataExport.status", "empty string"},
		{"empty object", `{"resourceType":"BulkDataExport",` + ok + `,"meta":{}}`, "BulkDataExport.meta", "empty object"},
		{"empty array", `{"resourceType":"BulkDataExport",` + ok + `,"output":[]}`, "BulkDataExport.output", "empty array"},
		{"null value", `{"resourceType":"BulkDataExport","status":null}`, "BulkDataExport.status", "expected string, found null"},
		{"null in a complex array", `{"resourceType":"BulkDataExport",` + ok + `,"output":[null]}`, "BulkDataExport.output[0]", "null is not allowed"},
		{"null without extension", `{"resourceType":"BulkDataExport",` + ok + `,"meta":{"profile":[null,"http://p"]}}`,
			"BulkDataExport.meta.profile[0]", "null without an extension"},
		{"misaligned arrays", `{"resourceType":"BulkDataExport",` + ok + `,"meta":{"profile":["http://a","http://p"],"_profile":[{"id":"x"}]}}`,
			"BulkDataExport.meta.profile", "different lengths"},
		{"resourceType mismatch", `{"resourceType":"Patient","status":"active"}`, "BulkDataExport.resourceType", "resourceType is Patient"},
		{"missing resourceType", `{"status":"active"}`, "BulkDataExport", "missing resourceType"},
		{"duplicate member", `{"resourceType":"BulkDataExport","status":"active","status":"error"}`, "BulkDataExport.status", "more than once"},
		{"contained without resourceType", `{"resourceType":"BulkDataExport",` + ok + `,"contained":[{"id":"x"}]}`,
			"BulkDataExport.contained[0]", "without resourceType"},
		{"bad contained member", `{"resourceType":"BulkDataExport",` + ok + `,"contained":[{"resourceType":"OperationOutcome","issue":[{"severity":"fatal","code":"x","bogus":1}]}]}`,
			"BulkDataExport.contained[0].issue[0].bogus", "unknown element"},
		{"integer out of range", `{"resourceType":"BulkDataExport",` + ok + `,"extension":[{"url":"u","valueInteger":2147483648}]}`,
			"BulkDataExport.extension[0].valueInteger", "32-bit integer"},
		{"invalid JSON", `{"resourceType":"BulkDataExport","status":"active",}`, "BulkDataExport", "expected object key"},
		{"trailing data", `{"resourceType":"BulkDataExport",` + ok + `} {}`, "", "after the top-level value"},
		{"invalid UTF-8", "{\"resourceType\":\"BulkDataExport\",\"status\":\"\xff\"}", "BulkDataExport.status", "invalid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b fhir.BulkDataExport
			err := b.UnmarshalJSON([]byte(c.in))
			var de *fhir.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *DecodeError", err)
			}
			if de.Path != c.path || !strings.Contains(de.Msg, c.msg) {
				t.Errorf("got path %q msg %q, want path %q msg containing %q", de.Path, de.Msg, c.path, c.msg)
			}
			if de.Offset <= 0 || de.Offset > len(c.in) {
				t.Errorf("offset %d outside the input", de.Offset)
			}
		})
	}
}

func TestUnmarshalResourceUnknownType(t *testing.T) {
	_, err := fhir.UnmarshalResource([]byte(`{"resourceType":"Patient","id":"p"}`))
	var de *fhir.DecodeError
	if !errors.As(err, &de) || !strings.Contains(de.Msg, "unknown resourceType Patient") {
		t.Fatalf("err = %v", err)
	}
}

// The depth limit counts real nesting, so reordering keys cannot get past it.
func TestDepthLimit(t *testing.T) {
	nested := `{"url":"u","valueString":"x"}`
	for i := 0; i < 30; i++ {
		nested = `{"url":"u","extension":[` + nested + `]}`
	}
	doc := `{"resourceType":"BulkDataExport","extension":[` + nested + `],"status":"active","requestTime":"2024-05-01T09:59:58Z","request":"x"}`
	if _, err := fhir.UnmarshalResource([]byte(doc)); err != nil {
		t.Fatalf("default limit: %v", err)
	}
	_, err := fhir.DecodeOptions{MaxDepth: 20}.UnmarshalResource([]byte(doc))
	var de *fhir.DecodeError
	if !errors.As(err, &de) || !strings.Contains(de.Msg, "nesting deeper than 20") {
		t.Fatalf("err = %v", err)
	}
	// the same depth reached through contained resources is caught too
	deep := `{"resourceType":"BulkDataExport","status":"active","requestTime":"2024-05-01T09:59:58Z","request":"x","contained":[` +
		strings.Repeat(`{"resourceType":"Patient","x":[`, 40) + "1" + strings.Repeat("]}", 40) + `]}`
	_, err = fhir.DecodeOptions{MaxDepth: 50}.UnmarshalResource([]byte(deep))
	if !errors.As(err, &de) || !strings.Contains(de.Msg, "nesting deeper") {
		t.Fatalf("contained depth: err = %v", err)
	}
}

// TestBundleDocumentFirstEntry checks bdl-11 ("a document's first resource is a
// Composition") when Composition is not generated: the first entry is then a raw resource,
// judged by its resourceType.
func TestBundleDocumentFirstEntry(t *testing.T) {
	doc := func(first string) string {
		return `{"resourceType":"Bundle","type":"document","identifier":{"system":"urn:ietf:rfc:3986","value":"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"},` +
			`"timestamp":"2024-01-01T00:00:00Z","entry":[{"fullUrl":"urn:uuid:9a1d2b3c-0000-4000-8000-000000000001","resource":` + first + `}]}`
	}
	for _, c := range []struct {
		first string
		bad   bool
	}{
		{`{"resourceType":"Composition","id":"c1","status":"final"}`, false},
		{`{"resourceType":"OperationOutcome","issue":[{"severity":"information","code":"informational"}]}`, true},
	} {
		r, err := fhir.UnmarshalResource([]byte(doc(c.first)))
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, i := range r.(*fhir.Bundle).ValidateAll() {
			got = got || i.Severity == "error" && strings.HasPrefix(i.Message, "bdl-11:")
		}
		if got != c.bad {
			t.Errorf("first entry %s: bdl-11 reported %v, want %v (%v)", c.first, got, c.bad, r.(*fhir.Bundle).ValidateAll())
		}
	}
}
