package fhirpath

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// lambda compiles arg evaluated on each item of target (where, select, all, exists, ...):
// it returns the item variable, the index variable and the result.
func (w *walker) lambda(target *val, arg syntax.Node) (x, i string, v *val, err error) {
	x, i = w.fresh("x"), w.fresh("i")
	this := &val{t: &Typed{Types: target.t.Types, Choice: target.t.Choice, Single: true},
		code: fn("fpOne", jen.Id(x)), elem: target.elem, item: x}
	w.lambdaDepth++
	v, err = w.expr(arg, &scope{this: this, index: i})
	w.lambdaDepth--
	return x, i, v, err
}

func (w *walker) nargs(n *syntax.Call, min, max int) error {
	if len(n.Args) < min || len(n.Args) > max {
		return errAt(n, "%s() takes %d to %d arguments, got %d", n.Name, min, max, len(n.Args))
	}
	return nil
}

// call checks and compiles a function invocation.
func (w *walker) call(n *syntax.Call, sc *scope) (*val, error) {
	var target *val
	var err error
	if (n.Name == "extension" || n.Name == "hasExtension") && n.Target != nil {
		if v, ok, err := w.primElement(n.Target, sc); err != nil {
			return nil, err
		} else if ok {
			target = v
		}
	}
	if target == nil {
		if n.Target == nil {
			target = sc.this
		} else if target, err = w.expr(n.Target, sc); err != nil {
			return nil, err
		}
	}
	v, err := w.callOn(n, sc, target)
	if err != nil || !target.empty {
		return v, err
	}
	switch n.Name {
	case "exists", "allTrue", "allFalse":
		return boolVal(bools(n.Name != "exists")), nil
	case "empty":
		return boolVal(bools(true)), nil
	case "anyTrue", "anyFalse":
		return boolVal(bools(false)), nil
	case "count":
		return newVal(single(tInteger), one("int64", jen.Lit(0))), nil
	case "where", "select", "repeat", "first", "last", "tail", "skip", "take", "single", "distinct",
		"ofType", "as", "is", "resolve", "extension", "children", "descendants", "trace", "intersect",
		"exclude", "startsWith", "endsWith", "contains", "matches", "matchesFull", "replaceMatches",
		"replace", "length", "lower", "upper", "trim", "toInteger", "toString", "indexOf", "substring",
		"lowBoundary", "highBoundary", "not", "hasExtension", "toDecimal", "memberOf", "hasValue":
		if n.Name == "hasValue" || n.Name == "hasExtension" {
			return boolVal(bools(false)), nil
		}
		return emptyLike(v), nil
	}
	return v, nil
}

// callOn compiles a function invocation on target.
func (w *walker) callOn(n *syntax.Call, sc *scope, target *val) (*val, error) {
	c := &call{w: w, n: n, sc: sc, target: target}
	boolOf, nargs := boolVal, c.nargs

	switch n.Name {
	case "exists":
		if err := nargs(0, 1); err != nil {
			return nil, err
		}
		if len(n.Args) == 0 {
			return boolOf(fn("fpExists", target.code)), nil
		}
		x, i, c, err := w.lambda(target, n.Args[0])
		if err != nil {
			return nil, err
		}
		return boolOf(fn("fpExistsWhere", target.code, predicate(x, target.elem, i, tri(c)))), nil
	case "empty", "count", "hasValue", "isDistinct", "allTrue", "allFalse", "anyTrue", "anyFalse",
		"first", "last", "tail", "single", "distinct", "not", "children", "descendants", "resolve",
		"toInteger", "toString", "length", "lower", "upper", "trim", "htmlChecks", "lowBoundary",
		"highBoundary", "today", "now", "toDecimal", "hasTemplateIdOf":
		if n.Name != "lowBoundary" && n.Name != "highBoundary" {
			if err := nargs(0, 0); err != nil {
				return nil, err
			}
		}
	}
	for _, group := range []func() (*val, error){c.collection, c.lambdas, c.tree, c.strings, c.misc} {
		if v, err := group(); err != errNotInGroup {
			return v, err
		}
	}
	return nil, errAt(n, "unknown function %s()", n.Name)
}

// errNotInGroup says a function name is not one of a group's.
var errNotInGroup = errors.New("not in this group")

// call is one function invocation being compiled, with the helpers its cases share.
type call struct {
	w      *walker
	n      *syntax.Call
	sc     *scope
	target *val
}

func (c *call) arg(i int) (*val, error) { return c.w.expr(c.n.Args[i], c.sc) }

func (c *call) strArg(i int) (jen.Code, error) {
	a, err := c.arg(i)
	if err != nil {
		return nil, err
	}
	s, ok := c.w.str(a)
	if !ok {
		return nil, errAt(c.n.Args[i], "%s() argument is %s, not a String", c.n.Name, a.t)
	}
	return s, nil
}

