package support

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// This file is the search-parameter parser of the generated HTTP router. The router
// parses a search (GET query or POST _search form) against the SearchParameters of the
// resource, generated as a []ServerParamDef, and hands the service a *ServerQuery. The
// identifiers carry "Server" because the search emitter owns the Search* names.

// ServerParamDef describes one search parameter a resource accepts.
type ServerParamDef struct {
	Code       string   // "status"
	Type       string   // number | date | string | token | reference | composite | quantity | uri | special
	URL        string   // canonical of the SearchParameter
	Targets    []string // reference targets
	Components []ServerParamDef
}

// ServerQuery is a parsed search. Params are ANDed (a repeated parameter is one entry per
// occurrence); the values of one ServerQueryParam are ORed (comma-separated in the URL).
type ServerQuery struct {
	Params []ServerQueryParam
	// Count is _count; -1 when not given (the service's default page size). A _count too
	// large for an int is math.MaxInt; the router lowers it to RouterMaxCount.
	Count int
	// Cursor is the opaque paging cursor of a next link (_cursor), "" for the first page.
	Cursor string
	Sort   []ServerSort
	// Summary is _summary ("true", "text", "data", "count", "false"), "" when not given.
	Summary string
	// Elements is _elements.
	Elements []string
	// Total is _total ("none", "estimate", "accurate"), "" when not given.
	Total      string
	Include    []ServerInclude
	RevInclude []ServerInclude
	// Ignored lists the parameters passed over under Prefer: handling=lenient, with why.
	Ignored []string
}

// Param returns the ANDed occurrences of the parameter code (any modifier).
func (q *ServerQuery) Param(code string) []ServerQueryParam {
	var out []ServerQueryParam
	for _, p := range q.Params {
		if p.Code == code {
			out = append(out, p)
		}
	}
	return out
}

// ServerSort is one key of _sort.
type ServerSort struct {
	Code string
	Desc bool
}

// ServerInclude is one _include or _revinclude: Source:Param[:Target], or "*".
type ServerInclude struct {
	Source, Param, Target string
	Iterate               bool
}

// ServerQueryParam is one occurrence of a search parameter.
type ServerQueryParam struct {
	Code string // the parameter's code, without modifier or chain
	Type string // its search type
	// Modifier is the modifier without ':' ("not", "missing", "exact", ..., or a resource
	// type for reference parameters); "" for none.
	Modifier string
	// Chain holds the chained links after the parameter (subject:Patient.name=x gives
	// Code "subject", Modifier "Patient", Chain [{Code: "name"}]); the values are then
	// parsed for the last link when its type is known (else kept Raw, Type "").
	Chain  []ServerChainLink
	Values []ServerQueryValue
}

// ServerChainLink is one link of a chain: a parameter code and an optional type.
type ServerChainLink struct {
	Code string
	Type string // "Patient" in subject:Patient.organization:Organization.name, else ""
}

// ServerQueryValue is one value (of an OR list).
type ServerQueryValue struct {
	Raw string // the value as written (unescaped)
	// Prefix is the comparison of date, number and quantity values ("eq" when none).
	Prefix string
	// Token: System|Code; HasSystem is set when a '|' was written (so "|code" means
	// no system, and "system|" any code of the system).
	System    string
	Code      string
	HasSystem bool
	// Number and quantity: the number as written, and the range its precision implies
	// ([Low, High), "100" → [99.5, 100.5)).
	Number    string
	Low, High float64
	// Quantity unit (Number|System|Code uses System and Code above).
	// Date: the range the value's precision implies, [Start, End). Values without a time
	// zone are read as UTC.
	Start, End time.Time
	// Reference: Type/ID[/_history/Version], or URL for absolute references.
	RefType, RefID, RefVersion, URL string
	// Missing is the value of :missing.
	Missing bool
	// Components are the values of a composite parameter ('$'-separated).
	Components []ServerQueryValue
}

// ServerQueryError is a malformed or unknown search parameter.
type ServerQueryError struct {
	Param string
	Msg   string
}

func (e *ServerQueryError) Error() string { return "search parameter " + e.Param + ": " + e.Msg }

// srvReserved are parameters the router reads itself.
var srvReserved = map[string]bool{"_format": true, "_pretty": true, "_cursor": true}

