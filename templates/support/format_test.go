package support

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// formatCase is one value of a primitive kind; reason, when set, must occur in the
// failure reason of an invalid value.
type formatCase struct {
	kind   primitiveKind
	s      string
	ok     bool
	reason string
}

func valid(k primitiveKind, ss ...string) []formatCase {
	out := make([]formatCase, len(ss))
	for i, s := range ss {
		out[i] = formatCase{kind: k, s: s, ok: true}
	}
	return out
}

// invalid takes value, reason pairs (reason may be "").
func invalid(k primitiveKind, pairs ...string) []formatCase {
	if len(pairs)%2 != 0 {
		panic("invalid: odd argument count")
	}
	var out []formatCase
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, formatCase{kind: k, s: pairs[i], reason: pairs[i+1]})
	}
	return out
}

func formatCases() []formatCase {
	var cs []formatCase
	add := func(c []formatCase) { cs = append(cs, c...) }

	// date
	add(valid(primDate,
		"2018", "1973-06", "1905-08-23", "0001", "0001-01-01", "9999-12-31", "1000", "0010-10-10",
		"2000-02-29", "2024-02-29", "1600-02-29", "2023-02-28", "2023-01-31", "2023-03-31",
		"2023-04-30", "2023-12-31"))
	add(invalid(primDate,
		"", "empty",
		"0000", "0000",
		"0000-01-01", "0000",
		"201", "four digits",
		"20180", "four digits",
		"18-01-01", "four digits",
		"2018-1", "two digits",
		"2018-1-01", "two digits",
		"2018-011", "two digits",
		"2018-00", "01-12",
		"2018-13", "01-12",
		"2018-01-1", "two digits",
		"2018-01-001", "two digits",
		"2018-01-00", "01-31",
		"2018-01-32", "01-31",
		"2024-02-30", "February 30 does not exist",
		"2024-02-31", "February 31",
		"2023-02-29", "non-leap",
		"1900-02-29", "non-leap",
		"2100-02-29", "non-leap",
		"2023-04-31", "April 31",
		"2023-06-31", "June 31",
		"2023-09-31", "September 31",
		"2023-11-31", "November 31",
		"2018-01-01T10:00:00Z", "must not have a time",
		"2018-01-01Z", "must not have a timezone",
		"2018-01-01+01:00", "must not have a timezone",
		"2018Z", "must not have a timezone",
		"2018T", "must not have a time",
		"2018/01/01", "'-'",
		"2018-01/01", "'-'",
		"2018-01-01 ", "unexpected",
		" 2018", "four digits",
		"abcd", "four digits",
		"-2018", "four digits",
		"+2018-01-01", "four digits",
		"2018-01-01x", "unexpected",
		"2018-", "two digits",
		"2018-01-", "two digits",
	))

	// dateTime
	add(valid(primDateTime,
		"2018", "1973-06", "1905-08-23", "2015-02-07T13:28:17-05:00", "2017-01-01T00:00:00.000Z",
		"2017-01-01T00:00:00Z", "2024-05-01T10:00:00+00:00", "2024-05-01T10:00:00-00:00",
		"2024-05-01T10:00:00+14:00", "2024-05-01T10:00:00-14:00", "2024-05-01T10:00:00+13:59",
		"2024-05-01T23:59:59Z", "2024-05-01T00:00:00Z", "2016-12-31T23:59:60Z",
		"2024-05-01T10:00:00.1Z", "2024-05-01T10:00:00.123456789Z",
		"2024-05-01T10:00:00.1234567890123+05:30", "2024-02-29T12:00:00Z", "0001-01-01T00:00:00Z",
		"9999-12-31T23:59:59.999-10:00"))
	add(invalid(primDateTime,
		"", "empty",
		"2024-05-01T10:00:00", "time without a timezone",
		"2024-05-01T10:00:00.123", "time without a timezone",
		"2024-05-01T10:00Z", "seconds",
		"2024-05-01T10:00+01:00", "seconds",
		"2024-05-01T10:00", "seconds",
		"2024-05-01T10Z", "minutes and seconds",
		"2024-05-01T", "hour must have two digits",
		"2024-05-01T1:00:00Z", "hour must have two digits",
		"2024-05-01T24:00:00Z", "24:00",
		"2024-05-01T25:00:00Z", "00-23",
		"2024-05-01T10:60:00Z", "minute must be 00-59",
		"2024-05-01T10:00:61Z", "second must be 00-60",
		"2024-05-01T10:00:0Z", "second must have two digits",
		"2024-05-01T10:00:000Z", "second must have two digits",
		"2024-05-01T10:00:00.Z", "fractional",
		"2024-05-01T10:00:00,5Z", "timezone",
		"2024-05-01T10:00:00+15:00", "14:00",
		"2024-05-01T10:00:00+14:01", "14:00",
		"2024-05-01T10:00:00-14:30", "14:00",
		"2024-05-01T10:00:00+01:60", "00-59",
		"2024-05-01T10:00:00+0100", "±hh:mm",
		"2024-05-01T10:00:00+01", "±hh:mm",
		"2024-05-01T10:00:00+1:00", "±hh:mm",
		"2024-05-01T10:00:00+01:00:00", "after the timezone",
		"2024-05-01T10:00:00ZZ", "after the timezone",
		"2024-05-01T10:00:00z", "uppercase",
		"2024-05-01t10:00:00Z", "uppercase T",
		"2024-05-01 10:00:00Z", "separated by T",
		"2024-05-01Z", "timezone without a time",
		"2024-05-01+01:00", "timezone without a time",
		"2024Z", "timezone without a time",
		"2024-05T10:00:00Z", "full date",
		"2024T10:00:00Z", "full date",
		"2024-02-30T10:00:00Z", "February 30",
		"2023-02-29T10:00:00Z", "non-leap",
		"0000-01-01T00:00:00Z", "0000",
		"2024-05-01T10:00:00 Z", "timezone",
		"2024-05-01T10:00:00Z ", "after the timezone",
	))

	// instant
	add(valid(primInstant,
		"2015-02-07T13:28:17.239+02:00", "2017-01-01T00:00:00Z", "2017-01-01T00:00:00.000000001-14:00",
		"2016-12-31T23:59:60Z"))
	add(invalid(primInstant,
		"", "empty",
		"2015", "full date",
		"2015-02", "full date",
		"2015-02-07", "time",
		"2015-02-07T13:28:17", "timezone",
		"2015-02-07T13:28Z", "seconds",
		"2015-02-07T13:28:17.239+02", "±hh:mm",
		"2015-02-30T13:28:17Z", "February 30",
	))

	// time
	add(valid(primTime, "00:00:00", "23:59:59", "12:30:00.5", "23:59:60", "08:15:00.123456789012"))
	add(invalid(primTime,
		"", "empty",
		"24:00:00", "24:00",
		"12:00", "seconds",
		"12", "minutes and seconds",
		"1:00:00", "hour must have two digits",
		"12:00:00Z", "must not have a timezone",
		"12:00:00+01:00", "must not have a timezone",
		"12:00:00.", "fractional",
		"12:60:00", "minute",
		"12:00:61", "second",
		"12:00:00 ", "unexpected",
		"12-00-00", "':'",
		"T12:00:00", "hour",
	))

	// id
	add(valid(primID, "a", "123", "example", "a-b.c", "ABC-123.def", strings.Repeat("a", 64),
		"c757873d-ec9a-4326-a141-556f43239520", "2.16.840.1.113883"))
	add(invalid(primID,
		"", "empty",
		strings.Repeat("a", 65), "longer than 64",
		"a b", "only letters",
		"a_b", "only letters",
		"a/b", "only letters",
		"é", "only letters",
		" a", "only letters",
		"a\n", "only letters",
	))

	// code
	add(valid(primCode, "a", "male", "Some Code", "a b c", "http://x", "üñí", "a-b_c:d", "ø a"))
	add(invalid(primCode,
		"", "empty",
		" ", "whitespace only",
		"   ", "whitespace only",
		"a  b", "consecutive",
		" a", "leading",
		"a ", "trailing",
		"a\tb", "other than single spaces",
		"a\nb", "other than single spaces",
		"a \tb", "consecutive",
		"\ta", "leading",
		"a\r", "trailing",
	))

	// string, markdown, xhtml
	for _, k := range []primitiveKind{primString, primMarkdown, primXHTML} {
		add(valid(k, "a", " a ", "hello world", "line1\nline2", "\ttab", "ünïcødé", "x\x01y"))
		add(invalid(k, "", "empty", " ", "whitespace only", " \t\r\n", "whitespace only"))
	}
	add(valid(primString, strings.Repeat("é", maxStringChars)))
	add(invalid(primString, strings.Repeat("a", maxStringChars+1), "longer than"))
	add(valid(primMarkdown, strings.Repeat("a", maxStringChars+1)))

	// uri, url, canonical
	for _, k := range []primitiveKind{primURI, primURL, primCanonical} {
		add(valid(k, "http://hl7.org/fhir", "urn:oid:1.2.3", "Patient/123", "#p1", "a",
			"urn:uuid:c757873d-ec9a-4326-a141-556f43239520", "mailto:a@b.c"))
		add(invalid(k, "", "empty", "http://a b", "whitespace", " http://a", "whitespace",
			"http://a\n", "whitespace", "\t", "whitespace"))
	}
	add(valid(primCanonical, "http://hl7.org/fhir/ValueSet/x|4.0.1", "http://a|1"))
	add(invalid(primCanonical,
		"http://a|", "empty version",
		"|1.0", "no url",
		"http://a|1|2", "more than one",
	))

	// oid
	add(valid(primOID, "urn:oid:1.2.3", "urn:oid:2.16.840.1.113883.4.642", "urn:oid:0.0",
		"urn:oid:1.0.10", "urn:oid:2.999"))
	add(invalid(primOID,
		"", "empty",
		"1.2.3", "urn:oid:",
		"URN:OID:1.2.3", "urn:oid:",
		"urn:oid:", "no arcs",
		"urn:oid:1", "two arcs",
		"urn:oid:3.1", "0, 1 or 2",
		"urn:oid:12.1", "0, 1 or 2",
		"urn:oid:1.02", "leading zero",
		"urn:oid:1..2", "empty arc",
		"urn:oid:1.2.", "empty arc",
		"urn:oid:1.2a", "only digits",
		"urn:oid:1.a", "only digits",
		"urn:oid:.1", "0, 1 or 2",
	))

	// uuid
	add(valid(primUUID, "urn:uuid:c757873d-ec9a-4326-a141-556f43239520",
		"urn:uuid:00000000-0000-0000-0000-000000000000"))
	add(invalid(primUUID,
		"", "empty",
		"c757873d-ec9a-4326-a141-556f43239520", "urn:uuid:",
		"urn:uuid:C757873D-EC9A-4326-A141-556F43239520", "lowercase",
		"urn:uuid:c757873d-ec9a-4326-a141-556f4323952", "8-4-4-4-12",
		"urn:uuid:c757873d-ec9a-4326-a141-556f432395200", "8-4-4-4-12",
		"urn:uuid:c757873dec9a-4326-a141-556f43239520-", "8-4-4-4-12",
		"urn:uuid:g757873d-ec9a-4326-a141-556f43239520", "8-4-4-4-12",
		"urn:uuid:{c757873d-ec9a-4326-a141-556f43239520}", "8-4-4-4-12",
		"URN:UUID:c757873d-ec9a-4326-a141-556f43239520", "urn:uuid:",
	))

	// boolean
	add(valid(primBoolean, "true", "false"))
	add(invalid(primBoolean, "", "empty", "True", "true or false", "1", "true or false", "yes", ""))

	// integer family
	add(valid(primInteger, "0", "-0", "1", "-1", "+1", "2147483647", "-2147483648", "123"))
	add(invalid(primInteger,
		"", "empty",
		"01", "leading zero",
		"-01", "leading zero",
		"+0", "'+'",
		"2147483648", "range",
		"-2147483649", "range",
		"99999999999999999999999", "range",
		"1.0", "only digits",
		"1e3", "only digits",
		"-", "needs digits",
		"+", "needs digits",
		" 1", "only digits",
		"1a", "only digits",
	))
	add(valid(primInteger64, "0", "1", "-1", "+1", "9223372036854775807", "-9223372036854775808"))
	add(invalid(primInteger64,
		"", "empty",
		"-0", "sign",
		"+0", "sign",
		"9223372036854775808", "range",
		"-9223372036854775809", "range",
		"18446744073709551616", "range",
		"007", "leading zero",
		"1.5", "only digits",
	))
	add(valid(primUnsignedInt, "0", "1", "2147483647"))
	add(invalid(primUnsignedInt,
		"", "empty", "-1", "negative", "+1", "'+'", "2147483648", "range", "00", "leading zero", "-0", "negative"))
	add(valid(primPositiveInt, "1", "+1", "2147483647", "42"))
	add(invalid(primPositiveInt,
		"", "empty", "0", "at least 1", "-1", "negative", "2147483648", "range", "01", "leading zero", "+0", "at least 1"))

	// decimal
	add(valid(primDecimal, "0", "-0", "1", "-1", "0.0", "1.50", "-0.5", "123.456", "1e10", "1E10",
		"1e+10", "1e-10", "1.5e-10", "0e0", "3.14159265358979323846264338327950288",
		"100000000000000000000000000000"))
	add(invalid(primDecimal,
		"", "empty",
		"01", "leading zero",
		"-01", "leading zero",
		".5", "before the point",
		"-.5", "before the point",
		"1.", "after the point",
		"1.e5", "after the point",
		"+1", "start",
		"1e", "exponent",
		"1e+", "exponent",
		"1 ", "unexpected",
		" 1", "start",
		"1,5", "unexpected",
		"NaN", "start",
		"Infinity", "start",
		"-", "start",
		"0x10", "unexpected",
	))

	// base64Binary
	add(valid(primBase64Binary, "AAAA", "YQ==", "YWI=", "YWJj", "SGVsbG8gV29ybGQ=",
		"SGVs bG8g V29y bGQ=", "SGVs\r\nbG8g\nV29ybGQ=", " YWJj ", "+/+/", "QR=="))
	add(invalid(primBase64Binary,
		"", "empty",
		"   ", "whitespace only",
		"YQ", "multiple of 4",
		"YQ=", "multiple of 4",
		"YWJjZ", "multiple of 4",
		"Y===", "'='",
		"====", "'='",
		"Y=Q=", "'='",
		"YQ==YWJj", "after '='",
		"YQ== YWJj", "after '='",
		"YQ==YQ==", "after '='",
		"YW Jj", "inside a group",
		"YWJ*", "outside",
		"YWJ-", "outside",
		"YWJ_", "outside",
	))
	return cs
}

