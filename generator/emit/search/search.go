// Package search emits the search-index extractors of a model: for each generated resource
// and each of its SearchParameters with an expression, the expression compiled to Go (by the
// shared FHIRPath compiler) and the code turning its values into SearchEntry values (see
// templates/support/search.go), plus ExtractSearchIndex and the SearchParameters registry.
package search

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
)

// Emitter is the search emitter.
type Emitter struct{}

// Emit returns the search files: one per resource with extractors (search_<resource>.gen.go)
// and search.gen.go (entry points, item dispatch, registry). The diagnostics end with a
// coverage note.
func (Emitter) Emit(in emit.Input) ([]emit.File, diag.List) {
	m, fp, o := in.Model, in.FHIRPath(), in.Options
	g := &gen{m: m, fp: fp, o: o, status: map[*ir.SearchParam]*paramStatus{}, warned: map[string]bool{}}
	g.paramName = in.Plan.Search.Info
	var files emit.Files
	for _, r := range in.Plan.Search.Resources {
		if f, ok := g.resource(r); ok {
			files.Render(r.File, f)
		}
	}
	f := emit.NewFile(o, "")
	g.entryPoints(f)
	g.dispatch(f)
	g.registry(f)
	files.Render("search.gen.go", f)
	g.ds = append(g.ds, files.Diags...)
	g.coverage()
	return files.List, g.ds
}

type paramStatus struct {
	compiled, failed, warned bool
}

type gen struct {
	m         *ir.Model
	fp        *fhirpath.Compiler
	o         emit.Options
	ds        diag.List
	paramName map[*ir.SearchParam]string
	status    map[*ir.SearchParam]*paramStatus
	warned    map[string]bool
	indexed   []*ir.Type // resources with an extractor
}

func (g *gen) st(p *ir.SearchParam) *paramStatus {
	s := g.status[p]
	if s == nil {
		s = &paramStatus{}
		g.status[p] = s
	}
	return s
}

// coverage adds the coverage note: SearchParameters (not pairs with resources) compiled,
// without expression, with warnings, failed.
func (g *gen) coverage() {
	var compiled, noExpr, warnings, failed int
	for _, p := range g.m.SearchParams {
		if p.Expression == "" {
			if p.Type != "special" {
				noExpr++
			}
			continue
		}
		s := g.status[p]
		switch {
		case s == nil:
		case s.failed:
			failed++
		case s.compiled:
			compiled++
		}
		if s != nil && s.warned {
			warnings++
		}
	}
	g.ds.Add(diag.Diagnostic{Severity: diag.Note, Kind: "coverage",
		Msg: fmt.Sprintf("search parameters: %d compiled, %d without expression, %d warnings, %d failed", compiled, noExpr, warnings, failed)})
}

func (g *gen) warn(p *ir.SearchParam, t *ir.Type, kind string, ce *fhirpath.CheckError, msg string) {
	g.st(p).warned = true
	key := p.URL + "\x00" + msg
	if g.warned[key] {
		return
	}
	g.warned[key] = true
	el := ""
	if ce != nil {
		el = "expression offset " + strconv.Itoa(ce.Offset)
	}
	g.ds.Warnf(p.ExprPos, kind, p.Subject, el, "%s (on %s): %s", p.Code, t.FHIRName, msg)
}

// warnOnce warns once per parameter and kind.
func (g *gen) warnOnce(p *ir.SearchParam, kind, msg string) {
	g.st(p).warned = true
	key := p.URL + "\x00" + kind
	if g.warned[key] {
		return
	}
	g.warned[key] = true
	g.ds.Warnf(p.ExprPos, kind, p.Subject, "", "%s: %s", p.Code, msg)
}

// noElement reports whether expr fails to check in ctx because it names an element the
// context type does not have.
func noElement(expr ir.Parsed, ctx *fhirpath.Context) bool {
	_, err := fhirpath.Check(expr.Node, ctx)
	ce, ok := err.(*fhirpath.CheckError)
	return ok && ce.Kind == fhirpath.ErrNoElement
}

func (g *gen) fail(p *ir.SearchParam, t *ir.Type, offset int, err error) {
	g.st(p).failed = true
	g.ds.Errorf(p.ExprPos, p.Subject, "expression offset "+strconv.Itoa(offset),
		"search parameter %s on %s: cannot compile %q: %v", p.Code, t.FHIRName, p.Expression, err)
}

// ---------------------------------------------------------------------------------------
// Per resource

