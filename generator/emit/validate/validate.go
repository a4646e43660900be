// Package validate emits the validators of a model: for every generated type T,
//
//	func (x *T) Validate() error      // nil, or a *ValidationError with every issue
//	func (x *T) ValidateAll() []Issue // every issue, warnings included
//
// and the unexported valIssues method they share, which checks cardinality, primitive
// formats, required bindings, reference target types, contained resources and the
// constraints (invariants) of every element, compiled to Go by the shared FHIRPath
// compiler. The checks build no path unless they find an issue, so validating a valid
// value allocates nothing (see templates/support/validate.go for the runtime).
package validate

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
)

// Stats counts what the validators check, for the coverage note.
type Stats struct {
	// Invariants are the constraints of the elements: compiled (or checked natively),
	// compiled with a type-check warning, ill-formed in a package (not checked, a
	// warning), and errors (ill-formed in the user's own definitions, or not compilable).
	InvariantsCompiled, InvariantsWarnings, InvariantsFailed, InvariantsErrors int
	// InvariantsNative are the compiled ones checked by hand-written Go (ele-1, ext-1).
	InvariantsNative int
	// DistinctExpressions is how many distinct expressions the compiled constraints have.
	DistinctExpressions int
	// BindingsChecked and BindingsNotCheckable count the required bindings of elements.
	BindingsChecked, BindingsNotCheckable int
	// BindingsWeakChecked counts the extensible and preferred bindings checked.
	BindingsWeakChecked int
}

// Emitter is the validate emitter.
type Emitter struct {
	Config Config
}

// Emit returns the validator files and the diagnostics: a coverage note, a warning per
// constraint that does not compile and per required binding that cannot be checked.
func (e Emitter) Emit(in emit.Input) ([]emit.File, diag.List) {
	files, _, ds := e.EmitStats(in)
	return files, ds
}

// EmitStats is Emit, also returning the counts of the coverage note.
func (e Emitter) EmitStats(in emit.Input) ([]emit.File, Stats, diag.List) {
	pv := in.Plan.Validate
	if e.Config.RootConstraints != nil {
		pv = plan.Build(in.Model, plan.Options{RootConstraints: e.Config.RootConstraints}).Validate
	}
	return emitWith(in.Model, pv, in.FHIRPath(), in.Options)
}

// Config adjusts the emitter.
type Config struct {
	// RootConstraints, when not nil, replaces the plan's choice of the root constraints
	// to check (see plan.Options.RootConstraints): the tests check dom-* with it.
	RootConstraints func(t *ir.Type) []*ir.Constraint
}

// emitWith returns the files, counts and diagnostics of the validators of plan pv.
func emitWith(m *ir.Model, pv *plan.Validate, fp *fhirpath.Compiler, o emit.Options) ([]emit.File, Stats, diag.List) {
	g := &gen{m: m, fp: fp, vsFuncs: map[string]string{}, pv: pv,
		invFuncs: map[*plan.Invariant]*invFunc{}, exprs: map[string]bool{}}
	var files emit.Files
	for _, vf := range pv.Files {
		f := emit.NewFile(o, vf.Source)
		for _, tc := range vf.Types {
			g.typeChecks(f, tc)
		}
		files.Render(vf.Name, f)
	}
	g.profiles(&files, o)
	f := emit.NewFile(o, "")
	g.memberOfFunc(f)
	g.valueSets(f)
	g.operationOutcome(f)
	files.Render("validate.gen.go", f)
	g.ds = append(g.ds, files.Diags...)
	g.st.DistinctExpressions = len(g.exprs)
	g.st.BindingsChecked, g.st.BindingsNotCheckable = g.pv.BindingsChecked, g.pv.BindingsNotCheckable
	g.st.BindingsWeakChecked = g.pv.BindingsWeakChecked
	version := m.FHIRVersion
	if version == "" {
		version = "unknown version"
	}
	g.ds.Notef(diag.Pos{}, "coverage", "", "", "validate (FHIR %s): invariants: %d compiled (%d checked natively, %d distinct expressions), %d warnings, %d ill-formed (not checked, listed as warnings), %d failed; bindings: %d checked, %d not checkable; extensible or preferred bindings: %d checked (warnings, information)",
		version, g.st.InvariantsCompiled, g.st.InvariantsNative, g.st.DistinctExpressions, g.st.InvariantsWarnings, g.st.InvariantsFailed,
		g.st.InvariantsErrors, g.st.BindingsChecked, g.st.BindingsNotCheckable, g.st.BindingsWeakChecked)
	return files.List, g.st, g.ds
}

type gen struct {
	m        *ir.Model
	fp       *fhirpath.Compiler
	vsFuncs  map[string]string // ValueSet canonical → function name
	vsCodes  map[string][]ir.Code
	vsTerm   map[string]string            // ValueSets that are a built-in terminology: its code system
	invFuncs map[*plan.Invariant]*invFunc // planned function → its compilation
	pv       *plan.Validate
	exprs    map[string]bool
	memberOf bool // an invariant calls memberOf(): valMemberOf is emitted
	// profileCodes: a profile checks a binding (pCodesIn); profileStats counts the profiles.
	profileCodes bool
	profileStats *ProfileStats
	st           Stats
	ds           diag.List
}

type invFunc struct {
	name string
	elem string // Go type of the result items
	err  error  // compile error: not checked
}

func subject(t *ir.Type) string {
	for t.Owner != nil {
		t = t.Owner
	}
	return "StructureDefinition/" + t.FHIRName
}

// primKind returns the support constant of the format checker of a primitive, or "".
func primKind(p *ir.Primitive) string {
	return primKindOf(p.FHIRName, p.JSON)
}

// primKindOf returns the support constant of the format checker of the FHIR primitive
// name written in JSON as json, or "".
func primKindOf(name string, json ir.JSONKind) string {
	switch name {
	case "System.String":
		name = "string"
	case "boolean", "integer", "integer64", "unsignedInt", "positiveInt", "decimal", "string",
		"markdown", "code", "id", "uri", "url", "canonical", "oid", "uuid", "base64Binary",
		"date", "dateTime", "instant", "time", "xhtml":
	default:
		return ""
	}
	if json != ir.JSONString && json != ir.JSONDecimal {
		return "" // booleans and integers were checked by the decoder
	}
	switch name {
	case "id", "uri", "url", "oid", "uuid", "xhtml":
		return "prim" + strings.ToUpper(name)
	}
	return "prim" + strings.ToUpper(name[:1]) + name[1:]
}