func short(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%.60q…(%d bytes)", s, len(s))
	}
	return fmt.Sprintf("%q", s)
}

func TestFormatTables(t *testing.T) {
	for _, c := range formatCases() {
		ok, reason := checkPrimitive(c.kind, c.s)
		switch {
		case ok != c.ok:
			t.Errorf("%s %s: ok = %v (%q), want %v", c.kind, short(c.s), ok, reason, c.ok)
		case ok && reason != "":
			t.Errorf("%s %s: valid but reason %q", c.kind, short(c.s), reason)
		case !ok && reason == "":
			t.Errorf("%s %s: invalid without a reason", c.kind, short(c.s))
		case !ok && !strings.Contains(reason, c.reason):
			t.Errorf("%s %s: reason %q, want it to mention %q", c.kind, short(c.s), reason, c.reason)
		}
	}
}

// Per-type functions and checkPrimitive agree, and an unknown kind is refused.
func TestFormatDispatch(t *testing.T) {
	if ok, _ := checkPrimitive(0, "x"); ok {
		t.Error("kind 0 accepted")
	}
	if ok, _ := checkPrimitive(primXHTML+1, "x"); ok {
		t.Error("kind past the end accepted")
	}
	for k := primBoolean; k <= primXHTML; k++ {
		if k.String() == "unknown primitive" {
			t.Errorf("kind %d has no name", k)
		}
	}
	pairs := []struct {
		k primitiveKind
		f func(string) (bool, string)
	}{
		{primDate, checkDate}, {primDateTime, checkDateTime}, {primInstant, checkInstant},
		{primTime, checkTime}, {primID, checkID}, {primCode, checkCode}, {primString, checkString},
		{primURI, checkURI}, {primDecimal, checkDecimal}, {primBase64Binary, checkBase64Binary},
	}
	for _, c := range formatCases() {
		for _, p := range pairs {
			if p.k != c.kind {
				continue
			}
			ok1, r1 := p.f(c.s)
			ok2, r2 := checkPrimitive(c.kind, c.s)
			if ok1 != ok2 || r1 != r2 {
				t.Errorf("%s %s: direct (%v, %q) vs checkPrimitive (%v, %q)", c.kind, short(c.s), ok1, r1, ok2, r2)
			}
		}
	}
}