// resource emits the extractor of a resource; ok is false when it indexes nothing.
func (g *gen) resource(r *plan.SearchResource) (*jen.File, bool) {
	t := r.Type
	ctx, err := fhirpath.ContextFor(g.m, t.FHIRName)
	if err != nil {
		g.ds.Errorf(t.Pos, "StructureDefinition/"+t.FHIRName, "", "search: %v", err)
		return nil, false
	}
	// each branch's parameters are a variable named after the branch's function, so that
	// a new parameter adds variables and renumbers none
	var specs []jen.Code
	spec := func(fn, code, typ, fhirType, system string) *jen.Statement {
		v := "searchSpec" + strings.TrimPrefix(fn, "searchX")
		specs = append(specs, jen.Line().Id(v).Op("=").Id("searchSpec").Values(jen.Lit(code), jen.Lit(typ), jen.Lit(fhirType), jen.Lit(system)))
		return jen.Op("&").Id(v)
	}
	var body []jen.Code
	for _, e := range r.Entries {
		p := e.Param
		n, err := p.Expr.Node, p.Expr.Err
		if err != nil {
			off := 0
			if pe, ok := err.(interface{ Offset() int }); ok {
				off = pe.Offset()
			}
			g.fail(p, t, off, err)
			continue
		}
		if p.Type == "special" {
			// not indexed: checked only, so that an expression that does not compile is
			// still reported
			if _, err := fhirpath.Check(n, ctx); err != nil && !g.tolerable(p, t, err) {
				g.fail(p, t, offsetOf(err), err)
				continue
			}
			g.st(p).compiled = true
			continue
		}
		base := e.Func
		if p.Type == "composite" {
			if code, ok := g.composite(t, p, ctx, base, spec); ok {
				body = append(body, code)
			}
			continue
		}
		var branches []jen.Code
		failed := false
		kept := 0
		for _, b := range e.Branches {
			name := b.Func
			if b.NotApplicable {
				g.warnOnce(p, "search-branch-not-applicable", "the branch "+strconv.Quote(oneLine(b.Node.String()))+
					" has no resource root and names elements some bases lack: it is indexed only where it applies")
				continue
			}
			typed, elem, err := g.fp.Func(name, b.Node, ctx)
			if err != nil && !g.tolerable(p, t, err) {
				g.fail(p, t, offsetOf(err), err)
				failed = true
				break
			}
			kept++
			sp := spec(name, p.Code, p.Type, hint(typed), b.System)
			branches = append(branches, jen.Block(
				jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Id(name).Call(jen.Id("env"), jen.Id("r")),
				jen.Id("searchEach").Call(jen.Id("s"), sp, jen.Id("v"), jen.Id("err"), itemFunc(elem)),
			))
		}
		if failed {
			continue
		}
		if kept == 0 {
			g.warn(p, t, "search-root-mismatch", nil, "the expression does not start with "+t.FHIRName+": nothing is indexed")
			g.st(p).compiled = true
			continue
		}
		g.st(p).compiled = true
		body = append(body, jen.Comment(p.Code+": "+oneLine(p.Expression)))
		body = append(body, branches...)
	}
	if len(body) == 0 {
		return nil, false
	}
	g.indexed = append(g.indexed, t)
	f := emit.NewFile(g.o, t.Source)
	emit.Commentf(f, "The searchSpec variables are the parameters of the branches of %s's search expressions.", t.FHIRName)
	f.Var().Defs(append(specs, jen.Line())...)
	emit.Commentf(f, "searchIndex%s adds the search index entries of r to s.", t.Name)
	f.Func().Id("searchIndex"+t.Name).Params(jen.Id("s").Op("*").Id("searchState"), jen.Id("env").Op("*").Id("FHIRPathEnv"),
		jen.Id("r").Op("*").Id(t.Name)).Block(body...)
	return f, true
}

// tolerable reports (and warns about) the check errors that are warnings: an expression
// whose root does not match the resource, a type name the model does not define, an
// element its type does not have.
func (g *gen) tolerable(p *ir.SearchParam, t *ir.Type, err error) bool {
	ce, ok := err.(*fhirpath.CheckError)
	if !ok {
		return false
	}
	switch ce.Kind {
	case fhirpath.ErrRootMismatch:
		g.warn(p, t, "search-root-mismatch", ce, ce.Msg)
		return true
	case fhirpath.ErrUnknownType:
		g.warn(p, t, "search-unknown-type", ce, ce.Msg)
		return true
	case fhirpath.ErrUnknownElement:
		g.warn(p, t, "search-unknown-element", ce, ce.Msg)
		return true
	}
	return false
}

func offsetOf(err error) int {
	if ce, ok := err.(*fhirpath.CheckError); ok {
		return ce.Offset
	}
	return 0
}

