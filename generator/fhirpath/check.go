package fhirpath

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// Check type-checks an expression in a context: every element, function and type name is
// resolved against the context's model. It returns the type of the result. Errors are
// *CheckError; one of Kind ErrRootMismatch comes with the (empty) result type.
//
// Checking and compiling are one walk over the tree (see Compiler): Check compiles into a
// throwaway compiler, so what checks also compiles.
func Check(n syntax.Node, ctx *Context) (*Typed, error) {
	c := NewCompiler(ctx.Model)
	return c.check(n, ctx)
}

// val is a checked and compiled subexpression: its type and a Go expression of type
// []elem computing it.
type val struct {
	t    *Typed
	code jen.Code
	elem string
	// empty is set when the collection is empty whatever the input (a root type name
	// that does not match the context, navigation from such a value, ...): operations
	// on it fold to their empty result instead of generating code.
	empty bool
	// item is the Go variable holding the only item of the collection when it is one
	// non-nil item (the context, $this in where() ...): navigation from it is inlined.
	item string
	// distinct is set when the items are known to be distinct (distinct(), union);
	// isRes when the code is fpIsRes (is on a resource type).
	distinct, isRes bool
}

// scope holds the variables of the expression being compiled.
type scope struct {
	this  *val   // $this: the focus of identifiers and of root function calls
	index string // Go variable holding $index, "" outside where/select/...
	total *val   // $total in aggregate()
}

// walker checks and compiles one expression.
type walker struct {
	c          *Compiler
	ctx        *Context
	x          *model
	ctxVal     *val // %context
	n          int  // fresh-name counter
	rootMatch  int  // root type names matching the context
	rootOther  int  // root type names of other resources
	rootMember int  // root names that were elements
	// unknownTypes are type names in is/as/ofType that the model does not define (types of
	// another FHIR version): the test is false.
	unknownTypes []string
	// resTypes are type names in is() on resources that the inputs do not define: compared
	// with the resource's resourceType at run time (a typo would never match: reported).
	resTypes []string
	// lambdaDepth is the number of iterations (where(), select() ...) around the
	// expression being compiled; hoisted are the declarations of the sub-expressions
	// compiled once at the function's level (see hoist).
	// unknownElems are the elements navigated to that their type does not have: each
	// selects nothing (see ErrUnknownElement).
	unknownElems []string
	lambdaDepth  int
	hoisted      []hoisted
	hoistedBy    map[syntax.Node]*val
	// shared are the sub-expressions written more than once (see sharedNodes); hoisting
	// the nodes whose hoisted variable is being compiled.
	shared   []syntax.Node
	hoisting map[syntax.Node]bool
}

func (w *walker) fresh(p string) string {
	w.n++
	return p + strconv.Itoa(w.n)
}

func errAt(n syntax.Node, format string, args ...any) error {
	return &CheckError{Offset: n.Pos(), Msg: fmt.Sprintf(format, args...)}
}

func unsupported(n syntax.Node, format string, args ...any) error {
	return &CheckError{Offset: n.Pos(), Kind: ErrUnsupported, Msg: fmt.Sprintf(format, args...)}
}

func newVal(t *Typed, code jen.Code) *val { return &val{t: t, code: code, elem: elemType(t)} }

// emptyVal is an empty collection of type t.
func emptyVal(t *Typed) *val {
	v := newVal(t, nil)
	v.code = nilSlice(v.elem)
	v.empty = true
	return v
}

// emptyLike is an empty collection with the type and Go item type of v.
func emptyLike(v *val) *val {
	return &val{t: v.t, elem: v.elem, code: nilSlice(v.elem), empty: true}
}

func single(ts ...*Type) *Typed { return &Typed{Types: ts, Single: true} }

var (
	tBoolean  = &Type{Kind: KSystem, System: "Boolean"}
	tString   = &Type{Kind: KSystem, System: "String"}
	tInteger  = &Type{Kind: KSystem, System: "Integer"}
	tDecimal  = &Type{Kind: KSystem, System: "Decimal"}
	tDate     = &Type{Kind: KSystem, System: "Date"}
	tDateTime = &Type{Kind: KSystem, System: "DateTime"}
	tTime     = &Type{Kind: KSystem, System: "Time"}
)

