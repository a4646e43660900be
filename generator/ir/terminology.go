package ir

import (
	"sort"
	"strconv"
	"strings"
)

// nameValueSets decides the Go name of every ValueSet in the inputs, not only the ones a
// run generates, so that a name never depends on --resources. The rule:
//  1. a configured rename for the ValueSet's URL wins;
//  2. otherwise the ValueSet's name, or the last segment of its URL when it has no name;
//  3. when several ValueSets get one name by rule 2, each of them is named from the last
//     segment of its URL instead; those still equal get "2", "3", ... in URL order (the
//     first keeps the bare name);
//  4. a name that is also the Go name of a type defined in the inputs (Medplum adds the
//     resource SubscriptionStatus to R4, whose subscription-status ValueSet has that name)
//     gets the suffix "Code".
//
// Every rule looks at all the inputs, never at what a run generates.
func (b *builder) nameValueSets() {
	b.vsName = map[string]string{}
	base := map[string][]string{}
	for _, vs := range b.defs.ValueSets {
		if _, dup := b.vsName[vs.URL]; dup {
			continue
		}
		b.vsName[vs.URL] = ""
		n := vs.Name
		if n == "" {
			n = lastURLSegment(vs.URL)
		}
		g := b.namer.Go(n)
		base[g] = append(base[g], vs.URL)
	}
	second := map[string][]string{}
	for g, urls := range base {
		if len(urls) == 1 {
			b.vsName[urls[0]] = g
			continue
		}
		for _, u := range urls {
			g2 := b.namer.Go(lastURLSegment(u))
			second[g2] = append(second[g2], u)
		}
	}
	for g, urls := range second {
		sort.Strings(urls)
		for i, u := range urls {
			if i == 0 {
				b.vsName[u] = g
			} else {
				b.vsName[u] = g + strconv.Itoa(i+1)
			}
		}
	}
	typeNames := map[string]bool{}
	for name := range b.byType {
		typeNames[b.goName(name, b.namer.Go(name))] = true
	}
	for u, g := range b.vsName {
		if typeNames[g] {
			b.vsName[u] = g + EnumSuffix
		}
		if r, ok := b.cfg.Renames[u]; ok {
			b.usedRenames[u] = true
			b.vsName[u] = r
		}
	}
}

func lastURLSegment(u string) string {
	u = strings.TrimRight(u, "/")
	return u[strings.LastIndexByte(u, '/')+1:]
}

func stripVersion(canonical string) string {
	if i := strings.IndexByte(canonical, '|'); i >= 0 {
		return canonical[:i]
	}
	return canonical
}

// EnumSuffix is appended to a ValueSet's Go name when a type has that name.
const EnumSuffix = "Code"

const maxExpandDepth = 10