// composite emits the extraction of a composite parameter: its expression, then each
// component's on every item of it.
func (g *gen) composite(t *ir.Type, p *ir.SearchParam, ctx *fhirpath.Context, base string,
	spec func(fn, code, typ, fhirType, system string) *jen.Statement) (jen.Code, bool) {
	for _, c := range p.Components {
		if c.Param == nil || c.Expression == "" {
			// reported by the model (search-missing-component); not indexable
			g.warn(p, t, "search-composite-incomplete", nil, "a component is missing: not indexed")
			g.st(p).compiled = true
			return nil, false
		}
	}
	typed, elem, err := g.fp.Func(base, p.Expr.Node, ctx)
	if err != nil && !g.tolerable(p, t, err) {
		g.fail(p, t, offsetOf(err), err)
		return nil, false
	}
	if elem == "" || len(typed.Types) == 0 {
		g.st(p).compiled = true
		return nil, false
	}
	itemCtx := &fhirpath.Context{Model: g.m, Type: &fhirpath.Typed{Types: typed.Types, Single: true, Choice: typed.Choice},
		GoType: elem, Resource: t.FHIRName}
	sp := spec(base, p.Code, p.Type, "", "")
	loop := []jen.Code{jen.Id("parts").Op(":=").Make(jen.Index().Index().Id("SearchEntry"), jen.Lit(0), jen.Lit(len(p.Components)))}
	for i, c := range p.Components {
		if err := c.Expr.Err; err != nil {
			g.fail(p, t, 0, fmt.Errorf("component %d %q: %v", i+1, c.Expression, err))
			return nil, false
		}
		name := base + "_c" + strconv.Itoa(i)
		if noElement(c.Expr, itemCtx) {
			// an ill-formed definition: R5's Device-code-value-concept names
			// Device.specification, which R5's Device does not have
			g.warn(p, t, "search-composite-invalid", nil, fmt.Sprintf("component %d %q names an element %s does not have: not indexed",
				i+1, c.Expression, itemCtx.Type))
			g.st(p).compiled = true
			return nil, false
		}
		ct, celem, err := g.fp.Func(name, c.Expr.Node, itemCtx)
		if err != nil && !g.tolerable(p, t, err) {
			g.fail(p, t, offsetOf(err), fmt.Errorf("component %d %q: %v", i+1, c.Expression, err))
			return nil, false
		}
		csp := spec(name, c.Param.Code, c.Param.Type, hint(ct), "")
		loop = append(loop, jen.Block(
			jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Id(name).Call(jen.Id("env"), jen.Id("it")),
			jen.Id("parts").Op("=").Append(jen.Id("parts"), jen.Id("searchSub").Call(jen.Id("s"), csp, jen.Id("v"), jen.Id("err"), itemFunc(celem))),
		))
	}
	loop = append(loop, jen.Id("s").Dot("composite").Call(sp, jen.Id("parts")))
	g.st(p).compiled = true
	return jen.Block(
		jen.Comment(p.Code+": "+oneLine(p.Expression)),
		jen.List(jen.Id("roots"), jen.Id("err")).Op(":=").Id(base).Call(jen.Id("env"), jen.Id("r")),
		jen.Id("s").Dot("check").Call(sp, jen.Id("err")),
		jen.For(jen.List(jen.Id("_"), jen.Id("it")).Op(":=").Range().Id("roots")).Block(loop...),
	), true
}

// hint returns the FHIR type of primitive items when they all have one.
func hint(t *fhirpath.Typed) string {
	if t == nil || len(t.Types) == 0 {
		return ""
	}
	name := t.Types[0].Name()
	for _, x := range t.Types[1:] {
		if x.Name() != name {
			return ""
		}
	}
	if t.Types[0].Kind != fhirpath.KPrim && t.Types[0].Kind != fhirpath.KSystem {
		return ""
	}
	return name
}

// itemFunc returns the function indexing one item of Go type elem.
func itemFunc(elem string) jen.Code {
	switch elem {
	case "string":
		return jen.Id("searchStringItem")
	case "bool":
		return jen.Id("searchBoolItem")
	case "int64":
		return jen.Id("searchInt64Item")
	case "Decimal":
		return jen.Id("searchDecimalItem")
	}
	if strings.HasPrefix(elem, "*") {
		return jen.Id("searchItemOf").Types(jen.Op("*").Id(elem[1:]))
	}
	return jen.Id("searchItemOf").Types(jen.Id(elem))
}

// ident makes a Go identifier part of a parameter code ("_lastUpdated", "address-city").
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// multiline puts each item on a line of its own, so that an added item is an added line.
func multiline(items []jen.Code) []jen.Code {
	if len(items) == 0 {
		return items
	}
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	return append(out, jen.Line())
}

// ---------------------------------------------------------------------------------------
// search.gen.go