func (c *call) same(code jen.Code) *val { return newValLike(c.target, c.target.t, code) }

func (c *call) sameSingle(code jen.Code) *val {
	return newValLike(c.target, &Typed{Types: c.target.t.Types, Choice: c.target.t.Choice, Single: true}, code)
}

func (c *call) nargs(min, max int) error { return c.w.nargs(c.n, min, max) }

// onlyArg checks that the function has one argument and compiles it.
func (c *call) onlyArg() (*val, error) {
	if err := c.nargs(1, 1); err != nil {
		return nil, err
	}
	return c.arg(0)
}

// onlyStrArg checks that the function has one argument, a string, and compiles it.
func (c *call) onlyStrArg() (jen.Code, error) {
	if err := c.nargs(1, 1); err != nil {
		return nil, err
	}
	return c.strArg(0)
}

// collection compiles existence, filtering and subsetting functions without lambdas.
func (c *call) collection() (*val, error) {
	w, n, target, boolOf, same, sameSingle := c.w, c.n, c.target, boolVal, c.same, c.sameSingle
	switch n.Name {
	case "empty":
		return boolOf(fn("fpEmptyFn", target.code)), nil
	case "count":
		return newVal(single(tInteger), fn("fpCount", target.code)), nil
	case "hasValue":
		if allTypes(target.t.Types, isPrimitive) && len(target.t.Types) > 0 {
			return boolOf(boolsOf(jen.Len(target.code).Op("==").Lit(1))), nil
		}
		if target.t.Choice != nil {
			return boolOf(boolsOf(jen.Len(w.conv(target, "any")).Op("==").Lit(1))), nil
		}
		if !anyTypes(target.t.Types, isPrimitive) {
			return boolOf(bools(false)), nil // elements without a value
		}
		return boolOf(boolsOf(jen.Len(generic("fpUnwrap", "fpValue", w.conv(target, "any"))).Op("==").Lit(1))), nil
	case "isDistinct":
		return boolOf(fn("fpIsDistinct", target.code)), nil
	case "distinct":
		v := same(fn("fpDistinct", target.code))
		v.distinct = true
		return v, nil
	case "allTrue", "allFalse", "anyTrue", "anyFalse":
		if target.elem != "bool" && len(target.t.Types) > 0 {
			return nil, errAt(n, "%s() on %s", n.Name, target.t)
		}
		return boolOf(fn(runtimeName(n.Name), w.conv(target, "bool"))), nil
	case "first", "last", "single":
		f := map[string]string{"first": "fpFirst", "last": "fpLast", "single": "fpSingleFn"}[n.Name]
		return sameSingle(fn(f, target.code)), nil
	case "tail":
		return same(fn("fpTail", target.code)), nil
	case "skip", "take":
		a, err := c.onlyArg()
		if err != nil {
			return nil, err
		}
		ic, ok := w.ints(a)
		if !ok {
			return nil, errAt(n.Args[0], "%s() argument is %s", n.Name, a.t)
		}
		return same(fn(runtimeName(n.Name), target.code, ic)), nil
	case "not":
		return boolOf(fn("fpNot", tri(target)).Dot("fpColl").Call()), nil
	}
	return nil, errNotInGroup
}