// srvModifiers are the modifiers allowed per search type.
var srvModifiers = map[string][]string{
	"string":    {"missing", "exact", "contains", "text"},
	"token":     {"missing", "not", "text", "of-type", "in", "not-in", "below", "above", "code-text"},
	"reference": {"missing", "identifier", "below", "above", "text"},
	"uri":       {"missing", "below", "above", "exact", "contains"},
	"date":      {"missing"},
	"number":    {"missing"},
	"quantity":  {"missing"},
	"composite": {"missing"},
	"special":   {"missing"},
}

// ServerParseQuery parses a search against the parameters of one resource type. lookup
// resolves the parameters of other types for chains (nil: chained values stay raw). With
// lenient, unknown or malformed parameters are passed over and listed in Ignored;
// otherwise the first one is returned as a *ServerQueryError.
func ServerParseQuery(values url.Values, defs []ServerParamDef, lookup func(resourceType string) []ServerParamDef, lenient bool) (*ServerQuery, error) {
	q := &ServerQuery{Count: -1}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, raw := range values[name] {
			err := srvParseOne(q, name, raw, defs, lookup)
			if err == nil {
				continue
			}
			if !lenient {
				return nil, err
			}
			q.Ignored = append(q.Ignored, err.Error())
		}
	}
	return q, nil
}

func srvFindDef(defs []ServerParamDef, code string) *ServerParamDef {
	for i := range defs {
		if defs[i].Code == code {
			return &defs[i]
		}
	}
	return nil
}

func srvParseOne(q *ServerQuery, name, raw string, defs []ServerParamDef, lookup func(string) []ServerParamDef) error {
	if srvReserved[name] {
		if name == "_cursor" {
			q.Cursor = raw
		}
		return nil
	}
	bad := func(msg string) error { return &ServerQueryError{Param: name, Msg: msg} }
	switch name {
	case "_count":
		n, err := strconv.Atoi(raw)
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && raw[0] != '-' {
			n, err = math.MaxInt, nil // more than an int holds: the most there is
		}
		if err != nil || n < 0 {
			return bad("not a non-negative integer: " + strconv.Quote(raw))
		}
		q.Count = n
		return nil
	case "_sort":
		for _, k := range strings.Split(raw, ",") {
			desc := strings.HasPrefix(k, "-")
			k = strings.TrimPrefix(k, "-")
			if k == "" || (srvFindDef(defs, k) == nil && k != "_id" && k != "_lastUpdated") {
				return bad("unknown sort key " + strconv.Quote(k))
			}
			q.Sort = append(q.Sort, ServerSort{Code: k, Desc: desc})
		}
		return nil
	case "_summary":
		switch raw {
		case "true", "text", "data", "count", "false":
			q.Summary = raw
			return nil
		}
		return bad("must be true, text, data, count or false")
	case "_elements":
		for _, e := range strings.Split(raw, ",") {
			if e = strings.TrimSpace(e); e != "" {
				q.Elements = append(q.Elements, e)
			}
		}
		return nil
	case "_total":
		switch raw {
		case "none", "estimate", "accurate":
			q.Total = raw
			return nil
		}
		return bad("must be none, estimate or accurate")
	case "_include", "_revinclude", "_include:iterate", "_revinclude:iterate", "_include:recurse", "_revinclude:recurse":
		inc := ServerInclude{Iterate: strings.Contains(name, ":")}
		if raw != "*" {
			parts := strings.Split(raw, ":")
			if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
				return bad("must be Type:param[:Target] or *")
			}
			inc.Source, inc.Param = parts[0], parts[1]
			if len(parts) == 3 {
				inc.Target = parts[2]
			}
		} else {
			inc.Source = "*"
		}
		if strings.HasPrefix(name, "_include") {
			q.Include = append(q.Include, inc)
		} else {
			q.RevInclude = append(q.RevInclude, inc)
		}
		return nil
	}
	// code[:modifier][.chain...]
	head, chainText, chained := strings.Cut(name, ".")
	code, modifier, _ := strings.Cut(head, ":")
	def := srvFindDef(defs, code)
	if def == nil {
		switch code {
		case "_id":
			def = &ServerParamDef{Code: "_id", Type: "token"}
		case "_lastUpdated":
			def = &ServerParamDef{Code: "_lastUpdated", Type: "date"}
		default:
			return bad("unknown search parameter")
		}
	}
	p := ServerQueryParam{Code: code, Type: def.Type, Modifier: modifier}
	if modifier != "" && !srvContains(srvModifiers[def.Type], modifier) {
		if def.Type != "reference" || !srvIsTypeName(modifier) {
			return bad("modifier :" + modifier + " is not allowed on a " + def.Type + " parameter")
		}
		if len(def.Targets) > 0 && !srvContains(def.Targets, modifier) {
			return bad(modifier + " is not a target of the parameter")
		}
	}
	valueDef := def
	if chained {
		if def.Type != "reference" {
			return bad("only reference parameters can be chained")
		}
		types := def.Targets
		if srvIsTypeName(modifier) {
			types = []string{modifier}
		}
		valueDef = nil
		for _, link := range strings.Split(chainText, ".") {
			lc, lt, _ := strings.Cut(link, ":")
			if lc == "" {
				return bad("empty chain link")
			}
			p.Chain = append(p.Chain, ServerChainLink{Code: lc, Type: lt})
			valueDef = nil
			if lookup != nil && len(types) == 1 {
				valueDef = srvFindDef(lookup(types[0]), lc)
				if valueDef == nil {
					return bad("unknown chained parameter " + lc + " on " + types[0])
				}
				types = valueDef.Targets
				if lt != "" {
					types = []string{lt}
				}
			}
		}
		if valueDef == nil {
			p.Type = ""
		}
	}
	for _, v := range srvSplitValues(raw, ',') {
		var val ServerQueryValue
		var err error
		switch {
		case modifier == "missing" && !chained:
			if v != "true" && v != "false" {
				return bad(":missing takes true or false")
			}
			val = ServerQueryValue{Raw: v, Missing: v == "true"}
		case valueDef == nil:
			val = ServerQueryValue{Raw: v}
		case chained:
			val, err = srvParseValue(*valueDef, "", v)
		default:
			val, err = srvParseValue(*def, modifier, v)
		}
		if err != nil {
			return bad(err.Error())
		}
		p.Values = append(p.Values, val)
	}
	if len(p.Values) == 0 {
		return bad("no value")
	}
	q.Params = append(q.Params, p)
	return nil
}

