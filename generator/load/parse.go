package load

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// Extensions the loader reads.
const (
	extFHIRType    = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type"
	extBindingName = "http://hl7.org/fhir/StructureDefinition/elementdefinition-bindingName"
)

// Diagnostic kinds the loader reports.
const (
	KindInvalidJSON      = "invalid-json"
	KindWrongType        = "wrong-type"
	KindMissingField     = "missing-field"
	KindInvalidValue     = "invalid-value"
	KindDuplicate        = "duplicate-definition"
	KindMissingInput     = "missing-input"
	KindReadError        = "read-error"
	KindNotAResource     = "not-a-resource"
	KindIgnoredResources = "ignored-resources"
	KindIgnoredFiles     = "ignored-files"
	KindOverride         = "override"
	KindNoDefinitions    = "no-definitions"
	KindFHIRVersion      = "fhir-version-mismatch"
)

// resKind is one of the resource types fhirgen uses.
type resKind uint8

const (
	kindStructure resKind = iota
	kindSearchParam
	kindValueSet
	kindCodeSystem
)

func usedKind(resourceType string) (resKind, bool) {
	switch resourceType {
	case "StructureDefinition":
		return kindStructure, true
	case "SearchParameter":
		return kindSearchParam, true
	case "ValueSet":
		return kindValueSet, true
	case "CodeSystem":
		return kindCodeSystem, true
	}
	return 0, false
}

// record is one definition as read from a file, before duplicates and overrides are
// resolved.
type record struct {
	kind    resKind
	url     string
	version string
	pos     diag.Pos
	raw     string // the resource's JSON text, to tell identical duplicates from different ones
	sd      *StructureDefinition
	sp      *SearchParameter
	vs      *ValueSet
	cs      *CodeSystem
}

// seg is one step of the field path errors name: name, or name[idx] when idx >= 0.
type seg struct {
	name string
	idx  int
}

// pendingErr is an error found while reading a resource, reported once the resource's
// subject is known.
type pendingErr struct {
	pos  diag.Pos
	kind string
	elem string
	msg  string
}

// rparser reads resources of one source. It is not safe for concurrent use.
type rparser struct {
	src   *source
	diags diag.List

	// State of the resource being read.
	errs   []pendingErr
	elem   string // element path errors are reported on ("" outside elements)
	at     []seg  // field path from the resource (or from the element, see base)
	base   int    // at[base:] is the field path errors name
	sawURL bool
	arena  []byte                  // bytes of the strings read; written once, never changed
	shapes map[reflect.Type]*shape // the structs the parser reads into: shapes
}

func newParser(src *source) *rparser {
	return &rparser{src: src, shapes: shapes}
}

func (p *rparser) push(name string, idx int) { p.at = append(p.at, seg{name, idx}) }
func (p *rparser) pop()                      { p.at = p.at[:len(p.at)-1] }

// fieldName is the path of field (which may be "") below the current field path.
func (p *rparser) fieldName(field string) string {
	var b strings.Builder
	for _, s := range p.at[p.base:] {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
		if s.idx >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.idx))
			b.WriteByte(']')
		}
	}
	if field != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(field)
	}
	return b.String()
}

func (p *rparser) errf(off int, kind, format string, args ...any) {
	p.errs = append(p.errs, pendingErr{pos: p.src.pos(off), kind: kind, elem: p.elem, msg: fmt.Sprintf(format, args...)})
}

func (p *rparser) wrong(v gjson.Result, field, want string) {
	p.errf(v.Index, KindWrongType, "%s: expected %s, got %s", p.fieldName(field), want, describe(v))
}

// str reads a string. Like every string the parser keeps, it is copied (see intern) so
// that the definitions do not keep the files' bytes alive.
func (p *rparser) str(v gjson.Result, field string) string {
	if v.Type != gjson.String {
		p.wrong(v, field, "a string")
		return ""
	}
	return p.intern(v.Str)
}

// intern copies s into the parser's arena: one allocation per arenaChunk bytes instead of
// one per string.
func (p *rparser) intern(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) > arenaChunk/8:
		return strings.Clone(s)
	}
	if cap(p.arena)-len(p.arena) < len(s) {
		// The strings of a file are fewer bytes than the file.
		p.arena = make([]byte, 0, max(len(s), min(arenaChunk, len(p.src.data))))
	}
	start := len(p.arena)
	p.arena = append(p.arena, s...)
	return unsafe.String(&p.arena[start], len(s))
}

const arenaChunk = 64 << 10

// url reads the resource's url, which must not be empty.
func (p *rparser) url(v gjson.Result) string {
	p.sawURL = true
	s := p.str(v, "url")
	if s == "" && v.Type == gjson.String {
		p.errf(v.Index, KindInvalidValue, "url: empty")
	}
	return s
}

func (p *rparser) boolean(v gjson.Result, field string) bool {
	switch v.Type {
	case gjson.True:
		return true
	case gjson.False:
		return false
	}
	p.wrong(v, field, "a boolean")
	return false
}

