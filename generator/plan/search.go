package plan

import (
	"strings"

	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/naming"
)

// Search is the plan of the search extractors.
type Search struct {
	// Info maps every SearchParameter to the name of its info function
	// (searchParamPatientName), named from its canonical URL's id, not its position.
	Info map[*ir.SearchParam]string
	// Resources are the candidate extractor files, one per generated resource in the
	// model's order; the emitter writes the ones that index something.
	Resources []*SearchResource
}

// SearchResource is the extractor of one resource.
type SearchResource struct {
	Type    *ir.Type
	File    string // search_<resource>.gen.go
	Entries []*SearchEntry
}

// SearchEntry is one parameter of a resource with an expression.
type SearchEntry struct {
	Param *ir.SearchParam
	// Func is the name of the compiled expression (searchX<Resource>_<code>); a union's
	// branch k > 0 adds _k and a composite's component i adds _c<i>, both positions
	// within this one parameter's expression.
	Func string
}

func planSearch(m *ir.Model) *Search {
	s := &Search{Info: map[*ir.SearchParam]string{}}
	var urls []string
	for _, p := range m.SearchParams {
		urls = append(urls, p.URL)
	}
	names := naming.Stable("searchParam", urls, func(u string) string {
		u, _, _ = strings.Cut(u, "|")
		return u[strings.LastIndexByte(u, '/')+1:]
	})
	for _, p := range m.SearchParams {
		s.Info[p] = names[p.URL]
	}
	for _, t := range m.Resources {
		r := &SearchResource{Type: t, File: "search_" + naming.Snake(t.Name) + ".gen.go"}
		for _, p := range t.SearchParams {
			if p.Expression != "" {
				r.Entries = append(r.Entries, &SearchEntry{Param: p, Func: "searchX" + t.Name + "_" + codeIdent(p.Code)})
			}
		}
		s.Resources = append(s.Resources, r)
	}
	return s
}

// codeIdent spells a parameter code as identifier characters: every character but ASCII
// letters and digits becomes '_' (_lastUpdated, code-value-quantity → code_value_quantity).
func codeIdent(code string) string {
	var b strings.Builder
	for _, r := range code {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