func TestFormatDecodedIntegers(t *testing.T) {
	for _, c := range []struct {
		v                  int32
		unsigned, positive bool
	}{
		{-2147483648, false, false}, {-1, false, false}, {0, true, false}, {1, true, true},
		{2147483647, true, true},
	} {
		if ok, r := checkUnsignedInt(c.v); ok != c.unsigned || ok == (r != "") {
			t.Errorf("checkUnsignedInt(%d) = %v, %q", c.v, ok, r)
		}
		if ok, r := checkPositiveInt(c.v); ok != c.positive || ok == (r != "") {
			t.Errorf("checkPositiveInt(%d) = %v, %q", c.v, ok, r)
		}
	}
}

func TestFormatStringChars(t *testing.T) {
	for _, c := range []struct {
		s      string
		ok     bool
		reason string
	}{
		{"", true, ""},
		{"plain", true, ""},
		{"tab\there\r\nnewline", true, ""},
		{"ünïcødé 日本 🎉", true, ""},
		{"\u007f", true, ""}, // DEL is not below 32
		{"a\x00b", false, "control"},
		{"a\x1bb", false, "control"},
		{"\x0c", false, "control"},
		{"\x0b", false, "control"},
		{"a\xffb", false, "UTF-8"},
		{"\xc3", false, "UTF-8"},
		{"\xed\xa0\x80", false, "UTF-8"}, // encoded surrogate
	} {
		ok, reason := checkStringChars(c.s)
		if ok != c.ok || !strings.Contains(reason, c.reason) || ok != validUTF8NoControl(c.s) {
			t.Errorf("checkStringChars(%q) = %v, %q; want %v, %q", c.s, ok, reason, c.ok, c.reason)
		}
	}
}

