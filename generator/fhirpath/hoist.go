package fhirpath

import (
	"fmt"
	"strings"
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
func invariant(n Node) bool {
	switch n := n.(type) {
	case *Empty, *Boolean, *String, *Number, *Long, *Date, *DateTime, *Time, *Quantity, *ExternalConstant:
		return true
	case *Identifier, *Variable:
		return false
	case *Member:
		return invariant(n.Target)
	case *Index:
		return invariant(n.Target) && invariant(n.Index)
	case *Unary:
		return invariant(n.Operand)
	case *Binary:
		return invariant(n.Left) && invariant(n.Right)
	case *TypeExpr:
		return invariant(n.Expr)
	case *Call:
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
func fromEnv(n Node) bool {
	switch n := n.(type) {
	case *ExternalConstant:
		return n.Name == "resource" || n.Name == "rootResource" || n.Name == "context"
	case *Member:
		return fromEnv(n.Target)
	case *Index:
		return fromEnv(n.Target) || fromEnv(n.Index)
	case *Unary:
		return fromEnv(n.Operand)
	case *Binary:
		return fromEnv(n.Left) || fromEnv(n.Right)
	case *TypeExpr:
		return fromEnv(n.Expr)
	case *Call:
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
func hoistable(n Node) bool {
	if _, ok := n.(*ExternalConstant); ok {
		return false
	}
	return invariant(n) && fromEnv(n)
}

// hoisted is a sub-expression compiled at the function's level.
type hoisted struct {
	name, elem, code string
}

// hoist compiles n in the function's scope into a lazily evaluated variable. The same
// node compiled again (repeat() infers its type in rounds) reuses the variable.
func (w *walker) hoist(n Node) (*val, error) {
	if v, ok := w.hoistedBy[n]; ok {
		return v, nil
	}
	depth := w.lambdaDepth
	w.lambdaDepth = 0
	v, err := w.expr(n, &scope{this: w.ctxVal})
	w.lambdaDepth = depth
	if err != nil || v.empty || v.item != "" {
		return v, err
	}
	h := w.fresh("h")
	w.hoisted = append(w.hoisted, hoisted{name: h, elem: v.elem, code: v.code})
	hv := *v
	hv.code = h + ".get(func() []" + v.elem + " { return " + v.code + " })"
	if w.hoistedBy == nil {
		w.hoistedBy = map[Node]*val{}
	}
	w.hoistedBy[n] = &hv
	return &hv, nil
}

// hoistDecls returns the declarations of the hoisted sub-expressions that code uses
// (compiled code that was discarded, such as trace()'s projection, may have hoisted
// some), in dependency order.
func (w *walker) hoistDecls(code string) string {
	used := code
	var keep []hoisted
	for i := len(w.hoisted) - 1; i >= 0; i-- {
		h := w.hoisted[i]
		if strings.Contains(used, h.name+".get(") {
			keep = append(keep, h)
			used += h.code
		}
	}
	var b strings.Builder
	for i := len(keep) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "\tvar %s fpHoisted[%s]\n", keep[i].name, keep[i].elem)
	}
	return b.String()
}
