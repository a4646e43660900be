package support

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchEntry is one value of a resource's search index: what a FHIR server stores for one
// SearchParameter and one value of its expression, normalized the way servers match it.
// Which fields are set depends on Type; empty fields are omitted from JSON.
type SearchEntry struct {
	// Param is the SearchParameter's code ("status", "_lastUpdated").
	Param string `json:"param"`
	// Type is the SearchParameter's type: token, string, date, reference, quantity, uri,
	// number or composite.
	Type string `json:"type"`

	// System and Code are a token's system and code (an Identifier's system and value, a
	// ContactPoint's system and value, "true"/"false" for a boolean), a quantity's unit
	// system and code, or a Money's currency (system urn:iso:std:iso:4217).
	System string `json:"system,omitempty"`
	Code   string `json:"code,omitempty"`
	// Display is a Coding's display; Text a CodeableConcept's (or Identifier type's) text.
	Display string `json:"display,omitempty"`
	Text    string `json:"text,omitempty"`
	// TypeSystem and TypeCode are the first coding of an Identifier's type (:of-type).
	TypeSystem string `json:"typeSystem,omitempty"`
	TypeCode   string `json:"typeCode,omitempty"`

	// Value is a string or uri as written, a number or a quantity's value as decimal text.
	Value string `json:"value,omitempty"`
	// Folded is a string's value lower-cased with accents removed.
	Folded string `json:"folded,omitempty"`
	// Unit is a quantity's human-readable unit.
	Unit string `json:"unit,omitempty"`

	// Start and End are the inclusive instant range a date covers, RFC 3339 in UTC with
	// millisecond precision; an open end of a Period is empty.
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`

	// Reference is a reference as written. ResourceType, ID and Version are parsed from a
	// relative or absolute RESTful reference ("Patient/1/_history/2"), or taken from a
	// resolved contained resource ("#id").
	Reference    string `json:"reference,omitempty"`
	ResourceType string `json:"resourceType,omitempty"`
	ID           string `json:"id,omitempty"`
	// URL and Version are a canonical reference's parts ("url|version").
	URL     string `json:"url,omitempty"`
	Version string `json:"version,omitempty"`
	// Identifier is the logical identifier of a Reference (Reference.identifier).
	Identifier *SearchToken `json:"identifier,omitempty"`

	// Low and High are the bounds of a Range (quantity or number parameters).
	Low  *SearchBound `json:"low,omitempty"`
	High *SearchBound `json:"high,omitempty"`

	// Components are the values of a composite parameter's components, one per component,
	// in the order of the SearchParameter's component list.
	Components []SearchEntry `json:"components,omitempty"`
}

// SearchToken is a system and code pair (a Reference's identifier).
type SearchToken struct {
	System string `json:"system,omitempty"`
	Code   string `json:"code,omitempty"`
}

// SearchBound is one bound of a Range: a decimal value and its unit.
type SearchBound struct {
	Value  string `json:"value,omitempty"`
	System string `json:"system,omitempty"`
	Code   string `json:"code,omitempty"`
	Unit   string `json:"unit,omitempty"`
}

// SearchParameterInfo describes one SearchParameter of a generated resource.
type SearchParameterInfo struct {
	// Code is the name used in searches; Type its type (token, string, date, reference,
	// quantity, uri, number, composite, special).
	Code string
	Type string
	// Expression is the FHIRPath expression, "" when the definition has none.
	Expression string
	// URL is the SearchParameter's canonical URL.
	URL string
	// Base are the resource types the definition names; Target the resource types of a
	// reference parameter.
	Base   []string
	Target []string
	// Components are a composite parameter's components.
	Components []SearchComponentInfo
	// Indexed is false for parameters the extractor does not index: special ones and those
	// without an expression.
	Indexed bool
}

// SearchComponentInfo is one component of a composite SearchParameter.
type SearchComponentInfo struct {
	// Definition is the canonical URL of the component's SearchParameter; Code and Type are
	// its code and type ("" when the inputs do not define it).
	Definition string
	Code       string
	Type       string
	// Expression is evaluated on each item of the composite's expression.
	Expression string
}

// SearchOptions configure index extraction.
type SearchOptions struct {
	// Location is the time zone of dates and times written without one (UTC when nil).
	Location *time.Location
}

// SearchError is an expression that failed to evaluate on a resource (a function that
// needs a single item got several, ...): the parameter is indexed without those values.
type SearchError struct {
	// Param is the SearchParameter's code.
	Param string
	Err   error
}

// Error returns "search parameter CODE: error".
func (e *SearchError) Error() string { return "search parameter " + e.Param + ": " + e.Err.Error() }

// Unwrap returns the evaluation error.
func (e *SearchError) Unwrap() error { return e.Err }

// searchSpec is what the generated extractor knows statically about one branch of a
// parameter's expression (or of a component's).
type searchSpec struct {
	param string // code
	typ   string // SearchParameter type
	// fhirType is the FHIR type of primitive items when the branch has one ("canonical").
	fhirType string
	// system is the implicit code system of codes: the one system of a required binding.
	system string
}

// searchState accumulates the entries of one extraction.
type searchState struct {
	loc  *time.Location
	out  []SearchEntry
	errs []error
	// contained are the resource's contained resources (local references resolve to them).
	contained []Resource
}

func (s *searchState) add(e SearchEntry) { s.out = append(s.out, e) }

// searchEach applies f to every item of a compiled expression's result, recording err.
func searchEach[E any](s *searchState, sp *searchSpec, vals []E, err error, f func(*searchState, *searchSpec, E)) {
	if err != nil {
		s.errs = append(s.errs, &SearchError{Param: sp.param, Err: err})
	}
	for _, v := range vals {
		f(s, sp, v)
	}
}

// searchSub returns the entries f makes of vals, without adding them to s.
func searchSub[E any](s *searchState, sp *searchSpec, vals []E, err error, f func(*searchState, *searchSpec, E)) []SearchEntry {
	saved := s.out
	s.out = nil
	searchEach(s, sp, vals, err, f)
	sub := s.out
	s.out = saved
	return sub
}

// searchMaxCombinations caps the entries one item of a composite makes.
const searchMaxCombinations = 256

// composite adds one composite entry per combination of the components' values (a
// component without values makes none).
func (s *searchState) composite(sp *searchSpec, parts [][]SearchEntry) {
	n := 1
	for _, p := range parts {
		n *= len(p)
		if n == 0 || n > searchMaxCombinations {
			return
		}
	}
	idx := make([]int, len(parts))
	for {
		comps := make([]SearchEntry, len(parts))
		for i, p := range parts {
			comps[i] = p[idx[i]]
		}
		s.add(SearchEntry{Param: sp.param, Type: sp.typ, Components: comps})
		k := len(idx) - 1
		for ; k >= 0; k-- {
			if idx[k]++; idx[k] < len(parts[k]) {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// searchFinish sorts entries by parameter (stable: document order within one) and drops
// exact duplicates of a parameter (a union of paths that reach the same value).
func searchFinish(out []SearchEntry) []SearchEntry {
	for i := 1; i < len(out); i++ { // insertion sort: entries come mostly in order
		for j := i; j > 0 && out[j].Param < out[j-1].Param; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	w := 0
	for i := range out {
		dup := false
		for j := w - 1; j >= 0 && out[j].Param == out[i].Param; j-- {
			if searchEntryEqual(&out[j], &out[i]) {
				dup = true
				break
			}
		}
		if !dup {
			out[w] = out[i]
			w++
		}
	}
	return out[:w]
}

func searchEntryEqual(a, b *SearchEntry) bool {
	if len(a.Components) != len(b.Components) || (a.Identifier == nil) != (b.Identifier == nil) ||
		(a.Low == nil) != (b.Low == nil) || (a.High == nil) != (b.High == nil) {
		return false
	}
	for i := range a.Components {
		if !searchEntryEqual(&a.Components[i], &b.Components[i]) {
			return false
		}
	}
	if a.Identifier != nil && *a.Identifier != *b.Identifier || a.Low != nil && *a.Low != *b.Low || a.High != nil && *a.High != *b.High {
		return false
	}
	return a.Param == b.Param && a.Type == b.Type && a.System == b.System && a.Code == b.Code &&
		a.Display == b.Display && a.Text == b.Text && a.TypeSystem == b.TypeSystem && a.TypeCode == b.TypeCode &&
		a.Value == b.Value && a.Folded == b.Folded && a.Unit == b.Unit && a.Start == b.Start && a.End == b.End &&
		a.Reference == b.Reference && a.ResourceType == b.ResourceType && a.ID == b.ID && a.URL == b.URL &&
		a.Version == b.Version
}

// ---------------------------------------------------------------------------------------
// Items

// searchStringItem indexes a string-valued primitive item of the branch's FHIR type.
func searchStringItem(s *searchState, sp *searchSpec, v string) {
	searchPrimitive(s, sp, sp.fhirType, v)
}

// searchBoolItem indexes a boolean item (a token "true"/"false").
func searchBoolItem(s *searchState, sp *searchSpec, v bool) {
	searchPrimitive(s, sp, "boolean", strconv.FormatBool(v))
}

// searchInt64Item indexes an integer item.
func searchInt64Item(s *searchState, sp *searchSpec, v int64) {
	searchPrimitive(s, sp, "integer", strconv.FormatInt(v, 10))
}

// searchDecimalItem indexes a decimal item.
func searchDecimalItem(s *searchState, sp *searchSpec, v Decimal) {
	searchPrimitive(s, sp, "decimal", string(v))
}

// searchPrimitive indexes a primitive value v of FHIR type fhirType ("" when unknown) as the
// parameter's type says.
func searchPrimitive(s *searchState, sp *searchSpec, fhirType, v string) {
	if v == "" {
		return
	}
	switch sp.typ {
	case "token":
		system := sp.system
		if fhirType != "code" && fhirType != "" {
			system = ""
		}
		s.token(sp, system, v, "", "")
	case "string":
		s.str(sp, v)
	case "uri":
		s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: v})
	case "number":
		s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: v})
	case "quantity":
		if fhirType == "decimal" || fhirType == "integer" {
			s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: v})
		}
	case "date":
		// a choice's string variant (CarePlan.activity.detail.scheduledString) is free
		// text, not a date, even when it looks like one
		if searchDateType(fhirType) {
			s.date(sp, v, v)
		}
	case "reference":
		if fhirType == "canonical" || fhirType == "" && strings.Contains(v, "|") {
			s.canonical(sp, v)
		} else {
			s.reference(sp, v, "", "", nil)
		}
	}
}

// searchDateType reports whether a primitive of the FHIR type can be a date search
// value: date, dateTime, instant, their System types, or an unknown type ("").
func searchDateType(fhirType string) bool {
	switch fhirType {
	case "", "date", "dateTime", "instant", "System.Date", "System.DateTime":
		return true
	}
	return false
}

// token adds a token entry.
func (s *searchState) token(sp *searchSpec, system, code, display, text string) {
	if system == "" && code == "" && display == "" && text == "" {
		return
	}
	s.add(SearchEntry{Param: sp.param, Type: sp.typ, System: system, Code: code, Display: display, Text: text})
}

// identifier adds the token of an Identifier with its type's first coding.
func (s *searchState) identifier(sp *searchSpec, system, value, typeSystem, typeCode, typeText string) {
	if system == "" && value == "" {
		return
	}
	s.add(SearchEntry{Param: sp.param, Type: sp.typ, System: system, Code: value,
		TypeSystem: typeSystem, TypeCode: typeCode, Text: typeText})
}

// str adds a string entry with its folded form.
func (s *searchState) str(sp *searchSpec, v string) {
	if v == "" {
		return
	}
	s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: v, Folded: SearchFold(v)})
}

// date adds the range from the start of from to the end of to (FHIR date, dateTime or
// instant values; either may be empty for an open end, not both). Unparsable values add
// nothing.
func (s *searchState) date(sp *searchSpec, from, to string) {
	var start, end string
	if from != "" {
		lo, _, ok := SearchDateRange(from, s.loc)
		if !ok {
			return
		}
		start = SearchInstant(lo)
	}
	if to != "" {
		_, hi, ok := SearchDateRange(to, s.loc)
		if !ok {
			return
		}
		end = SearchInstant(hi)
	}
	if start == "" && end == "" {
		return
	}
	s.add(SearchEntry{Param: sp.param, Type: sp.typ, Start: start, End: end})
}

// span adds the range covering all the dates (a Timing's events and bounds).
func (s *searchState) span(sp *searchSpec, starts, ends []string) {
	var lo, hi time.Time
	var haveLo, haveHi bool
	for _, v := range starts {
		if a, _, ok := SearchDateRange(v, s.loc); ok && (!haveLo || a.Before(lo)) {
			lo, haveLo = a, true
		}
	}
	for _, v := range ends {
		if _, b, ok := SearchDateRange(v, s.loc); ok && (!haveHi || b.After(hi)) {
			hi, haveHi = b, true
		}
	}
	e := SearchEntry{Param: sp.param, Type: sp.typ}
	if haveLo {
		e.Start = SearchInstant(lo)
	}
	if haveHi {
		e.End = SearchInstant(hi)
	}
	if haveLo || haveHi {
		s.add(e)
	}
}

// reference adds a reference entry. typ is Reference.type (used when the reference does not
// say); contained is the type of the contained resource a "#id" reference resolves to.
func (s *searchState) reference(sp *searchSpec, ref, typ, contained string, id *SearchToken) {
	if ref == "" && id == nil {
		return
	}
	e := SearchEntry{Param: sp.param, Type: sp.typ, Reference: ref, Identifier: id}
	if ref != "" {
		e.ResourceType, e.ID, e.Version = SearchParseReference(ref)
		if strings.HasPrefix(ref, "#") && contained != "" {
			e.ResourceType = contained
		}
	}
	if e.ResourceType == "" {
		e.ResourceType = typ
	}
	s.add(e)
}

// canonical adds a canonical reference entry.
func (s *searchState) canonical(sp *searchSpec, v string) {
	url, version := SearchParseCanonical(v)
	e := SearchEntry{Param: sp.param, Type: sp.typ, Reference: v, URL: url, Version: version}
	e.ResourceType, e.ID, _ = SearchParseReference(url)
	s.add(e)
}

// quantity adds a quantity entry (for a number parameter, the value only).
func (s *searchState) quantity(sp *searchSpec, value Decimal, system, code, unit string) {
	if value == "" && code == "" && unit == "" {
		return
	}
	switch sp.typ {
	case "number":
		if value != "" {
			s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: string(value)})
		}
	case "quantity":
		s.add(SearchEntry{Param: sp.param, Type: sp.typ, Value: string(value), System: system, Code: code, Unit: unit})
	case "token":
		if code != "" {
			s.token(sp, system, code, "", "")
		}
	}
}

// searchCurrencySystem is the code system of Money.currency.
const searchCurrencySystem = "urn:iso:std:iso:4217"

// money adds a Money value (as a quantity with the currency as its code).
func (s *searchState) money(sp *searchSpec, value Decimal, currency string) {
	system := ""
	if currency != "" {
		system = searchCurrencySystem
	}
	s.quantity(sp, value, system, currency, "")
}

// rangeBounds adds a Range (quantity and number parameters).
func (s *searchState) rangeBounds(sp *searchSpec, low, high *SearchBound) {
	if sp.typ != "quantity" && sp.typ != "number" || low == nil && high == nil {
		return
	}
	if sp.typ == "number" {
		if low != nil {
			low = &SearchBound{Value: low.Value}
		}
		if high != nil {
			high = &SearchBound{Value: high.Value}
		}
	}
	s.add(SearchEntry{Param: sp.param, Type: sp.typ, Low: low, High: high})
}

// ---------------------------------------------------------------------------------------
// Normalizers

// SearchInstant formats t in UTC as RFC 3339 with milliseconds
// ("2020-02-29T23:59:59.999Z").
func SearchInstant(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// SearchDateRange returns the first and last millisecond a FHIR date, dateTime or instant
// covers at its precision: "2020" is the whole year, "2020-02-03T10:00:00+01:00" the
// second, "2020-02-03T10:00:00.5Z" 500 to 599 ms. A value without a timezone is taken in
// loc (UTC when nil). ok is false when v is not such a value.
func SearchDateRange(v string, loc *time.Location) (start, end time.Time, ok bool) {
	if loc == nil {
		loc = time.UTC
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			n = n*10 + int(s[i]-'0')
		}
		return n, s != ""
	}
	date, clock, hasTime := strings.Cut(v, "T")
	year, month, day := 0, 1, 1
	prec := 0 // 1 year, 2 month, 3 day, 4 minute, 5 second, 6 fraction
	switch len(date) {
	case 4:
		year, ok = num(date)
		prec = 1
	case 7:
		if date[4] != '-' {
			return
		}
		var ok2 bool
		year, ok = num(date[:4])
		month, ok2 = num(date[5:])
		ok = ok && ok2
		prec = 2
	case 10:
		if date[4] != '-' || date[7] != '-' {
			return
		}
		var ok2, ok3 bool
		year, ok = num(date[:4])
		month, ok2 = num(date[5:7])
		day, ok3 = num(date[8:])
		ok = ok && ok2 && ok3
		prec = 3
	}
	if !ok || month < 1 || month > 12 || day < 1 || day > searchDaysIn(year, month) {
		return time.Time{}, time.Time{}, false
	}
	hour, minute, sec, nanos := 0, 0, 0, 0
	fracDigits := 0
	zone := loc
	if hasTime {
		if prec != 3 {
			return time.Time{}, time.Time{}, false
		}
		// timezone
		if strings.HasSuffix(clock, "Z") {
			clock = clock[:len(clock)-1]
			zone = time.UTC
		} else if i := strings.LastIndexAny(clock, "+-"); i >= 0 {
			tz := clock[i:]
			clock = clock[:i]
			if len(tz) != 6 || tz[3] != ':' {
				return time.Time{}, time.Time{}, false
			}
			h, ok1 := num(tz[1:3])
			m, ok2 := num(tz[4:])
			if !ok1 || !ok2 || h > 14 || m > 59 {
				return time.Time{}, time.Time{}, false
			}
			off := (h*60 + m) * 60
			if tz[0] == '-' {
				off = -off
			}
			zone = time.FixedZone("", off)
		}
		if len(clock) < 5 || clock[2] != ':' {
			return time.Time{}, time.Time{}, false
		}
		var ok1, ok2 bool
		hour, ok1 = num(clock[:2])
		minute, ok2 = num(clock[3:5])
		if !ok1 || !ok2 || hour > 23 || minute > 59 {
			return time.Time{}, time.Time{}, false
		}
		prec = 4
		if rest := clock[5:]; rest != "" {
			if len(rest) < 3 || rest[0] != ':' {
				return time.Time{}, time.Time{}, false
			}
			sec, ok1 = num(rest[1:3])
			if !ok1 || sec > 60 {
				return time.Time{}, time.Time{}, false
			}
			if sec == 60 { // a leap second: the last second of the minute
				sec = 59
			}
			prec = 5
			if frac := rest[3:]; frac != "" {
				if frac[0] != '.' || len(frac) < 2 {
					return time.Time{}, time.Time{}, false
				}
				digits := frac[1:]
				if _, ok := num(digits); !ok {
					return time.Time{}, time.Time{}, false
				}
				fracDigits = len(digits)
				if len(digits) > 9 {
					digits = digits[:9]
				}
				n, _ := num(digits)
				for i := len(digits); i < 9; i++ {
					n *= 10
				}
				nanos = n
				prec = 6
			}
		}
	}
	start = time.Date(year, time.Month(month), day, hour, minute, sec, nanos, zone)
	switch prec {
	case 1:
		end = start.AddDate(1, 0, 0)
	case 2:
		end = start.AddDate(0, 1, 0)
	case 3:
		end = start.AddDate(0, 0, 1)
	case 4:
		end = start.Add(time.Minute)
	case 5:
		end = start.Add(time.Second)
	default:
		start = start.Truncate(time.Millisecond)
		step := time.Millisecond
		for d := fracDigits; d < 3; d++ {
			step *= 10
		}
		end = start.Add(step)
	}
	return start.UTC(), end.Add(-time.Millisecond).UTC(), true
}

func searchDaysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// SearchParseReference parses a relative or absolute RESTful reference:
// "Patient/1", "Patient/1/_history/2", "https://x.org/fhir/Patient/1/_history/2". It
// returns empty strings for other references ("#id", "urn:uuid:...", a canonical).
func SearchParseReference(ref string) (resourceType, id, version string) {
	if ref == "" || ref[0] == '#' || strings.HasPrefix(ref, "urn:") {
		return "", "", ""
	}
	if i := strings.IndexAny(ref, "?#"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	n := len(parts)
	if n >= 4 && parts[n-2] == "_history" {
		version = parts[n-1]
		parts = parts[:n-2]
		n -= 2
	}
	if n < 2 || !searchIsTypeName(parts[n-2]) || !searchIsID(parts[n-1]) {
		return "", "", ""
	}
	if n > 2 && !strings.Contains(ref, "://") {
		return "", "", "" // a relative reference is Type/id
	}
	if version != "" && !searchIsID(version) {
		return "", "", ""
	}
	return parts[n-2], parts[n-1], version
}

// searchIsTypeName reports whether s looks like a resource type name.
func searchIsTypeName(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// searchIsID reports whether s is a FHIR id ([A-Za-z0-9\-\.]{1,64}).
func searchIsID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// SearchParseCanonical splits a canonical reference "url|version" (a fragment "#x" stays
// part of the URL).
func SearchParseCanonical(v string) (url, version string) {
	url, version, _ = strings.Cut(v, "|")
	return url, version
}

// SearchFold returns s lower-cased with accents and other combining marks removed, the form
// string parameters match on ("Zoë Ångström" → "zoe angstrom"). Letters that do not
// decompose (ß, æ, ø, ł) are mapped to their usual ASCII spelling.
func SearchFold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c >= 'A' && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if m, ok := searchFoldTable[r]; ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// searchFoldTable maps lower-case Latin letters with diacritics (Latin-1 Supplement, Latin
// Extended-A and the common Extended-B/Additional ones, Greek with tonos) to their base
// letters.
var searchFoldTable = func() map[rune]string {
	groups := []struct{ base, letters string }{
		{"a", "àáâãäåāăąǎǟǡǻȁȃȧạảấầẩẫậắằẳẵặ"},
		{"ae", "æǣǽ"},
		{"c", "çćĉċč"},
		{"d", "ďđ"},
		{"e", "èéêëēĕėęěȅȇȩẹẻẽếềểễệ"},
		{"g", "ĝğġģǧǵ"},
		{"h", "ĥħ"},
		{"i", "ìíîïĩīĭįıǐȉȋỉị"},
		{"ij", "ĳ"},
		{"j", "ĵǰ"},
		{"k", "ķĸǩ"},
		{"l", "ĺļľŀł"},
		{"n", "ñńņňŉŋǹ"},
		{"o", "òóôõöøōŏőǒǫǭǿȍȏȫȭȯȱọỏốồổỗộớờởỡợ"},
		{"oe", "œ"},
		{"r", "ŕŗřȑȓ"},
		{"s", "śŝşšș"},
		{"ss", "ß"},
		{"t", "ţťŧț"},
		{"th", "þ"},
		{"u", "ùúûüũūŭůűųǔǖǘǚǜȕȗụủứừửữự"},
		{"w", "ŵẁẃẅ"},
		{"y", "ýÿŷỳỵỷỹ"},
		{"z", "źżžƶ"},
		{"dh", "ð"},
		// Greek with tonos and dialytika
		{"α", "ά"}, {"ε", "έ"}, {"η", "ή"}, {"ι", "ίϊΐ"}, {"ο", "ό"}, {"υ", "ύϋΰ"}, {"ω", "ώ"},
	}
	m := map[rune]string{}
	for _, g := range groups {
		for _, r := range g.letters {
			m[r] = g.base
		}
	}
	return m
}()

// check records an evaluation error of the parameter.
func (s *searchState) check(sp *searchSpec, err error) {
	if err != nil {
		s.errs = append(s.errs, &SearchError{Param: sp.param, Err: err})
	}
}

// searchJoin joins the evaluation errors of one extraction (nil when there are none).
func searchJoin(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errors.Join(errs...)
}
