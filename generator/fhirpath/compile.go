// Package fhirpath type-checks FHIRPath expressions (parsed by package syntax) against
// the IR and compiles them to Go functions over the generated structs, built as jennifer
// code (Decls). Its runtime/ directory is a real Go package whose files are copied beside
// the compiled code.
package fhirpath

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// Compiler translates FHIRPath expressions into Go functions over the structs generated
// from a model (see package runtime for the compiled code's support).
//
// # Compiled functions
//
// Func(name, n, ctx) adds to the Compiler's declarations (Decls) the function
//
//	func Name(env *FHIRPathEnv, ctx C) (out []E, err error)
//
// C is ctx.GoType, the Go type of the context item:
//
//   - a pointer to a generated struct for a resource, datatype or backbone context
//     (ContextFor(m, "Patient") -> *Patient, "Patient.contact" -> *PatientContact,
//     "HumanName" -> *HumanName);
//   - Resource for Resource, DomainResource and the other abstract resources;
//   - the choice interface for a choice element ("Observation.value[x]" ->
//     ObservationValue);
//   - string, bool, int64 or Decimal for a primitive element ("Patient.birthDate" ->
//     string).
//
// A nil pointer or interface context gives (nil, nil). env may be nil (see FHIRPathEnv).
//
// E, the Go type of the result items, is the second result of Func (the first is the
// FHIRPath type, *Typed, whose Types list the FHIR types of the items):
//
//   - *T for items of one generated struct type T (e.g. *Reference, *HumanName);
//   - Resource for resources;
//   - the choice interface for the values of one choice element (ObservationValue);
//   - string for every string-like FHIR type and for dates, times and instants (kept as
//     their FHIR text), bool for booleans, int64 for all integers, Decimal for decimals;
//   - any for collections whose items have several Go types (Patient.name | Patient.birthDate):
//     pointers to structs and Resources as such, primitives as unexported tagged values
//     (use the result of a search expression of mixed type through a generated switch on
//     the ir types, or compile each branch separately).
//
// So SearchParameter patient of Observation compiles to
//
//	func SearchObservationPatient(env *FHIRPathEnv, ctx *Observation) ([]*Reference, error)
//
// and Func returns (&Typed{Types: [Reference]}, "*Reference", nil).
//
// Boolean expressions (invariants) have E = bool: the result is empty (unknown: FHIRPath
// {} — a caller decides whether that passes), {true} or {false}. An invariant whose
// expression is not Boolean (rare) has another E; FHIRPath reads a single item as true.
//
// Errors: err is an evaluation error of FHIRPath (several items where one is expected, a
// bad regular expression); other panics (bugs) are not recovered. Func's error is a
// *CheckError; one of Kind ErrRootMismatch, ErrUnknownType or ErrUnknownElement is a warning: the function is
// still compiled (and evaluates to empty or false for the offending part).
//
// Expressions are compiled to nested calls of the generic helpers of package runtime;
// navigation that depends on the model (fields of several types, any resource, children(),
// descendants(), resolve()) goes through helper functions generated once per Compiler and
// shared by all its functions, so a package's functions should use one Compiler. Func
// must not be called concurrently.
type Compiler struct {
	m       *ir.Model
	x       *model
	helpers map[string]*helperDecl
	funcs   []jen.Code
	// children holds the item types of children() and descendants() by start types.
	children map[string][]*Type
}

// helperDecl is a helper function of the compiled code; key identifies its parameters and
// body (two helpers asked for under one name with different bodies get different names).
type helperDecl struct {
	code jen.Code
	key  string
}

// NewCompiler returns a compiler for the structs generated from m.
func NewCompiler(m *ir.Model) *Compiler {
	return &Compiler{m: m, x: indexModel(m), helpers: map[string]*helperDecl{}, children: map[string][]*Type{}}
}

func (c *Compiler) check(n syntax.Node, ctx *Context) (*Typed, error) {
	v, w, err := c.compile(n, ctx)
	if err != nil {
		return nil, err
	}
	if len(w.unknownTypes) > 0 || len(w.resTypes) > 0 {
		var parts []string
		if len(w.unknownTypes) > 0 {
			parts = append(parts, fmt.Sprintf("unknown types %s (taken as no match)", strings.Join(w.unknownTypes, ", ")))
		}
		if len(w.resTypes) > 0 {
			parts = append(parts, fmt.Sprintf("resource types %s are not in the inputs (is() compares the resourceType at run time)", strings.Join(w.resTypes, ", ")))
		}
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrUnknownType, Msg: strings.Join(parts, "; ")}
	}
	if len(w.unknownElems) > 0 {
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrUnknownElement,
			Msg: fmt.Sprintf("no element %s (taken as empty)", strings.Join(w.unknownElems, ", "))}
	}
	if w.rootOther > 0 && w.rootMatch == 0 && w.rootMember == 0 {
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrRootMismatch,
			Msg: fmt.Sprintf("the root type of the expression does not match the context %s", ctx.Type)}
	}
	return v.t, nil
}

