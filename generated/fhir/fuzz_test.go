package fhir_test

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/fhirgen/fhirgen/generated/fhir"
)

// fuzzSeeds adds the round-trip examples and hostile documents to a fuzz corpus.
func fuzzSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/roundtrip/*.json")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		`{"resourceType":"BulkDataExport","status":"active","requestTime":"2024-05-01T09:59:58Z","request":"x"}`,
		`{"resourceType":"BulkDataExport","extension":[{"url":"u","extension":[{"url":"u","extension":[{"url":"u","valueString":"x"}]}]}]}`,
		`{"resourceType":"BulkDataExport","contained":[{"resourceType":"BulkDataExport","contained":[{"resourceType":"OperationOutcome"}]}]}`,
		`{"resourceType":"BulkDataExport","status":"active","status":"error"}`,
		`{"resourceType":"BulkDataExport","_status":{"extension":[null,{"url":"x","valueDecimal":1e999999}]}}`,
		`{"resourceType":"BulkDataExport","output":[{"type":"Patient","url":"\ud800"}]}`,
		"{\"resourceType\":\"BulkDataExport\",\"request\":\"\xff\xfe\"}",
		`{"resourceType":"Bundle","type":"searchset","total":-1,"entry":[{"resource":{"resourceType":"Patient"}}]}`,
		`{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","expression":[null]}]}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]`,
		`{"resourceType":"CapabilityStatement","rest":[{"resource":[{"type":"Patient","searchParam":[{"name":"x"}]}]}]}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzUnmarshalResource: decoding never panics, and a failure is a *DecodeError whose
// offset is inside the input.
func FuzzUnmarshalResource(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.UnmarshalResource(data)
		if err != nil {
			var de *fhir.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError: %v", err, err)
			}
			if de.Offset < 0 || de.Offset > len(data) {
				t.Fatalf("offset %d outside the input of %d bytes", de.Offset, len(data))
			}
			return
		}
		if r == nil {
			t.Fatal("nil resource without an error")
		}
	})
}

// FuzzRoundTrip: whatever decodes re-encodes to JSON that decodes again and encodes to
// the same bytes (decode → encode → decode is stable).
func FuzzRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.UnmarshalResource(data)
		if err != nil {
			return
		}
		once, err := fhir.Marshal(r)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		r2, err := fhir.UnmarshalResource(once)
		if err != nil {
			t.Fatalf("the encoding of a decoded value does not decode: %v\n%s", err, once)
		}
		twice, err := fhir.Marshal(r2)
		if err != nil {
			t.Fatalf("encode again: %v", err)
		}
		if !bytes.Equal(once, twice) {
			t.Fatalf("not stable:\n%s\n%s", once, twice)
		}
	})
}

// FuzzValidate: Validate and ValidateAll never panic on whatever decodes, and agree:
// Validate fails exactly when ValidateAll has an error-severity issue.
func FuzzValidate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.UnmarshalResource(data)
		if err != nil {
			return
		}
		v, ok := r.(interface {
			Validate() error
			ValidateAll() []fhir.Issue
		})
		if !ok {
			return // a resource type without validators (RawResource)
		}
		hasError := false
		for _, i := range v.ValidateAll() {
			hasError = hasError || i.Severity == "error"
		}
		if err := v.Validate(); (err != nil) != hasError {
			t.Fatalf("Validate() = %v but ValidateAll has an error: %v", err, hasError)
		}
	})
}

// FuzzExtractSearchIndex: the search extractors never panic on whatever decodes, and
// every entry names its parameter and type.
func FuzzExtractSearchIndex(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := fhir.UnmarshalResource(data)
		if err != nil {
			return
		}
		for _, e := range fhir.ExtractSearchIndex(r) {
			if e.Param == "" || e.Type == "" {
				t.Fatalf("entry without parameter or type: %+v", e)
			}
		}
	})
}

// FuzzSearchParams: the generated search-parameter parser never panics on any query
// string, strict or lenient, and a strict parse fails with a *ServerQueryError.
func FuzzSearchParams(f *testing.F) {
	for _, q := range []string{"status=active", "_id=a,b&_count=10&_sort=-_lastUpdated", "_lastUpdated=ge2024-01-01&_lastUpdated=lt2024-02",
		"status:not=error&_summary=count&_total=accurate", "request-time=eq2024", "status:missing=true", "_count=-1", "_sort=,,,",
		"unknown=1", "status=%zz", "patient.name=x", "_lastUpdated=gt9999-99-99", "status=" + "a,"} {
		f.Add("BulkDataExport", q)
	}
	f.Add("Bundle", "identifier=http://x|y&timestamp=le2020")
	f.Fuzz(func(t *testing.T, typ, query string) {
		values, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		defs := fhir.ServerParamsOf(typ)
		if _, err := fhir.ServerParseQuery(values, defs, fhir.ServerParamsOf, true); err != nil {
			var qe *fhir.ServerQueryError
			if !errors.As(err, &qe) {
				t.Fatalf("lenient parse: error %T: %v", err, err)
			}
		}
		if _, err := fhir.ServerParseQuery(values, defs, fhir.ServerParamsOf, false); err != nil {
			var qe *fhir.ServerQueryError
			if !errors.As(err, &qe) {
				t.Fatalf("strict parse: error %T: %v", err, err)
			}
		}
	})
}
