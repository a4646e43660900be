package ir

import (
	"sort"
	"strconv"
	"strings"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/load"
)

// Profile is a constraint StructureDefinition (a profile on a resource or datatype, or an
// extension definition, which is a profile on Extension) as the validate emitter reads it:
// its snapshot as a tree of elements, each with what it adds to the base definition.
type Profile struct {
	URL, Version, Name string
	Title              string
	// GoName is the Go name stem of the profile's generated identifiers ("PatientUvIps").
	GoName string
	// Type is the FHIR type the profile constrains ("Patient", "Extension").
	Type string
	// BaseDefinition is the canonical the profile derives from.
	BaseDefinition string
	Pos            diag.Pos
	Source         string // file the definition came from
	Package        string // "name#version" of its package ("" for a loose file)
	Root           *ProfileElement
	// Extension: the profile is an extension definition (Type "Extension").
	Extension bool
	// MustSupport lists the ids of the elements flagged mustSupport, in snapshot order.
	MustSupport []string
}

// ProfileElement is one element of a profile's snapshot.
type ProfileElement struct {
	ID        string // element id with slice names ("Patient.identifier:ihi.system")
	Path      string // element path ("Patient.identifier.system")
	SliceName string
	Pos       diag.Pos
	Min, Max  int // Max -1 for "*"
	// BaseMin and BaseMax are the cardinality of the element's base definition (the
	// snapshot's base), which the base validators already check.
	BaseMin, BaseMax int
	Types            []*load.TypeRef
	Fixed, Pattern   *load.Value
	Binding          *Binding
	// Constraints are the invariants the profile adds (not those of the base types).
	Constraints []*Constraint
	MustSupport bool
	Slicing     *load.Slicing
	// Children are the element's child elements; Slices are its slices (each with its own
	// children, and re-slices as Slices).
	Children []*ProfileElement
	Slices   []*ProfileElement
	Parent   *ProfileElement // nil for the root; for a slice, the sliced element
}

// Stem is the element's name in FHIRPath: the last path segment without [x].
func (e *ProfileElement) Stem() string {
	return strings.TrimSuffix(lastSegment(e.Path), "[x]")
}

// IsChoice reports whether the element is a choice ([x]).
func (e *ProfileElement) IsChoice() bool { return strings.HasSuffix(e.Path, "[x]") }

// TypeCodes returns the element's type codes, System types and URLs reduced to names.
func (e *ProfileElement) TypeCodes() []string {
	var out []string
	for _, t := range e.Types {
		code := t.Code
		if strings.HasPrefix(code, systemPrefix) {
			code = strings.TrimPrefix(code, systemPrefix)
		} else {
			code = typeName(code)
		}
		out = append(out, code)
	}
	return out
}

// Find returns the descendant element with the id, or nil.
func (e *ProfileElement) Find(id string) *ProfileElement {
	if e.ID == id {
		return e
	}
	for _, l := range [][]*ProfileElement{e.Children, e.Slices} {
		for _, c := range l {
			if strings.HasPrefix(id, c.ID) {
				if f := c.Find(id); f != nil {
					return f
				}
			}
		}
	}
	return nil
}

// ProfileByURL returns the profile with the canonical URL ("url" or "url|version"), or nil.
func (m *Model) ProfileByURL(canonical string) *Profile {
	url, version, _ := strings.Cut(canonical, "|")
	var found *Profile
	for _, p := range m.Profiles {
		if p.URL == url && (version == "" || p.Version == version) {
			found = p
		}
	}
	return found
}

// Expand returns the codes of a ValueSet computed from the inputs (nil with the reason
// when it cannot be expanded), for bindings the emitters find outside the model's fields.
// The terminology is set instead when the ValueSet is all of a built-in one
// (BuiltinTerminologies).
func (m *Model) Expand(canonical string) (codes []Code, terminology, reason string) {
	if m.expand == nil {
		return nil, "", "no definitions"
	}
	return m.expand(canonical)
}