// entryPoints emits ExtractSearchIndex, SearchOptions' methods and the contained-resource
// lookup.
func (g *gen) entryPoints(f *jen.File) {
	emit.Comment(f, "ExtractSearchIndex returns the search index entries of r: one per value of each SearchParameter "+
		"that applies to r's type, ordered by parameter code, then document order. Dates "+
		"without a timezone are taken in UTC (see SearchOptions). Values of an expression that "+
		"fails to evaluate are left out (SearchOptions.Extract reports them).")
	f.Func().Id("ExtractSearchIndex").Params(jen.Id("r").Id("Resource")).Index().Id("SearchEntry").Block(
		jen.List(jen.Id("out"), jen.Id("_")).Op(":=").Id("SearchOptions").Values().Dot("Extract").Call(jen.Id("r")),
		jen.Return(jen.Id("out")),
	)
	f.Comment("ExtractSearchIndex is ExtractSearchIndex with these options.")
	f.Func().Params(jen.Id("o").Id("SearchOptions")).Id("ExtractSearchIndex").Params(jen.Id("r").Id("Resource")).Index().Id("SearchEntry").Block(
		jen.List(jen.Id("out"), jen.Id("_")).Op(":=").Id("o").Dot("Extract").Call(jen.Id("r")),
		jen.Return(jen.Id("out")),
	)
	var cases []jen.Code
	for _, t := range g.indexed {
		n := 0
		for _, p := range t.SearchParams {
			if p.Expression != "" && p.Type != "special" {
				n++
			}
		}
		cases = append(cases, jen.Case(jen.Op("*").Id(t.Name)).Block(
			jen.Id("s").Dot("out").Op("=").Make(jen.Index().Id("SearchEntry"), jen.Lit(0), jen.Lit(n)),
			jen.Id("searchIndex"+t.Name).Call(jen.Op("&").Id("s"), jen.Id("env"), jen.Id("r")),
		))
	}
	emit.Comment(f, "Extract returns the search index entries of r (see ExtractSearchIndex) and the errors of "+
		"expressions that failed to evaluate on it (*SearchError, joined).")
	f.Func().Params(jen.Id("o").Id("SearchOptions")).Id("Extract").Params(jen.Id("r").Id("Resource")).Params(jen.Index().Id("SearchEntry"), jen.Error()).Block(
		jen.Id("s").Op(":=").Id("searchState").Values(jen.Dict{jen.Id("loc"): jen.Id("o").Dot("Location")}),
		jen.Var().Id("env").Op("*").Id("FHIRPathEnv"),
		jen.If(jen.Id("c").Op(":=").Id("searchContained").Call(jen.Id("r")), jen.Len(jen.Id("c")).Op(">").Lit(0)).Block(
			jen.Id("s").Dot("contained").Op("=").Id("c"),
			jen.Id("env").Op("=").Op("&").Id("FHIRPathEnv").Values(jen.Dict{jen.Id("Resolve"): jen.Func().Params(jen.Id("ref").String()).Any().Block(
				jen.If(jen.Id("x").Op(":=").Id("searchResolveContained").Call(jen.Id("c"), jen.Id("ref")), jen.Id("x").Op("!=").Nil()).Block(jen.Return(jen.Id("x"))),
				jen.Return(jen.Nil()),
			)}),
		),
		typeSwitch(cases),
		noCases(cases, jen.Id("_").Op("=").Id("env")),
		jen.Return(jen.Id("searchFinish").Call(jen.Id("s").Dot("out")), jen.Id("searchJoin").Call(jen.Id("s").Dot("errs"))),
	)

	// contained resources and ids
	var contained, ids []jen.Code
	for _, t := range g.m.Resources {
		if fc := t.Field("contained"); fc != nil && fc.Kind == ir.ResourceField && fc.Array {
			contained = append(contained, jen.Case(jen.Op("*").Id(t.Name)).Block(jen.Return(jen.Id("r").Dot(fc.Name))))
		}
		if fi := t.Field("id"); fi != nil && fi.Kind == ir.PrimitiveField && !fi.Array {
			ids = append(ids, jen.Case(jen.Op("*").Id(t.Name)).Block(jen.Return(jen.String().Parens(jen.Id("r").Dot(fi.Name)))))
		}
	}
	f.Comment("searchContained returns the contained resources of r.")
	f.Func().Id("searchContained").Params(jen.Id("r").Id("Resource")).Index().Id("Resource").Block(
		typeSwitch(contained),
		jen.Return(jen.Nil()),
	)
	f.Comment("searchResourceID returns the id of a generated resource.")
	f.Func().Id("searchResourceID").Params(jen.Id("r").Id("Resource")).String().Block(
		typeSwitch(ids),
		jen.Return(jen.Lit("")),
	)
	f.Comment("searchResolveContained returns the contained resource a local reference (\"#id\") names.")
	f.Func().Id("searchResolveContained").Params(jen.Id("contained").Index().Id("Resource"), jen.Id("ref").String()).Id("Resource").Block(
		jen.If(jen.Len(jen.Id("ref")).Op("<").Lit(2).Op("||").Id("ref").Index(jen.Lit(0)).Op("!=").LitRune('#')).Block(jen.Return(jen.Nil())),
		jen.For(jen.List(jen.Id("_"), jen.Id("c")).Op(":=").Range().Id("contained")).Block(
			jen.If(jen.Id("c").Op("!=").Nil().Op("&&").Id("searchResourceID").Call(jen.Id("c")).Op("==").Id("ref").Index(jen.Lit(1), jen.Empty())).Block(jen.Return(jen.Id("c"))),
		),
		jen.Return(jen.Nil()),
	)
}

// typeSwitch is `switch r := r.(type) { cases }`, or nothing without cases.
func typeSwitch(cases []jen.Code) jen.Code {
	if len(cases) == 0 {
		return jen.Null()
	}
	return jen.Switch(jen.Id("r").Op(":=").Id("r").Assert(jen.Type())).Block(cases...)
}

// noCases returns code when there are no cases, else nothing.
func noCases(cases []jen.Code, code jen.Code) jen.Code {
	if len(cases) == 0 {
		return code
	}
	return jen.Null()
}