// For every day number 1-31 of every month of 1999-2025, checkDate (and checkDateTime,
// with and without a time) agrees with time.Parse on validity.
func TestFormatDateMatchesTimePackage(t *testing.T) {
	n := 0
	for y := 1999; y <= 2025; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				s := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
				_, err := time.Parse("2006-01-02", s)
				want := err == nil
				if want {
					n++
				}
				if ok, r := checkDate(s); ok != want {
					t.Errorf("checkDate(%q) = %v (%q), time.Parse err %v", s, ok, r, err)
				}
				if ok, r := checkDateTime(s); ok != want {
					t.Errorf("checkDateTime(%q) = %v (%q), time.Parse err %v", s, ok, r, err)
				}
				full := s + "T12:34:56.789+05:30"
				_, err = time.Parse(time.RFC3339Nano, full)
				if ok, r := checkInstant(full); ok != (err == nil) {
					t.Errorf("checkInstant(%q) = %v (%q), time.Parse err %v", full, ok, r, err)
				}
			}
		}
	}
	if want := 9862; n != want { // 27 years, 7 of them leap
		t.Errorf("%d valid days, want %d", n, want)
	}
}

// Every hh:mm:ss of a day except the leap second, and every offset minute, agrees with
// time.Parse.
func TestFormatTimeMatchesTimePackage(t *testing.T) {
	for h := 0; h <= 25; h++ {
		for m := 0; m <= 61; m++ {
			for _, sec := range []int{0, 30, 59, 61, 99} {
				s := fmt.Sprintf("%02d:%02d:%02d", h, m, sec)
				_, err := time.Parse("15:04:05", s)
				if ok, r := checkTime(s); ok != (err == nil) {
					t.Errorf("checkTime(%q) = %v (%q), time.Parse err %v", s, ok, r, err)
				}
			}
		}
	}
	for _, sign := range "+-" {
		for h := 0; h <= 16; h++ {
			for m := 0; m <= 60; m++ {
				s := fmt.Sprintf("2024-05-01T10:00:00%c%02d:%02d", sign, h, m)
				_, err := time.Parse(time.RFC3339, s)
				// time.Parse takes offset minutes up to 99; the FHIR regex does not.
				want := err == nil && m < 60 && (h < 14 || h == 14 && m == 0)
				if ok, r := checkDateTime(s); ok != want {
					t.Errorf("checkDateTime(%q) = %v (%q), time.Parse err %v", s, ok, r, err)
				}
			}
		}
	}
}

