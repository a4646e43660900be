package support

import (
	"errors"
	"strings"
	"testing"
)

func TestValRefType(t *testing.T) {
	for ref, want := range map[string]string{
		"Patient/123":                  "Patient",
		"Patient/a.b-c":                "Patient",
		"Patient/123/_history/2":       "Patient",
		"Patient/123/_history/":        "",
		"Patient/":                     "",
		"Patient/1/foo":                "",
		"patient/1":                    "",
		"#p1":                          "",
		"http://example.org/Patient/1": "",
		"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0": "",
		"Patient/a b": "",
		"":            "",
	} {
		if got := valRefType(ref); got != want {
			t.Errorf("valRefType(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestValPaths(t *testing.T) {
	var out []Issue
	out = valMissing(out, "url", 1, 0)
	m := len(out)
	out = valFormat(out, primDate, "2023-02-29", "")
	out = valAtIndex(out, m, "birth", 2)
	out = valAtType(out, 0, "value", "Quantity")
	out = valAtResource(out, 0, "contained", 0, "Patient")
	out = valAt(out, 0, "Bundle")
	want := []string{
		"Bundle.contained[0].ofType(Patient).value.ofType(Quantity).url",
		"Bundle.contained[0].ofType(Patient).value.ofType(Quantity).birth[2]",
	}
	for i, w := range want {
		if out[i].Expression != w {
			t.Errorf("issue %d at %q, want %q", i, out[i].Expression, w)
		}
	}
	if out[0].Code != "required" || out[1].Code != "value" || !strings.Contains(out[1].Message, "date") {
		t.Errorf("issues %+v", out)
	}
	var err error = &ValidationError{Issues: out}
	var ve *ValidationError
	if !errors.As(err, &ve) || !ve.HasErrors() || !strings.HasPrefix(err.Error(), "validation failed: 2 errors") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestValNoAllocs(t *testing.T) {
	var out []Issue
	n := testing.AllocsPerRun(100, func() {
		out = valAtIndex(out, 0, "x", 3)
		out = valAtResource(out, 0, "contained", 1, "Patient")
		out = valFormat(out, primInstant, "2024-02-29T10:00:00Z", "x")
		out = valPositiveInt(out, nil, "x")
		_ = valRefType("Patient/1/_history/2")
	})
	if n != 0 || len(out) != 0 {
		t.Errorf("%v allocations, %d issues", n, len(out))
	}
}