// registry emits SearchParameters and one function per SearchParameter returning its info.
func (g *gen) registry(f *jen.File) {
	used := map[*ir.SearchParam]bool{}
	var cases []jen.Code
	for _, t := range g.m.Resources {
		if len(t.SearchParams) == 0 {
			continue
		}
		var items []jen.Code
		for _, p := range t.SearchParams {
			used[p] = true
			items = append(items, jen.Id(g.paramName[p]).Call())
		}
		cases = append(cases, jen.Case(jen.Lit(t.FHIRName)).Block(jen.Return(jen.Index().Id("SearchParameterInfo").Values(multiline(items)...))))
	}
	emit.Comment(f, "SearchParameters returns the SearchParameters of a resource type (its own and those of "+
		"Resource and DomainResource), ordered by code; nil for a type without any. The slice is "+
		"new at each call.")
	f.Func().Id("SearchParameters").Params(jen.Id("resourceType").String()).Index().Id("SearchParameterInfo").Block(
		jen.Switch(jen.Id("resourceType")).Block(cases...),
		jen.Return(jen.Nil()),
	)
	strs := func(ss []string) jen.Code {
		if len(ss) == 0 {
			return jen.Nil()
		}
		var items []jen.Code
		for _, s := range ss {
			items = append(items, jen.Lit(s))
		}
		return jen.Index().String().Values(items...)
	}
	for _, p := range g.m.SearchParams {
		if !used[p] {
			continue
		}
		d := jen.Dict{
			jen.Id("Code"):    jen.Lit(p.Code),
			jen.Id("Type"):    jen.Lit(p.Type),
			jen.Id("URL"):     jen.Lit(p.URL),
			jen.Id("Base"):    strs(p.Base),
			jen.Id("Indexed"): jen.Lit(p.Expression != "" && p.Type != "special" && g.status[p] != nil && !g.status[p].failed),
		}
		if p.Expression != "" {
			d[jen.Id("Expression")] = jen.Lit(p.Expression)
		}
		if len(p.Target) > 0 {
			d[jen.Id("Target")] = strs(p.Target)
		}
		if len(p.Components) > 0 {
			var comps []jen.Code
			for _, c := range p.Components {
				cd := jen.Dict{jen.Id("Definition"): jen.Lit(c.Definition), jen.Id("Expression"): jen.Lit(c.Expression)}
				if c.Param != nil {
					cd[jen.Id("Code")] = jen.Lit(c.Param.Code)
					cd[jen.Id("Type")] = jen.Lit(c.Param.Type)
				}
				comps = append(comps, jen.Values(cd))
			}
			d[jen.Id("Components")] = jen.Index().Id("SearchComponentInfo").Values(multiline(comps)...)
		}
		emit.Commentf(f, "%s is %s.", g.paramName[p], p.URL)
		f.Func().Id(g.paramName[p]).Params().Id("SearchParameterInfo").Block(
			jen.Return(jen.Id("SearchParameterInfo").Values(d)))
	}
}

// ---------------------------------------------------------------------------------------
// Item dispatch

// quantityTypes are Quantity and its profiles generated as their own structs.
var quantityTypes = []string{"Quantity", "Age", "Count", "Distance", "Duration", "SimpleQuantity", "MoneyQuantity"}

// itemCases collects the cases of searchItem's type switch, one per Go type.
type itemCases struct {
	cases []jen.Code
	done  map[string]bool
}

func (c *itemCases) add(t *ir.Type, body ...jen.Code) {
	if c.done[t.Name] {
		return
	}
	c.done[t.Name] = true
	c.cases = append(c.cases, jen.Case(jen.Op("*").Id(t.Name)).Block(body...))
}

// itemField is v.<the Go field of t with that JSON name>.
func itemField(t *ir.Type, json string) *jen.Statement { return jen.Id("v").Dot(t.Field(json).Name) }

// hasFields reports whether t is generated with every one of the JSON fields.
func hasFields(t *ir.Type, json ...string) bool {
	if t == nil {
		return false
	}
	for _, j := range json {
		if t.Field(j) == nil {
			return false
		}
	}
	return true
}

// itemString is the field of v as a Go string ("" when t has no such field).
func itemString(t *ir.Type, json string) jen.Code {
	fl := t.Field(json)
	if fl == nil {
		return jen.Lit("")
	}
	if fl.Prim != nil && fl.Prim.JSON == ir.JSONDecimal {
		return jen.Id("Decimal").Call(jen.Id("v").Dot(fl.Name))
	}
	return jen.String().Call(jen.Id("v").Dot(fl.Name))
}

