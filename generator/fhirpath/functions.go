package fhirpath

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// lambda compiles arg evaluated on each item of target (where, select, all, exists, ...):
// it returns the item variable, the index variable and the result.
func (w *walker) lambda(target *val, arg syntax.Node) (x, i string, v *val, err error) {
	x, i = w.fresh("x"), w.fresh("i")
	this := &val{t: &Typed{Types: target.t.Types, Choice: target.t.Choice, Single: true},
		code: "fpOne(" + x + ")", elem: target.elem, item: x}
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
		return boolVal(fmt.Sprintf("[]bool{%v}", n.Name != "exists")), nil
	case "empty":
		return boolVal("[]bool{true}"), nil
	case "anyTrue", "anyFalse":
		return boolVal("[]bool{false}"), nil
	case "count":
		return newVal(single(tInteger), "[]int64{0}"), nil
	case "where", "select", "repeat", "first", "last", "tail", "skip", "take", "single", "distinct",
		"ofType", "as", "is", "resolve", "extension", "children", "descendants", "trace", "intersect",
		"exclude", "startsWith", "endsWith", "contains", "matches", "matchesFull", "replaceMatches",
		"replace", "length", "lower", "upper", "trim", "toInteger", "toString", "indexOf", "substring",
		"lowBoundary", "highBoundary", "not", "hasExtension", "toDecimal", "memberOf", "hasValue":
		if n.Name == "hasValue" || n.Name == "hasExtension" {
			return boolVal("[]bool{false}"), nil
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
			return boolOf("fpExists(" + target.code + ")"), nil
		}
		x, i, c, err := w.lambda(target, n.Args[0])
		if err != nil {
			return nil, err
		}
		return boolOf(fmt.Sprintf("fpExistsWhere(%s, func(%s %s, %s int) fpTri { return %s })", target.code, x, target.elem, i, tri(c))), nil
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

func (c *call) strArg(i int) (string, error) {
	a, err := c.arg(i)
	if err != nil {
		return "", err
	}
	s, ok := c.w.str(a)
	if !ok {
		return "", errAt(c.n.Args[i], "%s() argument is %s, not a String", c.n.Name, a.t)
	}
	return s, nil
}

func (c *call) same(code string) *val { return newValLike(c.target, c.target.t, code) }

func (c *call) sameSingle(code string) *val {
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
func (c *call) onlyStrArg() (string, error) {
	if err := c.nargs(1, 1); err != nil {
		return "", err
	}
	return c.strArg(0)
}

// collection compiles existence, filtering and subsetting functions without lambdas.
func (c *call) collection() (*val, error) {
	w, n, target, boolOf, same, sameSingle := c.w, c.n, c.target, boolVal, c.same, c.sameSingle
	switch n.Name {
	case "empty":
		return boolOf("fpEmptyFn(" + target.code + ")"), nil
	case "count":
		return newVal(single(tInteger), "fpCount("+target.code+")"), nil
	case "hasValue":
		if allTypes(target.t.Types, isPrimitive) && len(target.t.Types) > 0 {
			return boolOf("[]bool{len(" + target.code + ") == 1}"), nil
		}
		if target.t.Choice != nil {
			return boolOf("[]bool{len(" + w.conv(target, "any") + ") == 1}"), nil
		}
		if !anyTypes(target.t.Types, isPrimitive) {
			return boolOf("[]bool{false}"), nil // elements without a value
		}
		return boolOf("[]bool{len(fpUnwrap[fpValue](" + w.conv(target, "any") + ")) == 1}"), nil
	case "isDistinct":
		return boolOf("fpIsDistinct(" + target.code + ")"), nil
	case "distinct":
		return same("fpDistinct(" + target.code + ")"), nil
	case "allTrue", "allFalse", "anyTrue", "anyFalse":
		if target.elem != "bool" && len(target.t.Types) > 0 {
			return nil, errAt(n, "%s() on %s", n.Name, target.t)
		}
		return boolOf("fp" + strings.ToUpper(n.Name[:1]) + n.Name[1:] + "(" + w.conv(target, "bool") + ")"), nil
	case "first", "last", "single":
		f := map[string]string{"first": "fpFirst", "last": "fpLast", "single": "fpSingleFn"}[n.Name]
		return sameSingle(f + "(" + target.code + ")"), nil
	case "tail":
		return same("fpTail(" + target.code + ")"), nil
	case "skip", "take":
		a, err := c.onlyArg()
		if err != nil {
			return nil, err
		}
		ic, ok := w.ints(a)
		if !ok {
			return nil, errAt(n.Args[0], "%s() argument is %s", n.Name, a.t)
		}
		return same("fp" + strings.ToUpper(n.Name[:1]) + n.Name[1:] + "(" + target.code + ", " + ic + ")"), nil
	case "not":
		return boolOf("fpNot(" + tri(target) + ").fpColl()"), nil
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
		fn := fmt.Sprintf("func(%s %s, %s int) fpTri { return %s }", x, target.elem, i, tri(c))
		if n.Name == "all" {
			return boolOf("fpAll(" + target.code + ", " + fn + ")"), nil
		}
		return same("fpWhere(" + target.code + ", " + fn + ")"), nil
	case "select":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		x, i, p, err := w.lambda(target, n.Args[0])
		if err != nil {
			return nil, err
		}
		t := &Typed{Types: p.t.Types, Choice: p.t.Choice}
		return newVal(t, fmt.Sprintf("fpSelect(%s, func(%s %s, %s int) []%s { return %s })", target.code, x, target.elem, i, p.elem, p.code)), nil
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
		rv := &val{t: rt, elem: cur.elem, code: fmt.Sprintf("fpRepeat(%s, func(%s %s) []%s { return %s })",
			cur.code, x, cur.elem, cur.elem, w.conv(pv, cur.elem))}
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
		return newVal(t, fmt.Sprintf("fpIif(%s, func() []%s { return %s }, func() []%s { return %s })", tri(c), e, w.conv(a, e), e, w.conv(b, e))), nil
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
		return same(fmt.Sprintf("fpTrace(env, %q, %s)", name, target.code)), nil
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
			return boolOf("fpSubsetOf(" + l + ", " + r + ")"), nil
		case "supersetOf":
			return boolOf("fpSubsetOf(" + r + ", " + l + ")"), nil
		case "intersect", "exclude":
			t = &Typed{Types: target.t.Types, Choice: target.t.Choice}
			e = elemType(t)
			l, r = target.code, w.conv(o, e)
		}
		return newVal(t, "fp"+strings.ToUpper(n.Name[:1])+n.Name[1:]+"("+l+", "+r+")"), nil
	case "children", "descendants":
		return w.children(target, n.Name == "descendants", n)
	case "resolve":
		w.c.need("fpResolve")
		var bodies []string
		for _, t := range target.t.Types {
			switch {
			case t.Kind == KStruct && t.Def.FHIRName == "Reference":
				bodies = append(bodies, w.caseOf(target, t, "if r := fpResolve(env, v.Reference); r != nil { out = append(out, r) }"))
			case t.Kind == KStruct && t.Def.FHIRName == "CodeableReference":
				bodies = append(bodies, w.caseOf(target, t, "if v.Reference != nil { if r := fpResolve(env, v.Reference.Reference); r != nil { out = append(out, r) } }"))
			case isPrimitive(t) && goType(t) == "string":
				bodies = append(bodies, w.caseOf(target, t, "if r := fpResolve(env, v); r != nil { out = append(out, r) }"))
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
		if sw, ok := typeSwitch(bodies); ok {
			bodies = []string{sw}
		}
		h = w.c.addHelper(h, fmt.Sprintf("(env *FHIRPathEnv, in []%s) (out []Resource) {\nfor _, x := range in {\n%s\n}\nreturn out\n}\n",
			target.elem, strings.Join(bodies, "\n")))
		return newVal(rt, h+"(env, "+target.code+")"), nil
	case "extension", "hasExtension":
		u, err := c.onlyStrArg()
		if err != nil {
			return nil, err
		}
		ext, err := w.member(target, "extension", n)
		if err != nil {
			return nil, err
		}
		code := fmt.Sprintf("fpWhere(%s, func(e *Extension, _ int) fpTri { return fpBoolTri(fpEq([]string{e.URL}, %s)) })", ext.code, u)
		if ext.elem != "*Extension" {
			return nil, errAt(n, "extension() on %s", target.t)
		}
		if n.Name == "hasExtension" {
			return boolOf("fpExists(" + code + ")"), nil
		}
		return newVal(ext.t, code), nil
	}
	return nil, errNotInGroup
}

// strCall checks a string function of want string arguments on a string, and returns
// the Go code of the target and of the arguments.
func (c *call) strCall(want int) (string, []string, error) {
	if err := c.nargs(want, want); err != nil {
		return "", nil, err
	}
	s, ok := c.w.str(c.target)
	if !ok {
		return "", nil, errAt(c.n, "%s() on %s", c.n.Name, c.target.t)
	}
	var args []string
	for i := range want {
		a, err := c.strArg(i)
		if err != nil {
			return "", nil, err
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
		f := map[string]string{"startsWith": "strings.HasPrefix", "endsWith": "strings.HasSuffix",
			"contains": "strings.Contains", "matches": "fpMatches", "matchesFull": "fpMatchesFull"}[n.Name]
		if strings.HasPrefix(f, "strings.") {
			w.c.needs["strings"] = true
		}
		return boolOf(fmt.Sprintf("fpStrPred(%s, %s, %q, %s)", s, a[0], n.Name, f)), nil
	case "replaceMatches", "replace":
		s, a, err := c.strCall(2)
		if err != nil {
			return nil, err
		}
		return newVal(single(tString), fmt.Sprintf("fp%s%s(%s, %s, %s)", strings.ToUpper(n.Name[:1]), n.Name[1:], s, a[0], a[1])), nil
	case "length", "lower", "upper", "trim", "toInteger", "htmlChecks":
		s, ok := w.str(target)
		if !ok {
			if n.Name == "toInteger" && target.elem == "int64" {
				return target, nil
			}
			if n.Name == "toInteger" && target.elem == "bool" {
				return newVal(single(tInteger), "fpBoolToInteger("+target.code+")"), nil
			}
			return nil, errAt(n, "%s() on %s", n.Name, target.t)
		}
		switch n.Name {
		case "length":
			return newVal(single(tInteger), "fpLength("+s+")"), nil
		case "toInteger":
			return newVal(single(tInteger), "fpToInteger("+s+")"), nil
		case "htmlChecks":
			return boolOf("fpHTMLChecks(env, " + s + ")"), nil
		}
		w.c.needs["strings"] = true
		f := map[string]string{"lower": "strings.ToLower", "upper": "strings.ToUpper", "trim": "strings.TrimSpace"}[n.Name]
		return newVal(single(tString), fmt.Sprintf("fpStrMap(%s, %q, %s)", s, n.Name, f)), nil
	case "toString":
		return newVal(single(tString), "fpToString("+target.code+")"), nil
	case "indexOf":
		if err := nargs(1, 1); err != nil {
			return nil, err
		}
		s, ok := w.str(target)
		a, err := strArg(0)
		if err != nil || !ok {
			return nil, errAt(n, "indexOf() on %s", target.t)
		}
		return newVal(single(tInteger), "fpIndexOf("+s+", "+a+")"), nil
	case "substring":
		if err := nargs(1, 2); err != nil {
			return nil, err
		}
		s, ok := w.str(target)
		if !ok {
			return nil, errAt(n, "substring() on %s", target.t)
		}
		var ics []string
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
			return newVal(single(tString), fmt.Sprintf("fpSubstring(%s, %s, nil, false)", s, ics[0])), nil
		}
		return newVal(single(tString), fmt.Sprintf("fpSubstring(%s, %s, %s, true)", s, ics[0], ics[1])), nil
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
				return sameSingle(fmt.Sprintf("%s(%s, %q)", f, target.code, k)), nil
			}
			if isDecimal(t) {
				return sameSingle(fmt.Sprintf("%s(%s, \"decimal\")", f, target.code)), nil
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
		return boolOf(fmt.Sprintf("func() []bool { a, oka := fpSingle(%s, \"comparable\"); b, okb := fpSingle(%s, \"comparable\"); if !oka || !okb { return nil }; return []bool{a.System == b.System && a.Code == b.Code} }()", target.code, o.code)), nil
	case "memberOf":
		vs, err := c.onlyStrArg()
		if err != nil {
			return nil, err
		}
		var bodies []string
		for _, t := range target.t.Types {
			switch {
			case isPrimitive(t) && goType(t) == "string":
				bodies = append(bodies, w.caseOf(target, t, "out = append(out, [2]string{\"\", v})"))
			case t.Kind == KStruct && t.Def.FHIRName == "Coding":
				bodies = append(bodies, w.caseOf(target, t, "out = append(out, [2]string{v.System, v.Code})"))
			}
		}
		if len(bodies) == 0 {
			return nil, errAt(n, "memberOf() on %s", target.t)
		}
		codes := w.flat(target, "[2]string", bodies)
		return boolOf(fmt.Sprintf("func() []bool { c, ok := fpSingle(%s, \"memberOf\"); vs, okv := fpSingle(%s, \"memberOf\"); if !ok || !okv { return nil }; return fpMemberOf(env, c[0], c[1], vs) }()", codes, vs)), nil
	case "today", "now":
		w.c.needs["time"] = true
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
		return boolVal(fmt.Sprintf("fpIsRes(%s, %q)", v.code, ts.Name)), nil
	}
	if t == nil && ts.Namespace == "" && ts.Name != "" && ts.Name[0] >= 'A' && ts.Name[0] <= 'Z' {
		w.unknownTypes = append(w.unknownTypes, ts.Name)
		if op == "is" {
			return boolVal(fmt.Sprintf("func() []bool { if _, ok := fpSingle(%s, \"is\"); !ok { return nil }; return []bool{false} }()", v.code)), nil
		}
		return emptyVal(&Typed{Single: true}), nil
	}
	if t == nil {
		return nil, errAt(ts, "unknown type %s", ts)
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
	if op == "is" && strings.HasPrefix(nv.code, "fpIsRes(") {
		return boolVal(nv.code), nil
	}
	if op == "is" {
		return boolVal(fmt.Sprintf("func() []bool { in := %s; if _, ok := fpSingle(in, \"is\"); !ok { return nil }; return []bool{len(%s) == 1} }()",
			v.code, strings.ReplaceAll(nv.code, v.code, "in"))), nil
	}
	if op == "as" {
		nv.t.Single = v.t.Single
	}
	return nv, nil
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
		return newVal(res, "fpUnwrap[Resource]("+w.conv(v, "any")+")"), nil
	}
	if isResource(t) && is && v.elem == "Resource" {
		return newVal(res, fmt.Sprintf("fpIsRes(%s, %q)", v.code, t.Def.FHIRName)), nil
	}
	if isResource(t) && is && (v.elem == "Resource" || v.elem == "any") {
		src := v.code
		if v.elem == "any" {
			src = "fpUnwrap[Resource](" + src + ")"
		}
		return newVal(res, fmt.Sprintf("fpWhere(%s, func(r Resource, _ int) fpTri { return fpTriOf(r.ResourceType() == %q) })", src, t.Def.FHIRName)), nil
	}
	switch {
	case v.t.Choice != nil:
		for _, vr := range v.t.Choice.Variants {
			vt := variantType(vr)
			if !sameType(vt, t) {
				continue
			}
			if vr.Type != nil {
				return newVal(res, w.flatHelper(v, g, "as"+vr.Suffix, []string{fmt.Sprintf("if v, ok := x.(%s); ok { out = append(out, v) }", g)})), nil
			}
			cond, val := primValue("v.Value", vr.Prim.Prim)
			return newVal(res, w.flatHelper(v, g, "as"+vr.Suffix, []string{fmt.Sprintf("if v, ok := x.(*%s); ok && %s { out = append(out, %s) }", vr.Prim.Name, cond, val)})), nil
		}
		return emptyVal(res), nil
	case isPrimitive(t):
		if v.elem == "any" {
			return newVal(res, fmt.Sprintf("fpUnwrapType[%s](%s, %q)", g, v.code, t.Name())), nil
		}
		return emptyVal(res), nil
	case v.elem == "any" || v.elem == "Resource":
		return newVal(res, fmt.Sprintf("fpUnwrap[%s](%s)", g, w.conv(v, "any"))), nil
	}
	return emptyVal(res), nil
}

// children compiles children() and descendants(): helpers generated per type append the
// child elements (and, for descendants, theirs) to a heterogeneous collection.
func (w *walker) children(v *val, desc bool, n syntax.Node) (*val, error) {
	var types []*Type
	var bodies []string
	var start []*ir.Type
	for _, t := range v.t.Types {
		switch t.Kind {
		case KStruct:
			start = append(start, t.Def)
			if desc {
				bodies = append(bodies, w.caseOf(v, t, "out = fpDescend(out, v, "+w.anyChildHelper()+")"))
			} else {
				bodies = append(bodies, w.caseOf(v, t, "out = "+w.childHelper(t.Def)+"(v, out)"))
			}
		case KResource:
			start = append(start, w.c.m.Resources...)
			if desc {
				bodies = append(bodies, w.caseOf(v, t, "out = fpDescend(out, v, "+w.anyChildHelper()+")"))
			} else {
				bodies = append(bodies, w.caseOf(v, t, "out = "+w.resChildHelper()+"(v, out)"))
			}
		}
	}
	// item types: the field types of the start types (and, for descendants, of all
	// reachable types)
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
			if desc {
				for _, x := range ft {
					if x.Kind == KStruct {
						queue = append(queue, x.Def)
					}
					if x.Kind == KResource {
						queue = append(queue, w.c.m.Resources...)
					}
				}
			}
		}
	}
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

// childHelper returns the helper appending the children of a *d to a heterogeneous
// collection.
func (w *walker) childHelper(d *ir.Type) string {
	return w.helper("fpChildren"+d.Name, func(h string, b *strings.Builder) {
		fmt.Fprintf(b, "func %s(v *%s, out []any) []any {\n", h, d.Name)
		for _, f := range d.Fields {
			b.WriteString(w.nav(f, "any"))
			b.WriteString("\n")
		}
		b.WriteString("return out\n}\n")
	})
}

// resChildHelper returns the helper appending the children of any resource.
func (w *walker) resChildHelper() string {
	return w.switchHelper("fpChildrenResource", "Resource", "any", func(b *strings.Builder) {
		for _, r := range w.c.m.Resources {
			fmt.Fprintf(b, "case *%s: out = %s(v, out)\n", r.Name, w.childHelper(r))
		}
	})
}

// anyChildHelper returns the helper appending the children of an item of a heterogeneous
// collection (any generated struct; primitives have none), the step of descendants().
func (w *walker) anyChildHelper() string {
	return w.switchHelper("fpChildrenAny", "any", "any", func(b *strings.Builder) {
		for _, d := range w.c.m.Types {
			fmt.Fprintf(b, "case *%s: return %s(v, out)\n", d.Name, w.childHelper(d))
		}
	})
}

// helper returns name, the name of a helper function, and writes the helper with write
// when it is first asked for. A helper being written counts as written, so helpers that
// call each other end.
func (w *walker) helper(name string, write func(name string, b *strings.Builder)) string {
	if _, ok := w.c.helpers[name]; ok {
		return name
	}
	w.c.helpers[name] = ""
	var b strings.Builder
	write(name, &b)
	w.c.helpers[name] = b.String()
	return name
}

// switchHelper returns the helper `func name(x param, out []res) []res` made of a type
// switch on x whose cases (bound to v) cases writes.
func (w *walker) switchHelper(name, param, res string, cases func(b *strings.Builder)) string {
	return w.helper(name, func(h string, b *strings.Builder) {
		fmt.Fprintf(b, "func %s(x %s, out []%s) []%s {\nswitch v := x.(type) {\n", h, param, res, res)
		cases(b)
		b.WriteString("}\nreturn out\n}\n")
	})
}