// Without whitespace, checkBase64Binary agrees with encoding/base64 (which, like the FHIR
// regex, does not insist that unused bits of the last character are zero).
func TestFormatBase64MatchesEncoding(t *testing.T) {
	const alphabet = "AQgw+/=*"
	var buf [6]byte
	var rec func(n int)
	rec = func(n int) {
		s := string(buf[:n])
		_, err := base64.StdEncoding.DecodeString(s)
		if ok, r := checkBase64Binary(s); ok != (err == nil && n > 0) {
			t.Errorf("checkBase64Binary(%q) = %v (%q), decode err %v", s, ok, r, err)
		}
		if n == len(buf) {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			buf[n] = alphabet[i]
			rec(n + 1)
		}
	}
	rec(0)
	for n := 0; n < 40; n++ {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 37)
		}
		s := base64.StdEncoding.EncodeToString(b)
		if ok, r := checkBase64Binary(s); ok != (n > 0) {
			t.Errorf("checkBase64Binary(%q) = %v (%q)", s, ok, r)
		}
	}
}

var formatBenchInputs = []struct {
	kind primitiveKind
	s    string
}{
	{primDate, "2024-02-29"},
	{primDateTime, "2015-02-07T13:28:17.239+02:00"},
	{primInstant, "2017-01-01T00:00:00.000Z"},
	{primTime, "13:28:17.239"},
	{primID, "c757873d-ec9a-4326-a141-556f43239520"},
	{primCode, "some code value"},
	{primString, "The patient is a 45 year old male with a history of hypertension."},
	{primURI, "http://hl7.org/fhir/StructureDefinition/Patient"},
	{primUUID, "urn:uuid:c757873d-ec9a-4326-a141-556f43239520"},
	{primOID, "urn:oid:2.16.840.1.113883.4.642"},
	{primDecimal, "-123.4567e+10"},
	{primBase64Binary, "SGVsbG8gV29ybGQhIFRoaXMgaXMgYmFzZTY0Lg=="},
}

