package load

import (
	"cmp"
	"strconv"
	"strings"
)

// defIndex maps canonical URLs (without version) to the definitions with that URL.
type defIndex struct {
	structures   map[string][]*StructureDefinition
	searchParams map[string][]*SearchParameter
	valueSets    map[string][]*ValueSet
	codeSystems  map[string][]*CodeSystem
}

// canonicalResource is a definition with a canonical URL.
type canonicalResource interface {
	*StructureDefinition | *SearchParameter | *ValueSet | *CodeSystem
	canonical() (url, version string)
}

func (s *StructureDefinition) canonical() (string, string) { return s.URL, s.Version }
func (s *SearchParameter) canonical() (string, string)     { return s.URL, s.Version }
func (v *ValueSet) canonical() (string, string)            { return v.URL, v.Version }
func (c *CodeSystem) canonical() (string, string)          { return c.URL, c.Version }

func indexByURL[T canonicalResource](all []T) map[string][]T {
	m := make(map[string][]T, len(all))
	for _, x := range all {
		u, _ := x.canonical()
		m[u] = append(m[u], x)
	}
	return m
}

// Reindex rebuilds the index the lookups (StructureByURL, ...) use. Load indexes the
// definitions it returns; call Reindex after changing the slices. Without an index (a
// Definitions not made by Load), lookups scan the slices.
func (d *Definitions) Reindex() {
	d.index = &defIndex{
		structures:   indexByURL(d.Structures),
		searchParams: indexByURL(d.SearchParams),
		valueSets:    indexByURL(d.ValueSets),
		codeSystems:  indexByURL(d.CodeSystems),
	}
}

// StructureByURL returns the StructureDefinition of a canonical, "url" or "url|version"
// (see ValueSetByCanonical), or nil.
func (d *Definitions) StructureByURL(canonical string) *StructureDefinition {
	return find(d, func(x *defIndex) map[string][]*StructureDefinition { return x.structures }, d.Structures, canonical)
}

// SearchParamByURL returns the SearchParameter of a canonical, "url" or "url|version"
// (see ValueSetByCanonical), or nil.
func (d *Definitions) SearchParamByURL(canonical string) *SearchParameter {
	return find(d, func(x *defIndex) map[string][]*SearchParameter { return x.searchParams }, d.SearchParams, canonical)
}

// ValueSetByCanonical returns the ValueSet of a canonical such as a binding's valueSet,
// or nil. A canonical "url|version" names the ValueSet of that url and version; when
// there is none (a binding to "…/ValueSet/x|4.0.1" when the ValueSet states no version,
// or another one), the version is dropped. For a url with several versions and no exact
// match, the highest version wins.
func (d *Definitions) ValueSetByCanonical(canonical string) *ValueSet {
	return find(d, func(x *defIndex) map[string][]*ValueSet { return x.valueSets }, d.ValueSets, canonical)
}

// CodeSystemByURL returns the CodeSystem of a canonical, "url" or "url|version" (see
// ValueSetByCanonical), or nil.
func (d *Definitions) CodeSystemByURL(canonical string) *CodeSystem {
	return find(d, func(x *defIndex) map[string][]*CodeSystem { return x.codeSystems }, d.CodeSystems, canonical)
}

// find returns the definition of a canonical: from the index of d when it has one
// (index picks the map), else from all.
func find[T canonicalResource](d *Definitions, index func(*defIndex) map[string][]T, all []T, canonical string) T {
	url, version, hasVersion := strings.Cut(canonical, "|")
	var cands []T
	if d.index != nil {
		cands = index(d.index)[url]
	} else {
		for _, x := range all {
			if u, _ := x.canonical(); u == url {
				cands = append(cands, x)
			}
		}
	}
	var best T
	bestVersion := ""
	for i, x := range cands {
		_, v := x.canonical()
		if hasVersion && v == version {
			return x
		}
		if i == 0 || compareVersions(v, bestVersion) > 0 {
			best, bestVersion = x, v
		}
	}
	return best
}

// compareVersions orders versions such as "4.0.1" and "4.0.10" by their dot-separated
// parts, numerically where both parts are numbers.
func compareVersions(a, b string) int {
	for a != "" || b != "" {
		var pa, pb string
		pa, a, _ = strings.Cut(a, ".")
		pb, b, _ = strings.Cut(b, ".")
		na, ea := strconv.Atoi(pa)
		nb, eb := strconv.Atoi(pb)
		var c int
		if ea == nil && eb == nil {
			c = cmp.Compare(na, nb)
		} else {
			c = cmp.Compare(pa, pb)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
