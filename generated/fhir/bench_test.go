package fhir_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generated/fhir"
)

// The baseline: encoding/json on plain structs shaped like the FHIR JSON of a
// BulkDataExport (json.Number keeps decimal text, so both sides are lossless on numbers).
type plainElement struct {
	ID        string           `json:"id,omitempty"`
	Extension []plainExtension `json:"extension,omitempty"`
}

type plainExtension struct {
	URL          string           `json:"url"`
	Extension    []plainExtension `json:"extension,omitempty"`
	ValueString  string           `json:"valueString,omitempty"`
	ValueInteger *int32           `json:"valueInteger,omitempty"`
	ValueDecimal json.Number      `json:"valueDecimal,omitempty"`
}

type plainReference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

type plainMeta struct {
	VersionID   string          `json:"versionId,omitempty"`
	LastUpdated string          `json:"lastUpdated,omitempty"`
	Profile     []*string       `json:"profile,omitempty"`
	ProfileExt  []*plainElement `json:"_profile,omitempty"`
	Project     string          `json:"project,omitempty"`
	Author      *plainReference `json:"author,omitempty"`
}

type plainNarrative struct {
	Status string `json:"status"`
	Div    string `json:"div"`
}

type plainFile struct {
	Type   string        `json:"type"`
	URL    string        `json:"url"`
	URLExt *plainElement `json:"_url,omitempty"`
}

type plainBulkDataExport struct {
	ResourceType        string            `json:"resourceType"`
	ID                  string            `json:"id,omitempty"`
	Meta                *plainMeta        `json:"meta,omitempty"`
	Text                *plainNarrative   `json:"text,omitempty"`
	Contained           []json.RawMessage `json:"contained,omitempty"`
	Extension           []plainExtension  `json:"extension,omitempty"`
	Status              string            `json:"status"`
	StatusExt           *plainElement     `json:"_status,omitempty"`
	RequestTime         string            `json:"requestTime"`
	TransactionTime     string            `json:"transactionTime,omitempty"`
	Request             string            `json:"request"`
	RequiresAccessToken *bool             `json:"requiresAccessToken,omitempty"`
	Output              []plainFile       `json:"output,omitempty"`
	Deleted             []plainFile       `json:"deleted,omitempty"`
	Error               []plainFile       `json:"error,omitempty"`
}

func benchDocs(b *testing.B) map[string][]byte {
	manifest, err := os.ReadFile("testdata/roundtrip/manifest.json")
	if err != nil {
		b.Fatal(err)
	}
	var items []string
	for i := 0; i < 1000; i++ {
		items = append(items, fmt.Sprintf(`{"type":"Observation","url":"https://storage.example.org/export-1/Observation-%04d.ndjson"}`, i))
	}
	large := `{"resourceType":"BulkDataExport","id":"big","status":"completed","requestTime":"2024-05-01T09:59:58Z",` +
		`"transactionTime":"2024-05-01T10:00:00Z","request":"https://example.org/fhir/$export","requiresAccessToken":true,` +
		`"output":[` + strings.Join(items, ",") + `]}`
	return map[string][]byte{"manifest": manifest, "output1000": []byte(large)}
}

// BenchmarkDecode compares the generated decoder with encoding/json on the plain structs.
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"manifest", "output1000"} {
		data := benchDocs(b)[name]
		b.Run(name+"/fhirgen", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var x fhir.BulkDataExport
				if err := x.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encoding_json", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var x plainBulkDataExport
				if err := json.Unmarshal(data, &x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode compares the generated encoder with encoding/json on the plain structs.
func BenchmarkEncode(b *testing.B) {
	for _, name := range []string{"manifest", "output1000"} {
		data := benchDocs(b)[name]
		var x fhir.BulkDataExport
		var p plainBulkDataExport
		if err := x.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/fhirgen", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := x.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encoding_json", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(&p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
