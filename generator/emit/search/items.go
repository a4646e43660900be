package search

import (
	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/ir"
)

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
