package search

import (
	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/ir"
)

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