// dispatch emits searchItem (a type switch over the datatypes search indexes and the
// primitive wrappers) and searchItemOf.
func (g *gen) dispatch(f *jen.File) {
	c := &itemCases{done: map[string]bool{}}
	g.tokenCases(c)
	g.textCases(c)
	g.dateCases(c)
	g.referenceCases(c)
	g.quantityCases(c)
	cases := c.cases
	for _, pv := range g.m.PrimitiveVariants {
		var call jen.Code
		switch pv.Prim.JSON {
		case ir.JSONBool:
			call = jen.If(jen.Id("v").Dot("Value").Op("!=").Nil()).Block(jen.Id("searchBoolItem").Call(jen.Id("s"), jen.Id("sp"), jen.Op("*").Id("v").Dot("Value")))
		case ir.JSONInt32, ir.JSONInt64:
			call = jen.If(jen.Id("v").Dot("Value").Op("!=").Nil()).Block(jen.Id("searchInt64Item").Call(jen.Id("s"), jen.Id("sp"), jen.Int64().Call(jen.Op("*").Id("v").Dot("Value"))))
		case ir.JSONDecimal:
			call = jen.Id("searchDecimalItem").Call(jen.Id("s"), jen.Id("sp"), jen.Id("v").Dot("Value"))
		default:
			call = jen.Id("searchPrimitive").Call(jen.Id("s"), jen.Id("sp"), jen.Lit(pv.Prim.FHIRName), jen.String().Call(jen.Id("v").Dot("Value")))
		}
		cases = append(cases, jen.Case(jen.Op("*").Id(pv.Name)).Block(call))
	}
	cases = append(cases,
		jen.Case(jen.Id("fpValue")).Block(
			jen.Switch(jen.Id("x").Op(":=").Id("v").Dot("V").Assert(jen.Type())).Block(
				jen.Case(jen.String()).Block(jen.Id("searchPrimitive").Call(jen.Id("s"), jen.Id("sp"), jen.Id("v").Dot("Type"), jen.Id("x"))),
				jen.Case(jen.Id("Decimal")).Block(jen.Id("searchPrimitive").Call(jen.Id("s"), jen.Id("sp"), jen.Id("v").Dot("Type"), jen.String().Call(jen.Id("x")))),
				jen.Case(jen.Bool()).Block(jen.Id("searchBoolItem").Call(jen.Id("s"), jen.Id("sp"), jen.Id("x"))),
				jen.Case(jen.Int64()).Block(jen.Id("searchInt64Item").Call(jen.Id("s"), jen.Id("sp"), jen.Id("x"))),
			)),
		jen.Case(jen.String()).Block(jen.Id("searchStringItem").Call(jen.Id("s"), jen.Id("sp"), jen.Id("v"))),
		jen.Case(jen.Id("Resource")).Block(
			// a resource in a reference parameter (Bundle.entry[0].resource): Type/id
			jen.If(jen.Id("sp").Dot("typ").Op("==").Lit("reference")).Block(
				jen.If(jen.Id("id").Op(":=").Id("searchResourceID").Call(jen.Id("v")), jen.Id("id").Op("!=").Lit("")).Block(
					jen.Id("s").Dot("reference").Call(jen.Id("sp"), jen.Id("v").Dot("ResourceType").Call().Op("+").Lit("/").Op("+").Id("id"), jen.Lit(""), jen.Lit(""), jen.Nil()))),
		),
	)
	emit.Comment(f, "searchItem adds the entries of one value of a search expression: a datatype, a primitive "+
		"in a choice or heterogeneous collection, or a resource. Values of other types add nothing.")
	f.Func().Id("searchItem").Params(jen.Id("s").Op("*").Id("searchState"), jen.Id("sp").Op("*").Id("searchSpec"), jen.Id("x").Any()).Block(
		jen.Switch(jen.Id("v").Op(":=").Id("x").Assert(jen.Type())).Block(cases...),
	)
	f.Comment("searchItemOf is searchItem for the items of a typed collection.")
	f.Func().Id("searchItemOf").Types(jen.Id("E").Any()).Params(jen.Id("s").Op("*").Id("searchState"), jen.Id("sp").Op("*").Id("searchSpec"), jen.Id("x").Id("E")).Block(
		jen.Id("searchItem").Call(jen.Id("s"), jen.Id("sp"), jen.Id("x")),
	)
}