// lambdas compiles the functions that take an expression argument: where, select, repeat, ofType, iif, trace.
func (c *call) lambdas() (*val, error) {
	w, n, sc, target, boolOf, same, nargs := c.w, c.n, c.sc, c.target, boolVal, c.same, c.nargs
	switch n.Name {
	case "where", "all":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		x, i, c, err := w.lambda(target, n.Args[0])
		if err != nil {
			return nil, err
		}
		pred := predicate(x, target.elem, i, tri(c))
		if n.Name == "all" {
			return boolOf(fn("fpAll", target.code, pred)), nil
		}
		return same(fn("fpWhere", target.code, pred)), nil
	case "select":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		x, i, p, err := w.lambda(target, n.Args[0])
		if err != nil {
			return nil, err
		}
		t := &Typed{Types: p.t.Types, Choice: p.t.Choice}
		return newVal(t, fn("fpSelect", target.code,
			lambdaFn([]jen.Code{param(x, target.elem), param(i, "int")}, sliceOf(p.elem), p.code))), nil
	case "repeat":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		acc := &Typed{Types: target.t.Types, Choice: target.t.Choice}
		var p *val
		for k := 0; k < 8; k++ {
			cur := newVal(acc, target.code)
			_, _, pv, err := w.lambda(cur, n.Args[0])
			if err != nil {
				return nil, err
			}
			next := unify(acc, pv.t)
			p = pv
			if len(next.Types) == len(acc.Types) && next.Choice == acc.Choice {
				break
			}
			acc = next
		}
		cur := newVal(acc, w.conv(target, elemType(acc)))
		x, _, pv, err := w.lambda(cur, n.Args[0])
		if err != nil {
			return nil, err
		}
		_ = p
		rt := &Typed{Types: pv.t.Types, Choice: pv.t.Choice}
		rv := &val{t: rt, elem: cur.elem, code: fn("fpRepeat", cur.code,
			lambdaFn([]jen.Code{param(x, cur.elem)}, sliceOf(cur.elem), w.conv(pv, cur.elem)))}
		if e := elemType(rt); e != cur.elem {
			// the items have the Go type of the input and projections: narrowed to the
			// projections' type
			return newVal(rt, w.conv(rv, e)), nil
		}
		return rv, nil
	case "ofType", "as", "is":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		ts, ok := syntax.AsTypeSpecifier(n.Args[0])
		if !ok {
			return nil, errAt(n.Args[0], "%s() needs a type name", n.Name)
		}
		op := n.Name
		if op == "ofType" {
			op = "of"
		}
		return w.typeOp(target, op, ts, n)
	case "iif":
		if err := nargs(2, 3); err != nil {
			return nil, err
		}
		if n.Target != nil {
			sc = &scope{this: target, index: sc.index, total: sc.total}
		}
		c, err := w.expr(n.Args[0], sc)
		if err != nil {
			return nil, err
		}
		a, err := w.expr(n.Args[1], sc)
		if err != nil {
			return nil, err
		}
		b := emptyVal(&Typed{})
		if len(n.Args) == 3 {
			if b, err = w.expr(n.Args[2], sc); err != nil {
				return nil, err
			}
		}
		t := unify(a.t, b.t)
		e := elemType(t)
		return newVal(t, fn("fpIif", tri(c), thunk(e, w.conv(a, e)), thunk(e, w.conv(b, e)))), nil
	case "trace":
		if err := nargs(1, 2); err != nil {
			return nil, err
		}
		name := "trace"
		if s, ok := n.Args[0].(*syntax.String); ok {
			name = s.Value
		}
		if len(n.Args) == 2 {
			if _, _, _, err := w.lambda(target, n.Args[1]); err != nil {
				return nil, err
			}
		}
		return same(fn("fpTrace", jen.Id("env"), jen.Lit(name), target.code)), nil
	}
	return nil, errNotInGroup
}

// tree compiles combining collections, tree navigation, resolve() and extensions.
func (c *call) tree() (*val, error) {
	w, n, target, boolOf := c.w, c.n, c.target, boolVal
	switch n.Name {
	case "combine", "union", "intersect", "exclude", "subsetOf", "supersetOf":
		o, err := c.onlyArg()
		if err != nil {
			return nil, err
		}
		t := unify(target.t, o.t)
		e := elemType(t)
		l, r := w.conv(target, e), w.conv(o, e)
		switch n.Name {
		case "subsetOf":
			return boolOf(fn("fpSubsetOf", l, r)), nil
		case "supersetOf":
			return boolOf(fn("fpSubsetOf", r, l)), nil
		case "intersect", "exclude":
			t = &Typed{Types: target.t.Types, Choice: target.t.Choice}
			e = elemType(t)
			l, r = target.code, w.conv(o, e)
		}
		v := newVal(t, fn(runtimeName(n.Name), l, r))
		v.distinct = n.Name == "union"
		return v, nil
	case "children", "descendants":
		return w.children(target, n.Name == "descendants", n)
	case "resolve":
		w.c.need("fpResolve")
		resolve := func(ref jen.Code) jen.Code {
			return jen.If(jen.Id("r").Op(":=").Id("fpResolve").Call(jen.Id("env"), ref), jen.Id("r").Op("!=").Nil()).Block(appendOut(jen.Id("r")))
		}
		var bodies []body
		for _, t := range target.t.Types {
			switch {
			case t.Kind == KStruct && t.Def.FHIRName == "Reference":
				bodies = append(bodies, w.caseOf(target, t, stmts(resolve(vf("Reference")))))
			case t.Kind == KStruct && t.Def.FHIRName == "CodeableReference":
				bodies = append(bodies, w.caseOf(target, t, stmts(jen.If(vf("Reference").Op("!=").Nil()).Block(resolve(vf("Reference").Dot("Reference"))))))
			case isPrimitive(t) && goType(t) == "string":
				bodies = append(bodies, w.caseOf(target, t, stmts(resolve(jen.Id("v")))))
			}
		}
		if len(bodies) == 0 && len(target.t.Types) > 0 && !allTypes(target.t.Types, isResource) {
			return nil, errAt(n, "resolve() on %s", target.t)
		}
		rt := &Typed{Types: []*Type{{Kind: KResource}}}
		if len(bodies) == 0 {
			return emptyVal(rt), nil
		}
		h := "fpResolve" + goIdent(strings.TrimPrefix(target.elem, "*"))
		each := codes(bodies)
		if sw, ok := typeSwitch(bodies); ok {
			each = []jen.Code{sw}
		}
		h = w.c.addHelper(h, jen.Params(param("env", "*FHIRPathEnv"), jen.Id("in").Add(sliceOf(target.elem))).
			Params(jen.Id("out").Add(sliceOf("Resource"))).Block(
			jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("in")).Block(each...),
			jen.Return(jen.Id("out"))))
		return newVal(rt, fn(h, jen.Id("env"), target.code)), nil
	case "extension", "hasExtension":
		u, err := c.onlyStrArg()
		if err != nil {
			return nil, err
		}
		ext, err := w.member(target, "extension", n)
		if err != nil {
			return nil, err
		}
		if ext.elem != "*Extension" {
			return nil, errAt(n, "extension() on %s", target.t)
		}
		code := fn("fpWhere", ext.code, predicate("e", "*Extension", "_",
			fn("fpBoolTri", fn("fpEq", one("string", jen.Id("e").Dot("URL")), u))))
		if n.Name == "hasExtension" {
			return boolOf(fn("fpExists", code)), nil
		}
		return newVal(ext.t, code), nil
	}
	return nil, errNotInGroup
}

