package plan

import (
	"strconv"
	"strings"

	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
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
	// Branches are the operands of the expression's top-level union that apply to this
	// resource (the whole expression when it is no union), for a parameter that is
	// neither special nor composite and whose expression parses; Union says the
	// expression is one.
	Branches []*SearchBranch
	Union    bool
}

// SearchBranch is one expression indexed for a parameter: a branch of its union or the
// whole expression.
type SearchBranch struct {
	Node syntax.Node
	Func string // the entry's Func; Func_k for branch k > 0
	// System is the one code system of the expansion of the binding that a simple path
	// (Resource.a.b) reaches: the implicit system of its codes; "" for none.
	System string
	// NotApplicable is set on a branch of a union written without a resource root that
	// names elements this resource lacks (R5's clinical-date has
	// `(start | requestedPeriod.start).first()` for Appointment): nothing to index here.
	NotApplicable bool
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
				e := &SearchEntry{Param: p, Func: "searchX" + t.Name + "_" + codeIdent(p.Code)}
				if p.Type != "special" && p.Type != "composite" && p.Expr.Node != nil {
					e.Branches, e.Union = branches(m, t, e.Func, p.Expr.Node)
				}
				r.Entries = append(r.Entries, e)
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

// branches splits a top-level union into its operands, dropping those rooted at another
// resource type (the branches of a parameter shared by several resources); union reports
// whether n is a union.
func branches(m *ir.Model, t *ir.Type, fn string, n syntax.Node) (_ []*SearchBranch, union bool) {
	var all []syntax.Node
	var split func(n syntax.Node)
	split = func(n syntax.Node) {
		if b, ok := n.(*syntax.Binary); ok && b.Op == syntax.OpUnion {
			split(b.Left)
			split(b.Right)
			return
		}
		all = append(all, n)
	}
	split(n)
	ctx, ctxErr := fhirpath.ContextFor(m, t.FHIRName)
	var out []*SearchBranch
	for _, b := range all {
		root := rootName(b)
		if root != "" && root != t.FHIRName && isTypeName(root) && !abstract[root] {
			if rt := m.Type(root); rt == nil || rt.Kind == ir.ResourceType {
				continue
			}
		}
		br := &SearchBranch{Node: b, Func: fn, System: bindingSystem(t, b)}
		if len(out) > 0 {
			br.Func += "_" + strconv.Itoa(len(out))
		}
		if len(all) > 1 && root == "" && ctxErr == nil {
			_, err := fhirpath.Check(b, ctx)
			ce, ok := err.(*fhirpath.CheckError)
			br.NotApplicable = ok && ce.Kind == fhirpath.ErrNoElement
		}
		out = append(out, br)
	}
	return out, len(all) > 1
}

var abstract = map[string]bool{"Resource": true, "DomainResource": true, "CanonicalResource": true, "MetadataResource": true}

// rootName returns the identifier a path expression starts with ("" when none).
func rootName(n syntax.Node) string {
	for {
		switch x := n.(type) {
		case *syntax.Identifier:
			return x.Name
		case *syntax.Member:
			n = x.Target
		case *syntax.Call:
			if x.Target == nil {
				return ""
			}
			n = x.Target
		case *syntax.Index:
			n = x.Target
		case *syntax.TypeExpr:
			n = x.Expr
		default:
			return ""
		}
	}
}

func isTypeName(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

// bindingSystem returns the implicit code system of the codes a simple path
// (Resource.a.b) reaches: the one system of its binding's expansion, else "".
func bindingSystem(t *ir.Type, n syntax.Node) string {
	var names []string
	for {
		switch x := n.(type) {
		case *syntax.Member:
			names = append([]string{x.Name}, names...)
			n = x.Target
			continue
		case *syntax.Identifier:
			if x.Name != t.FHIRName && !abstract[x.Name] {
				names = append([]string{x.Name}, names...)
			}
		default:
			return ""
		}
		break
	}
	cur := t
	for i, name := range names {
		f := cur.Field(name)
		if f == nil {
			return ""
		}
		if i < len(names)-1 {
			if f.Kind != ir.ComplexField {
				return ""
			}
			cur = f.Type
			continue
		}
		if f.Kind != ir.PrimitiveField || f.Binding == nil || f.Binding.Strength != "required" || len(f.Binding.Expansion) == 0 {
			return ""
		}
		system := f.Binding.Expansion[0].System
		for _, c := range f.Binding.Expansion {
			if c.System != system {
				return ""
			}
		}
		return system
	}
	return ""
}