// typeChecks emits valIssues, valEmpty, Validate and ValidateAll of a type.
func (g *gen) typeChecks(f *jen.File, tc *plan.TypeChecks) {
	t := tc.Type
	var body []jen.Code
	if t.Kind == ir.ResourceType {
		body = append(body, jen.Id("c").Op("=").Id("c").Dot("enter").Call(jen.Id("x")))
	}
	for _, fc := range tc.Fields {
		body = append(body, g.fieldChecks(t, fc)...)
	}
	if tc.Root != nil {
		root, cons := tc.Root.Field, tc.Root.Checks
		if t.Kind == ir.ResourceType {
			g.countNative(onlyEle1(cons)) // resources are not elements
		} else {
			body = append(body, g.nativeChecks(t, cons, jen.Id("x"), jen.Id("x").Dot("valEmpty").Call())...)
		}
		body = append(body, g.invariantCalls(t, root, cons, jen.Id("x"))...)
	}
	body = append(body, jen.Return(jen.Id("out")))
	recv := jen.Id("x").Op("*").Id(t.Name)
	f.Comment("valIssues appends the issues of x to out, with expressions relative to x.")
	f.Func().Params(recv.Clone()).Id("valIssues").Params(jen.Id("c").Id("valCtx"), jen.Id("out").Index().Id("Issue")).
		Index().Id("Issue").Block(body...)
	if t.Kind != ir.ResourceType {
		f.Comment("valEmpty reports whether x has neither a value nor children other than id (ele-1).")
		f.Func().Params(recv.Clone()).Id("valEmpty").Params().Bool().Block(
			jen.Return(g.emptyExpr(t)))
	}
	emit.Comment(f, "Validate checks x against the definitions of "+t.FHIRName+": nil when there is no "+
		"error-severity issue, else a *ValidationError with every issue, warnings included.")
	f.Func().Params(recv.Clone()).Id("Validate").Params().Error().Block(
		jen.Return(jen.Id("valValidate").Call(jen.Id("x"), jen.Lit(t.FHIRName))))
	f.Comment("ValidateAll returns every issue of x, warnings included (nil when there is none).")
	f.Func().Params(recv.Clone()).Id("ValidateAll").Params().Index().Id("Issue").Block(
		jen.Return(jen.Id("valValidateAll").Call(jen.Id("x"), jen.Lit(t.FHIRName))))
}

// fieldAbsent returns the conditions that field fl of the struct v is absent: its value
// and, for a primitive, its "_x" half (all must hold).
func fieldAbsent(v *jen.Statement, fl *ir.Field) []jen.Code { return fieldConds(v, fl, "==") }

// fieldPresent returns the conditions that field fl of the struct v is present: its
// value or, for a primitive, its "_x" half (one must hold).
func fieldPresent(v *jen.Statement, fl *ir.Field) []jen.Code { return fieldConds(v, fl, "!=") }

// fieldConds compares the halves of field fl of v with their zero value by op.
func fieldConds(v *jen.Statement, fl *ir.Field, op string) []jen.Code {
	x := v.Clone().Dot(fl.Name)
	var conds []jen.Code
	switch {
	case fl.Array:
		conds = append(conds, jen.Len(x).Op(op).Lit(0))
	case fl.Kind == ir.PrimitiveField && op == "==":
		conds = append(conds, absent(x, fl.Prim))
	case fl.Kind == ir.PrimitiveField:
		conds = append(conds, present(x, fl.Prim))
	default:
		conds = append(conds, x.Op(op).Nil())
	}
	if fl.ExtName != "" {
		e := v.Clone().Dot(fl.ExtName)
		if fl.Array {
			conds = append(conds, jen.Len(e).Op(op).Lit(0))
		} else {
			conds = append(conds, e.Op(op).Nil())
		}
	}
	return conds
}

// emptyExpr is the condition that no field but id is present.
func (g *gen) emptyExpr(t *ir.Type) *jen.Statement {
	var conds []jen.Code
	for _, fl := range t.Fields {
		if fl.JSONName == "id" {
			continue
		}
		conds = append(conds, fieldAbsent(jen.Id("x"), fl)...)
	}
	if len(conds) == 0 {
		return jen.True()
	}
	s := jen.Add(conds[0])
	for _, c := range conds[1:] {
		s = s.Op("&&").Line().Add(c)
	}
	return s
}

// absent is the condition that a primitive Go value is absent.
func absent(v *jen.Statement, p *ir.Primitive) *jen.Statement {
	switch p.JSON {
	case ir.JSONBool, ir.JSONInt32, ir.JSONInt64:
		return v.Op("==").Nil()
	}
	return v.Op("==").Lit("")
}

func present(v *jen.Statement, p *ir.Primitive) *jen.Statement {
	switch p.JSON {
	case ir.JSONBool, ir.JSONInt32, ir.JSONInt64:
		return v.Op("!=").Nil()
	}
	return v.Op("!=").Lit("")
}

// asString is the Go string of the value v of field fl: v itself when its Go type is
// string, else converted (an enum type, Decimal).
func asString(v *jen.Statement, fl *ir.Field) *jen.Statement {
	if fl.Enum == nil && fl.Prim != nil && fl.Prim.JSON == ir.JSONString {
		return v
	}
	return jen.String().Parens(v)
}

// out = call(...)
func appendOut(call *jen.Statement) jen.Code { return jen.Id("out").Op("=").Add(call) }

// mark is "m := len(out)" (the start of an item's issues).
func mark() jen.Code { return jen.Id("m").Op(":=").Len(jen.Id("out")) }

// prefixAt prefixes the item's issues with the field's JSON name (and index).
func prefixAt(fl *ir.Field, index bool) jen.Code {
	if index {
		return appendOut(jen.Id("valAtIndex").Call(jen.Id("out"), jen.Id("m"), jen.Lit(fl.JSONName), jen.Id("i")))
	}
	return appendOut(jen.Id("valAt").Call(jen.Id("out"), jen.Id("m"), jen.Lit(fl.JSONName)))
}

