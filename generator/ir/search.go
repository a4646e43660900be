package ir

import (
	"sort"
	"strings"

	"github.com/fhirgen/fhirgen/generator/load"
)

// searchParams attaches the SearchParameters to the generated resources. A parameter on
// Resource applies to every resource; one on DomainResource to every resource derived from
// it. Where a resource has its own parameter with the same code as an inherited one, its
// own wins (with a note). Parameters without an expression are warnings: they are listed
// in the registry but not indexed.
func (b *builder) searchParams(m *Model) {
	byURL := map[string]*SearchParam{}
	var all []*SearchParam
	for _, sp := range b.defs.SearchParams {
		p := &SearchParam{URL: sp.URL, Code: sp.Code, Name: sp.Name, Type: sp.Type, Description: sp.Description,
			Expression: strings.TrimSpace(sp.Expression), XPath: sp.XPath, Base: sp.Base, Target: sp.Target,
			Modifiers: sp.Modifiers, Comparators: sp.Comparators, Pos: sp.Pos, ExprPos: sp.ExprPos, Subject: sp.Subject()}
		p.Expr = b.parse(p.Expression)
		for _, c := range sp.Components {
			p.Components = append(p.Components, &SearchComponent{Definition: c.Definition, Expression: c.Expression, Expr: b.parse(c.Expression), Pos: c.Pos})
		}
		byURL[sp.URL] = p
		all = append(all, p)
	}
	resources := map[string]*Type{}
	for _, t := range m.Resources {
		resources[t.FHIRName] = t
	}
	for _, p := range all {
		seen := map[*Type]bool{}
		for _, base := range p.Base {
			for _, t := range b.appliesTo(base, resources, m) {
				if !seen[t] {
					seen[t] = true
					p.Resources = append(p.Resources, t)
				}
			}
		}
		if !searchTypes[p.Type] {
			b.d.Errorf(p.Pos, p.Subject, "", "search parameter %s has type %q, which is not a FHIR search parameter type (number, date, string, token, reference, composite, quantity, uri, special, resource)", p.Code, p.Type)
			continue
		}
		for _, base := range p.Base {
			if _, ok := b.byType[base]; !ok {
				b.d.Warnf(p.Pos, "search-unknown-base", p.Subject, "",
					"search parameter %s: base %s is not a type in the inputs; it does not apply to it", p.Code, base)
			}
		}
		if len(p.Resources) == 0 {
			continue // on resources outside --resources, or on no known type (warned above)
		}
		sort.Slice(p.Resources, func(i, j int) bool { return p.Resources[i].FHIRName < p.Resources[j].FHIRName })
		for _, c := range p.Components {
			c.Param = byURL[stripVersion(c.Definition)]
			if c.Param == nil {
				b.d.Warnf(c.Pos, "search-missing-component", p.Subject, "",
					"composite component %s is not a SearchParameter in the inputs", c.Definition)
			}
		}
		if p.Expression == "" && p.Type != "special" {
			b.d.Warnf(p.Pos, "search-no-expression", p.Subject, "", "search parameter %s has no expression; it is registered but not indexed", p.Code)
		}
		m.SearchParams = append(m.SearchParams, p)
	}
	sort.Slice(m.SearchParams, func(i, j int) bool {
		a, c := m.SearchParams[i], m.SearchParams[j]
		if ab, cb := strings.Join(a.Base, ","), strings.Join(c.Base, ","); ab != cb {
			return ab < cb
		}
		if a.Code != c.Code {
			return a.Code < c.Code
		}
		return a.URL < c.URL
	})
	for _, p := range m.SearchParams {
		for _, t := range p.Resources {
			t.SearchParams = append(t.SearchParams, p)
		}
	}
	for _, t := range m.Resources {
		t.SearchParams = b.ownFirst(t, t.SearchParams)
	}
}

// searchTypes are the values of SearchParameter.type (R4 to R5).
var searchTypes = map[string]bool{"number": true, "date": true, "string": true, "token": true,
	"reference": true, "composite": true, "quantity": true, "uri": true, "special": true, "resource": true}

// appliesTo lists the generated resources a SearchParameter base names.
func (b *builder) appliesTo(base string, resources map[string]*Type, m *Model) []*Type {
	if t := resources[base]; t != nil {
		return []*Type{t}
	}
	var out []*Type
	for _, t := range m.Resources {
		if b.derivesFrom(b.sdOf[t], base) {
			out = append(out, t)
		}
	}
	return out
}

func (b *builder) derivesFrom(sd *load.StructureDefinition, base string) bool {
	seen := map[*load.StructureDefinition]bool{}
	for s := b.baseOf(sd); s != nil && !seen[s]; s = b.baseOf(s) {
		seen[s] = true
		if s.Type == base || s.Name == base {
			return true
		}
	}
	return false
}

// ownFirst keeps one parameter per code: the resource's own over an inherited one.
func (b *builder) ownFirst(t *Type, ps []*SearchParam) []*SearchParam {
	byCode := map[string]*SearchParam{}
	for _, p := range ps {
		prev, ok := byCode[p.Code]
		if !ok {
			byCode[p.Code] = p
			continue
		}
		own := func(x *SearchParam) bool {
			for _, base := range x.Base {
				if base == t.FHIRName {
					return true
				}
			}
			return false
		}
		keep, drop := prev, p
		if own(p) && !own(prev) || own(p) == own(prev) && p.URL < prev.URL {
			keep, drop = p, prev
		}
		byCode[p.Code] = keep
		b.d.Notef(drop.Pos, "search-param-shadowed", drop.Subject, "",
			"%s on %s is replaced by %s", drop.Code, t.FHIRName, keep.URL)
	}
	out := make([]*SearchParam, 0, len(byCode))
	for _, k := range sortedKeys(byCode) {
		out = append(out, byCode[k])
	}
	return out
}