// expand computes the codes of a ValueSet from the inputs: compose.include by system (all
// codes of a complete CodeSystem) or by concept list, is-a / descendent-of / is-not-a /
// = concept filters on hierarchical CodeSystems, nested include.valueSet, and exclude. It
// falls back to a stored expansion. A nil result comes with the reason.
func (b *builder) expand(canonical string, chain []string) ([]Code, string) {
	for _, c := range chain {
		if c == canonical {
			return nil, "ValueSet include cycle: " + strings.Join(append(chain, canonical), " → ")
		}
	}
	if len(chain) > maxExpandDepth {
		return nil, "ValueSet includes nest too deeply"
	}
	chain = append(chain[:len(chain):len(chain)], canonical)
	vs := b.defs.ValueSetByCanonical(canonical)
	if vs == nil {
		return nil, "ValueSet not in the inputs"
	}
	if vs.Compose == nil || len(vs.Compose.Include) == 0 {
		if len(vs.Expansion) > 0 {
			out := make([]Code, 0, len(vs.Expansion))
			for _, c := range vs.Expansion {
				out = append(out, Code{System: c.System, Code: c.Code, Display: c.Display})
			}
			return dedupe(out), ""
		}
		return nil, "ValueSet has neither compose nor expansion"
	}
	var out []Code
	for _, inc := range vs.Compose.Include {
		codes, why := b.conceptSet(inc.System, inc.Version, inc.Concepts, inc.Filters, inc.ValueSets, chain)
		if codes == nil && why != "" {
			return nil, why
		}
		out = append(out, codes...)
	}
	for _, exc := range vs.Compose.Exclude {
		codes, why := b.conceptSet(exc.System, exc.Version, exc.Concepts, exc.Filters, exc.ValueSets, chain)
		if codes == nil && why != "" {
			return nil, "exclude: " + why
		}
		drop := map[[2]string]bool{}
		for _, c := range codes {
			drop[[2]string{c.System, c.Code}] = true
		}
		kept := out[:0]
		for _, c := range out {
			if !drop[[2]string{c.System, c.Code}] {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	if len(out) == 0 {
		return nil, "expansion is empty"
	}
	return dedupe(out), ""
}

// terminologyOf returns the built-in terminology (BuiltinTerminologies) a ValueSet is the
// whole of: its compose includes one such code system, whole (no concepts, filters or
// nested ValueSets), and excludes nothing; else "".
func (b *builder) terminologyOf(canonical string) string {
	vs := b.defs.ValueSetByCanonical(canonical)
	if vs == nil || vs.Compose == nil || len(vs.Compose.Include) != 1 || len(vs.Compose.Exclude) != 0 {
		return ""
	}
	inc := vs.Compose.Include[0]
	if len(inc.Concepts) != 0 || len(inc.Filters) != 0 || len(inc.ValueSets) != 0 || BuiltinTerminologies[inc.System] == "" {
		return ""
	}
	return inc.System
}

func dedupe(cs []Code) []Code {
	seen := map[[2]string]bool{}
	out := cs[:0:0]
	for _, c := range cs {
		k := [2]string{c.System, c.Code}
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

func (b *builder) conceptSet(system, version string, concepts []*loadConceptRef, filters []*loadFilter, valueSets []string, chain []string) ([]Code, string) {
	var fromSystem []Code
	hasSystem := system != ""
	if hasSystem {
		cs := b.defs.CodeSystemByURL(system)
		switch {
		case len(concepts) > 0:
			for _, c := range concepts {
				fromSystem = append(fromSystem, Code{System: system, Code: c.Code, Display: c.Display})
			}
		case cs == nil:
			return nil, "CodeSystem " + system + " is not in the inputs"
		case cs.Content != "complete" && cs.Content != "":
			return nil, "CodeSystem " + system + " content is " + cs.Content
		case len(filters) > 0:
			var why string
			fromSystem, why = filterConcepts(system, cs.Concepts, filters)
			if why != "" {
				return nil, why
			}
		default:
			walkConcepts(cs.Concepts, func(c *loadConcept) bool {
				fromSystem = append(fromSystem, Code{System: system, Code: c.Code, Display: c.Display})
				return true
			})
		}
		if len(concepts) == 0 && resourceTypeSystems[system] {
			fromSystem = b.withCustomResources(system, fromSystem)
		}
	}
	if len(valueSets) == 0 {
		return fromSystem, ""
	}
	var sets [][]Code
	for _, u := range valueSets {
		codes, why := b.expand(u, chain)
		if codes == nil {
			return nil, "included " + u + ": " + why
		}
		sets = append(sets, codes)
	}
	if hasSystem {
		sets = append(sets, fromSystem)
	}
	// several value sets (and a system) in one include: their intersection
	out := sets[0]
	for _, s := range sets[1:] {
		in := map[[2]string]bool{}
		for _, c := range s {
			in[[2]string{c.System, c.Code}] = true
		}
		var kept []Code
		for _, c := range out {
			if in[[2]string{c.System, c.Code}] {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out, ""
}

func walkConcepts(cs []*loadConcept, fn func(*loadConcept) bool) {
	for _, c := range cs {
		if fn(c) {
			walkConcepts(c.Concepts, fn)
		}
	}
}

// filterConcepts returns the concepts of a CodeSystem that pass every filter of an
// include (FHIR ANDs them), in CodeSystem order.
func filterConcepts(system string, all []*loadConcept, filters []*loadFilter) ([]Code, string) {
	var out []Code
	for i, f := range filters {
		codes, why := filterConcept(system, all, f)
		if why != "" {
			return nil, why
		}
		if i == 0 {
			out = codes
			continue
		}
		in := map[string]bool{}
		for _, c := range codes {
			in[c.Code] = true
		}
		kept := out[:0]
		for _, c := range out {
			if in[c.Code] {
				kept = append(kept, c)
			}
		}
		out = kept
	}
	return out, ""
}

func filterConcept(system string, all []*loadConcept, f *loadFilter) ([]Code, string) {
	var out []Code
	if f.Property != "concept" && f.Property != "code" {
		return nil, "filter on property " + f.Property + " needs an external terminology"
	}
	var find func(cs []*loadConcept) *loadConcept
	find = func(cs []*loadConcept) *loadConcept {
		for _, c := range cs {
			if c.Code == f.Value {
				return c
			}
			if r := find(c.Concepts); r != nil {
				return r
			}
		}
		return nil
	}
	root := find(all)
	if root == nil {
		return nil, "filter value " + f.Value + " is not a code of " + system
	}
	add := func(c *loadConcept) bool {
		out = append(out, Code{System: system, Code: c.Code, Display: c.Display})
		return true
	}
	switch f.Op {
	case "is-a":
		add(root)
		walkConcepts(root.Concepts, add)
	case "descendent-of":
		walkConcepts(root.Concepts, add)
	case "=":
		add(root)
	case "is-not-a":
		under := map[string]bool{root.Code: true}
		walkConcepts(root.Concepts, func(c *loadConcept) bool { under[c.Code] = true; return true })
		walkConcepts(all, func(c *loadConcept) bool {
			if !under[c.Code] {
				add(c)
			}
			return true
		})
	default:
		return nil, "filter op " + f.Op + " is not supported"
	}
	return out, ""
}

// enum returns the code type of a required binding, creating it on first use.
func (b *builder) enum(canonical string, codes []Code) *Enum {
	url := stripVersion(canonical)
	if vs := b.defs.ValueSetByCanonical(canonical); vs != nil {
		url = vs.URL
	}
	if e, ok := b.enums[url]; ok {
		return e
	}
	vs := b.defs.ValueSetByCanonical(canonical)
	name := b.vsName[url]
	if name == "" {
		name = b.namer.Go(lastURLSegment(url))
	}
	e := &Enum{Name: name, ValueSet: url}
	if vs != nil {
		e.VSName = vs.Name
		e.Doc = vs.Description
		if e.Doc == "" {
			e.Doc = vs.Title
		}
	}
	seen := map[string]string{}
	for _, c := range codes {
		if _, dup := seen[c.Code]; dup {
			continue // one code from two systems: a code element holds only the code
		}
		c.Const = b.namer.Code(c.Code)
		if prev, clash := seen["const:"+c.Const]; clash {
			b.d.Errorf(vs.Pos, "ValueSet/"+name, "", "codes %q and %q both spell the Go constant %s%s; rename one in the config", prev, c.Code, name, c.Const)
			continue
		}
		seen[c.Code] = c.Code
		seen["const:"+c.Const] = c.Code
		e.Codes = append(e.Codes, c)
	}
	b.enums[url] = e
	return e
}

// resourceTypeSystems are the CodeSystems whose codes are the resource types (R4 and R4B's
// resource-types, R5's fhir-types).
var resourceTypeSystems = map[string]bool{
	"http://hl7.org/fhir/resource-types": true,
	"http://hl7.org/fhir/fhir-types":     true,
}

// withCustomResources adds the model's own resource types (a specialization of a
// resource, like Medplum's BulkDataExport) to a resource-type code list: to the model they
// are resource types, so a CapabilityStatement or a Reference.type naming one is valid.
func (b *builder) withCustomResources(system string, codes []Code) []Code {
	have := map[string]bool{}
	for _, c := range codes {
		have[c.Code] = true
	}
	var extra []string
	for name, sd := range b.byType {
		if sd.Kind == "resource" && sd.Derivation != "constraint" && !sd.Abstract && !have[name] &&
			!strings.HasPrefix(sd.URL, "http://hl7.org/fhir/StructureDefinition/") {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		codes = append(codes, Code{System: system, Code: name, Display: name})
	}
	return codes
}