// fieldChecks returns the statements checking one field.
func (g *gen) fieldChecks(t *ir.Type, fc *plan.FieldChecks) []jen.Code {
	var out []jen.Code
	fl, cons := fc.Field, fc.Checks
	x := func() *jen.Statement { return jen.Id("x").Dot(fl.Name) }
	name := jen.Lit(fl.JSONName)

	// cardinality
	if fl.Array {
		count := jen.Len(x())
		if fl.ExtName != "" {
			// primitive arrays are aligned with their "_x" arrays; either may be longer
			out = append(out, jen.Id("n"+fl.Name).Op(":=").Len(x()))
			out = append(out, jen.If(jen.Len(jen.Id("x").Dot(fl.ExtName)).Op(">").Id("n"+fl.Name)).Block(
				jen.Id("n"+fl.Name).Op("=").Len(jen.Id("x").Dot(fl.ExtName))))
			count = jen.Id("n" + fl.Name)
			out = append(out, jen.Id("_").Op("=").Id("n"+fl.Name))
		}
		if fl.Min > 0 {
			out = append(out, jen.If(count.Clone().Op("<").Lit(fl.Min)).Block(
				appendOut(jen.Id("valMissing").Call(jen.Id("out"), name, jen.Lit(fl.Min), count.Clone()))))
		}
		if fl.Max >= 0 {
			out = append(out, jen.If(count.Clone().Op(">").Lit(fl.Max)).Block(
				appendOut(jen.Id("valTooMany").Call(jen.Id("out"), name, jen.Lit(fl.Max), count.Clone()))))
		}
	} else if fl.Min > 0 {
		var missing *jen.Statement
		switch fl.Kind {
		case ir.PrimitiveField:
			missing = absent(x(), fl.Prim)
			if fl.ExtName != "" {
				missing = missing.Op("&&").Id("x").Dot(fl.ExtName).Op("==").Nil()
			}
		default:
			missing = x().Op("==").Nil()
		}
		out = append(out, jen.If(missing).Block(
			appendOut(jen.Id("valMissing").Call(jen.Id("out"), name, jen.Lit(fl.Min), jen.Lit(0)))))
	}

	switch fl.Kind {
	case ir.PrimitiveField:
		out = append(out, g.primitiveChecks(t, fl, fc, cons)...)
	case ir.ComplexField:
		if fc.Binding == plan.OtherType {
			g.bindingNotChecked(t, fl, "bound element of type "+fl.Type.FHIRName)
		}
		item := func(v *jen.Statement) []jen.Code {
			var b []jen.Code
			b = append(b, mark(), appendOut(v.Clone().Dot("valIssues").Call(jen.Id("c"), jen.Id("out"))))
			b = append(b, g.complexExtra(t, fl, fl.Type, v, cons)...)
			return b
		}
		if fl.Array {
			body := append([]jen.Code{jen.Id("v").Op(":=").Op("&").Id("x").Dot(fl.Name).Index(jen.Id("i"))}, item(jen.Id("v"))...)
			body = append(body, prefixAt(fl, true))
			out = append(out, jen.For(jen.Id("i").Op(":=").Range().Add(x())).Block(body...))
		} else {
			body := append(item(x()), prefixAt(fl, false))
			out = append(out, jen.If(x().Op("!=").Nil()).Block(body...))
		}
	case ir.ResourceField:
		g.countNative(onlyEle1(cons)) // resources are not elements: ele-1 holds trivially
		// the element's constraints are evaluated on the resource it holds (%resource is
		// the resource holding the element); their issues are at the element
		res := func(r *jen.Statement, index jen.Code) []jen.Code {
			b := []jen.Code{mark()}
			if calls := g.invariantCalls(t, fl, cons, r); len(calls) > 0 {
				b = append(b, calls...)
				if index != nil {
					b = append(b, prefixAt(fl, true))
				} else {
					b = append(b, prefixAt(fl, false))
				}
				b = append(b, jen.Id("m").Op("=").Len(jen.Id("out")))
			}
			cc := jen.Id("c")
			if fl.JSONName == "contained" {
				cc = jen.Id("c").Dot("inContained").Call() // %rootResource stays the container
			}
			b = append(b,
				appendOut(jen.Id("valResource").Call(cc, r.Clone(), jen.Id("out"))))
			if index == nil {
				index = jen.Lit(-1)
			}
			b = append(b, appendOut(jen.Id("valAtResource").Call(jen.Id("out"), jen.Id("m"), name, index, r.Clone().Dot("ResourceType").Call())))
			return b
		}
		if fl.Array {
			body := append([]jen.Code{jen.If(jen.Id("r").Op("==").Nil()).Block(jen.Continue())}, res(jen.Id("r"), jen.Id("i"))...)
			out = append(out, jen.For(jen.List(jen.Id("i"), jen.Id("r")).Op(":=").Range().Add(x())).Block(body...))
		} else {
			out = append(out, jen.If(x().Op("!=").Nil()).Block(res(x(), nil)...))
		}
	case ir.ChoiceField:
		out = append(out, g.choiceChecks(t, fl, fc.Binding, cons)...)
	}
	return out
}

func severity(c *ir.Constraint) string {
	if c.Severity == "error" {
		return "error"
	}
	return "warning"
}

// issueCall is "out = valInvariant(out, severity, "", msg)", guarded by c.all for warnings.
func issueStmt(c *ir.Constraint, cond *jen.Statement) jen.Code {
	msg := c.Key + ": " + strings.TrimSpace(c.Human)
	st := jen.If(cond).Block(appendOut(jen.Id("valInvariant").Call(jen.Id("out"), jen.Lit(severity(c)), jen.Lit(""), jen.Lit(msg))))
	if severity(c) != "error" {
		return jen.If(jen.Id("c").Dot("all")).Block(st)
	}
	return st
}

// invariantCalls returns the statements evaluating the compiled constraints of fl on the
// item v (of the context's Go type), with issue expressions relative to the item.
func (g *gen) invariantCalls(t *ir.Type, fl *ir.Field, cons []*plan.Check, arg *jen.Statement) []jen.Code {
	var out []jen.Code
	for _, k := range cons {
		if k.Native != "" {
			continue
		}
		fn := g.compile(t, fl, k)
		if fn == nil {
			continue
		}
		g.exprs[k.Constraint.Expression] = true
		env := jen.Nil()
		expr := k.Constraint.Expression
		if strings.Contains(expr, "%resource") || strings.Contains(expr, "%rootResource") || strings.Contains(expr, "resolve()") ||
			strings.Contains(expr, "memberOf(") {
			// %resource and %rootResource; resolve() finds "#id" among their contained
			// resources; memberOf() asks the ValueSets the model expands (valMemberOf)
			fields := []jen.Code{jen.Id("Resource").Op(":").Id("c").Dot("res"), jen.Id("RootResource").Op(":").Id("c").Dot("root")}
			if strings.Contains(expr, "memberOf(") {
				g.memberOf = true
				fields = append(fields, jen.Id("MemberOf").Op(":").Id("valMemberOf"))
			}
			env = jen.Op("&").Id("FHIRPathEnv").Values(fields...)
		}
		var failed *jen.Statement
		if fn.elem == "bool" {
			// an invariant holds only when it evaluates to true, as the reference
			// validator takes it: false, empty (a comparison of a date with a dateTime
			// of another precision) or several items all fail
			failed = jen.Op("!").Parens(jen.Len(jen.Id("r")).Op("==").Lit(1).Op("&&").Id("r").Index(jen.Lit(0)))
		} else {
			failed = jen.Len(jen.Id("r")).Op("==").Lit(0)
		}
		msg := k.Constraint.Key + ": " + strings.TrimSpace(k.Constraint.Human)
		st := jen.If(jen.List(jen.Id("r"), jen.Err()).Op(":=").Id(fn.name).Call(env, arg.Clone()), jen.Err().Op("!=").Nil()).Block(
			jen.If(jen.Id("c").Dot("all")).Block(
				appendOut(jen.Id("valInvariantError").Call(jen.Id("out"), jen.Lit(""), jen.Lit(k.Constraint.Key), jen.Err()))),
		).Else().If(failed).Block(
			appendOut(jen.Id("valInvariant").Call(jen.Id("out"), jen.Lit(severity(k.Constraint)), jen.Lit(""), jen.Lit(msg))))
		if guard := guard(arg, k.Guard); guard != nil {
			// the constraint holds when these elements are empty: evaluate it only when
			// one is present, allocating nothing otherwise
			st = jen.If(guard).Block(st)
		}
		if severity(k.Constraint) != "error" {
			st = jen.If(jen.Id("c").Dot("all")).Block(st)
		}
		out = append(out, st)
	}
	return out
}