type srvValueError string

func (e srvValueError) Error() string { return string(e) }

func srvParseValue(def ServerParamDef, modifier, v string) (ServerQueryValue, error) {
	val := ServerQueryValue{Raw: v}
	if v == "" {
		return val, srvValueError("empty value")
	}
	switch def.Type {
	case "token":
		switch modifier {
		case "text", "code-text", "in", "not-in":
			return val, nil
		case "of-type":
			parts := strings.SplitN(v, "|", 3)
			if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
				return val, srvValueError(":of-type takes system|code|value")
			}
			val.System, val.Code, val.HasSystem = parts[0], parts[1], true
			val.Components = []ServerQueryValue{{Raw: parts[2]}}
			return val, nil
		}
		srvToken(&val, v)
	case "string", "uri", "special":
	case "date":
		val.Prefix, v = srvPrefix(v)
		s, e, err := ServerDateRange(v)
		if err != nil {
			return val, err
		}
		val.Start, val.End = s, e
	case "number":
		val.Prefix, v = srvPrefix(v)
		if err := srvNumber(&val, v); err != nil {
			return val, err
		}
	case "quantity":
		val.Prefix, v = srvPrefix(v)
		num, rest, unit := strings.Cut(v, "|")
		if err := srvNumber(&val, num); err != nil {
			return val, err
		}
		if unit {
			sys, code, ok := strings.Cut(rest, "|")
			if !ok {
				return val, srvValueError("quantity takes number|system|code")
			}
			val.System, val.Code, val.HasSystem = sys, code, true
		}
	case "reference":
		if modifier == "identifier" {
			srvToken(&val, v)
			return val, nil
		}
		if modifier == "text" {
			return val, nil
		}
		if strings.Contains(v, "://") || strings.HasPrefix(v, "urn:") {
			val.URL = v
			return val, nil
		}
		parts := strings.Split(v, "/")
		switch {
		case len(parts) == 1:
			val.RefID = parts[0]
			if srvIsTypeName(modifier) {
				val.RefType = modifier
			}
		case len(parts) == 2 || (len(parts) == 4 && parts[2] == "_history"):
			val.RefType, val.RefID = parts[0], parts[1]
			if len(parts) == 4 {
				val.RefVersion = parts[3]
			}
			if !srvIsTypeName(val.RefType) || val.RefID == "" {
				return val, srvValueError("reference must be Type/id, id or an absolute URL")
			}
			if len(def.Targets) > 0 && !srvContains(def.Targets, val.RefType) {
				return val, srvValueError(val.RefType + " is not a target of the parameter")
			}
		default:
			return val, srvValueError("reference must be Type/id, id or an absolute URL")
		}
	case "composite":
		parts := strings.Split(v, "$")
		if len(def.Components) > 0 && len(parts) != len(def.Components) {
			return val, srvValueError("composite takes " + strconv.Itoa(len(def.Components)) + " '$'-separated components")
		}
		for i, part := range parts {
			cd := ServerParamDef{Type: "string"}
			if i < len(def.Components) {
				cd = def.Components[i]
			}
			c, err := srvParseValue(cd, "", part)
			if err != nil {
				return val, err
			}
			val.Components = append(val.Components, c)
		}
	}
	return val, nil
}