func boolVal(code jen.Code) *val { return newVal(single(tBoolean), code) }

// expr checks and compiles n with the focus sc.this.
func (w *walker) expr(n syntax.Node, sc *scope) (*val, error) {
	if w.wantHoist(n) {
		return w.hoist(n)
	}
	switch n := n.(type) {
	case *syntax.Empty:
		return emptyVal(&Typed{Single: true}), nil
	case *syntax.Boolean:
		return boolVal(bools(n.Value)), nil
	case *syntax.String:
		return newVal(single(tString), one("string", jen.Lit(n.Value))), nil
	case *syntax.Number:
		if n.IsDecimal {
			return newVal(single(tDecimal), one("Decimal", jen.Lit(n.Text))), nil
		}
		i, err := strconv.ParseInt(n.Text, 10, 64)
		if err != nil {
			return nil, errAt(n, "integer %s out of range", n.Text)
		}
		return newVal(single(tInteger), one("int64", jen.Op(strconv.FormatInt(i, 10)))), nil
	case *syntax.Long:
		i, err := strconv.ParseInt(n.Digits(), 10, 64)
		if err != nil {
			return nil, errAt(n, "long %s out of range", n.Digits())
		}
		return newVal(single(&Type{Kind: KSystem, System: "Long"}), one("int64", jen.Op(strconv.FormatInt(i, 10)))), nil
	case *syntax.Date:
		return newVal(single(tDate), one("string", jen.Lit(n.Date))), nil
	case *syntax.DateTime:
		s := n.Date + "T" + n.Time + n.Zone
		return newVal(single(tDateTime), one("string", jen.Lit(s))), nil
	case *syntax.Time:
		return newVal(single(tTime), one("string", jen.Lit(n.Time))), nil
	case *syntax.Quantity:
		return w.quantity(n)
	case *syntax.Identifier:
		return w.identifier(n, sc)
	case *syntax.Member:
		if n.Name == "extension" || n.Name == "id" {
			if v, ok, err := w.primElement(n.Target, sc); err != nil {
				return nil, err
			} else if ok {
				return w.member(v, n.Name, n)
			}
		}
		t, err := w.expr(n.Target, sc)
		if err != nil {
			return nil, err
		}
		return w.member(t, n.Name, n)
	case *syntax.Call:
		return w.call(n, sc)
	case *syntax.Variable:
		if n.Target != nil {
			return nil, unsupported(n, "$%s after '.'", n.Name)
		}
		switch n.Name {
		case "this":
			return sc.this, nil
		case "index":
			if sc.index == "" {
				return nil, errAt(n, "$index outside of an iteration")
			}
			return newVal(single(tInteger), one("int64", jen.Int64().Call(jen.Id(sc.index)))), nil
		case "total":
			if sc.total == nil {
				return nil, errAt(n, "$total outside of aggregate()")
			}
			return sc.total, nil
		}
		return nil, errAt(n, "unknown variable $%s", n.Name)
	case *syntax.ExternalConstant:
		return w.constant(n)
	case *syntax.Index:
		t, i, err := w.pair(n.Target, n.Index, sc)
		if err != nil {
			return nil, err
		}
		if !allTypes(i.t.Types, isInteger) {
			return nil, errAt(n.Index, "index is %s, not an Integer", i.t)
		}
		if t.empty {
			return emptyLike(newValLike(t, &Typed{Types: t.t.Types, Choice: t.t.Choice, Single: true}, nil)), nil
		}
		return newValLike(t, &Typed{Types: t.t.Types, Choice: t.t.Choice, Single: true},
			fn("fpIndex", t.code, i.code)), nil
	case *syntax.Unary:
		v, err := w.expr(n.Operand, sc)
		if err != nil {
			return nil, err
		}
		if n.Op == syntax.OpAdd {
			return v, nil
		}
		switch {
		case allTypes(v.t.Types, isInteger):
			return newVal(single(tInteger), fn("fpArith", one("int64", jen.Lit(0)), v.code, jen.Lit("-"))), nil
		case allTypes(v.t.Types, isDecimal):
			return newVal(single(tDecimal), fn("fpConv",
				fn("fpArith", one("float64", jen.Lit(0)), fn("fpFloats", v.code), jen.Lit("-")), jen.Id("DecimalOf"))), nil
		}
		return nil, errAt(n, "unary - on %s", v.t)
	case *syntax.Binary:
		return w.binary(n, sc)
	case *syntax.TypeExpr:
		v, err := w.expr(n.Expr, sc)
		if err != nil {
			return nil, err
		}
		return w.typeOp(v, string(n.Op), n.Type, n)
	}
	return nil, errAt(n, "unexpected %T", n)
}