// strCall checks a string function of want string arguments on a string, and returns
// the Go code of the target and of the arguments.
func (c *call) strCall(want int) (jen.Code, []jen.Code, error) {
	if err := c.nargs(want, want); err != nil {
		return nil, nil, err
	}
	s, ok := c.w.str(c.target)
	if !ok {
		return nil, nil, errAt(c.n, "%s() on %s", c.n.Name, c.target.t)
	}
	var args []jen.Code
	for i := range want {
		a, err := c.strArg(i)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, a)
	}
	return s, args, nil
}

// strings compiles the string functions.
func (c *call) strings() (*val, error) {
	w, n, target, arg, strArg, boolOf, nargs := c.w, c.n, c.target, c.arg, c.strArg, boolVal, c.nargs
	switch n.Name {
	case "startsWith", "endsWith", "contains", "matches", "matchesFull":
		s, a, err := c.strCall(1)
		if err != nil {
			return nil, err
		}
		f := map[string]jen.Code{"startsWith": jen.Qual("strings", "HasPrefix"), "endsWith": jen.Qual("strings", "HasSuffix"),
			"contains": jen.Qual("strings", "Contains"), "matches": jen.Id("fpMatches"), "matchesFull": jen.Id("fpMatchesFull")}[n.Name]
		return boolOf(fn("fpStrPred", s, a[0], jen.Lit(n.Name), f)), nil
	case "replaceMatches", "replace":
		s, a, err := c.strCall(2)
		if err != nil {
			return nil, err
		}
		return newVal(single(tString), fn(runtimeName(n.Name), s, a[0], a[1])), nil
	case "length", "lower", "upper", "trim", "toInteger", "htmlChecks":
		s, ok := w.str(target)
		if !ok {
			if n.Name == "toInteger" && target.elem == "int64" {
				return target, nil
			}
			if n.Name == "toInteger" && target.elem == "bool" {
				return newVal(single(tInteger), fn("fpBoolToInteger", target.code)), nil
			}
			return nil, errAt(n, "%s() on %s", n.Name, target.t)
		}
		switch n.Name {
		case "length":
			return newVal(single(tInteger), fn("fpLength", s)), nil
		case "toInteger":
			return newVal(single(tInteger), fn("fpToInteger", s)), nil
		case "htmlChecks":
			return boolOf(fn("fpHTMLChecks", jen.Id("env"), s)), nil
		}
		f := map[string]string{"lower": "ToLower", "upper": "ToUpper", "trim": "TrimSpace"}[n.Name]
		return newVal(single(tString), fn("fpStrMap", s, jen.Lit(n.Name), jen.Qual("strings", f))), nil
	case "toString":
		if target.t.Choice != nil {
			// a choice's primitive variants are wrappers: their values are converted
			var bodies []body
			for _, t := range target.t.Types {
				if b := w.caseOf(target, t, stmt{}); isPrimitive(t) && strings.HasPrefix(b.goT, "*") {
					bodies = append(bodies, w.caseOf(target, t, stmts(appendOut(jen.Any().Parens(vf("Value"))))))
				}
			}
			if len(bodies) > 0 {
				return newVal(single(tString), fn("fpToString", w.flat(target, "any", bodies))), nil
			}
		}
		return newVal(single(tString), fn("fpToString", target.code)), nil
	case "indexOf":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		s, ok := w.str(target)
		a, err := strArg(0)
		if err != nil || !ok {
			return nil, errAt(n, "indexOf() on %s", target.t)
		}
		return newVal(single(tInteger), fn("fpIndexOf", s, a)), nil
	case "substring":
		if err := nargs(1, 2); err != nil {
			return nil, err
		}
		s, ok := w.str(target)
		if !ok {
			return nil, errAt(n, "substring() on %s", target.t)
		}
		var ics []jen.Code
		for i := range n.Args {
			a, err := arg(i)
			if err != nil {
				return nil, err
			}
			ic, ok := w.ints(a)
			if !ok {
				return nil, errAt(n.Args[i], "substring() argument is %s", a.t)
			}
			ics = append(ics, ic)
		}
		if len(ics) == 1 {
			return newVal(single(tString), fn("fpSubstring", s, ics[0], jen.Nil(), jen.False())), nil
		}
		return newVal(single(tString), fn("fpSubstring", s, ics[0], ics[1], jen.True())), nil
	}
	return nil, errNotInGroup
}

