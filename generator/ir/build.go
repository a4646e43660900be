package ir

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/load"
	"github.com/fhirgen/fhirgen/generator/naming"
)

// Config is what a run can say about names and scope.
type Config struct {
	// Resources limits the model to these resource types and their dependency closure;
	// empty means every resource.
	Resources []string
	// Renames maps a FHIR path ("BulkDataExport.output"), a type name, or a ValueSet
	// canonical URL to the Go name to use instead of the computed one.
	Renames map[string]string
	// Initialisms extends naming.DefaultInitialisms.
	Initialisms []string
	// FHIRVersion is used when the inputs do not state one.
	FHIRVersion string
	// Profiles builds Model.Profiles: the constraint StructureDefinitions of the inputs
	// (not those of dependency packages, unless an input's profile uses them).
	Profiles bool
}

// Reserved method names: a field that would be spelled like one of them gets FieldSuffix.
var reservedMethods = map[string]bool{
	"MarshalJSON": true, "UnmarshalJSON": true, "ResourceType": true, "Validate": true,
	"ValidateAll": true, "String": true,
}

// FieldSuffix is appended to a field whose name would collide with a generated method.
const FieldSuffix = "Field"

// ExtSuffix names the sibling field holding a primitive's "_x" half.
const ExtSuffix = "Ext"

const (
	systemPrefix = "http://hl7.org/fhirpath/System."
	sdPrefix     = "http://hl7.org/fhir/StructureDefinition/"
)

type builder struct {
	defs    *load.Definitions
	cfg     Config
	d       diag.List
	namer   *naming.Namer
	byType  map[string]*load.StructureDefinition // generated kinds, by type name
	prims   map[string]*Primitive
	types   map[string]*Type // by FHIR name (type or backbone path)
	sdOf    map[*Type]*load.StructureDefinition
	snap    map[*load.StructureDefinition][]*load.ElementDefinition
	enums   map[string]*Enum // by ValueSet URL
	vsName  map[string]string
	choices map[string]*Choice
	pvars   map[string]*PrimitiveVariant
	stats   Stats
	// usedRenames are the keys of cfg.Renames that named something.
	usedRenames map[string]bool
	// parsed holds every FHIRPath expression parsed so far, by its text.
	parsed map[string]Parsed
	// baseKeys are the base definitions' invariants (baseConstraintKeys).
	baseKeys map[string]bool
}

// parse parses a FHIRPath expression of the definitions, once per distinct text.
func (b *builder) parse(text string) Parsed {
	if text == "" {
		return Parsed{}
	}
	p, ok := b.parsed[text]
	if !ok {
		p = Parse(text)
		b.parsed[text] = p
	}
	return p
}

// Parse parses a FHIRPath expression, for a constraint or parameter made outside Build.
func Parse(text string) Parsed {
	if text == "" {
		return Parsed{}
	}
	var p Parsed
	p.Node, p.Err = syntax.Parse(text)
	return p
}

