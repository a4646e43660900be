package fhirpath

import (
	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
)

// pair checks and compiles two operands, a then b.
func (w *walker) pair(a, b syntax.Node, sc *scope) (*val, *val, error) {
	x, err := w.expr(a, sc)
	if err != nil {
		return nil, nil, err
	}
	y, err := w.expr(b, sc)
	if err != nil {
		return nil, nil, err
	}
	return x, y, nil
}

// binary checks and compiles a binary operator.
func (w *walker) binary(n *syntax.Binary, sc *scope) (*val, error) {
	l, r, err := w.pair(n.Left, n.Right, sc)
	if err != nil {
		return nil, err
	}
	switch n.Op {
	case syntax.OpAnd, syntax.OpOr, syntax.OpXor, syntax.OpImplies:
		f := map[syntax.Op]string{syntax.OpAnd: "fpAnd", syntax.OpOr: "fpOr", syntax.OpXor: "fpXor", syntax.OpImplies: "fpImplies"}[n.Op]
		return boolVal(fn(f, tri(l), tri(r)).Dot("fpColl").Call()), nil
	case syntax.OpUnion:
		t := unify(l.t, r.t)
		e := elemType(t)
		switch {
		case l.empty && r.empty:
			return emptyVal(t), nil
		case l.empty:
			return w.distinct(r, t), nil
		case r.empty:
			return w.distinct(l, t), nil
		}
		v := newVal(t, fn("fpUnion", w.conv(l, e), w.conv(r, e)))
		v.distinct = true
		return v, nil
	case syntax.OpEq, syntax.OpNe, syntax.OpEquiv, syntax.OpNotEquiv:
		if (l.empty || r.empty) && (n.Op == syntax.OpEq || n.Op == syntax.OpNe) {
			return emptyVal(single(tBoolean)), nil
		}
		code, err := w.equality(l, r, n.Op == syntax.OpEquiv || n.Op == syntax.OpNotEquiv, n)
		if err != nil {
			return nil, err
		}
		if n.Op == syntax.OpNe || n.Op == syntax.OpNotEquiv {
			code = fn("fpNeg", code)
		}
		return boolVal(code), nil
	case syntax.OpLt, syntax.OpGt, syntax.OpLe, syntax.OpGe:
		return w.compare(l, r, string(n.Op), n)
	case syntax.OpIn, syntax.OpContains:
		if n.Op == syntax.OpContains {
			l, r = r, l
		}
		t := unify(l.t, r.t)
		e := elemType(t)
		return boolVal(fn("fpIn", w.conv(l, e), w.conv(r, e))), nil
	case syntax.OpConcat:
		a, oka := w.str(l)
		b, okb := w.str(r)
		if !oka || !okb {
			return nil, errAt(n, "& on %s and %s", l.t, r.t)
		}
		return newVal(single(tString), fn("fpConcat", a, b)), nil
	case syntax.OpAdd, syntax.OpSub, syntax.OpMul, syntax.OpDiv, syntax.OpIntDiv, syntax.OpMod:
		if n.Op == syntax.OpAdd {
			if a, ok := w.str(l); ok && l.elem == "string" {
				if b, ok := w.str(r); ok {
					return newVal(single(tString), fn("fpStrAdd", a, b)), nil
				}
			}
		}
		if ai, ok := w.ints(l); ok && n.Op != syntax.OpDiv {
			if bi, ok := w.ints(r); ok {
				return newVal(single(tInteger), fn("fpArith", ai, bi, jen.Lit(string(n.Op)))), nil
			}
		}
		af, oka := w.floats(l)
		bf, okb := w.floats(r)
		if oka && okb && l.elem != "*Quantity" && r.elem != "*Quantity" {
			return newVal(single(tDecimal), fn("fpConv", fn("fpArith", af, bf, jen.Lit(string(n.Op))), jen.Id("DecimalOf"))), nil
		}
		return nil, unsupported(n, "%s on %s and %s", n.Op, l.t, r.t)
	}
	return nil, errAt(n, "unknown operator %s", n.Op)
}

func anyDate(t *Typed) bool {
	for _, x := range t.Types {
		if dateKind(x) != "" {
			return true
		}
	}
	return false
}

func anyDecimal(t *Typed) bool {
	for _, x := range t.Types {
		if isDecimal(x) {
			return true
		}
	}
	return false
}

// equality returns the code of l = r (or l ~ r).
func (w *walker) equality(l, r *val, equiv bool, n syntax.Node) (*jen.Statement, error) {
	f := "fpEq"
	if equiv {
		f = "fpEquiv"
	}
	switch {
	case anyDate(l.t) || anyDate(r.t):
		a, oka := w.str(l)
		b, okb := w.str(r)
		if oka && okb && !equiv {
			return fn("fpDateEq", a, b), nil
		}
	case anyDecimal(l.t) || anyDecimal(r.t):
		a, oka := w.floats(l)
		b, okb := w.floats(r)
		if oka && okb {
			return fn(f, a, b), nil
		}
	}
	if l.elem == r.elem {
		return fn(f, l.code, r.code), nil
	}
	if len(l.t.Types) == 0 {
		return fn(f, w.conv(l, r.elem), r.code), nil
	}
	if len(r.t.Types) == 0 || l.elem != "any" && r.elem == "any" && isBasic(l.elem) {
		return fn(f, l.code, w.conv(r, l.elem)), nil
	}
	if r.elem != "any" && l.elem == "any" && isBasic(r.elem) {
		return fn(f, w.conv(l, r.elem), r.code), nil
	}
	if l.elem == "Resource" || r.elem == "Resource" {
		if (l.elem == "Resource" || l.elem[0] == '*') && (r.elem == "Resource" || r.elem[0] == '*') {
			return fn(f, w.conv(l, "Resource"), w.conv(r, "Resource")), nil
		}
	}
	return fn(f, w.conv(l, "any"), w.conv(r, "any")), nil
}

func isBasic(g string) bool { return g == "string" || g == "bool" || g == "int64" || g == "Decimal" }

// compare compiles < > <= >=.
func (w *walker) compare(l, r *val, op string, n syntax.Node) (*val, error) {
	if anyDate(l.t) || anyDate(r.t) {
		a, oka := w.str(l)
		b, okb := w.str(r)
		if oka && okb {
			return boolVal(fn("fpDateCompare", a, b, jen.Lit(op))), nil
		}
	}
	if l.elem == "string" && r.elem == "string" {
		return boolVal(fn("fpCompare", l.code, r.code, jen.Lit(op))), nil
	}
	if a, ok := w.ints(l); ok && l.elem != "any" {
		if b, ok := w.ints(r); ok && r.elem != "any" {
			return boolVal(fn("fpCompare", a, b, jen.Lit(op))), nil
		}
	}
	a, oka := w.floats(l)
	b, okb := w.floats(r)
	if oka && okb {
		return boolVal(fn("fpCompare", a, b, jen.Lit(op))), nil
	}
	if a, oka := w.str(l); oka {
		if b, okb := w.str(r); okb {
			return boolVal(fn("fpCompare", a, b, jen.Lit(op))), nil
		}
	}
	return nil, errAt(n, "%s on %s and %s", op, l.t, r.t)
}

// distinct returns v's items without repetitions, as a collection of type t.
func (w *walker) distinct(v *val, t *Typed) *val {
	e := elemType(t)
	if v.distinct && v.elem == e {
		d := newVal(t, v.code)
		d.distinct = true
		return d
	}
	d := newVal(t, fn("fpDistinct", w.conv(v, e)))
	d.distinct = true
	return d
}