// misc compiles boundaries, comparable(), memberOf() and the clock functions.
func (c *call) misc() (*val, error) {
	w, n, target, boolOf, sameSingle, nargs := c.w, c.n, c.target, boolVal, c.sameSingle, c.nargs
	switch n.Name {
	case "lowBoundary", "highBoundary":
		if err := nargs(0, 1); err != nil {
			return nil, err
		}
		f := "fpLowBoundary"
		if n.Name == "highBoundary" {
			f = "fpHighBoundary"
		}
		if len(target.t.Types) == 1 {
			t := target.t.Types[0]
			if k := dateKind(t); k != "" {
				return sameSingle(fn(f, target.code, jen.Lit(k))), nil
			}
			if isDecimal(t) {
				return sameSingle(fn(f, target.code, jen.Lit("decimal"))), nil
			}
			if t.Kind == KStruct {
				return sameSingle(target.code), nil // quantities: the value is kept (approximation)
			}
		}
		return nil, errAt(n, "%s() on %s", n.Name, target.t)
	case "comparable":
		o, err := c.onlyArg()
		if err != nil {
			return nil, err
		}
		if target.elem != "*Quantity" || o.elem != "*Quantity" {
			return nil, errAt(n, "comparable() on %s and %s", target.t, o.t)
		}
		return boolOf(iife(
			jen.List(jen.Id("a"), jen.Id("oka")).Op(":=").Id("fpSingle").Call(target.code, jen.Lit("comparable")),
			jen.List(jen.Id("b"), jen.Id("okb")).Op(":=").Id("fpSingle").Call(o.code, jen.Lit("comparable")),
			jen.If(jen.Op("!").Id("oka").Op("||").Op("!").Id("okb")).Block(jen.Return(jen.Nil())),
			jen.Return(boolsOf(jen.Id("a").Dot("System").Op("==").Id("b").Dot("System").Op("&&").Id("a").Dot("Code").Op("==").Id("b").Dot("Code"))),
		)), nil
	case "memberOf":
		vs, err := c.onlyStrArg()
		if err != nil {
			return nil, err
		}
		var bodies []body
		for _, t := range target.t.Types {
			switch {
			case isPrimitive(t) && goType(t) == "string":
				code := jen.Code(jen.Id("v"))
				if b := w.caseOf(target, t, stmt{}); strings.HasPrefix(b.goT, "*") {
					code = vf("Value") // a primitive variant of a choice: its wrapper
				}
				bodies = append(bodies, w.caseOf(target, t, stmts(appendOut(typ("[2]string").Values(jen.Lit(""), code)))))
			case t.Kind == KStruct && t.Def.FHIRName == "Coding":
				bodies = append(bodies, w.caseOf(target, t, stmts(appendOut(typ("[2]string").Values(vf("System"), vf("Code"))))))
			}
		}
		if len(bodies) == 0 {
			return nil, errAt(n, "memberOf() on %s", target.t)
		}
		codes := w.flat(target, "[2]string", bodies)
		return boolOf(iife(
			jen.List(jen.Id("c"), jen.Id("ok")).Op(":=").Id("fpSingle").Call(codes, jen.Lit("memberOf")),
			jen.List(jen.Id("vs"), jen.Id("okv")).Op(":=").Id("fpSingle").Call(vs, jen.Lit("memberOf")),
			jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Id("okv")).Block(jen.Return(jen.Nil())),
			jen.Return(fn("fpMemberOf", jen.Id("env"), jen.Id("c").Index(jen.Lit(0)), jen.Id("c").Index(jen.Lit(1)), jen.Id("vs"))),
		)), nil
	case "today", "now":
		return nil, unsupported(n, "%s() is not compiled", n.Name)
	}
	return nil, errNotInGroup
}