// Build resolves the definitions into a Model.
func Build(defs *load.Definitions, cfg Config) (*Model, diag.List) {
	b := &builder{
		defs: defs, cfg: cfg, namer: naming.New(cfg.Initialisms),
		byType: map[string]*load.StructureDefinition{}, prims: map[string]*Primitive{},
		types: map[string]*Type{}, sdOf: map[*Type]*load.StructureDefinition{},
		snap: map[*load.StructureDefinition][]*load.ElementDefinition{}, enums: map[string]*Enum{},
		choices: map[string]*Choice{}, pvars: map[string]*PrimitiveVariant{},
		stats: Stats{PassedOver: map[string]int{}}, usedRenames: map[string]bool{}, parsed: map[string]Parsed{},
	}
	b.index()
	b.checkDefinitions()
	if b.d.HasErrors() {
		return nil, b.d
	}
	b.nameValueSets()
	b.declareTypes()
	if b.d.HasErrors() {
		return nil, b.d
	}
	for _, name := range sortedKeys(b.types) {
		t := b.types[name]
		if t.Kind != BackboneType {
			b.fillType(t)
		}
	}
	if b.d.HasErrors() {
		return nil, b.d
	}
	b.checkRenames()
	if b.d.HasErrors() {
		return nil, b.d
	}
	m := b.closure()
	if m != nil {
		m.index()
		b.checkNames(m)
		b.searchParams(m)
		m.expand = func(canonical string) ([]Code, string, string) {
			codes, why := b.expand(canonical, nil)
			term := ""
			if codes == nil {
				term = b.terminologyOf(canonical)
			}
			return codes, term, why
		}
		if b.cfg.Profiles {
			b.profiles(m)
		}
		for _, t := range m.Resources {
			if base := b.baseOf(b.sdOf[t]); base != nil {
				t.Base = base.Type
			}
		}
		for _, t := range m.Types {
			if t.Kind != BackboneType {
				t.RootConstraints = b.rootConstraints(b.sdOf[t])
			}
		}
	}
	if b.d.HasErrors() {
		return nil, b.d
	}
	return m, b.d
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// index classifies the StructureDefinitions: primitives, generated kinds, passed over.
func (b *builder) index() {
	for _, sd := range b.defs.Structures {
		switch {
		case sd.Kind == "logical":
			b.passOver(sd, "logical-model", "logical models are not generated")
			continue
		case sd.Derivation == "constraint" && b.cfg.Profiles:
			continue // see profiles
		case sd.Derivation == "constraint":
			kind := "profile"
			if sd.Type == "Extension" {
				kind = "extension-definition"
			}
			b.passOver(sd, kind, "constraint profiles are not generated")
			continue
		case sd.Kind != "primitive-type" && sd.Kind != "complex-type" && sd.Kind != "resource":
			b.d.Errorf(sd.Pos, sd.Subject(), "", "unknown StructureDefinition kind %q", sd.Kind)
			continue
		}
		name := sd.Type
		if name == "" {
			name = sd.Name
		}
		if strings.Contains(name, "/") { // a type given as a URL (logical types)
			name = name[strings.LastIndex(name, "/")+1:]
		}
		if prev, ok := b.byType[name]; ok {
			b.d.Errorf(sd.Pos, sd.Subject(), "", "type %s is also defined by %s at %s", name, prev.URL, prev.Pos)
			continue
		}
		b.byType[name] = sd
		if sd.Kind == "primitive-type" {
			b.prims[name] = &Primitive{FHIRName: name, JSON: primitiveJSON(name)}
		}
	}
}

// typeNameRE is what a generated type's name may be: it becomes a Go identifier.
var typeNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// checkDefinitions reports what makes a definition unusable before anything is built from
// it: a base cycle, a type name that cannot be an identifier, elements with one id, a min
// above the max, a path outside the rule of eld-19, a differential without its root.
func (b *builder) checkDefinitions() {
	for _, name := range sortedKeys(b.byType) {
		sd := b.byType[name]
		if sd.Kind == "primitive-type" {
			continue
		}
		if !typeNameRE.MatchString(name) {
			b.d.Errorf(sd.Pos, sd.Subject(), "", "type name %q is not a usable type name: letters, digits and _, starting with a letter", name)
			continue
		}
		// base cycle: follow baseDefinition until it ends or comes back
		seen := map[*load.StructureDefinition]bool{sd: true}
		chain := []string{sd.Type}
		for cur := b.baseOf(sd); cur != nil; cur = b.baseOf(cur) {
			chain = append(chain, cur.Type)
			if cur == sd {
				b.d.Errorf(sd.Pos, sd.Subject(), "", "baseDefinition cycle: %s", strings.Join(chain, " → "))
				break
			}
			if seen[cur] {
				break // a cycle further up, reported on its own members
			}
			seen[cur] = true
		}
		if sd.Snapshot == nil && sd.Differential != nil && (len(sd.Differential) == 0 || sd.Differential[0].Path != name) {
			b.d.Errorf(sd.Pos, sd.Subject(), "", "the differential of a definition without snapshot must start with its root element %s", name)
		}
		b.checkElements(sd, "snapshot", sd.Snapshot)
		b.checkElements(sd, "differential", sd.Differential)
	}
}

// eld19Segment is one component of an element path as eld-19 allows it (a choice's [x]
// and a slice name removed): at most 64 characters, no white space or punctuation.
var eld19Segment = regexp.MustCompile(`^[^\s.,:;'"/|?!@#$%&*()\[\]{}]{1,64}$`)

func (b *builder) checkElements(sd *load.StructureDefinition, list string, elems []*load.ElementDefinition) {
	ids := map[string]*load.ElementDefinition{}
	for _, e := range elems {
		id := e.ID
		if id == "" {
			id = e.Path
		}
		if prev, ok := ids[id]; ok {
			b.d.Errorf(e.Pos, sd.Subject(), e.Path, "element id %s appears twice in the %s (first at %s)", id, list, prev.Pos)
			continue
		}
		ids[id] = e
		for _, seg := range strings.Split(e.Path, ".") {
			if !eld19Segment.MatchString(strings.TrimSuffix(seg, "[x]")) {
				b.d.Errorf(e.Pos, sd.Subject(), shorten(e.Path), "path component %q breaks eld-19 (1 to 64 characters, no white space or .,:;'\"/|?!@#$%%&*()[]{})", shorten(seg))
				break
			}
		}
		if e.Max != "" && e.Max != "*" {
			if max, err := strconv.Atoi(e.Max); err == nil && e.MinSet && e.Min > max {
				b.d.Errorf(e.Pos, sd.Subject(), e.Path, "min %d is greater than max %s", e.Min, e.Max)
			}
		}
	}
}

// checkRenames reports the configured renames that named nothing: a typo there would
// otherwise leave the computed name in place without a word.
func (b *builder) checkRenames() {
	var known []string
	for k := range b.types {
		known = append(known, k)
	}
	for _, t := range b.types {
		for _, f := range t.Fields {
			known = append(known, f.Path)
		}
	}
	for u := range b.vsName {
		known = append(known, u)
	}
	for _, key := range sortedKeys(b.cfg.Renames) {
		if b.usedRenames[key] {
			continue
		}
		hint := ""
		if s := naming.Suggest(key, known); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		b.d.Errorf(diag.Pos{}, "", "", "config rename %q names no type, element path or ValueSet URL in the inputs%s", key, hint)
	}
}

// shorten cuts a name for a message.
func shorten(s string) string {
	if len(s) > 80 {
		return s[:40] + "…" + s[len(s)-20:]
	}
	return s
}

func (b *builder) passOver(sd *load.StructureDefinition, kind, msg string) {
	b.stats.PassedOver[kind]++
	b.d.Notef(sd.Pos, kind, sd.Subject(), "", "%s", msg)
}

func primitiveJSON(name string) JSONKind {
	switch name {
	case "boolean", "Boolean":
		return JSONBool
	case "integer", "positiveInt", "unsignedInt", "Integer":
		return JSONInt32
	case "integer64", "Long":
		return JSONInt64
	case "decimal", "Decimal":
		return JSONDecimal
	}
	return JSONString
}

// systemPrimitive returns the primitive for a FHIRPath System type code.
func (b *builder) systemPrimitive(code string) *Primitive {
	name := "System." + strings.TrimPrefix(code, systemPrefix)
	if p, ok := b.prims[name]; ok {
		return p
	}
	p := &Primitive{FHIRName: name, JSON: primitiveJSON(strings.TrimPrefix(name, "System.")), System: true}
	b.prims[name] = p
	return p
}

// snapshot returns the definition's snapshot, building it from the base's snapshot and the
// differential when the definition has none (a hand-written custom resource).
func (b *builder) snapshot(sd *load.StructureDefinition) []*load.ElementDefinition {
	if s, ok := b.snap[sd]; ok {
		return s
	}
	b.snap[sd] = nil // cycle guard
	var out []*load.ElementDefinition
	switch {
	case sd.Snapshot != nil:
		out = sd.Snapshot
	case sd.Differential != nil:
		out = b.buildSnapshot(sd)
	default:
		b.d.Errorf(sd.Pos, sd.Subject(), "", "definition has neither snapshot nor differential")
	}
	b.snap[sd] = out
	return out
}

func (b *builder) baseOf(sd *load.StructureDefinition) *load.StructureDefinition {
	if sd.BaseDefinition == "" {
		return nil
	}
	for _, s := range b.defs.Structures {
		if s.URL == sd.BaseDefinition {
			return s
		}
	}
	return nil
}

func (b *builder) buildSnapshot(sd *load.StructureDefinition) []*load.ElementDefinition {
	typeName := sd.Type
	var out []*load.ElementDefinition
	byPath := map[string]int{}
	if base := b.baseOf(sd); base != nil {
		bs := b.snapshot(base)
		baseType := base.Type
		for i, e := range bs {
			c := *e
			c.Path = typeName + strings.TrimPrefix(e.Path, baseType)
			c.ID = typeName + strings.TrimPrefix(e.ID, baseType)
			if i == 0 {
				c.Types = nil
			}
			byPath[c.Path] = len(out)
			out = append(out, &c)
		}
	} else if sd.BaseDefinition != "" {
		b.d.Errorf(sd.Pos, sd.Subject(), "", "base definition %s not found in the inputs", sd.BaseDefinition)
		return nil
	}
	insert := func(at int, e *load.ElementDefinition) {
		out = append(out, nil)
		copy(out[at+1:], out[at:])
		out[at] = e
		for k := range byPath {
			if byPath[k] >= at {
				byPath[k]++
			}
		}
		byPath[e.Path] = at
	}
	for _, e := range sd.Differential {
		if i, ok := byPath[e.Path]; ok {
			merged := *out[i]
			mergeElement(&merged, e)
			out[i] = &merged
			continue
		}
		// insert after the last element of its parent's subtree
		parent := parentPath(e.Path)
		at := len(out)
		for i := len(out) - 1; i >= 0; i-- {
			if out[i].Path == parent || strings.HasPrefix(out[i].Path, parent+".") {
				at = i + 1
				break
			}
		}
		// a new backbone element gets what its type gives every instance, as snapshot
		// generation does: the constraints of the type's root (ele-1) and its elements
		// (id, extension, modifierExtension) ahead of the differential's children
		inherited := b.backboneBase(e)
		if inherited != nil {
			c := *e
			c.Constraints = append(append([]*load.Constraint(nil), inherited[0].Constraints...), e.Constraints...)
			e = &c
		}
		insert(at, e)
		if inherited != nil {
			root := inherited[0].Path
			for i, be := range inherited[1:] {
				c := *be
				c.Path = e.Path + strings.TrimPrefix(be.Path, root)
				c.ID = e.ID + strings.TrimPrefix(be.ID, root)
				insert(at+1+i, &c)
			}
		}
	}
	return out
}

// backboneBase returns the snapshot of the type of a new element of a differential whose
// children are defined inline (type BackboneElement or Element), nil for other elements.
func (b *builder) backboneBase(e *load.ElementDefinition) []*load.ElementDefinition {
	if len(e.Types) != 1 {
		return nil
	}
	name := typeName(e.Types[0].Code)
	if name != "BackboneElement" && name != "Element" {
		return nil
	}
	sd := b.byType[name]
	if sd == nil {
		return nil
	}
	snap := b.snapshot(sd)
	if len(snap) == 0 {
		return nil
	}
	return snap
}

func mergeElement(dst, src *load.ElementDefinition) {
	dst.Pos = src.Pos
	if src.Short != "" {
		dst.Short = src.Short
	}
	if src.Definition != "" {
		dst.Definition = src.Definition
	}
	if src.MinSet {
		dst.Min, dst.MinSet = src.Min, true
	}
	if src.Max != "" {
		dst.Max = src.Max
	}
	if src.Types != nil {
		dst.Types = src.Types
	}
	if src.Binding != nil {
		dst.Binding = src.Binding
	}
	dst.Constraints = append(append([]*load.Constraint(nil), dst.Constraints...), src.Constraints...)
}

func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

func lastSegment(p string) string { return p[strings.LastIndexByte(p, '.')+1:] }

// generated reports whether a StructureDefinition becomes a struct type.
func generated(sd *load.StructureDefinition) bool {
	switch sd.Kind {
	case "resource":
		return !sd.Abstract
	case "complex-type":
		return !sd.Abstract || sd.Type == "Element" || sd.Name == "Element"
	}
	return false
}

// declareTypes creates every struct type (with its backbones) and its Go name, so fields
// can refer to any type, in any order.
func (b *builder) declareTypes() {
	for _, name := range sortedKeys(b.byType) {
		sd := b.byType[name]
		if !generated(sd) {
			continue
		}
		elems := b.snapshot(sd)
		if len(elems) == 0 {
			continue
		}
		kind := DatatypeType
		if sd.Kind == "resource" {
			kind = ResourceType
		}
		t := &Type{Name: b.goName(name, name), FHIRName: name, Kind: kind, URL: sd.URL, Pos: sd.Pos,
			Source: sd.Pos.File, Abstract: sd.Abstract, Doc: docOf(sd.Description, elems[0])}
		b.types[name] = t
		b.sdOf[t] = sd
		if elems[0].Path != name {
			b.d.Errorf(elems[0].Pos, sd.Subject(), elems[0].Path, "first snapshot element should be %s", name)
			continue
		}
		// backbones: elements that have children
		fields := fieldElements(elems)
		hasChildren := map[string]bool{}
		for _, e := range fields {
			hasChildren[parentPath(e.Path)] = true
		}
		for _, e := range fields {
			if !hasChildren[e.Path] {
				continue
			}
			goName := t.Name
			for _, seg := range strings.Split(strings.TrimPrefix(e.Path, name+"."), ".") {
				goName += b.namer.Go(seg)
			}
			bt := &Type{Name: b.goName(e.Path, goName), FHIRName: e.Path, Kind: BackboneType, URL: sd.URL,
				Pos: e.Pos, Source: sd.Pos.File, Owner: t, Doc: docOf("", e)}
			b.types[e.Path] = bt
			b.sdOf[bt] = sd
		}
	}
}

func skipElement(e *load.ElementDefinition) bool {
	return e.SliceName != "" || strings.Contains(e.ID, ":") || e.Max == "0"
}

// fieldElements returns the snapshot elements after the root that become fields: not
// slices, not prohibited (max 0), and not inside a prohibited element, whose children
// have no backbone type to belong to.
func fieldElements(elems []*load.ElementDefinition) []*load.ElementDefinition {
	var out []*load.ElementDefinition
	prohibited := map[string]bool{}
	for _, e := range elems[1:] {
		if prohibited[parentPath(e.Path)] {
			prohibited[e.Path] = true
			continue
		}
		if skipElement(e) {
			if e.Max == "0" && e.SliceName == "" && !strings.Contains(e.ID, ":") {
				prohibited[e.Path] = true
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// goName applies a configured rename to a computed name.
func (b *builder) goName(key, computed string) string {
	if r, ok := b.cfg.Renames[key]; ok {
		b.usedRenames[key] = true
		return r
	}
	return computed
}

func docOf(description string, e *load.ElementDefinition) string {
	switch {
	case e != nil && e.Definition != "":
		return e.Definition
	case description != "":
		return description
	case e != nil:
		return e.Short
	}
	return ""
}

// fillType builds the fields of a resource or datatype and of all its backbones.
func (b *builder) fillType(t *Type) {
	sd := b.sdOf[t]
	elems := b.snapshot(sd)
	inherited := b.inheritedElements(sd)
	for _, e := range fieldElements(elems) {
		owner := b.types[parentPath(e.Path)]
		if owner == nil {
			b.d.Errorf(e.Pos, sd.Subject(), e.Path, "parent element %s is not in the snapshot", parentPath(e.Path))
			continue
		}
		f := b.field(sd, owner, e, inherited)
		if f != nil {
			owner.Fields = append(owner.Fields, f)
		}
	}
}

// inheritedElements maps relative paths ("id", "meta") to the element of the abstract base
// resource that defines them, so that a custom resource that spells Resource.id as
// "string" gets the same representation as every other resource.
func (b *builder) inheritedElements(sd *load.StructureDefinition) map[string]*load.ElementDefinition {
	out := map[string]*load.ElementDefinition{}
	if sd.Kind != "resource" {
		return out
	}
	seen := map[*load.StructureDefinition]bool{}
	for base := b.baseOf(sd); base != nil && !seen[base]; base = b.baseOf(base) {
		seen[base] = true
		if !base.Abstract {
			continue
		}
		for _, e := range b.snapshot(base) {
			rel := strings.TrimPrefix(e.Path, base.Type+".")
			if rel != e.Path && out[rel] == nil {
				out[rel] = e
			}
		}
	}
	return out
}

func (b *builder) field(sd *load.StructureDefinition, owner *Type, e *load.ElementDefinition, inherited map[string]*load.ElementDefinition) *Field {
	subject := sd.Subject()
	seg := lastSegment(e.Path)
	choice := strings.HasSuffix(seg, "[x]")
	stem := strings.TrimSuffix(seg, "[x]")
	f := &Field{JSONName: stem, Path: e.Path, Pos: e.Pos, Min: e.Min, Doc: fieldDoc(e),
		Constraints: b.constraints(e.Constraints, subject, e.Path), Summary: e.IsSummary, ReferenceTargets: referenceTargets(e)}
	f.Name = b.goName(e.Path, b.namer.Go(stem))
	if reservedMethods[f.Name] {
		f.Name += FieldSuffix
	}
	max := e.Max
	if e.Base != nil && e.Base.Max != "" {
		max = e.Base.Max // JSON arrays follow the base definition's cardinality
	}
	switch max {
	case "*":
		f.Max, f.Array = -1, true
	case "", "1":
		f.Max = 1
	default:
		n, err := strconv.Atoi(max)
		if err != nil {
			b.d.Errorf(e.Pos, subject, e.Path, "invalid max %q", max)
			return nil
		}
		f.Max, f.Array = n, n > 1
	}
	if e.Max != "" && e.Max != max { // a constrained max still bounds validation
		if n, err := strconv.Atoi(e.Max); err == nil {
			f.Max = n
		}
	}
	types := e.Types
	// A custom resource that spells an inherited System-typed element (Resource.id) with a
	// FHIR primitive ("string") gets the base's representation, so every resource's id
	// works alike. Its own type code must still exist.
	if inh := inherited[strings.TrimPrefix(e.Path, sd.Type+".")]; inh != nil && len(inh.Types) == 1 &&
		strings.HasPrefix(inh.Types[0].Code, systemPrefix) && len(types) == 1 && b.prims[typeName(types[0].Code)] != nil {
		types = inh.Types
	}
	if bt := b.types[e.Path]; bt != nil { // a backbone
		f.Kind, f.Type = ComplexField, bt
		return f
	}
	if e.ContentReference != "" {
		ref := e.ContentReference[strings.IndexByte(e.ContentReference, '#')+1:]
		bt := b.types[ref]
		if bt == nil || strings.IndexByte(e.ContentReference, '#') < 0 {
			b.d.Errorf(e.ContentRefPos, subject, e.Path, "contentReference %s does not name a backbone element", e.ContentReference)
			return nil
		}
		f.Kind, f.Type = ComplexField, bt
		return f
	}
	if len(types) == 0 {
		b.d.Errorf(e.Pos, subject, e.Path, "element has no type")
		return nil
	}
	if choice {
		f.Kind = ChoiceField
		f.Choice = b.choice(sd, owner, f, types)
		if f.Choice == nil {
			return nil
		}
		return f
	}
	if len(types) > 1 {
		b.d.Errorf(types[1].Pos, subject, e.Path, "element has %d types but is not a choice [x]", len(types))
		return nil
	}
	tr := types[0]
	switch {
	case strings.HasPrefix(tr.Code, systemPrefix):
		f.Kind, f.Prim = PrimitiveField, b.systemPrimitive(tr.Code)
	case b.prims[typeName(tr.Code)] != nil:
		f.Kind, f.Prim = PrimitiveField, b.prims[typeName(tr.Code)]
		f.ExtName = f.Name + ExtSuffix
	default:
		ref := b.byType[typeName(tr.Code)]
		switch {
		case ref == nil:
			b.d.Errorf(tr.Pos, subject, e.Path, "unknown type code %q", tr.Code)
			return nil
		case ref.Kind == "resource":
			f.Kind = ResourceField
		case b.types[typeName(tr.Code)] == nil:
			b.d.Errorf(tr.Pos, subject, e.Path, "type %q is abstract and has no elements of its own to generate", tr.Code)
			return nil
		default:
			f.Kind, f.Type = ComplexField, b.types[typeName(tr.Code)]
		}
	}
	if e.Binding != nil {
		f.Binding = &Binding{Strength: e.Binding.Strength, ValueSet: e.Binding.ValueSet, Also: BindingAllowances[e.Path]}
		// Required bindings are expanded where a code can be checked: primitive
		// elements and Coding/CodeableConcept; other bound types (Quantity units)
		// are reported by the validate emitter as not checked.
		// Extensible and preferred bindings on a code, Coding or CodeableConcept are
		// expanded too, without an enum or a warning: a code outside them is a warning or
		// an information issue of the validators, and one not expandable goes unreported.
		coded := f.Kind == PrimitiveField || f.Kind == ComplexField && (f.Type.FHIRName == "Coding" || f.Type.FHIRName == "CodeableConcept")
		if coded && (e.Binding.Strength == "extensible" || e.Binding.Strength == "preferred") &&
			(f.Kind != PrimitiveField || tr.Code == "code" || tr.FHIRType == "code") {
			f.Binding.Expansion, f.Binding.Reason = b.expand(e.Binding.ValueSet, nil)
			if f.Binding.Expansion == nil {
				f.Binding.Terminology = b.terminologyOf(e.Binding.ValueSet)
			}
		}
		if e.Binding.Strength == "required" && coded {
			f.Binding.Expansion, f.Binding.Reason = b.expand(e.Binding.ValueSet, nil)
			if f.Binding.Expansion == nil {
				// a grammar or table of the support code checks it (BuiltinTerminologies)
				f.Binding.Terminology = b.terminologyOf(e.Binding.ValueSet)
			}
			if f.Binding.Expansion == nil && f.Binding.Terminology == "" {
				b.d.Warnf(e.Binding.Pos, "binding-not-expandable", subject, e.Path,
					"required binding to %s is not checked: %s", e.Binding.ValueSet, f.Binding.Reason)
			} else if f.Binding.Expansion != nil && (tr.Code == "code" || tr.FHIRType == "code") {
				f.Enum = b.enum(e.Binding.ValueSet, f.Binding.Expansion)
			}
		}
	}
	return f
}

// typeName turns a type code that is a canonical URL into the type name.
func typeName(code string) string {
	if strings.HasPrefix(code, "http://") || strings.HasPrefix(code, "https://") {
		return code[strings.LastIndexByte(code, '/')+1:]
	}
	return code
}

func fieldDoc(e *load.ElementDefinition) string {
	if e.Short != "" {
		return e.Short
	}
	return e.Definition
}

// choice returns the interface of a choice element.
func (b *builder) choice(sd *load.StructureDefinition, owner *Type, f *Field, types []*load.TypeRef) *Choice {
	name := b.goName(f.Path, owner.Name+f.Name)
	c := &Choice{Name: name, Marker: "is" + name, Path: f.Path, Doc: f.Doc}
	seen := map[string]bool{}
	for _, tr := range types {
		code := typeName(tr.Code)
		if seen[code] {
			continue // the same type with other profiles
		}
		seen[code] = true
		v := &Variant{TypeCode: code, Suffix: strings.ToUpper(code[:1]) + code[1:]}
		if p := b.prims[code]; p != nil {
			v.Prim = b.primitiveVariant(p)
		} else if t := b.types[code]; t != nil {
			v.Type = t
		} else {
			b.d.Errorf(tr.Pos, sd.Subject(), f.Path, "unknown type code %q in choice", tr.Code)
			return nil
		}
		c.Variants = append(c.Variants, v)
	}
	b.choices[f.Path] = c
	return c
}

func (b *builder) primitiveVariant(p *Primitive) *PrimitiveVariant {
	if v, ok := b.pvars[p.FHIRName]; ok {
		return v
	}
	v := &PrimitiveVariant{Name: b.namer.Go(p.FHIRName) + "Value", Prim: p}
	b.pvars[p.FHIRName] = v
	return v
}

// rootConstraints collects the constraints of a definition's root element and of its
// bases' root elements, the nearest definition of each key winning.
func (b *builder) rootConstraints(sd *load.StructureDefinition) []*Constraint {
	var out []*load.Constraint
	seenKey := map[string]bool{}
	seenSD := map[*load.StructureDefinition]bool{}
	for s := sd; s != nil && !seenSD[s]; s = b.baseOf(s) {
		seenSD[s] = true
		elems := b.snapshot(s)
		if len(elems) == 0 {
			continue
		}
		for _, c := range elems[0].Constraints {
			if c.Expression == "" || seenKey[c.Key] {
				continue
			}
			seenKey[c.Key] = true
			out = append(out, c)
		}
	}
	return b.constraints(out, sd.Subject(), sd.Type)
}

// constraints converts loaded constraints into the IR's, with the expressions of the
// errata table (Errata) corrected, each correction noted.
func (b *builder) constraints(cs []*load.Constraint, subject, path string) []*Constraint {
	var out []*Constraint
	for _, c := range cs {
		expr := c.Expression
		if e := erratum(c.Key, expr); e != nil {
			expr = e.Corrected
			b.d.Notef(c.ExprPos, "constraint-erratum", subject, path,
				"constraint %s: the published expression %q contradicts its human text; checked as %q (%s)",
				c.Key, c.Expression, e.Corrected, e.Source)
		}
		out = append(out, &Constraint{Key: c.Key, Severity: c.Severity, Human: c.Human,
			Expression: expr, Expr: b.parse(expr), Pos: c.Pos, ExprPos: c.ExprPos, Source: c.Source,
			FromPackage: c.FromPackage})
	}
	return out
}

// referenceTargets lists the target profiles of an element's Reference types.
func referenceTargets(e *load.ElementDefinition) []string {
	var out []string
	for _, tr := range e.Types {
		if code := tr.Code; code[strings.LastIndexByte(code, '/')+1:] == "Reference" {
			out = append(out, tr.TargetProfiles...)
		}
	}
	return out
}