func (c *Compiler) compile(n syntax.Node, ctx *Context) (*val, *walker, error) {
	w := &walker{c: c, ctx: ctx, x: c.x}
	w.ctxVal = newVal(ctx.Type, fn("fpOne", jen.Id("ctx")))
	w.ctxVal.elem = ctx.GoType
	if nillable(ctx.GoType) {
		w.ctxVal.item = "ctx" // the compiled function returns early when ctx is nil
	}
	w.shared = sharedNodes(n)
	v, err := w.expr(n, &scope{this: w.ctxVal})
	if err != nil {
		return nil, nil, err
	}
	return v, w, nil
}

// Func compiles an expression into a Go function named name (see Compiler for its
// signature) and returns the FHIRPath type of its result and the Go type of the result's
// items (the E of []E). An error of Kind ErrRootMismatch, ErrUnknownType or ErrUnknownElement still compiles
// the function.
func (c *Compiler) Func(name string, n syntax.Node, ctx *Context) (*Typed, string, error) {
	t, err := c.check(n, ctx)
	if err != nil {
		if ce, ok := err.(*CheckError); !ok || ce.Kind != ErrRootMismatch && ce.Kind != ErrUnknownType && ce.Kind != ErrUnknownElement {
			return nil, "", err
		}
	}
	v, w, err2 := c.compile(n, ctx)
	if err2 != nil {
		return nil, "", err2
	}
	var body []jen.Code
	if nillable(ctx.GoType) {
		body = append(body, jen.If(jen.Id("ctx").Op("==").Nil()).Block(jen.Return(jen.Nil(), jen.Nil())))
	}
	body = append(body, jen.Defer().Id("fpRecover").Call(jen.Op("&").Id("err")))
	body = append(body, w.hoistDecls(v.code)...)
	body = append(body, jen.Return(v.code, jen.Nil()))
	c.funcs = append(c.funcs, docLines(name+" evaluates the FHIRPath expression", "", "\t"+docExpr(n)).
		Func().Id(name).Params(param("env", "*FHIRPathEnv"), param("ctx", ctx.GoType)).
		Params(jen.Id("out").Add(sliceOf(v.elem)), jen.Id("err").Error()).Block(body...))
	return t, v.elem, err
}

// nillable reports whether values of the Go type g of a context may be nil (pointers and
// interfaces: everything but the Go types of primitives).
func nillable(g string) bool { return !isBasic(g) }

// docExpr returns the text of n for a doc comment: one line, long expressions cut.
func docExpr(n syntax.Node) string {
	s := strings.Join(strings.Fields(n.String()), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:150]) + " …"
	}
	return s
}