// typeOp compiles is/as/ofType ("of") with the type ts.
func (w *walker) typeOp(v *val, op string, ts *syntax.TypeSpecifier, n syntax.Node) (*val, error) {
	t := w.x.lookupType(ts.Namespace, ts.Name)
	if t == nil && op == "is" && ts.Namespace == "" && v.elem == "Resource" && ts.Name != "" && ts.Name[0] >= 'A' && ts.Name[0] <= 'Z' {
		// a resource type this package does not generate (outside the --resources closure,
		// or not in the inputs at all, like Composition in bdl-11 when only Bundle is
		// generated): its instances are RawResources that still know their type
		if !w.x.isResourceName(ts.Name) && !slices.Contains(w.resTypes, ts.Name) {
			w.resTypes = append(w.resTypes, ts.Name)
		}
		return boolVal(fn("fpIsRes", v.code, jen.Lit(ts.Name))), nil
	}
	if t == nil && ts.Namespace == "" && ts.Name != "" && ts.Name[0] >= 'A' && ts.Name[0] <= 'Z' {
		w.unknownTypes = append(w.unknownTypes, ts.Name)
		if op == "is" {
			return boolVal(iife(
				jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("fpSingle").Call(v.code, jen.Lit("is")), jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil())),
				jen.Return(bools(false)))), nil
		}
		return emptyVal(&Typed{Single: true}), nil
	}
	if t == nil {
		return nil, errAt(ts, "unknown type %s", ts)
	}
	if op == "is" && !v.empty {
		return w.isType(v, t, n)
	}
	nv, err := w.narrowIs(v, t, n, op == "is")
	if err != nil {
		return nil, err
	}
	if v.empty {
		if op == "is" {
			return emptyVal(single(tBoolean)), nil
		}
		nv = emptyLike(nv)
	}
	if op == "as" {
		nv.t.Single = v.t.Single
	}
	return nv, nil
}

// isType compiles v is t: empty when v is empty, false when its single item does not have
// type t (several items are an evaluation error).
func (w *walker) isType(v *val, t *Type, n syntax.Node) (*val, error) {
	in := &val{t: v.t, elem: v.elem, code: jen.Id("in")}
	nv, err := w.narrowIs(in, t, n, true)
	if err != nil {
		return nil, err
	}
	if nv.isRes {
		return boolVal(fn("fpIsRes", v.code, jen.Lit(t.Def.FHIRName))), nil
	}
	return boolVal(iife(
		jen.Id("in").Op(":=").Add(v.code),
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("fpSingle").Call(jen.Id("in"), jen.Lit("is")), jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil())),
		jen.Return(boolsOf(jen.Len(nv.code).Op("==").Lit(1))))), nil
}

func (w *walker) narrow(v *val, t *Type, n syntax.Node) (*val, error) {
	return w.narrowIs(v, t, n, false)
}

// narrowIs returns the items of v of type t (for `is` on resources, by resource type name
// so that the stand-ins made by resolve() qualify).
func (w *walker) narrowIs(v *val, t *Type, n syntax.Node, is bool) (*val, error) {
	res := &Typed{Types: []*Type{t}, Single: v.t.Single}
	g := goType(t)
	if len(v.t.Types) == 0 {
		return emptyVal(res), nil
	}
	// homogeneous collections
	if v.t.Choice == nil && v.elem == g && !(t.Kind == KResource && v.elem == "any") {
		if isPrimitive(t) {
			if !v.t.Has(t.Name()) && !(t.Kind == KSystem && allTypes(v.t.Types, isPrimitive)) {
				return emptyVal(res), nil
			}
			return newVal(res, v.code), nil
		}
		return newVal(res, v.code), nil
	}
	if t.Kind == KResource {
		if v.elem == "Resource" || v.elem[0] == '*' && isResource(v.t.Types[0]) {
			return newVal(res, w.conv(v, "Resource")), nil
		}
		return newVal(res, generic("fpUnwrap", "Resource", w.conv(v, "any"))), nil
	}
	if isResource(t) && is && v.elem == "Resource" {
		nv := newVal(res, fn("fpIsRes", v.code, jen.Lit(t.Def.FHIRName)))
		nv.isRes = true
		return nv, nil
	}
	if isResource(t) && is && (v.elem == "Resource" || v.elem == "any") {
		src := v.code
		if v.elem == "any" {
			src = generic("fpUnwrap", "Resource", src)
		}
		return newVal(res, fn("fpWhere", src, predicate("r", "Resource", "_",
			fn("fpTriOf", jen.Id("r").Dot("ResourceType").Call().Op("==").Lit(t.Def.FHIRName))))), nil
	}
	switch {
	case v.t.Choice != nil:
		for _, vr := range v.t.Choice.Variants {
			vt := variantType(vr)
			if !sameType(vt, t) {
				continue
			}
			if vr.Type != nil {
				return newVal(res, w.flatHelper(v, g, "as"+vr.Suffix, []body{{guard: assertType, goT: g, usesV: true,
					s: stmts(appendOut(jen.Id("v")))}})), nil
			}
			cond, val := primValue(vf("Value"), vr.Prim.Prim, false)
			return newVal(res, w.flatHelper(v, g, "as"+vr.Suffix, []body{{guard: assertType, goT: "*" + vr.Prim.Name, usesV: true,
				cond: cond, s: stmts(appendOut(val))}})), nil
		}
		return emptyVal(res), nil
	case isPrimitive(t):
		if v.elem == "any" {
			return newVal(res, generic("fpUnwrapType", g, v.code, jen.Lit(t.Name()))), nil
		}
		return emptyVal(res), nil
	case v.elem == "any" || v.elem == "Resource":
		return newVal(res, generic("fpUnwrap", g, w.conv(v, "any"))), nil
	}
	return emptyVal(res), nil
}

