package fhir_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generated/fhir"
)

// The decoder scans strings eight bytes at a time: every special byte (quote, backslash,
// control character, a byte of a multi-byte character) at every offset around the word
// boundaries, and every white-space run length, decodes as encoding/json decodes it.
func TestDecodeStringsAtEveryOffset(t *testing.T) {
	specials := []string{`\"`, `\\`, `\n`, `\u00e9`, `\ud83d\ude00`, "é", "😀", "\x01", "\xff"}
	for n := 0; n < 24; n++ {
		for _, sp := range specials {
			for at := 0; at <= n; at++ {
				text := strings.Repeat("a", at) + sp + strings.Repeat("b", n-at)
				doc := `{"resourceType":"BulkDataExport","status":"active","request":"` + text + `"}`
				var want struct{ Request string }
				wantErr := json.Unmarshal([]byte(doc), &want) != nil || strings.Contains(text, "\xff")
				r, err := fhir.UnmarshalResource([]byte(doc))
				if (err != nil) != wantErr {
					t.Fatalf("%q: error %v, want error %v", text, err, wantErr)
				}
				if err == nil {
					if got := r.(*fhir.BulkDataExport).Request; got != want.Request {
						t.Fatalf("%q: request %q, want %q", text, got, want.Request)
					}
				}
			}
		}
	}
	for n := 0; n < 40; n++ {
		doc := "{\n" + strings.Repeat(" ", n) + `"resourceType":"BulkDataExport",` + "\n" + strings.Repeat(" ", n) + "\t" +
			`"status":"active","request":"x"` + "\n" + strings.Repeat(" ", n) + "}"
		if _, err := fhir.UnmarshalResource([]byte(doc)); err != nil {
			t.Fatalf("indentation %d: %v", n, err)
		}
	}
}

// A UTF-8 byte order mark before the resource is ignored (RFC 8259 §8.1); a second one,
// or one after white space, is not JSON.
func TestDecodeBOM(t *testing.T) {
	const doc = `{"resourceType":"BulkDataExport","status":"active","request":"x"}`
	r, err := fhir.UnmarshalResource([]byte("\xEF\xBB\xBF" + doc))
	if err != nil {
		t.Fatalf("BOM-prefixed resource: %v", err)
	}
	if got := r.(*fhir.BulkDataExport).Request; got != "x" {
		t.Errorf("request %q, want x", got)
	}
	var b fhir.BulkDataExport
	if err := b.UnmarshalJSON([]byte("\xEF\xBB\xBF" + doc)); err != nil {
		t.Errorf("UnmarshalJSON with a BOM: %v", err)
	}
	for _, bad := range []string{"\xEF\xBB\xBF\xEF\xBB\xBF" + doc, " \xEF\xBB\xBF" + doc, "\xEF\xBB" + doc, "x" + doc} {
		if _, err := fhir.UnmarshalResource([]byte(bad)); err == nil {
			t.Errorf("%q: decoded, want an error", bad[:8])
		}
	}
}