// tokenCases adds Coding, CodeableConcept, Identifier and ContactPoint.
func (g *gen) tokenCases(ic *itemCases) {
	v, has, str := itemField, hasFields, itemString
	if t := g.m.Type("Coding"); has(t, "system", "code", "display") {
		ic.add(t, jen.Id("s").Dot("token").Call(jen.Id("sp"), str(t, "system"), str(t, "code"), str(t, "display"), jen.Lit("")))
	}
	if t, c := g.m.Type("CodeableConcept"), g.m.Type("Coding"); has(t, "coding", "text") && has(c, "system", "code", "display") {
		ic.add(t,
			jen.If(jen.Id("sp").Dot("typ").Op("==").Lit("string")).Block(
				jen.Id("s").Dot("str").Call(jen.Id("sp"), str(t, "text")),
				jen.Return(),
			),
			jen.For(jen.Id("i").Op(":=").Range().Add(v(t, "coding"))).Block(
				jen.Id("c").Op(":=").Op("&").Add(v(t, "coding")).Index(jen.Id("i")),
				jen.Id("s").Dot("token").Call(jen.Id("sp"), jen.String().Call(jen.Id("c").Dot(c.Field("system").Name)),
					jen.String().Call(jen.Id("c").Dot(c.Field("code").Name)), jen.String().Call(jen.Id("c").Dot(c.Field("display").Name)), str(t, "text")),
			),
			jen.If(jen.Len(v(t, "coding")).Op("==").Lit(0)).Block(
				jen.Id("s").Dot("token").Call(jen.Id("sp"), jen.Lit(""), jen.Lit(""), jen.Lit(""), str(t, "text")),
			),
		)
	}
	if t, cc, c := g.m.Type("Identifier"), g.m.Type("CodeableConcept"), g.m.Type("Coding"); has(t, "system", "value", "type") && has(cc, "coding", "text") && has(c, "system", "code") {
		ic.add(t,
			jen.Var().List(jen.Id("ts"), jen.Id("tc"), jen.Id("tt")).String(),
			jen.If(jen.Id("ty").Op(":=").Add(v(t, "type")), jen.Id("ty").Op("!=").Nil()).Block(
				jen.Id("tt").Op("=").String().Call(jen.Id("ty").Dot(cc.Field("text").Name)),
				jen.If(jen.Len(jen.Id("ty").Dot(cc.Field("coding").Name)).Op(">").Lit(0)).Block(
					jen.Id("ts").Op("=").String().Call(jen.Id("ty").Dot(cc.Field("coding").Name).Index(jen.Lit(0)).Dot(c.Field("system").Name)),
					jen.Id("tc").Op("=").String().Call(jen.Id("ty").Dot(cc.Field("coding").Name).Index(jen.Lit(0)).Dot(c.Field("code").Name)),
				),
			),
			jen.If(jen.Id("sp").Dot("typ").Op("==").Lit("string")).Block(
				jen.Id("s").Dot("str").Call(jen.Id("sp"), str(t, "value")),
				jen.Return(),
			),
			jen.Id("s").Dot("identifier").Call(jen.Id("sp"), str(t, "system"), str(t, "value"), jen.Id("ts"), jen.Id("tc"), jen.Id("tt")),
		)
	}
	if t := g.m.Type("ContactPoint"); has(t, "system", "value") {
		ic.add(t,
			jen.If(jen.Id("sp").Dot("typ").Op("==").Lit("string")).Block(
				jen.Id("s").Dot("str").Call(jen.Id("sp"), str(t, "value")),
				jen.Return(),
			),
			jen.Id("s").Dot("token").Call(jen.Id("sp"), str(t, "system"), str(t, "value"), jen.Lit(""), jen.Lit("")))
	}
}

// textCases adds HumanName and Address: every part a string entry.
func (g *gen) textCases(ic *itemCases) {
	v, str := itemField, itemString
	parts := func(t *ir.Type, names ...string) []jen.Code {
		var out []jen.Code
		for _, n := range names {
			fl := t.Field(n)
			if fl == nil || fl.Kind != ir.PrimitiveField {
				continue
			}
			if fl.Array {
				out = append(out, jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Add(v(t, n))).Block(
					jen.Id("s").Dot("str").Call(jen.Id("sp"), jen.String().Call(jen.Id("x")))))
			} else {
				out = append(out, jen.Id("s").Dot("str").Call(jen.Id("sp"), str(t, n)))
			}
		}
		return out
	}
	if t := g.m.Type("HumanName"); t != nil {
		ic.add(t, parts(t, "family", "given", "prefix", "suffix", "text")...)
	}
	if t := g.m.Type("Address"); t != nil {
		ic.add(t, parts(t, "line", "city", "district", "state", "postalCode", "country", "text")...)
	}
}

// dateCases adds Period and Timing.
func (g *gen) dateCases(c *itemCases) {
	v, has, str := itemField, hasFields, itemString
	if t := g.m.Type("Period"); has(t, "start", "end") {
		c.add(t, jen.If(str(t, "start").(*jen.Statement).Op("!=").Lit("").Op("||").Add(str(t, "end")).Op("!=").Lit("")).Block(
			jen.Id("s").Dot("date").Call(jen.Id("sp"), str(t, "start"), str(t, "end"))))
	}
	if t, per := g.m.Type("Timing"), g.m.Type("Period"); has(t, "event", "repeat") && has(per, "start", "end") {
		body := []jen.Code{
			jen.Id("starts").Op(":=").Make(jen.Index().String(), jen.Lit(0), jen.Len(v(t, "event")).Op("+").Lit(1)),
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Add(v(t, "event"))).Block(
				jen.Id("starts").Op("=").Append(jen.Id("starts"), jen.String().Call(jen.Id("e")))),
			jen.Id("ends").Op(":=").Append(jen.Index().String().Parens(jen.Nil()), jen.Id("starts").Op("...")),
		}
		rep := t.Field("repeat")
		if rep.Type != nil {
			if b := rep.Type.Field("bounds"); b != nil && b.Choice != nil {
				for _, vr := range b.Choice.Variants {
					if vr.Type == per {
						body = append(body, jen.If(jen.Id("r").Op(":=").Add(v(t, "repeat")), jen.Id("r").Op("!=").Nil()).Block(
							jen.If(jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("r").Dot(b.Name).Assert(jen.Op("*").Id(per.Name)), jen.Id("ok")).Block(
								jen.If(jen.Id("p").Dot(per.Field("start").Name).Op("!=").Lit("")).Block(
									jen.Id("starts").Op("=").Append(jen.Id("starts"), jen.String().Call(jen.Id("p").Dot(per.Field("start").Name)))),
								jen.If(jen.Id("p").Dot(per.Field("end").Name).Op("!=").Lit("")).Block(
									jen.Id("ends").Op("=").Append(jen.Id("ends"), jen.String().Call(jen.Id("p").Dot(per.Field("end").Name)))),
							)))
					}
				}
			}
		}
		body = append(body, jen.Id("s").Dot("span").Call(jen.Id("sp"), jen.Id("starts"), jen.Id("ends")))
		c.add(t, body...)
	}
}