// profiles builds the profiles the run generates: every constraint StructureDefinition on
// a generated type that does not come from a dependency package, and every profile and
// extension definition those reach (type profiles, base definitions).
func (b *builder) profiles(m *Model) {
	byURL := map[string]*load.StructureDefinition{}
	var roots []*load.StructureDefinition
	for _, sd := range b.defs.Structures {
		if sd.Derivation != "constraint" || sd.Kind == "logical" {
			continue
		}
		if prev := byURL[sd.URL]; prev == nil || prev.Version < sd.Version {
			byURL[sd.URL] = sd
		}
		if !sd.Dependency {
			roots = append(roots, sd)
		}
	}
	want := map[string]bool{}
	var queue []string
	add := func(url string) {
		url, _, _ = strings.Cut(url, "|")
		if !want[url] && byURL[url] != nil {
			want[url] = true
			queue = append(queue, url)
		}
	}
	for _, sd := range roots {
		add(sd.URL)
	}
	for len(queue) > 0 {
		url := queue[0]
		queue = queue[1:]
		sd := byURL[url]
		add(sd.BaseDefinition)
		for _, e := range b.snapshot(sd) {
			for _, t := range e.Types {
				for _, p := range t.Profiles {
					add(p)
				}
			}
		}
	}
	urls := sortedKeys(want)
	used := map[string]int{}
	for _, url := range urls {
		sd := byURL[url]
		if m.Type(sd.Type) == nil {
			b.d.Notef(sd.Pos, "profile-not-generated", sd.Subject(), "",
				"profile %s constrains %s, which this run does not generate", sd.URL, sd.Type)
			continue
		}
		elems := b.snapshot(sd)
		if len(elems) == 0 {
			continue
		}
		p := &Profile{URL: sd.URL, Version: sd.Version, Name: sd.Name, Title: sd.Title, Type: sd.Type,
			BaseDefinition: sd.BaseDefinition, Pos: sd.Pos, Source: sd.Pos.File, Package: sd.Package,
			Extension: sd.Type == "Extension"}
		name := b.namer.Go(firstNonEmptyStr(sd.Name, sd.ID, lastURLSegment(sd.URL)))
		if p.Extension {
			name = "Ext" + name
		} else {
			name = "Profile" + name
		}
		used[name]++
		if n := used[name]; n > 1 {
			name += strconv.Itoa(n)
		}
		p.GoName = name
		if b.profileTree(p, sd, elems) {
			m.Profiles = append(m.Profiles, p)
		}
	}
	sort.Slice(m.Profiles, func(i, j int) bool { return m.Profiles[i].URL < m.Profiles[j].URL })
	b.stats.PassedOver["profile"] = 0
	delete(b.stats.PassedOver, "profile")
	delete(b.stats.PassedOver, "extension-definition")
}