// integer reads a non-negative integer.
func (p *rparser) integer(v gjson.Result, field string) (int, bool) {
	if v.Type != gjson.Number {
		p.wrong(v, field, "a number")
		return 0, false
	}
	n, err := strconv.Atoi(v.Raw)
	if err != nil || n < 0 {
		p.errf(v.Index, KindInvalidValue, "%s: expected a non-negative integer, got %s", p.fieldName(field), v.Raw)
		return 0, false
	}
	return n, true
}

// strings reads an array of strings.
func (p *rparser) strings(v gjson.Result, field string) []string {
	if !v.IsArray() {
		p.wrong(v, field, "an array of strings")
		return nil
	}
	var out []string
	i := 0
	v.ForEach(func(_, x gjson.Result) bool {
		if x.Type == gjson.String {
			out = append(out, p.intern(x.Str))
		} else {
			p.push(field, i)
			p.wrong(x, "", "a string")
			p.pop()
		}
		i++
		return true
	})
	return out
}

// objects calls fn for each object of the array v, with the field path set to field[i].
func (p *rparser) objects(v gjson.Result, field string, fn func(o gjson.Result)) {
	if !v.IsArray() {
		p.wrong(v, field, "an array")
		return
	}
	i := 0
	v.ForEach(func(_, o gjson.Result) bool {
		p.push(field, i)
		if o.IsObject() {
			fn(o)
		} else {
			p.wrong(o, "", "an object")
		}
		p.pop()
		i++
		return true
	})
}

// member calls fn for each object of the array member name of o, when o has that member.
func (p *rparser) member(o gjson.Result, name string, fn func(o gjson.Result)) {
	if v := o.Get(name); v.Exists() {
		p.objects(v, name, fn)
	}
}

// object calls fn with the object v, with the field path set to field.
func (p *rparser) object(v gjson.Result, field string, fn func(o gjson.Result)) bool {
	if !v.IsObject() {
		p.wrong(v, field, "an object")
		return false
	}
	p.push(field, -1)
	fn(v)
	p.pop()
	return true
}

// extensions calls fn for each extension with a url.
func (p *rparser) extensions(v gjson.Result, fn func(url string, ext gjson.Result)) {
	p.objects(v, "extension", func(ext gjson.Result) {
		u := ext.Get("url")
		switch {
		case u.Type == gjson.String:
			fn(u.Str, ext)
		case !u.Exists():
			p.errf(ext.Index, KindMissingField, "%s: extension has no url", p.fieldName(""))
		default:
			p.wrong(u, "url", "a string")
		}
	})
}

// extString returns the string value of an extension, from the first of keys it has.
func (p *rparser) extString(ext gjson.Result, keys ...string) string {
	for _, k := range keys {
		if v := ext.Get(k); v.Exists() {
			return p.str(v, k)
		}
	}
	p.errf(ext.Index, KindMissingField, "%s: extension has no %s", p.fieldName(""), strings.Join(keys, " or "))
	return ""
}

// resource reads one resource of a used kind. It returns nil when the resource cannot be
// used (no url); errors go to p.diags.
func (p *rparser) resource(k resKind, v gjson.Result) *record {
	p.errs, p.at, p.base, p.elem, p.sawURL = p.errs[:0], p.at[:0], 0, "", false
	r := &record{kind: k, pos: p.src.pos(v.Index), raw: v.Raw}
	read := map[resKind]func() *Canonical{
		kindStructure:   func() *Canonical { r.sd = fillRoot[StructureDefinition](p, v); return &r.sd.Canonical },
		kindSearchParam: func() *Canonical { r.sp = fillRoot[SearchParameter](p, v); return &r.sp.Canonical },
		kindValueSet:    func() *Canonical { r.vs = fillRoot[ValueSet](p, v); return &r.vs.Canonical },
		kindCodeSystem:  func() *Canonical { r.cs = fillRoot[CodeSystem](p, v); return &r.cs.Canonical },
	}[k]
	c := read()
	r.url, r.version = c.URL, c.Version
	subject := c.subject(v.Get("resourceType").Str)
	if r.url == "" && !p.sawURL {
		p.elem = ""
		p.errf(v.Index, KindMissingField, "resource has no url")
	}
	for _, e := range p.errs {
		p.diags.Add(diag.Diagnostic{Pos: e.pos, Severity: diag.Error, Kind: e.kind, Subject: subject, Element: e.elem, Msg: e.msg})
	}
	if r.url == "" {
		return nil
	}
	return r
}

// max reads a maximum cardinality: "*" or a non-negative integer, as a string.
func (p *rparser) max(v gjson.Result, field string) string {
	s := p.str(v, field)
	if s == "" || s == "*" {
		if s == "" && v.Type == gjson.String {
			p.errf(v.Index, KindInvalidValue, "%s: empty", p.fieldName(field))
		}
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			p.errf(v.Index, KindInvalidValue, "%s: expected \"*\" or a non-negative integer, got %s", p.fieldName(field), strconv.Quote(s))
			break
		}
	}
	return s
}