// referenceCases adds Reference and CodeableReference.
func (g *gen) referenceCases(c *itemCases) {
	v, has, str := itemField, hasFields, itemString
	if t, id := g.m.Type("Reference"), g.m.Type("Identifier"); has(t, "reference", "identifier") && has(id, "system", "value") {
		var typ jen.Code = jen.Lit("")
		if has(t, "type") {
			typ = str(t, "type")
		}
		c.add(t,
			jen.If(jen.Id("sp").Dot("typ").Op("!=").Lit("reference")).Block(jen.Return()),
			jen.Var().Id("ident").Op("*").Id("SearchToken"),
			jen.If(jen.Id("i").Op(":=").Add(v(t, "identifier")), jen.Id("i").Op("!=").Nil().Op("&&").Parens(
				jen.Id("i").Dot(id.Field("system").Name).Op("!=").Lit("").Op("||").Id("i").Dot(id.Field("value").Name).Op("!=").Lit(""))).Block(
				jen.Id("ident").Op("=").Op("&").Id("SearchToken").Values(jen.Dict{
					jen.Id("System"): jen.String().Call(jen.Id("i").Dot(id.Field("system").Name)),
					jen.Id("Code"):   jen.String().Call(jen.Id("i").Dot(id.Field("value").Name)),
				})),
			jen.Id("ct").Op(":=").Lit(""),
			jen.If(jen.Id("c").Op(":=").Id("searchResolveContained").Call(jen.Id("s").Dot("contained"), str(t, "reference")), jen.Id("c").Op("!=").Nil()).Block(
				jen.Id("ct").Op("=").Id("c").Dot("ResourceType").Call()),
			jen.Id("s").Dot("reference").Call(jen.Id("sp"), str(t, "reference"), typ, jen.Id("ct"), jen.Id("ident")),
		)
	}
	if t := g.m.Type("CodeableReference"); has(t, "concept", "reference") {
		c.add(t,
			jen.If(jen.Id("sp").Dot("typ").Op("==").Lit("reference").Op("&&").Add(v(t, "reference")).Op("!=").Nil()).Block(
				jen.Id("searchItem").Call(jen.Id("s"), jen.Id("sp"), v(t, "reference"))),
			jen.If(jen.Id("sp").Dot("typ").Op("!=").Lit("reference").Op("&&").Add(v(t, "concept")).Op("!=").Nil()).Block(
				jen.Id("searchItem").Call(jen.Id("s"), jen.Id("sp"), v(t, "concept"))),
		)
	}
}

// quantityCases adds Quantity and its profiles, Money and Range.
func (g *gen) quantityCases(c *itemCases) {
	v, has, str := itemField, hasFields, itemString
	for _, name := range quantityTypes {
		if t := g.m.Type(name); has(t, "value", "system", "code", "unit") {
			c.add(t, jen.Id("s").Dot("quantity").Call(jen.Id("sp"), str(t, "value"), str(t, "system"), str(t, "code"), str(t, "unit")))
		}
	}
	if t := g.m.Type("Money"); has(t, "value", "currency") {
		c.add(t, jen.Id("s").Dot("money").Call(jen.Id("sp"), str(t, "value"), str(t, "currency")))
	}
	if t := g.m.Type("Range"); has(t, "low", "high") {
		bound := func(json string) jen.Code {
			fl := t.Field(json)
			q := fl.Type
			if q == nil || !has(q, "value", "system", "code", "unit") {
				return jen.Null()
			}
			return jen.If(jen.Id("q").Op(":=").Add(v(t, json)), jen.Id("q").Op("!=").Nil()).Block(
				jen.Id(json).Op("=").Op("&").Id("SearchBound").Values(jen.Dict{
					jen.Id("Value"):  jen.String().Call(jen.Id("q").Dot(q.Field("value").Name)),
					jen.Id("System"): jen.String().Call(jen.Id("q").Dot(q.Field("system").Name)),
					jen.Id("Code"):   jen.String().Call(jen.Id("q").Dot(q.Field("code").Name)),
					jen.Id("Unit"):   jen.String().Call(jen.Id("q").Dot(q.Field("unit").Name)),
				}))
		}
		c.add(t,
			jen.Var().List(jen.Id("low"), jen.Id("high")).Op("*").Id("SearchBound"),
			bound("low"), bound("high"),
			jen.Id("s").Dot("rangeBounds").Call(jen.Id("sp"), jen.Id("low"), jen.Id("high")),
		)
	}
}
