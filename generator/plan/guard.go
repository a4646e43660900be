package plan

import (
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// guard returns the fields of the items of fl that constraint c depends on in a
// "x.….empty()", "x.all(…)", "x.exists() implies …" way: c holds without evaluation when
// they are all empty, so the validator evaluates it only when one is present. Nil when
// there are none, or when one of the roots is not a field of fl's type.
func guard(fl *ir.Field, c *ir.Constraint) []*ir.Field {
	typ := fl.Type
	if fl.Kind != ir.ComplexField || typ == nil || c.Expr.Node == nil {
		return nil
	}
	roots, ok := guardRoots(c.Expr.Node)
	if !ok || len(roots) == 0 {
		return nil
	}
	var out []*ir.Field
	seen := map[string]bool{}
	for _, r := range roots {
		if seen[r] {
			continue
		}
		seen[r] = true
		f := typ.Field(r)
		if f == nil || f.Kind == ir.ChoiceField && f.JSONName != r {
			return nil
		}
		out = append(out, f)
	}
	return out
}

// guardRoots returns root element names such that the expression is true when they are
// all empty.
func guardRoots(n syntax.Node) ([]string, bool) {
	switch x := n.(type) {
	case *syntax.Binary:
		switch x.Op {
		case syntax.OpAnd:
			l, okl := guardRoots(x.Left)
			r, okr := guardRoots(x.Right)
			if okl && okr {
				return append(l, r...), true
			}
		case syntax.OpOr:
			if l, ok := guardRoots(x.Left); ok {
				return l, true
			}
			return guardRoots(x.Right)
		case syntax.OpImplies:
			// "X.exists() implies …" is true when X is empty
			if c, ok := x.Left.(*syntax.Call); ok && c.Name == "exists" && len(c.Args) == 0 {
				if r, ok := chainRoot(c.Target); ok {
					return []string{r}, true
				}
			}
			return guardRoots(x.Right)
		}
	case *syntax.Call:
		switch {
		case (x.Name == "empty" && len(x.Args) == 0 || x.Name == "all") && x.Target != nil:
			if r, ok := chainRoot(x.Target); ok {
				return []string{r}, true
			}
		case x.Name == "not" && len(x.Args) == 0 && x.Target != nil:
			if c, ok := x.Target.(*syntax.Call); ok && c.Name == "exists" && len(c.Args) == 0 && c.Target != nil {
				if r, ok := chainRoot(c.Target); ok {
					return []string{r}, true
				}
			}
		}
	}
	return nil, false
}

// chainRoot returns the root element of a navigation chain that is empty when its root is
// (members, indexers and filtering functions), or false.
func chainRoot(n syntax.Node) (string, bool) {
	for {
		switch x := n.(type) {
		case *syntax.Identifier:
			if x.Name == "" || x.Name[0] < 'a' || x.Name[0] > 'z' {
				return "", false // a type name
			}
			return x.Name, true
		case *syntax.Member:
			n = x.Target
		case *syntax.Index:
			n = x.Target
		case *syntax.TypeExpr:
			if x.Op != syntax.OpAs {
				return "", false
			}
			n = x.Expr
		case *syntax.Call:
			switch x.Name {
			case "where", "select", "ofType", "as", "first", "last", "tail", "single", "children",
				"descendants", "distinct", "repeat", "trace", "skip", "take":
			default:
				return "", false
			}
			if x.Target == nil {
				return "", false
			}
			n = x.Target
		default:
			return "", false
		}
	}
}