func firstNonEmptyStr(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// profileTree builds p.Root from the snapshot elements.
func (b *builder) profileTree(p *Profile, sd *load.StructureDefinition, elems []*load.ElementDefinition) bool {
	byID := map[string]*ProfileElement{}
	baseKeys := b.baseConstraintKeys()
	// what is wrong in a published package's profile is the publisher's: the profile is
	// not generated, with a warning; in the user's own definitions it is an error
	bad := b.d.Errorf
	if sd.FromPackage {
		bad = func(pos diag.Pos, subject, element, format string, args ...any) {
			b.d.Warnf(pos, "profile-not-generated", subject, element, "profile not generated: "+format, args...)
		}
	}
	for i, e := range elems {
		id := e.ID
		if id == "" {
			id = e.Path
			if e.SliceName != "" {
				id += ":" + e.SliceName
			}
		}
		pe := &ProfileElement{ID: id, Path: e.Path, SliceName: e.SliceName, Pos: e.Pos, Min: e.Min,
			Types: e.Types, Fixed: e.Fixed, Pattern: e.Pattern, MustSupport: e.MustSupport, Slicing: e.Slicing}
		pe.Max = parseMax(e.Max)
		pe.BaseMin, pe.BaseMax = pe.Min, pe.Max
		if e.Base != nil {
			pe.BaseMin, pe.BaseMax = e.Base.Min, parseMax(e.Base.Max)
		}
		if e.MustSupport {
			p.MustSupport = append(p.MustSupport, id)
		}
		var own []*load.Constraint
		for _, c := range e.Constraints {
			if c.Expression != "" && !baseKeys[c.Key+"\x00"+c.Expression] {
				own = append(own, c)
			}
		}
		pe.Constraints = b.constraints(own, sd.Subject(), e.Path)
		if e.Binding != nil && e.Binding.ValueSet != "" {
			bd := &Binding{Strength: e.Binding.Strength, ValueSet: e.Binding.ValueSet, Also: BindingAllowances[e.Path]}
			if bd.Strength == "required" || bd.Strength == "extensible" || bd.Strength == "preferred" {
				bd.Expansion, bd.Reason = b.expand(bd.ValueSet, nil)
				if bd.Expansion == nil {
					bd.Terminology = b.terminologyOf(bd.ValueSet)
				}
			}
			pe.Binding = bd
		}
		if i == 0 {
			if p.Root != nil || strings.Contains(e.Path, ".") {
				bad(e.Pos, sd.Subject(), e.Path, "profile snapshot does not start with its root element %s", sd.Type)
				return false
			}
			p.Root = pe
			byID[id] = pe
			continue
		}
		parentID, slice := splitElementID(id)
		parent := byID[parentID]
		if parent == nil {
			what := "element %s comes before its parent (%s)"
			if slice {
				what = "slice %s comes before the element it slices (%s)"
			}
			bad(e.Pos, sd.Subject(), id, what, id, parentID)
			return false
		}
		pe.Parent = parent
		if slice {
			parent.Slices = append(parent.Slices, pe)
		} else {
			parent.Children = append(parent.Children, pe)
		}
		if byID[id] != nil {
			bad(e.Pos, sd.Subject(), id, "element id %s is used twice in the snapshot", id)
			return false
		}
		byID[id] = pe
	}
	return p.Root != nil
}

// splitElementID returns the id of the parent of an element: the element a slice slices
// ("Patient.identifier:ihi" → "Patient.identifier", "X.a:s/r" → "X.a:s"), or the element
// one level up ("Patient.identifier:ihi.system" → "Patient.identifier:ihi").
func splitElementID(id string) (parent string, slice bool) {
	dot := lastDotOutsideSlice(id)
	last := id[dot+1:]
	if c := strings.IndexByte(last, ':'); c >= 0 {
		name := last[c+1:]
		if s := strings.LastIndexByte(name, '/'); s >= 0 {
			return id[:dot+1] + last[:c+1] + name[:s], true
		}
		return id[:dot+1] + last[:c], true
	}
	if dot < 0 {
		return "", false
	}
	return id[:dot], false
}

// lastDotOutsideSlice is the index of the last '.' of an element id that separates path
// segments (slice names may hold dots, as in "Extension.extension:a.b": rare, but the
// URLs some slices are named after have them).
func lastDotOutsideSlice(id string) int {
	inSlice := false
	last := -1
	for i := 0; i < len(id); i++ {
		switch id[i] {
		case ':':
			inSlice = true
		case '.':
			// a dot right after a slice name ends it when what follows starts a name
			if inSlice {
				if i+1 < len(id) && (id[i+1] >= 'a' && id[i+1] <= 'z') {
					inSlice = false
					last = i
				}
				continue
			}
			last = i
		}
	}
	return last
}

func parseMax(s string) int {
	switch s {
	case "*":
		return -1
	case "":
		return -1
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// baseConstraintKeys are the invariants of the base definitions (key and expression):
// the base validators check them, so a profile's copy of one adds nothing.
func (b *builder) baseConstraintKeys() map[string]bool {
	if b.baseKeys != nil {
		return b.baseKeys
	}
	b.baseKeys = map[string]bool{}
	for _, sd := range b.byType {
		for _, e := range b.snapshot(sd) {
			for _, c := range e.Constraints {
				b.baseKeys[c.Key+"\x00"+c.Expression] = true
			}
		}
	}
	return b.baseKeys
}