// guard returns the condition that one of the fields of the item v a check depends on
// is present (plan.Check.Guard); nil when the check has no guard.
func guard(v *jen.Statement, fields []*ir.Field) *jen.Statement {
	if len(fields) == 0 {
		return nil
	}
	var conds []jen.Code
	for _, f := range fields {
		conds = append(conds, fieldPresent(v, f)...)
	}
	s := jen.Add(conds[0])
	for _, c := range conds[1:] {
		s = s.Op("||").Add(c)
	}
	return s
}

// compile compiles a check of fl, once per planned function (context Go type and
// expression).
func (g *gen) compile(t *ir.Type, fl *ir.Field, k *plan.Check) *invFunc {
	c := k.Constraint
	if k.Invariant == nil {
		g.st.InvariantsFailed++
		g.ds.Warnf(c.ExprPos, "invariant-not-compiled", subject(t), fl.Path, "constraint %s: %v", c.Key, k.ContextErr)
		return nil
	}
	if fn, ok := g.invFuncs[k.Invariant]; ok {
		g.count(t, fl, c, fn)
		if fn.err != nil {
			return nil
		}
		return fn
	}
	fn := &invFunc{name: k.Invariant.Name}
	g.invFuncs[k.Invariant] = fn
	n, err := c.Expr.Node, c.Expr.Err
	if n == nil && err == nil {
		err = fmt.Errorf("the expression was not parsed (a constraint made outside ir.Build needs ir.Parse)")
	}
	if err == nil && g.fp == nil {
		err = fmt.Errorf("no FHIRPath compiler")
	}
	if err == nil {
		var elem string
		_, elem, err = g.fp.Func(fn.name, n, k.Invariant.Context)
		fn.elem = elem
		if err != nil {
			if fhirpath.IsWarning(err) {
				fn.err = nil
				g.st.InvariantsWarnings++
				g.ds.Warnf(c.ExprPos, "invariant-check-warning", subject(t), fl.Path, "constraint %s (%s): %v", c.Key, c.Expression, err)
				err = nil
			}
		}
	}
	fn.err = err
	g.count(t, fl, c, fn)
	if fn.err != nil {
		return nil
	}
	return fn
}

// count records a compiled constraint. One fhirgen cannot compile (valid FHIRPath it does
// not support) is a generation error; one that is ill-formed against the definitions (it
// does not parse, or calls a function on a type it does not apply to) is a warning naming
// it. One that names an element its type does not have is compiled (the path selects
// nothing, as FHIRPath says) and counted with the warnings (fhirpath.ErrUnknownElement).
func (g *gen) count(t *ir.Type, fl *ir.Field, c *ir.Constraint, fn *invFunc) {
	if fn.err != nil {
		if ce, ok := fn.err.(*fhirpath.CheckError); ok && ce.Kind == fhirpath.ErrUnsupported {
			g.st.InvariantsErrors++
			g.ds.Errorf(c.ExprPos, subject(t), fl.Path, "constraint %s (%s) cannot be compiled: %v", c.Key, c.Expression, fn.err)
			return
		}
		if !c.FromPackage {
			// the user's own definition: fix it rather than ship a rule nobody checks
			g.st.InvariantsErrors++
			g.ds.Errorf(c.ExprPos, subject(t), fl.Path, "constraint %s (%s) is ill-formed: %v", c.Key, c.Expression, fn.err)
			return
		}
		g.st.InvariantsFailed++
		g.ds.Warnf(c.ExprPos, "invariant-ill-formed", subject(t), fl.Path, "constraint %s (%s) is ill-formed and not checked: %v", c.Key, c.Expression, fn.err)
		return
	}
	g.st.InvariantsCompiled++
}

// nativeChecks returns the hand-written checks of ele-1 and ext-1 on a complex item v.
func (g *gen) nativeChecks(typ *ir.Type, cons []*plan.Check, v *jen.Statement, empty *jen.Statement) []jen.Code {
	var out []jen.Code
	for _, k := range cons {
		switch k.Native {
		case "ele-1":
			g.st.InvariantsNative++
			g.st.InvariantsCompiled++
			g.exprs[k.Constraint.Expression] = true
			out = append(out, issueStmt(k.Constraint, empty))
		case "ext-1":
			ext, val := typ.Field("extension"), typ.Field("value")
			if ext == nil || val == nil {
				continue
			}
			g.st.InvariantsNative++
			g.st.InvariantsCompiled++
			g.exprs[k.Constraint.Expression] = true
			out = append(out, issueStmt(k.Constraint, jen.Parens(jen.Len(v.Clone().Dot(ext.Name)).Op(">").Lit(0)).Op("==").
				Parens(v.Clone().Dot(val.Name).Op("!=").Nil())))
		}
	}
	return out
}

// complexExtra returns the checks of a complex item v (of type typ) besides its own
// valIssues: native and compiled constraints, reference targets, required bindings.
func (g *gen) complexExtra(t *ir.Type, fl *ir.Field, typ *ir.Type, v *jen.Statement, cons []*plan.Check) []jen.Code {
	var out []jen.Code
	out = append(out, g.nativeChecks(typ, cons, v, v.Clone().Dot("valEmpty").Call())...)
	out = append(out, g.invariantCalls(t, fl, cons, v)...)
	out = append(out, g.referenceCheck(typ, fl, v)...)
	if fl.Kind == ir.ComplexField {
		out = append(out, g.codingBinding(t, fl, typ, v)...)
	}
	return out
}

