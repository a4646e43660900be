package ir

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fhirgen/fhirgen/generator/naming"
)

// closure collects what the run generates: the requested resources (all by default), every
// type their fields reach (datatypes, backbones, choice variants), Element (the "_x" half
// of primitives) and everything Element reaches. Reference targets are not followed (a
// reference is a string) and Resource-typed elements pull in no resource.
func (b *builder) closure() *Model {
	m := &Model{FHIRVersion: b.defs.FHIRVersion}
	if m.FHIRVersion == "" {
		m.FHIRVersion = b.cfg.FHIRVersion
	}
	var roots []*Type
	if len(b.cfg.Resources) == 0 {
		for _, name := range sortedKeys(b.types) {
			if t := b.types[name]; t.Kind == ResourceType {
				roots = append(roots, t)
			}
		}
	} else {
		for _, r := range b.cfg.Resources {
			t := b.types[r]
			if t == nil || t.Kind != ResourceType {
				var names []string
				for _, t := range b.types {
					if t.Kind == ResourceType {
						names = append(names, t.FHIRName)
					}
				}
				hint := ""
				if s := naming.Suggest(r, names); s != "" {
					hint = fmt.Sprintf(" (did you mean %s?)", s)
				}
				b.d.Errorf(Pos0, "", "", "--resources names %q, which is not a resource type in the inputs%s", r, hint)
				continue
			}
			roots = append(roots, t)
		}
	}
	el := b.types["Element"]
	if el == nil {
		b.d.Errorf(Pos0, "", "", "the inputs do not define Element, which every primitive's \"_x\" half needs")
		return nil
	}
	m.Element = el
	for _, name := range sortedKeys(b.byType) {
		if sd := b.byType[name]; sd.Kind == "resource" && !sd.Abstract {
			m.DefinedResources = append(m.DefinedResources, name)
		}
	}
	roots = append(roots, el)
	seenT := map[*Type]bool{}
	seenC := map[*Choice]bool{}
	seenE := map[*Enum]bool{}
	seenP := map[*PrimitiveVariant]bool{}
	var visit func(t *Type)
	visit = func(t *Type) {
		if seenT[t] {
			return
		}
		seenT[t] = true
		m.Types = append(m.Types, t)
		for _, f := range t.Fields {
			if f.Type != nil {
				visit(f.Type)
			}
			if f.Enum != nil && !seenE[f.Enum] {
				seenE[f.Enum] = true
				m.Enums = append(m.Enums, f.Enum)
			}
			if c := f.Choice; c != nil && !seenC[c] {
				seenC[c] = true
				m.Choices = append(m.Choices, c)
				for _, v := range c.Variants {
					if v.Type != nil {
						visit(v.Type)
					} else if !seenP[v.Prim] {
						seenP[v.Prim] = true
						m.PrimitiveVariants = append(m.PrimitiveVariants, v.Prim)
					}
				}
			}
		}
	}
	for _, t := range roots {
		visit(t)
	}
	sort.Slice(m.Types, func(i, j int) bool { return m.Types[i].Name < m.Types[j].Name })
	sort.Slice(m.Enums, func(i, j int) bool { return m.Enums[i].Name < m.Enums[j].Name })
	sort.Slice(m.Choices, func(i, j int) bool { return m.Choices[i].Name < m.Choices[j].Name })
	sort.Slice(m.PrimitiveVariants, func(i, j int) bool { return m.PrimitiveVariants[i].Name < m.PrimitiveVariants[j].Name })
	for _, t := range m.Types {
		switch t.Kind {
		case ResourceType:
			m.Resources = append(m.Resources, t)
			b.stats.Resources++
		case DatatypeType:
			b.stats.Datatypes++
		case BackboneType:
			b.stats.Backbones++
		}
	}
	sort.Slice(m.Resources, func(i, j int) bool { return m.Resources[i].FHIRName < m.Resources[j].FHIRName })
	b.stats.Enums, b.stats.Choices = len(m.Enums), len(m.Choices)
	m.Stats = b.stats
	return m
}

// checkNames reports every clash of Go names the model decides: between package-level
// identifiers (types, enums, choices, primitive wrappers, enum constants) and between the
// fields of one struct. Each error names both sources; a rename in the config resolves it.
// Clashes with the support runtime and the emitters' own names are found after emission,
// from the generated files (generator.checkDeclarations).
func (b *builder) checkNames(m *Model) {
	pkg := map[string]string{}
	add := func(name, source string) {
		if prev, ok := pkg[name]; ok {
			b.d.Errorf(Pos0, "", "", "Go name %s is used by both %s and %s; rename one in the config", name, prev, source)
			return
		}
		pkg[name] = source
	}
	for _, t := range m.Types {
		add(t.Name, "type "+t.FHIRName)
	}
	for _, e := range m.Enums {
		add(e.Name, "ValueSet "+e.ValueSet)
	}
	for _, c := range m.Choices {
		add(c.Name, "choice "+c.Path)
	}
	for _, p := range m.PrimitiveVariants {
		add(p.Name, "choice variant "+p.Prim.FHIRName)
	}
	for _, e := range m.Enums {
		for _, c := range e.Codes {
			add(e.Name+c.Const, "code "+c.Code+" of "+e.ValueSet)
		}
	}
	for _, t := range m.Types {
		fields := map[string]string{}
		for _, f := range t.Fields {
			for _, n := range []string{f.Name, f.ExtName} {
				if n == "" {
					continue
				}
				if prev, ok := fields[n]; ok {
					b.d.Errorf(f.Pos, "StructureDefinition/"+strings.SplitN(t.FHIRName, ".", 2)[0], f.Path,
						"Go field name %s of %s is also used by %s; rename one in the config", n, t.Name, prev)
				}
				fields[n] = f.Path
			}
		}
	}
}
