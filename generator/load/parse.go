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
	arena  []byte                               // bytes of the strings read; written once, never changed
	shapes map[reflect.Type]map[string][]member // see members
}

func newParser(src *source) *rparser {
	return &rparser{src: src}
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
	var subject string
	switch k {
	case kindStructure:
		r.sd = p.structure(v, r.pos)
		r.url, r.version, subject = r.sd.URL, r.sd.Version, r.sd.Subject()
	case kindSearchParam:
		r.sp = p.searchParam(v, r.pos)
		r.url, r.version, subject = r.sp.URL, r.sp.Version, r.sp.Subject()
	case kindValueSet:
		r.vs = p.valueSet(v, r.pos)
		r.url, r.version, subject = r.vs.URL, r.vs.Version, r.vs.Subject()
	case kindCodeSystem:
		r.cs = p.codeSystem(v, r.pos)
		r.url, r.version, subject = r.cs.URL, r.cs.Version, r.cs.Subject()
	}
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

// member is how fill reads one JSON member into a struct field.
type member struct {
	index []int  // the field, for reflect.Value.FieldByIndex
	how   string // the tag option: "", "url", "max" or "pos"
}

// members returns the JSON members of struct type t, from the `fhir` tags of its fields
// (see Canonical), worked out once per parser.
func (p *rparser) members(t reflect.Type) map[string][]member {
	if m, ok := p.shapes[t]; ok {
		return m
	}
	m := map[string][]member{}
	for _, f := range reflect.VisibleFields(t) {
		tag, ok := f.Tag.Lookup("fhir")
		if !ok {
			continue
		}
		name, how, _ := strings.Cut(tag, ",")
		m[name] = append(m[name], member{index: f.Index, how: how})
	}
	if p.shapes == nil {
		p.shapes = map[reflect.Type]map[string][]member{}
	}
	p.shapes[t] = m
	return m
}

// fill reads the members of the JSON object v into the struct dst points to: a member
// other handles (it returns true) is its; the others go to the fields tagged with their
// name, read as the field's Go type says. Members with no field are ignored.
func (p *rparser) fill(v gjson.Result, dst any, other func(name string, f gjson.Result) bool) {
	rv := reflect.ValueOf(dst).Elem()
	ms := p.members(rv.Type())
	for _, m := range ms[""] {
		p.set(rv.FieldByIndex(m.index), m.how, "", v)
	}
	v.ForEach(func(k, f gjson.Result) bool {
		if other != nil && other(k.Str, f) {
			return true
		}
		for _, m := range ms[k.Str] {
			p.set(rv.FieldByIndex(m.index), m.how, k.Str, f)
		}
		return true
	})
}

// set reads the member name with value f into the field fv.
func (p *rparser) set(fv reflect.Value, how, name string, f gjson.Result) {
	switch {
	case how == "pos":
		fv.Set(reflect.ValueOf(p.src.pos(f.Index)))
	case how == "url":
		fv.SetString(p.url(f))
	case how == "max":
		fv.SetString(p.max(f, name))
	case fv.Kind() == reflect.String:
		fv.SetString(p.str(f, name))
	case fv.Kind() == reflect.Bool:
		fv.SetBool(p.boolean(f, name))
	case fv.Kind() == reflect.Int:
		n, _ := p.integer(f, name)
		fv.SetInt(int64(n))
	case fv.Type() == reflect.TypeFor[[]string]():
		fv.Set(reflect.ValueOf(p.strings(f, name)))
	default:
		panic("load: no reader for the " + fv.Type().String() + " of member " + name)
	}
}

// fillEach reads each object of the array v, the member field, into a new T (see fill).
func fillEach[T any](p *rparser, v gjson.Result, field string) []*T {
	var out []*T
	p.objects(v, field, func(o gjson.Result) {
		t := new(T)
		p.fill(o, t, nil)
		out = append(out, t)
	})
	return out
}

func (p *rparser) structure(v gjson.Result, pos diag.Pos) *StructureDefinition {
	sd := &StructureDefinition{Canonical: Canonical{Pos: pos}}
	p.fill(v, sd, func(name string, f gjson.Result) bool {
		switch name {
		case "snapshot":
			sd.Snapshot = p.elements(f, "snapshot")
		case "differential":
			sd.Differential = p.elements(f, "differential")
		default:
			return false
		}
		return true
	})
	return sd
}

// elements reads snapshot or differential. It returns nil only when v is not an object.
func (p *rparser) elements(v gjson.Result, field string) []*ElementDefinition {
	out := []*ElementDefinition{}
	ok := p.object(v, field, func(o gjson.Result) {
		i := 0
		p.member(o, "element", func(e gjson.Result) {
			out = append(out, p.element(e, field, i))
			i++
		})
	})
	if !ok {
		return nil
	}
	return out
}

func (p *rparser) element(e gjson.Result, list string, i int) *ElementDefinition {
	ed := &ElementDefinition{Pos: p.src.pos(e.Index)}
	oldBase := p.base
	p.base = len(p.at)
	defer func() { p.base, p.elem = oldBase, "" }()

	switch pr := e.Get("path"); {
	case pr.Type == gjson.String && pr.Str != "":
		ed.Path = p.intern(pr.Str)
		p.elem = ed.Path
	default:
		p.elem = fmt.Sprintf("%s.element[%d]", list, i)
		switch {
		case !pr.Exists():
			p.errf(e.Index, KindMissingField, "element has no path")
		case pr.Type == gjson.String:
			p.errf(pr.Index, KindInvalidValue, "path: empty")
		default:
			p.wrong(pr, "path", "a string")
		}
	}
	p.fill(e, ed, func(name string, f gjson.Result) bool {
		switch name {
		case "min":
			ed.Min, ed.MinSet = p.integer(f, "min")
		case "base":
			p.object(f, "base", func(o gjson.Result) {
				ed.Base = &ElementBase{}
				p.fill(o, ed.Base, nil)
			})
		case "type":
			p.objects(f, "type", func(o gjson.Result) {
				ed.Types = append(ed.Types, p.typeRef(o))
			})
		case "binding":
			p.object(f, "binding", func(o gjson.Result) { ed.Binding = p.binding(o) })
		case "constraint":
			ed.Constraints = fillEach[Constraint](p, f, "constraint")
		default:
			return false
		}
		return true
	})
	return ed
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

func (p *rparser) typeRef(o gjson.Result) *TypeRef {
	tr := &TypeRef{Pos: p.src.pos(o.Index)}
	hasCode := false
	p.fill(o, tr, func(name string, f gjson.Result) bool {
		switch name {
		case "code":
			hasCode = true
			tr.Code = p.str(f, "code")
		case "extension":
			p.extensions(f, func(url string, ext gjson.Result) {
				if url == extFHIRType {
					tr.FHIRType = p.extString(ext, "valueUrl", "valueUri")
				}
			})
		default:
			return false
		}
		return true
	})
	if !hasCode {
		p.errf(o.Index, KindMissingField, "%s: type has no code", p.fieldName(""))
	}
	return tr
}

func (p *rparser) binding(o gjson.Result) *Binding {
	b := &Binding{Pos: p.src.pos(o.Index)}
	p.fill(o, b, func(name string, f gjson.Result) bool {
		if name != "extension" {
			return false
		}
		p.extensions(f, func(url string, ext gjson.Result) {
			if url == extBindingName {
				b.Name = p.extString(ext, "valueString")
			}
		})
		return true
	})
	return b
}

func (p *rparser) searchParam(v gjson.Result, pos diag.Pos) *SearchParameter {
	sp := &SearchParameter{Canonical: Canonical{Pos: pos}}
	p.fill(v, sp, func(name string, f gjson.Result) bool {
		if name != "component" {
			return false
		}
		sp.Components = fillEach[SearchComponent](p, f, "component")
		return true
	})
	return sp
}

func (p *rparser) valueSet(v gjson.Result, pos diag.Pos) *ValueSet {
	vs := &ValueSet{Canonical: Canonical{Pos: pos}}
	p.fill(v, vs, func(name string, f gjson.Result) bool {
		switch name {
		case "compose":
			p.object(f, "compose", func(o gjson.Result) {
				vs.Compose = &Compose{}
				p.member(o, "include", func(o gjson.Result) {
					vs.Compose.Include = append(vs.Compose.Include, p.conceptSet(o))
				})
				p.member(o, "exclude", func(o gjson.Result) {
					vs.Compose.Exclude = append(vs.Compose.Exclude, p.conceptSet(o))
				})
			})
		case "expansion":
			p.object(f, "expansion", func(o gjson.Result) {
				vs.Expansion = []*ExpansionConcept{}
				p.contains(o, &vs.Expansion)
			})
		default:
			return false
		}
		return true
	})
	return vs
}

func (p *rparser) conceptSet(o gjson.Result) *ConceptSet {
	cs := &ConceptSet{Pos: p.src.pos(o.Index)}
	p.fill(o, cs, func(name string, f gjson.Result) bool {
		switch name {
		case "concept":
			cs.Concepts = fillEach[ConceptRef](p, f, "concept")
		case "filter":
			cs.Filters = fillEach[Filter](p, f, "filter")
		default:
			return false
		}
		return true
	})
	return cs
}

// contains appends the entries of the contains member of o (an expansion or an entry) to
// out, each before the entries nested in it.
func (p *rparser) contains(o gjson.Result, out *[]*ExpansionConcept) {
	p.member(o, "contains", func(e gjson.Result) {
		c := &ExpansionConcept{}
		*out = append(*out, c)
		p.fill(e, c, nil)
		p.contains(e, out)
	})
}

func (p *rparser) codeSystem(v gjson.Result, pos diag.Pos) *CodeSystem {
	cs := &CodeSystem{Canonical: Canonical{Pos: pos}}
	p.fill(v, cs, func(name string, f gjson.Result) bool {
		if name != "concept" {
			return false
		}
		cs.Concepts = p.concepts(f)
		return true
	})
	return cs
}

func (p *rparser) concepts(v gjson.Result) []*Concept {
	var out []*Concept
	p.objects(v, "concept", func(o gjson.Result) {
		c := &Concept{}
		p.fill(o, c, func(name string, f gjson.Result) bool {
			if name != "concept" {
				return false
			}
			c.Concepts = p.concepts(f)
			return true
		})
		out = append(out, c)
	})
	return out
}
