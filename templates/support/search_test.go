package support

import (
	"testing"
	"time"
)

func TestSearchDateRange(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		in         string
		loc        *time.Location
		start, end string
	}{
		{"2020", nil, "2020-01-01T00:00:00.000Z", "2020-12-31T23:59:59.999Z"},
		{"2020-02", nil, "2020-02-01T00:00:00.000Z", "2020-02-29T23:59:59.999Z"}, // leap year
		{"2019-02", nil, "2019-02-01T00:00:00.000Z", "2019-02-28T23:59:59.999Z"},
		{"1900-02", nil, "1900-02-01T00:00:00.000Z", "1900-02-28T23:59:59.999Z"}, // not a leap year
		{"2000-02", nil, "2000-02-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z"}, // is one
		{"2020-12", nil, "2020-12-01T00:00:00.000Z", "2020-12-31T23:59:59.999Z"},
		{"2020-02-29", nil, "2020-02-29T00:00:00.000Z", "2020-02-29T23:59:59.999Z"},
		{"2020-02-29", cet, "2020-02-28T23:00:00.000Z", "2020-02-29T22:59:59.999Z"},
		{"2020", cet, "2019-12-31T23:00:00.000Z", "2020-12-31T22:59:59.999Z"},
		{"2020-02-03T10:00:00Z", cet, "2020-02-03T10:00:00.000Z", "2020-02-03T10:00:00.999Z"},
		{"2020-02-03T10:00:00+01:00", nil, "2020-02-03T09:00:00.000Z", "2020-02-03T09:00:00.999Z"},
		{"2020-02-03T00:30:00-05:30", nil, "2020-02-03T06:00:00.000Z", "2020-02-03T06:00:00.999Z"},
		{"2020-02-03T10:00:00", cet, "2020-02-03T09:00:00.000Z", "2020-02-03T09:00:00.999Z"}, // no zone
		{"2020-02-03T10:00Z", nil, "2020-02-03T10:00:00.000Z", "2020-02-03T10:00:59.999Z"},
		{"2020-02-03T10:00:00.5Z", nil, "2020-02-03T10:00:00.500Z", "2020-02-03T10:00:00.599Z"},
		{"2020-02-03T10:00:00.25Z", nil, "2020-02-03T10:00:00.250Z", "2020-02-03T10:00:00.259Z"},
		{"2020-02-03T10:00:00.123Z", nil, "2020-02-03T10:00:00.123Z", "2020-02-03T10:00:00.123Z"},
		{"2020-02-03T10:00:00.123456789Z", nil, "2020-02-03T10:00:00.123Z", "2020-02-03T10:00:00.123Z"},
		{"2016-12-31T23:59:60Z", nil, "2016-12-31T23:59:59.000Z", "2016-12-31T23:59:59.999Z"}, // leap second
		{"2020-12-31T23:30:00-01:00", nil, "2021-01-01T00:30:00.000Z", "2021-01-01T00:30:00.999Z"},
	}
	for _, tc := range tests {
		s, e, ok := SearchDateRange(tc.in, tc.loc)
		if !ok {
			t.Errorf("%s: not ok", tc.in)
			continue
		}
		if SearchInstant(s) != tc.start || SearchInstant(e) != tc.end {
			t.Errorf("%s: %s..%s, want %s..%s", tc.in, SearchInstant(s), SearchInstant(e), tc.start, tc.end)
		}
	}
	for _, bad := range []string{"", "20", "2020-13", "2019-02-29", "2020-02-30", "2020-1-01", "2020-02-03T25:00:00Z",
		"2020-02-03T10:00:00+15:00", "2020-02-03T10", "2020T10:00:00Z", "2020-02-03T10:00:00.Z", "abcd", "2020-02-03T10:00:00+0100"} {
		if _, _, ok := SearchDateRange(bad, nil); ok {
			t.Errorf("%q: ok, want not", bad)
		}
	}
}