// children compiles children() and descendants(): helpers generated per type append the
// child elements (and, for descendants, theirs) to a heterogeneous collection.
func (w *walker) children(v *val, desc bool, n syntax.Node) (*val, error) {
	var types []*Type
	var bodies []body
	var start []*ir.Type
	for _, t := range v.t.Types {
		switch t.Kind {
		case KStruct:
			start = append(start, t.Def)
			if desc {
				bodies = append(bodies, w.caseOf(v, t, descend(w.anyChildHelper())))
			} else {
				bodies = append(bodies, w.caseOf(v, t, callStmt(w.childHelper(t.Def))))
			}
		case KResource:
			start = append(start, w.c.m.Resources...)
			if desc {
				bodies = append(bodies, w.caseOf(v, t, descend(w.anyChildHelper())))
			} else {
				bodies = append(bodies, w.caseOf(v, t, callStmt(w.resChildHelper())))
			}
		}
	}
	types = w.c.childTypes(start, desc)
	t := &Typed{Types: types}
	if len(types) == 0 {
		return emptyVal(t), nil
	}
	if len(bodies) == 0 || v.empty {
		return emptyVal(t), nil
	}
	label := "children"
	if desc {
		label = "descendants"
	}
	out := newVal(t, w.flatHelper(v, "any", label, bodies))
	out.elem = "any"
	return out, nil
}

// childTypes returns the item types of children() (desc false) or descendants() of items
// of the start types: their field types (and, for descendants, those of every type they
// reach). The answer is kept: dom-3 asks it of every resource.
func (c *Compiler) childTypes(start []*ir.Type, desc bool) []*Type {
	var key strings.Builder
	fmt.Fprintf(&key, "%v", desc)
	for _, d := range start {
		key.WriteString(" " + d.Name)
	}
	if ts, ok := c.children[key.String()]; ok {
		return ts
	}
	var types []*Type
	seen := map[*ir.Type]bool{}
	queue := start
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		if seen[d] {
			continue
		}
		seen[d] = true
		for _, f := range d.Fields {
			ft := fieldTypes(f)
			types = addTypes(types, ft...)
			if desc && c.m.Element != nil && (f.Kind == ir.PrimitiveField && f.ExtName != "" || f.Kind == ir.ChoiceField) {
				queue = append(queue, c.m.Element) // the "_x" halves' id and extensions
			}
			if desc {
				for _, x := range ft {
					if x.Kind == KStruct {
						queue = append(queue, x.Def)
					}
					if x.Kind == KResource {
						queue = append(queue, c.m.Resources...)
					}
				}
			}
		}
	}
	types = slices.Clip(types) // shared: an append must copy
	c.children[key.String()] = types
	return types
}

// descend is out = fpDescend(out, v, step).
func descend(step string) stmt {
	return stmts(outIs(fn("fpDescend", jen.Id("out"), jen.Id("v"), jen.Id(step))))
}

// childHelper returns the helper appending the children of a *d to a heterogeneous
// collection.
func (w *walker) childHelper(d *ir.Type) string {
	return w.helper("fpChildren"+d.Name, func(h string) jen.Code {
		var body []jen.Code
		for _, f := range d.Fields {
			body = append(body, w.nav(f, "any").code...)
		}
		return jen.Func().Id(h).Add(appender("v", "*"+d.Name, "any", body...))
	})
}

