package fhirpath

import (
	"fmt"
	"go/scanner"
	"go/token"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
)

// Loop-invariant hoisting. An argument of where(), select(), all(), exists() or
// repeat() is evaluated once per item; a sub-expression of it that does not depend on the
// item ($this, $index, an implicit $this) and starts from the environment (%resource,
// %rootResource, %context) gives the same collection every time. dom-3 is the case that
// matters: contained.where('#'+id in %resource.descendants().reference | ...) walked the
// whole resource once per contained resource, quadratic in the size of a resource with
// many contained ones. Such a sub-expression is compiled once, at the function's level,
// and evaluated on first use (fpHoisted): the cost of the walk is paid at most once per
// call, and never when the iteration has no items.

// lambdaCalls are the functions whose arguments are evaluated per item of the input, with
// their own $this: an argument of these does not depend on the outer focus.
var lambdaCalls = map[string]bool{"where": true, "select": true, "all": true, "exists": true, "repeat": true, "trace": true}

// typeArgCalls are the functions whose argument is a type name, not an expression.
var typeArgCalls = map[string]bool{"ofType": true, "as": true, "is": true}

// invariant reports whether n does not depend on the focus of the scope it is evaluated
// in ($this, $index, $total, a root identifier or a root function call).
func invariant(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.Empty, *syntax.Boolean, *syntax.String, *syntax.Number, *syntax.Long, *syntax.Date, *syntax.DateTime, *syntax.Time, *syntax.Quantity, *syntax.ExternalConstant:
		return true
	case *syntax.Identifier, *syntax.Variable:
		return false
	case *syntax.Member:
		return invariant(n.Target)
	case *syntax.Index:
		return invariant(n.Target) && invariant(n.Index)
	case *syntax.Unary:
		return invariant(n.Operand)
	case *syntax.Binary:
		return invariant(n.Left) && invariant(n.Right)
	case *syntax.TypeExpr:
		return invariant(n.Expr)
	case *syntax.Call:
		if n.Target == nil || !invariant(n.Target) {
			return false
		}
		if lambdaCalls[n.Name] || typeArgCalls[n.Name] {
			return true
		}
		for _, a := range n.Args {
			if !invariant(a) {
				return false
			}
		}
		return true
	}
	return false
}

// fromEnv reports whether n navigates from %resource, %rootResource or %context: the
// sub-expressions worth hoisting (the others are literals and cheap operations on them).
func fromEnv(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.ExternalConstant:
		return n.Name == "resource" || n.Name == "rootResource" || n.Name == "context"
	case *syntax.Member:
		return fromEnv(n.Target)
	case *syntax.Index:
		return fromEnv(n.Target) || fromEnv(n.Index)
	case *syntax.Unary:
		return fromEnv(n.Operand)
	case *syntax.Binary:
		return fromEnv(n.Left) || fromEnv(n.Right)
	case *syntax.TypeExpr:
		return fromEnv(n.Expr)
	case *syntax.Call:
		if n.Target != nil && fromEnv(n.Target) {
			return true
		}
		for _, a := range n.Args {
			if fromEnv(a) {
				return true
			}
		}
	}
	return false
}

// hoistable reports whether n, met inside an iteration, is compiled once at the function's
// level: it is invariant, starts from the environment and is more than the constant itself.
func hoistable(n syntax.Node) bool {
	if _, ok := n.(*syntax.ExternalConstant); ok {
		return false
	}
	return invariant(n) && fromEnv(n)
}

// Common sub-expressions. An environment-rooted, invariant sub-expression written more
// than once in one expression gives the same collection at every place: dom-3 walks
// %resource.descendants() four times in one union. Each such sub-expression is hoisted
// too, wherever it is (inside an iteration or not), and compiled once; structurally equal
// ones (syntax.Equal) share the variable.

// sharedNodes returns the hoistable sub-expressions of root that occur more than once,
// outermost first: inside a shared one, only what also occurs outside it counts again (the
// parts of %resource.output.url written twice are compiled once, inside its variable).
func sharedNodes(root syntax.Node) []syntax.Node {
	var cands []syntax.Node
	eachNode(root, func(n syntax.Node) bool {
		if hoistable(n) {
			cands = append(cands, n)
		}
		return true
	})
	count := func(n syntax.Node) int {
		k := 0
		for _, c := range cands {
			if syntax.Equal(c, n) {
				k++
			}
		}
		return k
	}
	var out []syntax.Node
	eachNode(root, func(n syntax.Node) bool {
		if !hoistable(n) || count(n) < 2 {
			return true
		}
		for _, o := range out {
			if syntax.Equal(o, n) {
				return false
			}
		}
		out = append(out, n)
		return false
	})
	return out
}