func TestSearchFold(t *testing.T) {
	tests := map[string]string{
		"":                    "",
		"smith":               "smith",
		"Smith":               "smith",
		"Zoë Ångström":        "zoe angstrom",
		"ÉLODIE":              "elodie",
		"Müller-Lüdenscheidt": "muller-ludenscheidt",
		"Straße":              "strasse",
		"Łódź":                "lodz",
		"Dvořák":              "dvorak",
		"Ærøskøbing":          "aeroskobing",
		"e\u0301":             "e", // decomposed accent
		"Ιωάννης":             "ιωαννης",
		"Nguyễn":              "nguyen",
		"Şəhla":               "səhla", // ə does not decompose
	}
	for in, want := range tests {
		if got := SearchFold(in); got != want {
			t.Errorf("SearchFold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSearchParseReference(t *testing.T) {
	tests := []struct{ ref, typ, id, version string }{
		{"Patient/123", "Patient", "123", ""},
		{"Patient/123/_history/2", "Patient", "123", "2"},
		{"http://example.org/fhir/Patient/a.b-c", "Patient", "a.b-c", ""},
		{"https://example.org/fhir/r4/Observation/o1/_history/7", "Observation", "o1", "7"},
		{"#contained", "", "", ""},
		{"urn:uuid:6b1f6c8e-1b2c-4d9e-9f3a-2c4b5d6e7f80", "", "", ""},
		{"urn:oid:1.2.3", "", "", ""},
		{"patient/123", "", "", ""},
		{"Patient", "", "", ""},
		{"a/Patient/1", "", "", ""}, // relative references are Type/id
		{"Patient/1?x=y", "Patient", "1", ""},
		{"Patient/" + string(make([]byte, 65)), "", "", ""},
	}
	for _, tc := range tests {
		typ, id, v := SearchParseReference(tc.ref)
		if typ != tc.typ || id != tc.id || v != tc.version {
			t.Errorf("%q: %q %q %q, want %q %q %q", tc.ref, typ, id, v, tc.typ, tc.id, tc.version)
		}
	}
	for _, tc := range []struct{ in, url, version string }{
		{"http://hl7.org/fhir/ValueSet/x|4.0.1", "http://hl7.org/fhir/ValueSet/x", "4.0.1"},
		{"http://hl7.org/fhir/ValueSet/x", "http://hl7.org/fhir/ValueSet/x", ""},
		{"http://x/Questionnaire/q#item|2", "http://x/Questionnaire/q#item", "2"},
	} {
		u, v := SearchParseCanonical(tc.in)
		if u != tc.url || v != tc.version {
			t.Errorf("%q: %q %q", tc.in, u, v)
		}
	}
}

func TestSearchStateEntries(t *testing.T) {
	s := &searchState{}
	tok := &searchSpec{param: "code", typ: "token", fhirType: "code", system: "http://sys"}
	searchStringItem(s, tok, "a")
	searchBoolItem(s, &searchSpec{param: "active", typ: "token"}, true)
	dt := &searchSpec{param: "date", typ: "date"}
	s.date(dt, "2020-01-01", "") // open end
	s.date(dt, "", "2020-01")    // open start
	s.span(dt, []string{"2021-03-04", "2020-01-02"}, []string{"2021-03-04", "2020-05"})
	ref := &searchSpec{param: "subject", typ: "reference"}
	s.reference(ref, "Patient/1/_history/3", "", "", nil)
	s.reference(ref, "#p", "", "Patient", nil)
	s.reference(ref, "", "Patient", "", &SearchToken{System: "http://ids", Code: "42"})
	searchPrimitive(s, ref, "canonical", "http://x/Questionnaire/q|2")
	q := &searchSpec{param: "value-quantity", typ: "quantity"}
	s.quantity(q, "1.50", "http://unitsofmeasure.org", "mg", "mg")
	s.money(q, "10.00", "EUR")
	s.rangeBounds(q, &SearchBound{Value: "1"}, nil)
	s.str(&searchSpec{param: "name", typ: "string"}, "Ångström")
	s.composite(&searchSpec{param: "combo", typ: "composite"}, [][]SearchEntry{{{Code: "a"}, {Code: "b"}}, {{Value: "1"}}})
	s.composite(&searchSpec{param: "combo", typ: "composite"}, [][]SearchEntry{{{Code: "a"}}, nil})
	out := searchFinish(append(s.out, s.out[0]))
	type want struct{ param, field, value string }
	checks := []want{
		{"active", "code", "true"},
		{"code", "system", "http://sys"},
		{"date", "start", "2020-01-01T00:00:00.000Z"},
		{"date", "end", "2020-01-31T23:59:59.999Z"},
		{"date", "span", "2020-01-02T00:00:00.000Z..2021-03-04T23:59:59.999Z"},
		{"subject", "version", "3"},
		{"subject", "contained", "Patient"},
		{"subject", "identifier", "42"},
		{"subject", "url", "http://x/Questionnaire/q"},
		{"value-quantity", "currency", "urn:iso:std:iso:4217"},
		{"value-quantity", "low", "1"},
		{"name", "folded", "angstrom"},
	}
	find := func(w want) bool {
		for _, e := range out {
			if e.Param != w.param {
				continue
			}
			switch w.field {
			case "code":
				if e.Code == w.value {
					return true
				}
			case "system":
				if e.System == w.value && e.Code == "a" {
					return true
				}
			case "start":
				if e.Start == w.value && e.End == "" {
					return true
				}
			case "end":
				if e.End == w.value && e.Start == "" {
					return true
				}
			case "span":
				if e.Start+".."+e.End == w.value {
					return true
				}
			case "version":
				if e.ResourceType == "Patient" && e.ID == "1" && e.Version == w.value {
					return true
				}
			case "contained":
				if e.Reference == "#p" && e.ResourceType == w.value {
					return true
				}
			case "identifier":
				if e.Identifier != nil && e.Identifier.Code == w.value && e.ResourceType == "Patient" {
					return true
				}
			case "url":
				if e.URL == w.value && e.Version == "2" {
					return true
				}
			case "currency":
				if e.System == w.value && e.Code == "EUR" && e.Value == "10.00" {
					return true
				}
			case "low":
				if e.Low != nil && e.Low.Value == w.value && e.High == nil {
					return true
				}
			case "folded":
				if e.Folded == w.value && e.Value == "Ångström" {
					return true
				}
			}
		}
		return false
	}
	for _, w := range checks {
		if !find(w) {
			t.Errorf("no %s entry with %s %s in %+v", w.param, w.field, w.value, out)
		}
	}
	n := 0
	for i, e := range out {
		if i > 0 && out[i-1].Param > e.Param {
			t.Errorf("not sorted at %d: %s after %s", i, e.Param, out[i-1].Param)
		}
		if e.Param == "code" {
			n++
		}
		if e.Param == "combo" && len(e.Components) != 2 {
			t.Errorf("composite %+v", e)
		}
	}
	if n != 1 {
		t.Errorf("duplicate not removed: %d code entries", n)
	}
	combos := 0
	for _, e := range out {
		if e.Param == "combo" {
			combos++
		}
	}
	if combos != 2 {
		t.Errorf("%d composite entries, want 2 (a×1, b×1; none for an empty component)", combos)
	}
}

// A string variant of a choice is never indexed as a date, however it looks; a dateTime
// variant is.
func TestSearchDateSkipsStrings(t *testing.T) {
	sp := &searchSpec{param: "activity-date", typ: "date"}
	var s searchState
	searchPrimitive(&s, sp, "string", "2024-01-01")
	if len(s.out) != 0 {
		t.Fatalf("string indexed as a date: %+v", s.out)
	}
	searchPrimitive(&s, sp, "dateTime", "2024-01-01")
	if len(s.out) != 1 {
		t.Fatalf("dateTime not indexed: %+v", s.out)
	}
}