// Decls returns the declarations of the compiled functions and of their helpers, for a
// file of the package of the generated structs (where the runtime is copied too): the
// helpers by name, then the functions in the order they were compiled.
func (c *Compiler) Decls() []jen.Code {
	names := make([]string, 0, len(c.helpers))
	for k := range c.helpers {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []jen.Code
	for _, k := range names {
		out = append(out, c.helpers[k].code)
	}
	for _, f := range c.funcs {
		out = append(out, f)
	}
	return out
}

// Runtime holds package runtime's source in its directory runtime/: the files (tests
// excluded) the generator copies beside the compiled code, package clause rewritten.
//
//go:embed runtime/*.go
var Runtime embed.FS

// need adds a fixed helper of the compiled code that refers to generated types.
func (c *Compiler) need(name string) {
	if _, ok := c.helpers[name]; ok {
		return
	}
	var code jen.Code
	switch name {
	case "fpEnvRes":
		code = docLines("fpEnvRes is %resource (root false) or %rootResource.").
			Func().Id(name).Params(param("env", "*FHIRPathEnv"), param("ctx", "any"), param("root", "bool")).Index().Id("Resource").Block(
			jen.Var().Id("r").Any(),
			jen.If(jen.Id("env").Op("!=").Nil()).Block(
				jen.If(jen.Id("root")).Block(jen.Id("r").Op("=").Id("env").Dot("RootResource")),
				jen.If(jen.Id("r").Op("==").Nil()).Block(jen.Id("r").Op("=").Id("env").Dot("Resource")),
			),
			jen.If(jen.Id("r").Op("==").Nil()).Block(jen.Id("r").Op("=").Id("ctx")),
			jen.If(jen.List(jen.Id("res"), jen.Id("ok")).Op(":=").Id("r").Assert(jen.Id("Resource")), jen.Id("ok").Op("&&").Id("res").Op("!=").Nil()).Block(
				jen.Return(one("Resource", jen.Id("res"))),
			),
			jen.Return(jen.Nil()),
		)
	case "fpResolve":
		c.need("fpResolveContained")
		code = docLines("fpResolve is resolve() of one reference: env.Resolve, else a contained resource of",
			"%rootResource or %resource for a \"#id\" reference, else a RawResource with the type",
			"named in the reference (\"Patient/1\"), so that resolve() is Patient works without a",
			"resolver.").
			Func().Id(name).Params(param("env", "*FHIRPathEnv"), param("ref", "string")).Id("Resource").Block(
			jen.If(jen.Id("ref").Op("==").Lit("")).Block(jen.Return(jen.Nil())),
			jen.If(jen.Id("env").Op("!=").Nil().Op("&&").Id("env").Dot("Resolve").Op("!=").Nil()).Block(
				jen.If(jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("env").Dot("Resolve").Call(jen.Id("ref")).Assert(jen.Id("Resource")), jen.Id("ok").Op("&&").Id("r").Op("!=").Nil()).Block(
					jen.Return(jen.Id("r")),
				),
			),
			jen.If(jen.Id("ref").Index(jen.Lit(0)).Op("==").LitRune('#').Op("&&").Id("env").Op("!=").Nil()).Block(
				jen.If(jen.Id("r").Op(":=").Id("fpResolveContained").Call(jen.Id("env"), jen.Id("ref").Index(jen.Lit(1), jen.Empty())), jen.Id("r").Op("!=").Nil()).Block(
					jen.Return(jen.Id("r")),
				),
			),
			jen.If(jen.Id("t").Op(":=").Id("fpRefType").Call(jen.Id("ref")), jen.Id("t").Op("!=").Lit("")).Block(
				jen.Return(jen.Op("&").Id("RawResource").Values(jen.Dict{jen.Id("Type"): jen.Id("t")})),
			),
			jen.Return(jen.Nil()),
		)
	case "fpResolveContained":
		code = c.resolveContained(name)
	}
	c.helpers[name] = &helperDecl{code: code}
}

// resolveContained is the helper finding the contained resource with id among those of
// %rootResource, then of %resource ("" is the container itself, the reference "#").
func (c *Compiler) resolveContained(name string) jen.Code {
	var lists, ids []jen.Code
	for _, r := range c.m.Resources {
		if f := r.Field("contained"); f != nil && f.Kind == ir.ResourceField && f.Array {
			lists = append(lists, jen.Case(jen.Op("*").Id(r.Name)).Block(jen.Id("list").Op("=").Id("v").Dot(f.Name)))
		}
		if f := r.Field("id"); f != nil && f.Kind == ir.PrimitiveField && !f.Array && f.Prim.JSON == ir.JSONString {
			ids = append(ids, jen.Case(jen.Op("*").Id(r.Name)).Block(jen.Return(jen.String().Parens(jen.Id("v").Dot(f.Name)))))
		}
	}
	idOf := name + "ID"
	c.helpers[idOf] = &helperDecl{code: docLines(idOf+" is the id of a generated resource (\"\" for another).").
		Func().Id(idOf).Params(param("r", "Resource")).String().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("r").Assert(jen.Type())).Block(ids...),
		jen.Return(jen.Lit("")))}
	return docLines(name+" returns the resource a \"#id\" reference names: a contained resource of",
		"%rootResource, else of %resource; the container itself for \"#\"; nil when there is none.").
		Func().Id(name).Params(param("env", "*FHIRPathEnv"), param("id", "string")).Id("Resource").Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Index(jen.Lit(2)).Any().Values(jen.Id("env").Dot("RootResource"), jen.Id("env").Dot("Resource"))).Block(
			jen.If(jen.Id("id").Op("==").Lit("")).Block(
				jen.If(jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("c").Assert(jen.Id("Resource")), jen.Id("ok").Op("&&").Id("r").Op("!=").Nil()).Block(
					jen.Return(jen.Id("r")))),
			jen.Var().Id("list").Index().Id("Resource"),
			jen.Switch(jen.Id("v").Op(":=").Id("c").Assert(jen.Type())).Block(lists...),
			jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("list")).Block(
				jen.If(jen.Id("r").Op("!=").Nil().Op("&&").Id(idOf).Call(jen.Id("r")).Op("==").Id("id")).Block(jen.Return(jen.Id("r")))),
		),
		jen.Return(jen.Nil()))
}

