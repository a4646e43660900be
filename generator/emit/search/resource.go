package search

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
)

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