func TestFormatNoAllocs(t *testing.T) {
	bad := []struct {
		kind primitiveKind
		s    string
	}{
		{primDate, "2024-02-30"}, {primDateTime, "2024-05-01T10:00:00"}, {primInstant, "2024"},
		{primID, strings.Repeat("x", 65)}, {primCode, "a  b"}, {primString, "  "},
	}
	for _, in := range append(formatBenchInputs[:len(formatBenchInputs):len(formatBenchInputs)], bad...) {
		allocs := testing.AllocsPerRun(100, func() { checkPrimitive(in.kind, in.s) })
		if allocs != 0 {
			t.Errorf("%s %q: %v allocs per check", in.kind, in.s, allocs)
		}
	}
	if a := testing.AllocsPerRun(100, func() { checkStringChars("ünïcødé\tline\n") }); a != 0 {
		t.Errorf("checkStringChars: %v allocs", a)
	}
}

func BenchmarkFormat(b *testing.B) {
	for _, in := range formatBenchInputs {
		b.Run(in.kind.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				if ok, _ := checkPrimitive(in.kind, in.s); !ok {
					b.Fatal("invalid")
				}
			}
		})
	}
	b.Run("stringChars", func(b *testing.B) {
		s := formatBenchInputs[6].s
		b.ReportAllocs()
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			if !validUTF8NoControl(s) {
				b.Fatal("invalid")
			}
		}
	})
}