// newValLike is a val of type t whose Go item type is that of like.
func newValLike(like *val, t *Typed, code jen.Code) *val {
	return &val{t: t, code: code, elem: like.elem}
}

func (w *walker) quantity(n *syntax.Quantity) (*val, error) {
	q := w.x.m.Type("Quantity")
	if q == nil {
		return nil, unsupported(n, "quantity literal without a Quantity type")
	}
	unit := n.Unit
	code := n.Unit
	if n.Calendar {
		code = map[string]string{"year": "a", "month": "mo", "week": "wk", "day": "d", "hour": "h",
			"minute": "min", "second": "s", "millisecond": "ms"}[syntax.CalendarUnits[n.Unit]]
	}
	return newVal(single(&Type{Kind: KStruct, Def: q}), one("*Quantity", jen.Values(jen.Dict{
		jen.Id("Value"):  jen.Lit(n.Value),
		jen.Id("Unit"):   jen.Lit(unit),
		jen.Id("System"): jen.Lit("http://unitsofmeasure.org"),
		jen.Id("Code"):   jen.Lit(code),
	}))), nil
}

// identifier resolves a name at the root of an expression or argument: an element of the
// focus, else a type name (the context's type, or an abstract base of it).
func (w *walker) identifier(n *syntax.Identifier, sc *scope) (*val, error) {
	if w.hasMember(sc.this.t, n.Name) || (n.Name == "id" || n.Name == "extension") && allTypes(sc.this.t.Types, isPrimitive) {
		w.rootMember++
		return w.member(sc.this, n.Name, n)
	}
	if n.Name == "value" && len(sc.this.t.Types) > 0 && allTypes(sc.this.t.Types, isPrimitive) {
		return sc.this, nil // the System value of a FHIR primitive
	}
	t := w.x.lookupType("", n.Name)
	if t == nil {
		if w.x.isResourceName(n.Name) {
			// a resource type of the inputs that this run does not generate (--resources):
			// like any other resource root that is not the context, it selects nothing
			w.rootOther++
			return emptyVal(&Typed{}), nil
		}
		if w.knownStructs(sc.this.t) {
			return w.unknownElement(n.Name, sc.this.t), nil
		}
		return nil, errAt(n, "no element or type %q on %s", n.Name, sc.this.t)
	}
	ctx := w.ctxVal
	if w.matchesType(ctx.t, t) {
		w.rootMatch++
		return ctx, nil
	}
	if isResource(t) || t.Kind == KStruct {
		w.rootOther++
		return emptyVal(single(t)), nil
	}
	return nil, errAt(n, "type %s at the root does not match the context %s", n.Name, ctx.t)
}

// matchesType reports whether items of type ct are of type t or a specialisation of it.
func (w *walker) matchesType(ct *Typed, t *Type) bool {
	for _, c := range ct.Types {
		if sameType(c, t) || t.Kind == KResource && isResource(c) {
			return true
		}
		if t.Kind == KStruct && t.Def == w.x.m.Element {
			return true
		}
	}
	return false
}

// hasMember reports whether items of type t have an element name.
func (w *walker) hasMember(t *Typed, name string) bool {
	for _, x := range t.Types {
		switch x.Kind {
		case KStruct:
			if x.Def.Field(name) != nil {
				return true
			}
		case KResource:
			if len(w.c.resourcesWith(name)) > 0 {
				return true
			}
		}
	}
	return false
}