// resourcesWith returns the resource types having an element name.
func (c *Compiler) resourcesWith(name string) []*ir.Type {
	var out []*ir.Type
	for _, r := range c.m.Resources {
		if r.Field(name) != nil {
			out = append(out, r)
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------
// Navigation

// stmt is statements of compiled code reading the item v and appending to out. Its shape
// is kept beside its code so that flatHelper can inline the common cases.
type stmt struct {
	code []jen.Code
	// add is set when the statement is out = add(out, pre..., v.field): a runtime helper
	// appending the values of a field.
	add   string
	pre   []jen.Code
	field string
	// call is set when the statement is out = call(v, out): a generated helper.
	call string
}

// stmts is a stmt of no particular shape.
func stmts(code ...jen.Code) stmt { return stmt{code: code} }

// addStmt is out = add(out, pre..., v.field).
func addStmt(add, field string, pre ...jen.Code) stmt {
	args := append(append([]jen.Code{jen.Id("out")}, pre...), vf(field))
	return stmt{code: []jen.Code{outIs(fn(add, args...))}, add: add, pre: pre, field: field}
}

// callStmt is out = name(v, out).
func callStmt(name string) stmt {
	return stmt{code: []jen.Code{outIs(fn(name, jen.Id("v"), jen.Id("out")))}, call: name}
}

// guard says how an item x of a collection becomes the variable v of a body.
type guard int

const (
	noCase     guard = iota // the body never runs: the items never have the type
	sameItem                // v := x
	assertType              // if v, ok := x.(T); ok
	valueType               // if fv, ok := x.(fpValue); ok && fv.Type == name { v := fv.V.(T) }
)

// body is a stmt run on the items of a collection that have one type.
type body struct {
	guard guard
	goT   string // the Go type of v
	name  string // the FHIR type name of a valueType guard
	s     stmt
	// cond, on an assertType guard, is a further condition on v; usesV says that s
	// or cond always read v (no _ = v needed).
	cond  jen.Code
	usesV bool
}

// code returns the statement running b on the item x.
func (b body) code() jen.Code {
	use := b.s.code
	if !b.usesV {
		use = append([]jen.Code{jen.Id("_").Op("=").Id("v")}, use...)
	}
	switch b.guard {
	case sameItem:
		return jen.Block(append([]jen.Code{jen.Id("v").Op(":=").Id("x")}, use...)...)
	case assertType:
		ok := jen.Id("ok")
		if b.cond != nil {
			ok = ok.Op("&&").Add(b.cond)
		}
		return jen.If(jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("x").Assert(typ(b.goT)), ok).Block(use...)
	case valueType:
		return jen.If(jen.List(jen.Id("fv"), jen.Id("ok")).Op(":=").Id("x").Assert(jen.Id("fpValue")),
			jen.Id("ok").Op("&&").Id("fv").Dot("Type").Op("==").Lit(b.name)).
			Block(append([]jen.Code{jen.Id("v").Op(":=").Id("fv").Dot("V").Assert(typ(b.goT))}, use...)...)
	}
	return jen.Null()
}

func codes(bodies []body) []jen.Code {
	out := make([]jen.Code, len(bodies))
	for i, b := range bodies {
		out[i] = b.code()
	}
	return out
}

// flat returns the code applying bodies to each item of target.
func (w *walker) flat(target *val, res string, bodies []body) jen.Code {
	return fn("fpFlat", target.code, jen.Func().Add(appender("x", target.elem, res, codes(bodies)...)))
}

// flatHelper is flat with the bodies in a helper function shared by all the expressions
// of the Compiler (the bodies must not refer to variables of the expression: env, $this,
// ...). label names the helper. One body on items of the target's own Go type is inlined
// when it is one call: a field of the target's only item (fpAddStr(nil, ctx.Name)), or a
// generated helper applied to each item.
func (w *walker) flatHelper(target *val, res, label string, bodies []body) jen.Code {
	if target.empty {
		return nilSlice(res)
	}
	name := "fpGet" + goIdent(strings.TrimPrefix(target.elem, "*")) + "_" + label + "_" + goIdent(res)
	if sw, ok := typeSwitch(bodies); ok {
		return w.c.helper(name, appender("x", target.elem, res, sw), target.code)
	}
	if len(bodies) == 1 && bodies[0].guard == sameItem {
		s := bodies[0].s
		if target.item != "" && s.add != "" {
			args := append(append([]jen.Code{nilSlice(res)}, s.pre...), jen.Id(target.item).Dot(s.field))
			return fn(s.add, args...)
		}
		if s.call != "" {
			if target.item != "" {
				return fn(s.call, jen.Id(target.item), jen.Nil())
			}
			return fn("fpFlat", target.code, jen.Id(s.call))
		}
		return w.c.helper(name, appender("v", target.elem, res, s.code...), target.code)
	}
	return w.c.helper(name, appender("x", target.elem, res, codes(bodies)...), target.code)
}

// typeSwitch turns bodies that each assert a different type of x into one type switch on
// x; ok is false when they are not all such.
func typeSwitch(bodies []body) (jen.Code, bool) {
	if len(bodies) < 2 {
		return nil, false
	}
	seen := map[string]bool{}
	var cases []jen.Code
	for _, b := range bodies {
		if b.guard != assertType || b.cond != nil || seen[b.goT] {
			return nil, false
		}
		seen[b.goT] = true
		cases = append(cases, jen.Case(typ(b.goT)).Block(b.s.code...))
	}
	return jen.Switch(jen.Id("v").Op(":=").Id("x").Assert(jen.Type())).Block(cases...), true
}

// helper adds the helper function name with the signature and body sig (a suffixed name
// when another helper has that name) and returns the code applying it to each item of
// target.
func (c *Compiler) helper(name string, sig *jen.Statement, target jen.Code) jen.Code {
	return fn("fpFlat", target, jen.Id(c.addHelper(name, sig)))
}

// addHelper adds the helper function name with the signature and body sig and returns
// its name (suffixed when another helper has the name and a different body).
func (c *Compiler) addHelper(name string, sig *jen.Statement) string {
	key := fmt.Sprintf("%#v", jen.Func().Add(sig))
	n := name
	for i := 2; ; i++ {
		h, ok := c.helpers[n]
		if !ok {
			c.helpers[n] = &helperDecl{code: jen.Func().Id(n).Add(sig), key: key}
			return n
		}
		if h.key == key {
			return n
		}
		n = fmt.Sprintf("%s_%d", name, i)
	}
}

// caseOf makes s (reading v) a body that runs when the item x has type t.
func (w *walker) caseOf(target *val, t *Type, s stmt) body {
	g := goType(t)
	if target.t.Choice != nil && t.Kind == KPrim {
		for _, vr := range target.t.Choice.Variants {
			if vr.Prim != nil && vr.Prim.Prim.FHIRName == t.Prim.FHIRName {
				g = "*" + vr.Prim.Name
			}
		}
	}
	switch {
	case target.elem == g:
		return body{guard: sameItem, goT: g, s: s}
	case target.elem == "any" && isPrimitive(t):
		return body{guard: valueType, goT: g, name: t.Name(), s: s}
	case target.elem == "any" || target.elem == "Resource" || target.t.Choice != nil:
		return body{guard: assertType, goT: g, s: s}
	}
	return body{}
}

// pushItem returns the statement appending the item expr, of Go type from and FHIR type
// name, to out []res.
func (w *walker) pushItem(expr jen.Code, from, name string, ch *ir.Choice, res string) jen.Code {
	switch {
	case from == res, res == "Resource":
		return appendOut(expr)
	case res == "any" && ch != nil:
		return jen.If(jen.Id("b").Op(":=").Id(w.choiceBox(ch)).Call(expr), jen.Id("b").Op("!=").Nil()).Block(appendOut(jen.Id("b")))
	case res == "any" && from != "" && from[0] == '*' || from == "Resource":
		return appendOut(expr)
	case res == "any":
		return appendOut(jen.Id("fpValue").Values(jen.Lit(name), expr))
	}
	return appendOut(expr).Comment(fmt.Sprintf("cannot convert %s to %s", from, res))
}

// choiceBox returns a helper converting a choice value to an item of a heterogeneous
// collection (nil for a primitive without value).
func (w *walker) choiceBox(ch *ir.Choice) string {
	return w.helper("fpBox"+ch.Name, func(name string) jen.Code {
		var cases []jen.Code
		for _, vr := range ch.Variants {
			if vr.Prim == nil {
				continue
			}
			t := &Type{Kind: KPrim, Prim: vr.Prim.Prim}
			cond, val := primValue(jen.Id("v").Dot("Value"), vr.Prim.Prim, false)
			cases = append(cases, jen.Case(jen.Op("*").Id(vr.Prim.Name)).Block(
				jen.If(cond).Block(jen.Return(jen.Id("fpValue").Values(jen.Lit(t.Name()), val))),
				jen.Return(jen.Nil())))
		}
		decl := jen.Func().Id(name).Params(param("c", ch.Name)).Any()
		if len(cases) == 0 {
			return decl.Block(jen.Return(jen.Id("c")))
		}
		return decl.Block(jen.Switch(jen.Id("v").Op(":=").Id("c").Assert(jen.Type())).Block(cases...), jen.Return(jen.Id("c")))
	})
}

// primValue returns the condition that a primitive Go field value expr is present and the
// expression of its item value; enum says expr has an enum type (a named string type,
// converted to string).
func primValue(expr jen.Code, p *ir.Primitive, enum bool) (cond, val jen.Code) {
	switch p.JSON {
	case ir.JSONBool, ir.JSONInt64:
		return jen.Add(expr).Op("!=").Nil(), jen.Op("*").Add(expr)
	case ir.JSONInt32:
		return jen.Add(expr).Op("!=").Nil(), jen.Int64().Call(jen.Op("*").Add(expr))
	case ir.JSONDecimal:
		return jen.Add(expr).Op("!=").Lit(""), expr
	}
	if enum {
		return jen.Add(expr).Op("!=").Lit(""), jen.String().Call(expr)
	}
	return jen.Add(expr).Op("!=").Lit(""), expr
}

// nav returns statements appending the values of field f of struct v to out []res.
func (w *walker) nav(f *ir.Field, res string) stmt {
	fx := vf(f.Name)
	switch f.Kind {
	case ir.PrimitiveField:
		t := fieldTypes(f)[0]
		if f.Prim.JSON == ir.JSONString && (res == "string" || res == "any") {
			add := "fpAddStr"
			if f.Array {
				add = "fpAddStrs"
			}
			if res == "any" {
				return addStmt(add+"Any", f.Name, jen.Lit(t.Name()))
			}
			return addStmt(add, f.Name)
		}
		if add := map[ir.JSONKind]string{ir.JSONBool: "fpAddBool", ir.JSONInt32: "fpAddInt32", ir.JSONInt64: "fpAddInt64",
			ir.JSONDecimal: "fpAddText"}[f.Prim.JSON]; add != "" && !f.Array && res == goType(t) {
			return addStmt(add, f.Name)
		}
		if f.Array {
			cond, val := primValue(jen.Id("e"), f.Prim, f.Enum != nil)
			return stmts(jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(fx)).Block(
				jen.If(cond).Block(w.pushItem(val, goType(t), t.Name(), nil, res))))
		}
		cond, val := primValue(fx, f.Prim, f.Enum != nil)
		return stmts(jen.If(cond).Block(w.pushItem(val, goType(t), t.Name(), nil, res)))
	case ir.ComplexField:
		if res == "*"+f.Type.Name || res == "any" {
			add := "fpAddPtr"
			if f.Array {
				add = "fpAddElems"
			}
			if res == "any" {
				add += "Any"
			}
			return addStmt(add, f.Name)
		}
		if f.Array {
			return stmts(jen.For(jen.Id("i").Op(":=").Range().Add(fx)).Block(
				w.pushItem(jen.Op("&").Add(fx).Index(jen.Id("i")), "*"+f.Type.Name, f.Type.FHIRName, nil, res)))
		}
		return stmts(jen.If(jen.Add(fx).Op("!=").Nil()).Block(w.pushItem(fx, "*"+f.Type.Name, f.Type.FHIRName, nil, res)))
	case ir.ResourceField:
		if res == "Resource" || res == "any" {
			add := "fpAddRes"
			if f.Array {
				add = "fpAddRess"
			}
			return addStmt(add, f.Name)
		}
		if f.Array {
			return stmts(jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(fx)).Block(
				jen.If(jen.Id("e").Op("!=").Nil()).Block(w.pushItem(jen.Id("e"), "Resource", "Resource", nil, res))))
		}
		return stmts(jen.If(jen.Add(fx).Op("!=").Nil()).Block(w.pushItem(fx, "Resource", "Resource", nil, res)))
	}
	if res == f.Choice.Name {
		return addStmt("fpAddRes", f.Name)
	}
	if res == "any" {
		return addStmt("fpAddBox", f.Name, jen.Id(w.choiceBox(f.Choice)))
	}
	return stmts(jen.If(jen.Add(fx).Op("!=").Nil()).Block(w.pushItem(fx, f.Choice.Name, "", f.Choice, res)))
}

// resourceNav returns a helper appending element name of any resource to out []res.
func (w *walker) resourceNav(name, res string) string {
	return w.switchHelper("fpRes_"+name+"_"+goIdent(res), "Resource", res, func() []jen.Code {
		var cases []jen.Code
		for _, r := range w.c.resourcesWith(name) {
			cases = append(cases, jen.Case(jen.Op("*").Id(r.Name)).Block(w.nav(r.Field(name), res).code...))
		}
		return cases
	})
}

func goIdent(s string) string {
	s = strings.ReplaceAll(s, "*", "P")
	return strings.ReplaceAll(s, ".", "_")
}

// member navigates to element name of the items of target.
func (w *walker) member(target *val, name string, n syntax.Node) (*val, error) {
	var types []*Type
	single := target.t.Single
	var choice *ir.Choice
	choiceOnly, found := true, false
	type alt struct {
		t *Type
		f *ir.Field
	}
	var alts []alt
	use := func(t *Type, f *ir.Field) {
		found = true
		alts = append(alts, alt{t, f})
		types = addTypes(types, fieldTypes(f)...)
		if f.Array || f.Max > 1 || f.Max < 0 {
			single = false
		}
		if f.Choice != nil && (choice == nil || choice == f.Choice) {
			choice = f.Choice
		} else {
			choiceOnly = false
		}
	}
	for _, t := range target.t.Types {
		switch t.Kind {
		case KStruct:
			if f := t.Def.Field(name); f != nil {
				use(t, f)
			}
		case KResource:
			for _, r := range w.c.resourcesWith(name) {
				use(t, r.Field(name))
			}
		}
	}
	if !found {
		return w.notMember(target, name, n)
	}
	res := &Typed{Types: types, Single: single}
	if choiceOnly && choice != nil {
		res.Choice = choice
	}
	elem := elemType(res)
	if target.empty {
		return emptyVal(res), nil
	}
	var bodies []body
	done := map[string]bool{}
	for _, a := range alts {
		if done[a.t.Name()] {
			continue
		}
		done[a.t.Name()] = true
		var s stmt
		if a.t.Kind == KResource {
			s = callStmt(w.resourceNav(name, elem))
		} else {
			s = w.nav(a.f, elem)
		}
		bodies = append(bodies, w.caseOf(target, a.t, s))
	}
	return newVal(res, w.flatHelper(target, elem, name, bodies)), nil
}

// notMember is the navigation to name on target whose types have no such element.
func (w *walker) notMember(target *val, name string, n syntax.Node) (*val, error) {
	if target.empty && len(target.t.Types) == 0 {
		return emptyVal(&Typed{}), nil // navigation from nothing of no known type
	}
	if name == "resourceType" && len(target.t.Types) > 0 && allTypes(target.t.Types, isResource) {
		return newVal(&Typed{Types: []*Type{tString}, Single: target.t.Single},
			fn("fpConv", w.conv(target, "Resource"),
				lambdaFn([]jen.Code{param("r", "Resource")}, jen.String(), jen.Id("r").Dot("ResourceType").Call()))), nil
	}
	if name == "value" && len(target.t.Types) > 0 && allTypes(target.t.Types, isPrimitive) {
		return target, nil // the System value of a FHIR primitive
	}
	if (name == "id" || name == "extension") && w.x.m.Element != nil && len(target.t.Types) > 0 && allTypes(target.t.Types, isPrimitive) {
		// the id and extensions of primitive values that were not navigated to
		// from their parent (a primitive context): not reachable from the Go value.
		if name == "id" {
			return emptyVal(&Typed{Types: []*Type{tString}, Single: true}), nil
		}
		return emptyVal(&Typed{Types: fieldTypes(w.x.m.Element.Field("extension"))}), nil
	}
	if w.knownStructs(target.t) {
		return w.unknownElement(name, target.t), nil
	}
	err := errAt(n, "no element %q on %s", name, target.t)
	err.(*CheckError).Kind = ErrNoElement
	return nil, err
}

// ---------------------------------------------------------------------------------------
// Conversions

// conv returns the code of v's collection with items of Go type to.
func (w *walker) conv(v *val, to string) jen.Code {
	from := v.elem
	switch {
	case v.empty:
		return nilSlice(to)
	case from == to:
		return v.code
	case to == "any":
		if v.t.Choice != nil {
			h := w.choiceBox(v.t.Choice)
			return fn("fpFlat", v.code, jen.Func().Add(appender("x", from, "any",
				jen.If(jen.Id("b").Op(":=").Id(h).Call(jen.Id("x")), jen.Id("b").Op("!=").Nil()).Block(appendOut(jen.Id("b"))))))
		}
		if from[0] == '*' || from == "Resource" {
			return fn("fpUp", v.code)
		}
		name := "System.Boolean"
		if len(v.t.Types) > 0 {
			name = v.t.Types[0].Name()
		}
		return fn("fpBox", v.code, jen.Lit(name))
	case to == "Resource" && from[0] == '*':
		return fn("fpConv", v.code, lambdaFn([]jen.Code{param("x", from)}, jen.Id("Resource"), jen.Id("x")))
	case from == "int64" && to == "Decimal":
		return fn("fpConv", fn("fpIntFloats", v.code), jen.Id("DecimalOf"))
	case from == "any":
		return generic("fpUnwrap", to, v.code)
	case from == "Resource" || v.t.Choice != nil:
		return generic("fpUnwrap", to, w.conv(v, "any"))
	}
	return jen.Add(nilSlice(to)).Comment("/* " + from + " */")
}

// unify returns the type of a collection holding the items of a and b.
func unify(a, b *Typed) *Typed {
	t := &Typed{Types: addTypes(append([]*Type(nil), a.Types...), b.Types...)}
	if a.Choice != nil && a.Choice == b.Choice || len(b.Types) == 0 && a.Choice != nil {
		t.Choice = a.Choice
	} else if len(a.Types) == 0 && b.Choice != nil {
		t.Choice = b.Choice
	}
	return t
}

// tri returns the code of v as a tri-state Boolean.
func tri(v *val) jen.Code {
	if v.empty {
		return jen.Id("fpEmpty")
	}
	switch v.elem {
	case "bool":
		return fn("fpBoolTri", v.code)
	case "any":
		return fn("fpAnyTri", v.code)
	}
	return fn("fpExistTri", v.code)
}

// str returns the code of v as []string (or []Decimal-like string kinds), ok false when
// v is not string-valued.
func (w *walker) str(v *val) (jen.Code, bool) {
	if code, ok := asSlice(v, "string"); ok {
		return code, true
	}
	if v.t.Choice != nil {
		return w.conv(v, "string"), true
	}
	return nil, false
}

// ints returns the code of v as []int64.
func (w *walker) ints(v *val) (jen.Code, bool) {
	return asSlice(v, "int64")
}

// asSlice returns the code of v as []elem when it already is one, holds items of any
// type (unwrapped), or is always empty.
func asSlice(v *val, elem string) (jen.Code, bool) {
	switch {
	case v.elem == elem:
		return v.code, true
	case v.elem == "any":
		return generic("fpUnwrap", elem, v.code), true
	case len(v.t.Types) == 0:
		return nilSlice(elem), true
	}
	return nil, false
}

// floats returns the code of a numeric v as []float64.
func (w *walker) floats(v *val) (jen.Code, bool) {
	switch v.elem {
	case "int64":
		return fn("fpIntFloats", v.code), true
	case "Decimal":
		return fn("fpFloats", v.code), true
	case "*Quantity":
		return fn("fpConv", v.code, lambdaFn([]jen.Code{param("q", "*Quantity")}, jen.Float64(),
			fn("fpDecimal", jen.Id("q").Dot("Value")))), true
	case "any":
		return fn("fpFloats", generic("fpUnwrap", "Decimal", v.code)), true
	}
	if len(v.t.Types) == 0 {
		return nilSlice("float64"), true
	}
	return nil, false
}