// parseFHIRTime parses a dateTime/instant with a time part using the time package; a leap
// second (which the time package refuses) is read as :59.
func parseFHIRTime(s string) (time.Time, error) {
	if len(s) >= 19 && s[17:19] == "60" {
		s = s[:17] + "59" + s[19:]
	}
	return time.Parse(time.RFC3339Nano, s)
}

func FuzzFormat(f *testing.F) {
	for _, c := range formatCases() {
		if len(c.s) < 200 {
			f.Add(uint8(c.kind), c.s)
		}
	}
	f.Fuzz(func(t *testing.T, k uint8, s string) {
		kind := primitiveKind(k % uint8(primXHTML+2))
		ok, reason := checkPrimitive(kind, s)
		if ok == (reason != "") {
			t.Fatalf("%s %q: ok %v with reason %q", kind, s, ok, reason)
		}
		checkStringChars(s)

		// Whatever the kind, check s as every temporal type against the time package.
		for _, mode := range []primitiveKind{primDate, primDateTime, primInstant} {
			ok, _ := checkPrimitive(mode, s)
			if !ok {
				continue
			}
			if len(s) > 10 {
				tm, err := parseFHIRTime(s)
				if err != nil {
					t.Fatalf("%s %q is valid but time.Parse: %v", mode, s, err)
				}
				if got := tm.Format("2006-01-02T15:04"); got != s[:16] {
					t.Fatalf("%s %q: time.Parse read %s", mode, s, got)
				}
				continue
			}
			layout := "2006-01-02"[:len(s)]
			if _, err := time.Parse(layout, s); err != nil {
				t.Fatalf("%s %q is valid but time.Parse(%q): %v", mode, s, layout, err)
			}
		}
		if ok, _ := checkTime(s); ok {
			if _, err := parseFHIRTime("2000-01-01T" + s + "Z"); err != nil {
				t.Fatalf("time %q is valid but time.Parse: %v", s, err)
			}
		}
		// A FHIR decimal is exactly JSON number text.
		if s != "" && (s[0] == '-' || isDigit(s[0])) && !isSpace(s[len(s)-1]) {
			ok, reason := checkDecimal(s)
			if ok != json.Valid([]byte(s)) {
				t.Fatalf("checkDecimal(%q) = %v (%q), json.Valid disagrees", s, ok, reason)
			}
		}
	})
}