// eachNode calls f on n and, while f returns true, on the nodes under it, parents first.
func eachNode(n syntax.Node, f func(syntax.Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch n := n.(type) {
	case *syntax.Member:
		eachNode(n.Target, f)
	case *syntax.Index:
		eachNode(n.Target, f)
		eachNode(n.Index, f)
	case *syntax.Unary:
		eachNode(n.Operand, f)
	case *syntax.Binary:
		eachNode(n.Left, f)
		eachNode(n.Right, f)
	case *syntax.TypeExpr:
		eachNode(n.Expr, f)
	case *syntax.Call:
		if n.Target != nil {
			eachNode(n.Target, f)
		}
		for _, a := range n.Args {
			eachNode(a, f)
		}
	case *syntax.Variable:
		if n.Target != nil {
			eachNode(n.Target, f)
		}
	}
}

// wantHoist reports whether expr compiles n by hoisting it: a hoistable node inside an
// iteration, or one the expression writes more than once (not while n itself is being
// compiled for its hoisted variable).
func (w *walker) wantHoist(n syntax.Node) bool {
	if !hoistable(n) || w.hoisting[n] {
		return false
	}
	if w.lambdaDepth > 0 {
		return true
	}
	for _, s := range w.shared {
		if syntax.Equal(s, n) {
			return true
		}
	}
	return false
}

// hoisted is a sub-expression compiled at the function's level.
type hoisted struct {
	name, elem string
	code       jen.Code
}

// hoist compiles n in the function's scope into a lazily evaluated variable. The same
// node compiled again (repeat() infers its type in rounds) reuses the variable.
func (w *walker) hoist(n syntax.Node) (*val, error) {
	if v, ok := w.hoistedBy[n]; ok {
		return v, nil
	}
	for m, v := range w.hoistedBy {
		if syntax.Equal(m, n) {
			return v, nil
		}
	}
	depth := w.lambdaDepth
	w.lambdaDepth = 0
	if w.hoisting == nil {
		w.hoisting = map[syntax.Node]bool{}
	}
	w.hoisting[n] = true
	v, err := w.expr(n, &scope{this: w.ctxVal})
	delete(w.hoisting, n)
	w.lambdaDepth = depth
	if err != nil || v.empty || v.item != "" {
		return v, err
	}
	h := w.fresh("h")
	w.hoisted = append(w.hoisted, hoisted{name: h, elem: v.elem, code: v.code})
	hv := *v
	hv.code = jen.Id(h).Dot("get").Call(thunk(v.elem, v.code))
	if w.hoistedBy == nil {
		w.hoistedBy = map[syntax.Node]*val{}
	}
	w.hoistedBy[n] = &hv
	return &hv, nil
}

// hoistDecls returns the declarations of the hoisted sub-expressions that code uses
// (compiled code that was discarded, such as trace()'s projection, may have hoisted
// some), in dependency order.
func (w *walker) hoistDecls(code jen.Code) []jen.Code {
	if len(w.hoisted) == 0 {
		return nil
	}
	used := idents(code)
	var keep []hoisted
	for i := len(w.hoisted) - 1; i >= 0; i-- {
		h := w.hoisted[i]
		if used[h.name] {
			keep = append(keep, h)
			for id := range idents(h.code) {
				used[id] = true
			}
		}
	}
	var out []jen.Code
	for i := len(keep) - 1; i >= 0; i-- {
		out = append(out, jen.Var().Id(keep[i].name).Id("fpHoisted").Types(typ(keep[i].elem)))
	}
	return out
}

// idents returns the identifiers of code.
func idents(code jen.Code) map[string]bool {
	src := []byte(fmt.Sprintf("%#v", jen.Add(code)))
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), src, nil, 0)
	out := map[string]bool{}
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		if tok == token.IDENT {
			out[lit] = true
		}
	}
}