// referenceCheck checks the type of a relative reference against the target profiles.
func (g *gen) referenceCheck(typ *ir.Type, fl *ir.Field, v *jen.Statement) []jen.Code {
	if typ.FHIRName != "Reference" || len(fl.ReferenceTargets) == 0 {
		return nil
	}
	ref := typ.Field("reference")
	if ref == nil {
		return nil
	}
	var targets []string
	seen := map[string]bool{}
	for _, p := range fl.ReferenceTargets {
		p = strings.SplitN(p, "|", 2)[0]
		name := p[strings.LastIndexByte(p, '/')+1:]
		known := g.m.Resource(name) != nil
		if name == "Resource" || name == "DomainResource" || !known &&
			(!strings.HasPrefix(p, "http://hl7.org/fhir/StructureDefinition/") || name == "" || name[0] < 'A' || name[0] > 'Z') {
			return nil // any resource, or a profile whose type is not known here
		}
		if !seen[name] {
			seen[name] = true
			targets = append(targets, name)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	var lits []jen.Code
	for _, n := range targets {
		lits = append(lits, jen.Lit(n))
	}
	allowed := strings.Join(targets, ", ")
	if len(targets) > 1 {
		allowed = strings.Join(targets[:len(targets)-1], ", ") + " or " + targets[len(targets)-1]
	}
	return []jen.Code{
		jen.If(jen.Id("rt").Op(":=").Id("valRefType").Call(asString(v.Clone().Dot(ref.Name), ref)), jen.Id("rt").Op("!=").Lit("")).Block(
			jen.Switch(jen.Id("rt")).Block(
				jen.Case(lits...),
				jen.Default().Block(appendOut(jen.Id("valBadReference").Call(jen.Id("out"), jen.Lit("reference"), jen.Id("rt"), jen.Lit(allowed)))),
			)),
	}
}

// codingBinding checks a Coding or CodeableConcept against a required binding whose
// expansion the model has; it counts the binding as checked or not checkable.
func (g *gen) codingBinding(t *ir.Type, fl *ir.Field, typ *ir.Type, v *jen.Statement) []jen.Code {
	b := fl.Binding
	if b == nil || b.Strength != "required" && b.Strength != "extensible" && b.Strength != "preferred" {
		return nil
	}
	if !b.Checkable() || typ.FHIRName != "Coding" && typ.FHIRName != "CodeableConcept" {
		return nil // not checkable (plan.BindingCheck)
	}
	fn := g.vsFunc(b)
	strength := jen.Lit(b.Strength)
	required := b.Strength == "required"
	switch typ.FHIRName {
	case "Coding":
		sys, code := typ.Field("system"), typ.Field("code")
		cond := v.Clone().Dot(code.Name).Op("!=").Lit("").Op("&&").Op("!").Id(fn).Call(
			asString(v.Clone().Dot(sys.Name), sys), asString(v.Clone().Dot(code.Name), code))
		out := []jen.Code{jen.If(weak(b, cond)).Block(
			appendOut(jen.Id("valNotInValueSet").Call(jen.Id("out"), strength, jen.Lit("code"), asString(v.Clone().Dot(sys.Name), sys),
				asString(v.Clone().Dot(code.Name), code), jen.Lit(b.ValueSet))))}
		if required {
			// a Coding with no code (only extensions, a data-absent-reason) has no code
			// from the ValueSet
			out = append(out, jen.If(v.Clone().Dot(code.Name).Op("==").Lit("")).Block(
				appendOut(jen.Id("valNoCode").Call(jen.Id("out"), jen.Lit(""), jen.Lit(b.ValueSet)))))
		}
		return out
	default:
		coding := typ.Field("coding")
		ct := coding.Type
		sys, code := ct.Field("system"), ct.Field("code")
		var tail []jen.Code
		if text := typ.Field("text"); required && text != nil {
			// a concept with neither a coded coding nor text (only extensions) has no
			// code from the ValueSet; one with text only has no code to check
			tail = append(tail, jen.If(jen.Op("!").Id("coded").Op("&&").Add(v.Clone().Dot(text.Name)).Op("==").Lit("")).Block(
				appendOut(jen.Id("valNoCode").Call(jen.Id("out"), jen.Lit(""), jen.Lit(b.ValueSet)))))
		}
		body := []jen.Code{
			jen.List(jen.Id("coded"), jen.Id("in")).Op(":=").List(jen.False(), jen.False()),
			jen.For(jen.Id("j").Op(":=").Range().Add(v.Clone().Dot(coding.Name))).Block(
				jen.Id("cd").Op(":=").Op("&").Add(v.Clone().Dot(coding.Name)).Index(jen.Id("j")),
				jen.If(jen.Id("cd").Dot(code.Name).Op("!=").Lit("")).Block(
					jen.Id("coded").Op("=").True(),
					jen.If(jen.Id(fn).Call(asString(jen.Id("cd").Dot(sys.Name), sys), asString(jen.Id("cd").Dot(code.Name), code))).Block(
						jen.Id("in").Op("=").True()))),
			jen.If(jen.Id("coded").Op("&&").Op("!").Id("in")).Block(
				appendOut(jen.Id("valNoCodingInValueSet").Call(jen.Id("out"), strength, jen.Lit(""), jen.Lit(b.ValueSet)))),
		}
		body = append(body, tail...)
		if !required {
			// warnings and information: only when every issue is wanted (ValidateAll)
			return []jen.Code{jen.If(jen.Id("c").Dot("all")).Block(body...)}
		}
		return []jen.Code{jen.Block(body...)}
	}
}

// weak guards cond, the test of a binding issue, by c.all when the binding is not
// required: its issue is a warning or information, which Validate's first pass skips.
func weak(b *ir.Binding, cond *jen.Statement) *jen.Statement {
	if b.Strength == "required" {
		return cond
	}
	return jen.Id("c").Dot("all").Op("&&").Add(cond)
}

// bindingNotChecked warns that a field's required binding is not checked.
func (g *gen) bindingNotChecked(t *ir.Type, fl *ir.Field, reason string) {
	g.ds.Warnf(fl.Pos, "binding-not-checked", subject(t), fl.Path, "required binding to %s is not checked: %s", fl.Binding.ValueSet, reason)
}

// vsFunc returns the name of the membership function of a ValueSet expansion.
func (g *gen) vsFunc(b *ir.Binding) string {
	if n, ok := g.vsFuncs[b.ValueSet]; ok {
		return n
	}
	if g.vsCodes == nil {
		g.vsCodes = map[string][]ir.Code{}
	}
	n := g.pv.ValueSetFunc(b.ValueSet)
	g.vsFuncs[b.ValueSet] = n
	g.vsCodes[b.ValueSet] = b.Expansion
	if b.Expansion == nil && b.Terminology != "" {
		if g.vsTerm == nil {
			g.vsTerm = map[string]string{}
		}
		g.vsTerm[b.ValueSet] = b.Terminology
	}
	return n
}

// memberOfFunc emits valMemberOf, memberOf() of the invariants, when one calls it: the
// membership of a code in each ValueSet a memberOf() names whose expansion the model has
// (that of a binding to it); known is false for any other, and memberOf() is then empty.
func (g *gen) memberOfFunc(f *jen.File) {
	if !g.memberOf {
		return
	}
	named := map[string]bool{}
	for _, inv := range g.pv.Invariants {
		for _, m := range memberOfArg.FindAllStringSubmatch(inv.Constraint.Expression, -1) {
			named[m[1]] = true
		}
	}
	var urls []string
	for u := range named {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	var cases []jen.Code
	for _, u := range urls {
		b := g.expansionOf(u)
		if b == nil {
			continue
		}
		cases = append(cases, jen.Case(jen.Lit(u)).Block(jen.Return(jen.Id(g.vsFunc(b)).Call(jen.Id("system"), jen.Id("code")), jen.True())))
	}
	emit.Comment(f, "valMemberOf is memberOf() of the invariants: whether the code is in the ValueSet, known "+
		"only for the ValueSets the model expands.")
	f.Func().Id("valMemberOf").Params(jen.List(jen.Id("system"), jen.Id("code"), jen.Id("valueSet")).String()).
		Params(jen.List(jen.Id("member"), jen.Id("known")).Bool()).Block(
		jen.Switch(jen.Id("valueSet")).Block(cases...),
		jen.Return(jen.False(), jen.False()))
}

// memberOfArg matches the ValueSet of memberOf('url') in an expression.
var memberOfArg = regexp.MustCompile(`memberOf\(\s*'([^']+)'\s*\)`)

// expansionOf returns a binding of the model to the ValueSet url (with or without a
// version) that has an expansion, or nil.
func (g *gen) expansionOf(url string) *ir.Binding {
	base, _, _ := strings.Cut(url, "|")
	for _, t := range g.m.Types {
		for _, fl := range t.Fields {
			b := fl.Binding
			if b == nil || b.Expansion == nil {
				continue
			}
			if vs, _, _ := strings.Cut(b.ValueSet, "|"); b.ValueSet == url || vs == base && !strings.Contains(url, "|") {
				return b
			}
		}
	}
	return nil
}

// valueSets emits the membership functions: (system, code) in the expansion; an empty
// system matches a code of any system.
func (g *gen) valueSets(f *jen.File) {
	urls := make([]string, 0, len(g.vsFuncs))
	for u := range g.vsFuncs {
		urls = append(urls, u)
	}
	sort.Slice(urls, func(i, j int) bool { return g.vsFuncs[urls[i]] < g.vsFuncs[urls[j]] })
	for _, u := range urls {
		if sys := g.vsTerm[u]; sys != "" {
			// all of a built-in terminology: its grammar or table (support terminology.go)
			emit.Comment(f, g.vsFuncs[u]+" reports whether the code is in "+u+": all of "+sys+", checked by "+ir.BuiltinTerminologies[sys]+".")
			f.Func().Id(g.vsFuncs[u]).Params(jen.List(jen.Id("system"), jen.Id("code")).String()).Bool().Block(
				jen.If(jen.Id("system").Op("!=").Lit("").Op("&&").Id("system").Op("!=").Lit(sys)).Block(jen.Return(jen.False())),
				jen.List(jen.Id("ok"), jen.Id("_")).Op(":=").Id(ir.BuiltinTerminologies[sys]).Call(jen.Id("code")),
				jen.Return(jen.Id("ok")))
			continue
		}
		codes := g.vsCodes[u]
		var systems []string
		bySys := map[string][]string{}
		var all []string
		seenAll := map[string]bool{}
		for _, c := range codes {
			if _, ok := bySys[c.System]; !ok {
				systems = append(systems, c.System)
			}
			if !contains(bySys[c.System], c.Code) {
				bySys[c.System] = append(bySys[c.System], c.Code)
			}
			if !seenAll[c.Code] {
				seenAll[c.Code] = true
				all = append(all, c.Code)
			}
		}
		var cases []jen.Code
		caseOf := func(sys string, codes []string) jen.Code {
			var lits []jen.Code
			for _, c := range codes {
				lits = append(lits, jen.Lit(c))
			}
			return jen.Case(jen.Lit(sys)).Block(jen.Switch(jen.Id("code")).Block(jen.Case(lits...).Block(jen.Return(jen.True()))))
		}
		cases = append(cases, caseOf("", all))
		for _, s := range systems {
			if s != "" {
				cases = append(cases, caseOf(s, bySys[s]))
			}
		}
		emit.Comment(f, g.vsFuncs[u]+" reports whether the code is in the expansion of "+u+".")
		f.Func().Id(g.vsFuncs[u]).Params(jen.List(jen.Id("system"), jen.Id("code")).String()).Bool().Block(
			jen.Switch(jen.Id("system")).Block(cases...),
			jen.Return(jen.False()))
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// primitiveChecks returns the format, binding, extension and constraint checks of a
// primitive field.
func (g *gen) primitiveChecks(t *ir.Type, fl *ir.Field, fc *plan.FieldChecks, cons []*plan.Check) []jen.Code {
	var out []jen.Code
	binding := fc.Binding
	kind := primKind(fl.Prim)
	if fc.Format != "" {
		kind = primKindOf(fc.Format, fl.Prim.JSON)
	}
	vsCheck := func(v *jen.Statement, expr *jen.Statement) jen.Code { return nil }
	switch binding {
	case plan.EnumBinding:
		vsCheck = func(v *jen.Statement, expr *jen.Statement) jen.Code {
			return jen.If(v.Clone().Op("!=").Lit("").Op("&&").Op("!").Add(v.Clone()).Dot("Known").Call()).Block(
				appendOut(jen.Id("valNotInValueSet").Call(jen.Id("out"), jen.Lit(fl.Binding.Strength), expr, jen.Lit(""), jen.String().Parens(v.Clone()), jen.Lit(fl.Binding.ValueSet))))
		}
	case plan.ValueSetBinding:
		fn := g.vsFunc(fl.Binding)
		vsCheck = func(v *jen.Statement, expr *jen.Statement) jen.Code {
			cond := v.Clone().Op("!=").Lit("").Op("&&").Op("!").Id(fn).Call(jen.Lit(""), asString(v.Clone(), fl))
			for _, c := range fl.Binding.Also { // codes the element's definition allows too
				cond = cond.Op("&&").Add(asString(v.Clone(), fl)).Op("!=").Lit(c)
			}
			return jen.If(weak(fl.Binding, cond)).Block(
				appendOut(jen.Id("valNotInValueSet").Call(jen.Id("out"), jen.Lit(fl.Binding.Strength), expr, jen.Lit(""), asString(v.Clone(), fl), jen.Lit(fl.Binding.ValueSet))))
		}
	}
	// a value with only extensions (a data-absent-reason) under a required binding has
	// no code from the ValueSet
	noCode := func(v, ext, expr *jen.Statement) []jen.Code {
		if !binding.Checked() || fl.Binding.Strength != "required" || fl.ExtName == "" {
			return nil
		}
		return []jen.Code{jen.If(absent(v.Clone(), fl.Prim).Op("&&").Add(ext).Op("!=").Nil()).Block(
			appendOut(jen.Id("valNoCode").Call(jen.Id("out"), expr, jen.Lit(fl.Binding.ValueSet))))}
	}
	// the format and binding of one value v, reported at expr
	valueChecks := func(v *jen.Statement, expr *jen.Statement) []jen.Code {
		var b []jen.Code
		switch {
		case kind != "":
			b = append(b, jen.If(present(v.Clone(), fl.Prim)).Block(
				appendOut(jen.Id("valFormat").Call(jen.Id("out"), jen.Id(kind), asString(v.Clone(), fl), expr))))
		case fl.Prim.FHIRName == "positiveInt":
			b = append(b, appendOut(jen.Id("valPositiveInt").Call(jen.Id("out"), v.Clone(), expr)))
		case fl.Prim.FHIRName == "unsignedInt":
			b = append(b, appendOut(jen.Id("valUnsignedInt").Call(jen.Id("out"), v.Clone(), expr)))
		}
		if c := vsCheck(v, expr); c != nil {
			b = append(b, c)
		}
		return b
	}
	// constraints other than ele-1 on the value (the FHIRPath context is the primitive)
	invs := func(v *jen.Statement) []jen.Code {
		arg := v.Clone()
		switch fl.Prim.JSON {
		case ir.JSONString:
			arg = asString(v.Clone(), fl)
		case ir.JSONBool:
			arg = jen.Op("*").Add(v.Clone())
		case ir.JSONInt32:
			arg = jen.Int64().Parens(jen.Op("*").Add(v.Clone()))
		case ir.JSONInt64:
			arg = jen.Op("*").Add(v.Clone())
		}
		calls := append(g.xhtmlChecks(cons, arg), g.invariantCalls(t, fl, cons, arg)...)
		if len(calls) == 0 {
			return nil
		}
		return []jen.Code{jen.If(present(v.Clone(), fl.Prim)).Block(calls...)}
	}
	ele1 := func(v, ext *jen.Statement) []jen.Code {
		// ele-1 on the primitive element: a value, or extensions
		return g.nativeChecks(g.m.Element, onlyEle1(cons), nil,
			absent(v.Clone(), fl.Prim).Op("&&").Parens(ext.Clone().Op("==").Nil().Op("||").Add(ext.Clone()).Dot("valEmpty").Call()))
	}
	x := jen.Id("x").Dot(fl.Name)
	if !fl.Array {
		out = append(out, valueChecks(x, jen.Lit(fl.JSONName))...)
		out = append(out, noCode(x, jen.Id("x").Dot(fl.ExtName), jen.Lit(fl.JSONName))...)
		if fl.ExtName != "" {
			ext := jen.Id("x").Dot(fl.ExtName)
			body := []jen.Code{mark(), appendOut(ext.Clone().Dot("valIssues").Call(jen.Id("c"), jen.Id("out")))}
			body = append(body, ele1(x, ext)...)
			body = append(body, prefixAt(fl, false))
			out = append(out, jen.If(ext.Clone().Op("!=").Nil()).Block(body...))
		} else {
			g.countNative(cons)
		}
		if c := invs(x); len(c) > 0 {
			// a block of its own, so the checks above stay as they are whether or not
			// the element has invariants
			blk := append([]jen.Code{mark()}, c...)
			out = append(out, jen.Block(append(blk, prefixAt(fl, false))...))
		}
		return out
	}
	body := []jen.Code{jen.Id("_").Op("=").Id("v"), mark()}
	body = append(body, valueChecks(jen.Id("v"), jen.Lit(""))...)
	body = append(body, invs(jen.Id("v"))...)
	body = append(body, prefixAt(fl, true))
	out = append(out, jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Add(x.Clone())).Block(body...))
	if fl.ExtName != "" {
		ext := jen.Id("x").Dot(fl.ExtName).Index(jen.Id("i"))
		v := jen.Id("vi")
		body := []jen.Code{
			jen.Id("e").Op(":=").Add(ext),
			jen.Var().Id("vi").Add(emit.PrimType(fl.Prim, fl.Enum)),
			jen.If(jen.Id("i").Op("<").Len(x.Clone())).Block(jen.Id("vi").Op("=").Add(x.Clone()).Index(jen.Id("i"))),
			jen.Id("_").Op("=").Id("vi"),
			mark(),
			jen.If(jen.Id("e").Op("!=").Nil()).Block(appendOut(jen.Id("e").Dot("valIssues").Call(jen.Id("c"), jen.Id("out")))),
		}
		body = append(body, ele1(v, jen.Id("e"))...)
		body = append(body, noCode(v, jen.Id("e"), jen.Lit(""))...)
		body = append(body, prefixAt(fl, true))
		out = append(out, jen.For(jen.Id("i").Op(":=").Range().Id("x").Dot(fl.ExtName)).Block(body...))
	} else {
		g.countNative(cons)
	}
	return out
}

// xhtmlChecks returns the native checks of htmlChecks() (txt-1, txt-2) on the narrative
// div v: valXHTMLRules and valXHTMLContent, reporting at the div.
func (g *gen) xhtmlChecks(cons []*plan.Check, v *jen.Statement) []jen.Code {
	var out []jen.Code
	for _, k := range cons {
		var fn string
		switch k.Native {
		case "xhtml-rules":
			fn = "valXHTMLRules"
		case "xhtml-content":
			fn = "valXHTMLContent"
		default:
			continue
		}
		g.st.InvariantsNative++
		g.st.InvariantsCompiled++
		g.exprs[k.Constraint.Expression] = true
		var st jen.Code = appendOut(jen.Id(fn).Call(jen.Id("out"), jen.Lit(severity(k.Constraint)), jen.Lit(k.Constraint.Key), v.Clone()))
		if severity(k.Constraint) != "error" {
			st = jen.If(jen.Id("c").Dot("all")).Block(st)
		}
		out = append(out, st)
	}
	return out
}

func (g *gen) countNative(cons []*plan.Check) {
	// ele-1 on a primitive without extensions (System types): always true with a value
	for _, k := range cons {
		if k.Native == "ele-1" {
			g.st.InvariantsNative++
			g.st.InvariantsCompiled++
			g.exprs[k.Constraint.Expression] = true
		}
	}
}

func onlyEle1(cons []*plan.Check) []*plan.Check {
	var out []*plan.Check
	for _, k := range cons {
		if k.Native == "ele-1" {
			out = append(out, k)
		}
	}
	return out
}

// choiceChecks returns the checks of the present variant of a choice field.
func (g *gen) choiceChecks(t *ir.Type, fl *ir.Field, binding plan.BindingCheck, cons []*plan.Check) []jen.Code {
	if fl.Array {
		return nil
	}
	if binding == plan.ChoiceElement {
		g.bindingNotChecked(t, fl, "binding on a choice element")
	}
	var cases []jen.Code
	for _, v := range fl.Choice.Variants {
		var body []jen.Code
		body = append(body, mark())
		if v.Type != nil {
			body = append(body, appendOut(jen.Id("v").Dot("valIssues").Call(jen.Id("c"), jen.Id("out"))))
			body = append(body, g.nativeChecks(v.Type, cons, jen.Id("v"), jen.Id("v").Dot("valEmpty").Call())...)
			body = append(body, g.referenceCheck(v.Type, fl, jen.Id("v"))...)
		} else {
			p := v.Prim.Prim
			pf := &ir.Field{Prim: p}
			if k := primKind(p); k != "" {
				body = append(body, jen.If(present(jen.Id("v").Dot("Value"), p)).Block(
					appendOut(jen.Id("valFormat").Call(jen.Id("out"), jen.Id(k), asString(jen.Id("v").Dot("Value"), pf), jen.Lit("")))))
			} else if p.FHIRName == "positiveInt" {
				body = append(body, appendOut(jen.Id("valPositiveInt").Call(jen.Id("out"), jen.Id("v").Dot("Value"), jen.Lit(""))))
			} else if p.FHIRName == "unsignedInt" {
				body = append(body, appendOut(jen.Id("valUnsignedInt").Call(jen.Id("out"), jen.Id("v").Dot("Value"), jen.Lit(""))))
			}
			body = append(body, jen.If(jen.Id("v").Dot("Ext").Op("!=").Nil()).Block(
				appendOut(jen.Id("v").Dot("Ext").Dot("valIssues").Call(jen.Id("c"), jen.Id("out")))))
			body = append(body, g.nativeChecks(g.m.Element, onlyEle1(cons), nil,
				absent(jen.Id("v").Dot("Value"), p).Op("&&").Parens(jen.Id("v").Dot("Ext").Op("==").Nil().Op("||").Id("v").Dot("Ext").Dot("valEmpty").Call()))...)
		}
		body = append(body, appendOut(jen.Id("valAtType").Call(jen.Id("out"), jen.Id("m"), jen.Lit(fl.JSONName), jen.Lit(v.TypeCode))))
		cases = append(cases, jen.Case(jen.Op("*").Id(v.GoType())).Block(body...))
	}
	// native constraints are counted once per variant above; count them once per field
	out := []jen.Code{jen.Switch(jen.Id("v").Op(":=").Id("x").Dot(fl.Name).Op(".").Parens(jen.Type())).Block(cases...)}
	g.fixNativeCount(cons, len(fl.Choice.Variants))
	if calls := g.invariantCalls(t, fl, cons, jen.Id("x").Dot(fl.Name)); len(calls) > 0 {
		body := append([]jen.Code{mark()}, calls...)
		body = append(body, prefixAt(fl, false))
		out = append(out, jen.If(jen.Id("x").Dot(fl.Name).Op("!=").Nil()).Block(body...))
	}
	return out
}

// fixNativeCount undoes the per-variant counting of native constraints.
func (g *gen) fixNativeCount(cons []*plan.Check, variants int) {
	for _, k := range cons {
		if k.Native == "" || variants == 0 {
			continue
		}
		extra := variants - 1
		if k.Native == "ext-1" {
			continue // counted only for the Extension-typed variant, if any
		}
		g.st.InvariantsNative -= extra
		g.st.InvariantsCompiled -= extra
	}
}

// operationOutcome emits the conversion of issues to an OperationOutcome when the model
// has that resource.
func (g *gen) operationOutcome(f *jen.File) {
	oo, issue := g.m.Type("OperationOutcome"), g.m.Type("OperationOutcome.issue")
	if oo == nil || issue == nil {
		return
	}
	issues := oo.Field("issue")
	sev, code, diagn, expr := issue.Field("severity"), issue.Field("code"), issue.Field("diagnostics"), issue.Field("expression")
	if issues == nil || sev == nil || code == nil || diagn == nil || expr == nil || !issues.Array || !expr.Array {
		return
	}
	conv := func(fl *ir.Field, v jen.Code) *jen.Statement {
		if fl.Enum != nil {
			return jen.Id(fl.Enum.Name).Call(v)
		}
		return jen.Add(v)
	}
	f.Comment("OperationOutcome returns the issues of e as an OperationOutcome resource.")
	f.Func().Params(jen.Id("e").Op("*").Id("ValidationError")).Id("OperationOutcome").Params().Op("*").Id(oo.Name).Block(
		jen.Return(jen.Id("IssuesOperationOutcome").Call(jen.Id("e").Dot("Issues"))))
	emit.Comment(f, "IssuesOperationOutcome returns validation issues (from ValidateAll) as an OperationOutcome "+
		"resource; with no issue it holds one informational issue, as the resource requires one.")
	f.Func().Id("IssuesOperationOutcome").Params(jen.Id("issues").Index().Id("Issue")).Op("*").Id(oo.Name).Block(
		jen.Id("oo").Op(":=").Op("&").Id(oo.Name).Values(jen.Id(issues.Name).Op(":").Make(jen.Index().Id(issue.Name), jen.Lit(0), jen.Len(jen.Id("issues")).Op("+").Lit(1))),
		jen.For(jen.List(jen.Id("_"), jen.Id("i")).Op(":=").Range().Id("issues")).Block(
			jen.Id("it").Op(":=").Id(issue.Name).Values(
				jen.Id(sev.Name).Op(":").Add(conv(sev, jen.Id("i").Dot("Severity"))),
				jen.Id(code.Name).Op(":").Add(conv(code, jen.Id("i").Dot("Code"))),
				jen.Id(diagn.Name).Op(":").Id("i").Dot("Message"),
			),
			jen.If(jen.Id("i").Dot("Expression").Op("!=").Lit("")).Block(
				jen.Id("it").Dot(expr.Name).Op("=").Index().String().Values(jen.Id("i").Dot("Expression"))),
			jen.Id("oo").Dot(issues.Name).Op("=").Append(jen.Id("oo").Dot(issues.Name), jen.Id("it")),
		),
		jen.If(jen.Len(jen.Id("issues")).Op("==").Lit(0)).Block(
			jen.Id("oo").Dot(issues.Name).Op("=").Append(jen.Id("oo").Dot(issues.Name), jen.Id(issue.Name).Values(
				jen.Id(sev.Name).Op(":").Add(conv(sev, jen.Lit("information"))),
				jen.Id(code.Name).Op(":").Add(conv(code, jen.Lit("informational"))),
				jen.Id(diagn.Name).Op(":").Lit("no issues"),
			))),
		jen.Return(jen.Id("oo")),
	)
}