func srvToken(val *ServerQueryValue, v string) {
	if sys, code, ok := strings.Cut(v, "|"); ok {
		val.System, val.Code, val.HasSystem = sys, code, true
	} else {
		val.Code = v
	}
}

var srvPrefixes = []string{"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap"}

func srvPrefix(v string) (string, string) {
	if len(v) > 2 && srvContains(srvPrefixes, v[:2]) {
		return v[:2], v[2:]
	}
	return "eq", v
}

// srvNumber parses a search number and the range its precision implies.
func srvNumber(val *ServerQueryValue, v string) error {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || strings.ContainsAny(v, "xXpP_") || math.IsInf(f, 0) || math.IsNaN(f) {
		return srvValueError("not a number: " + strconv.Quote(v))
	}
	val.Number = v
	mant := strings.ToLower(v)
	exp := 0
	if i := strings.IndexByte(mant, 'e'); i >= 0 {
		exp, _ = strconv.Atoi(mant[i+1:])
		mant = mant[:i]
	}
	decimals := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		decimals = len(mant) - i - 1
	}
	half := 0.5 * math.Pow(10, float64(exp-decimals))
	val.Low, val.High = f-half, f+half
	return nil
}

// ServerDateRange returns the range [start, end) a FHIR search date denotes at its
// precision (year, month, day, minute, second, fraction). Without a zone, UTC.
func ServerDateRange(v string) (start, end time.Time, err error) {
	layouts := []struct {
		layout string
		step   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
	}
	for _, l := range layouts {
		if len(v) == len(l.layout) {
			t, err := time.Parse(l.layout, v)
			if err != nil {
				break
			}
			return t, l.step(t), nil
		}
	}
	if strings.Contains(v, "T") {
		s := v
		zoned := strings.HasSuffix(s, "Z") || strings.LastIndexAny(s, "+-") > strings.IndexByte(s, 'T')
		if !zoned {
			s += "Z"
		}
		for _, layout := range []string{"2006-01-02T15:04Z07:00", time.RFC3339Nano} {
			t, err := time.Parse(layout, s)
			if err != nil {
				continue
			}
			if layout == "2006-01-02T15:04Z07:00" {
				return t, t.Add(time.Minute), nil
			}
			step := time.Second
			if i := strings.IndexByte(v, '.'); i >= 0 {
				digits := 0
				for _, c := range v[i+1:] {
					if c < '0' || c > '9' {
						break
					}
					digits++
				}
				step = time.Duration(math.Pow(10, float64(9-digits)))
			}
			return t, t.Add(step), nil
		}
	}
	return time.Time{}, time.Time{}, srvValueError("not a FHIR date: " + strconv.Quote(v))
}

// srvSplitValues splits on sep, honouring '\' escapes (\, \| \$ \\), and unescapes ',' only.
func srvSplitValues(s string, sep byte) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == sep {
			b.WriteByte(sep)
			i++
			continue
		}
		if c == sep {
			out = append(out, b.String())
			b.Reset()
			continue
		}
		b.WriteByte(c)
	}
	out = append(out, b.String())
	return out
}

func srvIsTypeName(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

func srvContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