// resChildHelper returns the helper appending the children of any resource.
func (w *walker) resChildHelper() string {
	return w.switchHelper("fpChildrenResource", "Resource", "any", func() []jen.Code {
		var cases []jen.Code
		for _, r := range w.c.m.Resources {
			cases = append(cases, jen.Case(jen.Op("*").Id(r.Name)).Block(outIs(fn(w.childHelper(r), jen.Id("v"), jen.Id("out")))))
		}
		return cases
	})
}

// anyChildHelper returns the helper appending the children of an item of a heterogeneous
// collection (any generated struct; primitives have none), the step of descendants().
func (w *walker) anyChildHelper() string {
	return w.switchHelper("fpChildrenAny", "any", "any", func() []jen.Code {
		var cases []jen.Code
		for _, d := range w.c.m.Types {
			cases = append(cases, jen.Case(jen.Op("*").Id(d.Name)).Block(jen.Return(fn(w.descChildHelper(d), jen.Id("v"), jen.Id("out")))))
		}
		return cases
	})
}

// descChildHelper returns the helper appending the children of a *d for descendants():
// its children and, for each primitive child, the primitive's own children, the id and
// extensions of its "_x" half (the primitive itself is a Go value, which has none: a
// dom-3 reference held in compose.include._system.extension[].valueCanonical is a
// descendant of the ValueSet). Without such halves it is the children helper.
func (w *walker) descChildHelper(d *ir.Type) string {
	elem := w.c.m.Element
	var halves []jen.Code
	for _, f := range d.Fields {
		if elem == nil {
			break
		}
		switch {
		case f.Kind == ir.PrimitiveField && f.ExtName != "" && f.Array:
			halves = append(halves, jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(vf(f.ExtName))).Block(
				jen.If(jen.Id("e").Op("!=").Nil()).Block(outIs(fn(w.childHelper(elem), jen.Id("e"), jen.Id("out"))))))
		case f.Kind == ir.PrimitiveField && f.ExtName != "":
			halves = append(halves, jen.If(vf(f.ExtName).Op("!=").Nil()).Block(outIs(fn(w.childHelper(elem), vf(f.ExtName), jen.Id("out")))))
		case f.Kind == ir.ChoiceField && !f.Array && f.Choice != nil:
			var cases []jen.Code
			for _, v := range f.Choice.Variants {
				if v.Type == nil && v.Prim != nil && !v.Prim.Prim.System {
					cases = append(cases, jen.Case(jen.Op("*").Id(v.GoType())).Block(
						jen.If(jen.Id("p").Dot("Ext").Op("!=").Nil()).Block(outIs(fn(w.childHelper(elem), jen.Id("p").Dot("Ext"), jen.Id("out"))))))
				}
			}
			if len(cases) > 0 {
				halves = append(halves, jen.Switch(jen.Id("p").Op(":=").Add(vf(f.Name)).Op(".").Parens(jen.Type())).Block(cases...))
			}
		}
	}
	if len(halves) == 0 {
		return w.childHelper(d)
	}
	return w.helper("fpDescChildren"+d.Name, func(h string) jen.Code {
		body := []jen.Code{outIs(fn(w.childHelper(d), jen.Id("v"), jen.Id("out")))}
		return jen.Func().Id(h).Add(appender("v", "*"+d.Name, "any", append(body, halves...)...))
	})
}

// helper returns name, the name of a helper function, and adds the declaration decl makes
// when the helper is first asked for. A helper being made counts as made, so helpers that
// call each other end.
func (w *walker) helper(name string, decl func(name string) jen.Code) string {
	if _, ok := w.c.helpers[name]; ok {
		return name
	}
	h := &helperDecl{}
	w.c.helpers[name] = h
	h.code = decl(name)
	return name
}

// switchHelper returns the helper `func name(x param, out []res) []res` made of a type
// switch on x whose cases (bound to v) cases makes.
func (w *walker) switchHelper(name, param, res string, cases func() []jen.Code) string {
	return w.helper(name, func(h string) jen.Code {
		return jen.Func().Id(h).Add(appender("x", param, res, jen.Switch(jen.Id("v").Op(":=").Id("x").Assert(jen.Type())).Block(cases()...)))
	})
}

// predicate is the function literal func(x elem, i int) fpTri { return cond }.
func predicate(x, elem, i string, cond jen.Code) jen.Code {
	return lambdaFn([]jen.Code{param(x, elem), param(i, "int")}, jen.Id("fpTri"), cond)
}

// runtimeName is the runtime function of a FHIRPath function: fp + its name, capitalized
// (allTrue: fpAllTrue).
func runtimeName(name string) string { return "fp" + strings.ToUpper(name[:1]) + name[1:] }