func (w *walker) constant(n *syntax.ExternalConstant) (*val, error) {
	str := func(s string) *val { return newVal(single(tString), one("string", jen.Lit(s))) }
	switch n.Name {
	case "context":
		return w.ctxVal, nil
	case "resource", "rootResource":
		w.c.need("fpEnvRes")
		var ctx jen.Code = jen.Id("ctx")
		if !w.ctxIsResource() {
			ctx = jen.Nil()
		}
		code := fn("fpEnvRes", jen.Id("env"), ctx, jen.Lit(n.Name == "rootResource"))
		v := newVal(single(&Type{Kind: KResource}), code)
		if w.ctx.Resource != "" && n.Name == "resource" {
			if t := w.x.lookupType("", w.ctx.Resource); t != nil {
				return w.narrow(v, t, n)
			}
		}
		return v, nil
	case "ucum":
		return str("http://unitsofmeasure.org"), nil
	case "sct":
		return str("http://snomed.info/sct"), nil
	case "loinc":
		return str("http://loinc.org"), nil
	}
	if s, ok := strings.CutPrefix(n.Name, "vs-"); ok {
		return str("http://hl7.org/fhir/ValueSet/" + s), nil
	}
	if s, ok := strings.CutPrefix(n.Name, "ext-"); ok {
		return str("http://hl7.org/fhir/StructureDefinition/" + s), nil
	}
	return nil, errAt(n, "unknown constant %%%s", n.Name)
}

func (w *walker) ctxIsResource() bool {
	return allTypes(w.ctx.Type.Types, isResource) && w.ctx.Type.Choice == nil
}

// primElement compiles n as the Element part (id, extensions) of primitive values when n
// navigates to a primitive element (birthDate in birthDate.extension): ok is false when
// it does not.
func (w *walker) primElement(n syntax.Node, sc *scope) (*val, bool, error) {
	var target *val
	var name string
	switch n := n.(type) {
	case *syntax.Identifier:
		if !w.hasMember(sc.this.t, n.Name) {
			return nil, false, nil
		}
		target, name = sc.this, n.Name
	case *syntax.Member:
		t, err := w.expr(n.Target, sc)
		if err != nil {
			return nil, false, err
		}
		target, name = t, n.Name
	default:
		return nil, false, nil
	}
	if w.x.m.Element == nil {
		return nil, false, nil
	}
	var bodies []body
	for _, t := range target.t.Types {
		if t.Kind != KStruct {
			continue
		}
		f := t.Def.Field(name)
		if f == nil || f.Kind != ir.PrimitiveField || f.ExtName == "" {
			return nil, false, nil
		}
		var b stmt
		if f.Array {
			b = stmts(jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(vf(f.ExtName))).Block(
				jen.If(jen.Id("e").Op("!=").Nil()).Block(appendOut(jen.Id("e")))))
		} else {
			b = stmts(jen.If(vf(f.ExtName).Op("!=").Nil()).Block(appendOut(vf(f.ExtName))))
		}
		bodies = append(bodies, w.caseOf(target, t, b))
	}
	if len(bodies) == 0 {
		return nil, false, nil
	}
	et := &Typed{Types: []*Type{{Kind: KStruct, Def: w.x.m.Element}}}
	return newVal(et, w.flatHelper(target, "*Element", "elem_"+name, bodies)), true, nil
}

// knownStructs reports whether t is one or more FHIR structures (not a primitive, a
// resource of unknown type or an empty collection): navigating to an element such a type
// does not have selects nothing.
func (w *walker) knownStructs(t *Typed) bool {
	if len(t.Types) == 0 {
		return false
	}
	for _, x := range t.Types {
		if x.Kind != KStruct {
			return false
		}
	}
	return true
}

// unknownElement records the navigation to an element that type t does not have and
// returns the empty collection it selects.
func (w *walker) unknownElement(name string, t *Typed) *val {
	if u := fmt.Sprintf("%q on %s", name, t); !slices.Contains(w.unknownElems, u) {
		w.unknownElems = append(w.unknownElems, u)
	}
	return emptyVal(&Typed{})
}
