package naming

import (
	"go/token"
	"strings"
	"testing"
)

func TestGo(t *testing.T) {
	n := New([]string{"SMART"})
	for in, want := range map[string]string{
		"valueUri":                   "ValueURI",
		"identifier":                 "Identifier",
		"id":                         "ID",
		"requestTime":                "RequestTime",
		"BulkDataExport":             "BulkDataExport",
		"value[x]":                   "Value",
		"async-job-status":           "AsyncJobStatus",
		"entered-in-error":           "EnteredInError",
		"HTTPVerb":                   "HTTPVerb",
		"uuid":                       "UUID",
		"oid":                        "OID",
		"valueBase64Binary":          "ValueBase64Binary",
		"smart-app-launch":           "SMARTAppLaunch",
		"http-verb":                  "HTTPVerb",
		"2nd-try":                    "N2ndTry",
		"v3.ActCode":                 "V3ActCode",
		"Address.line":               "AddressLine",
		"urlXML":                     "URLXML",
		"ValidateXMLSchema_Override": "ValidateXMLSchemaOverride",
		"":                           "X",
	} {
		if got := n.Go(in); got != want {
			t.Errorf("Go(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCode(t *testing.T) {
	n := New(nil)
	for in, want := range map[string]string{
		"active": "Active", "entered-in-error": "EnteredInError", "<=": "LessOrEqual", ">": "Greater",
		"!=": "NotEqual", "2nd-try": "2ndTry", "1.2.3": "123", "text/plain": "TextPlain", "*": "Star",
		"`": "U0060", "<`>": "LessU0060Greater", "\\": "U005C", "€": "U20AC", "": "Empty",
	} {
		if got := n.Code(in); got != want {
			t.Errorf("Code(%q) = %q, want %q", in, got, want)
		}
		if got := n.Code(in); !token.IsIdentifier("X" + got) {
			t.Errorf("Code(%q) = %q: X%s is not a Go identifier", in, got, got)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"BulkDataExport": "bulk_data_export", "BuildLinux": "build_linux_", "SmokeTest": "smoke_test_",
		"ValueAmd64": "value_amd_64", "Value386": "value_386_", "HTTPVerb": "http_verb", "Windows": "windows_", "Timing": "timing",
	} {
		if got := Snake(in); got != want {
			t.Errorf("Snake(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(Snake(in), "/. ") {
			t.Errorf("Snake(%q) has a separator", in)
		}
	}
}
