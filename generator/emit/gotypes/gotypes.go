// Package gotypes emits the Go types of a model with their reflection-free FHIR JSON
// codecs: one file per resource or datatype (with its backbones and choice interfaces),
// the enums, the primitive choice wrappers and the resource registry.
package gotypes

import (
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// Emitter is the types emitter.
type Emitter struct{}

// Emit returns the files of the types emitter.
func (Emitter) Emit(in emit.Input) ([]emit.File, diag.List) {
	m, o := in.Model, in.Options
	var files emit.Files
	tops := m.TopLevel()
	choicesOf := map[*ir.Type][]*ir.Choice{}
	topByFHIR := map[string]*ir.Type{}
	for _, t := range tops {
		topByFHIR[t.FHIRName] = t
	}
	for _, c := range m.Choices {
		owner := topByFHIR[strings.SplitN(c.Path, ".", 2)[0]]
		choicesOf[owner] = append(choicesOf[owner], c)
	}
	variantTypes := map[*ir.Type]string{}
	for _, c := range m.Choices {
		for _, v := range c.Variants {
			if v.Type != nil {
				variantTypes[v.Type] = v.Suffix
			}
		}
	}
	g := &gen{m: m}
	for _, t := range tops {
		f := emit.NewFile(o, t.Source)
		for _, tt := range append([]*ir.Type{t}, m.Backbones(t)...) {
			g.typeDecl(f, tt)
			if s, ok := variantTypes[tt]; ok {
				f.Func().Params(jen.Id("x").Op("*").Id(tt.Name)).Id("encodeChoice").
					Params(jen.Id("e").Op("*").Id("encoder"), jen.Id("name").String()).Block(
					jen.Id("encVariant").Call(jen.Id("e"), jen.Id("name"), jen.Lit(s), jen.Id("x")))
			}
		}
		for _, c := range choicesOf[t] {
			g.choiceDecl(f, c)
		}
		files.Render(emit.TypeFileName(t.Name), f)
	}
	for _, part := range []struct {
		name string
		fill func(*jen.File)
	}{
		{"enums.gen.go", g.enums},
		{"choice_primitives.gen.go", g.primitiveVariants},
		{"resources.gen.go", g.registry},
	} {
		f := emit.NewFile(o, "")
		part.fill(f)
		files.Render(part.name, f)
	}
	return files.List, files.Diags
}

type gen struct {
	m *ir.Model
}

func cardinality(f *ir.Field) string {
	max := "*"
	if f.Max >= 0 {
		max = itoa(f.Max)
	}
	return itoa(f.Min) + ".." + max
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	neg := i < 0
	if neg {
		i = -i
	}
	var b []byte
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// goType returns the Go type of a field's value.
func goType(f *ir.Field) *jen.Statement {
	var t *jen.Statement
	switch f.Kind {
	case ir.PrimitiveField:
		t = emit.PrimType(f.Prim, f.Enum)
		if f.Array {
			return jen.Index().Add(t)
		}
		return t
	case ir.ComplexField:
		if f.Array {
			return jen.Index().Id(f.Type.Name)
		}
		return jen.Op("*").Id(f.Type.Name)
	case ir.ResourceField:
		if f.Array {
			return jen.Index().Id("Resource")
		}
		return jen.Id("Resource")
	default: // choice
		return jen.Id(f.Choice.Name)
	}
}

func (g *gen) typeDecl(f *jen.File, t *ir.Type) {
	what := "the FHIR datatype " + t.FHIRName
	switch t.Kind {
	case ir.ResourceType:
		what = "the FHIR resource " + t.FHIRName
	case ir.BackboneType:
		what = "the backbone element " + t.FHIRName
	}
	for _, c := range emit.Doc(t.Name+" is "+what+".", t.Doc) {
		f.Add(c)
	}
	var fields []jen.Code
	for _, fl := range t.Fields {
		doc := fl.Name + " is " + fl.Path + " (" + cardinality(fl) + ")."
		if fl.Doc != "" {
			doc += " " + firstLine(fl.Doc)
		}
		fields = append(fields, jen.Comment(doc), jen.Id(fl.Name).Add(goType(fl)))
		if fl.ExtName != "" {
			ext := jen.Op("*").Id(g.m.Element.Name)
			if fl.Array {
				ext = jen.Index().Op("*").Id(g.m.Element.Name)
			}
			fields = append(fields,
				jen.Comment(fl.ExtName+" holds the id and extensions of "+fl.Name+` (JSON "_`+fl.JSONName+`").`),
				jen.Id(fl.ExtName).Add(ext))
		}
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
	g.decodeFunc(f, t)
	g.encodeFunc(f, t)
	x := jen.Id("x").Op("*").Id(t.Name)
	f.Comment("MarshalJSON encodes x as FHIR JSON.")
	f.Func().Params(x.Clone()).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Id("x").Op("==").Nil()).Block(jen.Return(jen.Index().Byte().Parens(jen.Lit("null")), jen.Nil())),
		jen.Return(jen.Id("marshalValue").Call(jen.Id("x"), jen.Lit(sizeHint(t))), jen.Nil()),
	)
	f.Comment("UnmarshalJSON decodes FHIR JSON into x; structural faults are *DecodeError.")
	f.Func().Params(x.Clone()).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Id("unmarshalValue").Call(jen.Id("data"), jen.Id("x"), jen.Lit(t.FHIRName), jen.Id("newResource"))),
	)
	if t.Kind == ir.ResourceType {
		f.Comment("ResourceType returns \"" + t.FHIRName + "\".")
		f.Func().Params(jen.Op("*").Id(t.Name)).Id("ResourceType").Params().String().Block(jen.Return(jen.Lit(t.FHIRName)))
		f.Var().Id("_").Id("Resource").Op("=").Parens(jen.Op("*").Id(t.Name)).Parens(jen.Nil())
	}
}

func sizeHint(t *ir.Type) int {
	if t.Kind == ir.ResourceType {
		return 1024
	}
	return 128
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// decodeFunc emits decodeFHIR: a loop over the object's keys with a switch that decodes
// each member straight into its field.
func (g *gen) decodeFunc(f *jen.File, t *ir.Type) {
	var cases []jen.Code
	if t.Kind == ir.ResourceType {
		cases = append(cases, jen.Case(jen.Lit("resourceType")).Block(
			jen.Id("err").Op("=").Id("d").Dot("checkResourceType").Call(jen.Lit(t.FHIRName)),
			jen.Id("typed").Op("=").True()))
	}
	var after []jen.Code
	for _, fl := range t.Fields {
		dst := jen.Op("&").Id("x").Dot(fl.Name)
		switch fl.Kind {
		case ir.PrimitiveField:
			fn := primDecoder(fl.Prim, fl.Array)
			cases = append(cases, jen.Case(jen.Lit(fl.JSONName)).Block(jen.Id("err").Op("=").Id(fn).Call(jen.Id("d"), dst)))
			if fl.ExtName != "" {
				ext := "decObject"
				if fl.Array {
					ext = "decExts"
				}
				cases = append(cases, jen.Case(jen.Lit("_"+fl.JSONName)).Block(
					jen.Id("err").Op("=").Id(ext).Call(jen.Id("d"), jen.Op("&").Id("x").Dot(fl.ExtName))))
				if fl.Array {
					after = append(after, jen.If(
						jen.Err().Op(":=").Id("aligned").Call(jen.Id("d"), jen.Id("x").Dot(fl.Name), jen.Id("x").Dot(fl.ExtName)),
						jen.Err().Op("!=").Nil()).Block(
						jen.Return(jen.Id("inField").Call(jen.Err(), jen.Lit(fl.JSONName)))))
				}
			}
		case ir.ComplexField:
			fn := "decObject"
			if fl.Array {
				fn = "decObjects"
			}
			cases = append(cases, jen.Case(jen.Lit(fl.JSONName)).Block(jen.Id("err").Op("=").Id(fn).Call(jen.Id("d"), dst)))
		case ir.ResourceField:
			fn := "decResource"
			if fl.Array {
				fn = "decResources"
			}
			cases = append(cases, jen.Case(jen.Lit(fl.JSONName)).Block(jen.Id("err").Op("=").Id(fn).Call(jen.Id("d"), dst)))
		case ir.ChoiceField:
			for _, v := range fl.Choice.Variants {
				key := fl.JSONName + v.Suffix
				if v.Type != nil {
					cases = append(cases, jen.Case(jen.Lit(key)).Block(
						jen.Id("err").Op("=").Id("decVariant").Types(jen.Id(v.Type.Name)).Call(jen.Id("d"), dst.Clone())))
					continue
				}
				cases = append(cases,
					jen.Case(jen.Lit(key)).Block(
						jen.Id("err").Op("=").Id("decPrimVariant").Types(jen.Id(v.Prim.Name)).Call(jen.Id("d"), dst.Clone(), jen.False())),
					jen.Case(jen.Lit("_"+key)).Block(
						jen.Id("err").Op("=").Id("decPrimVariant").Types(jen.Id(v.Prim.Name)).Call(jen.Id("d"), dst.Clone(), jen.True())))
			}
		}
	}
	cases = append(cases, jen.Default().Block(jen.Id("err").Op("=").Id("d").Dot("unknown").Call(jen.Id("key"))))
	body := []jen.Code{
		jen.If(jen.Err().Op(":=").Id("d").Dot("openObject").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	}
	if t.Kind == ir.ResourceType {
		body = append(body, jen.Id("typed").Op(":=").False())
	}
	body = append(body,
		jen.For().Block(
			jen.List(jen.Id("key"), jen.Err()).Op(":=").Id("d").Dot("key").Call(),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
			jen.If(jen.Id("key").Op("==").Nil()).Block(jen.Break()),
			jen.Switch(jen.String().Parens(jen.Id("key"))).Block(cases...),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("inField").Call(jen.Err(), jen.String().Parens(jen.Id("key"))))),
		))
	if t.Kind == ir.ResourceType {
		body = append(body, jen.If(jen.Op("!").Id("typed")).Block(
			jen.Return(jen.Id("d").Dot("errorf").Call(jen.Lit("missing resourceType")))))
	}
	body = append(body, after...)
	body = append(body, jen.Return(jen.Nil()))
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("decodeFHIR").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(body...)
}

func primDecoder(p *ir.Primitive, array bool) string {
	var s string
	switch p.JSON {
	case ir.JSONBool:
		s = "decBool"
	case ir.JSONInt32:
		s = "decInt32"
	case ir.JSONInt64:
		s = "decInt64"
	case ir.JSONDecimal:
		s = "decDecimal"
	default:
		s = "decString"
	}
	if array {
		s += "s"
	}
	return s
}

func primEncoder(p *ir.Primitive, array bool) string {
	return "enc" + strings.TrimPrefix(primDecoder(p, array), "dec")
}

// encodeFunc emits encodeFHIR: members in definition order, "_x" right after "x".
func (g *gen) encodeFunc(f *jen.File, t *ir.Type) {
	var body []jen.Code
	if t.Kind == ir.ResourceType {
		body = append(body, jen.Id("e").Dot("openResource").Call(jen.Lit(t.FHIRName)))
	} else {
		body = append(body, jen.Id("e").Dot("open").Call())
	}
	for _, fl := range t.Fields {
		name := jen.Lit(fl.JSONName)
		val := jen.Id("x").Dot(fl.Name)
		switch fl.Kind {
		case ir.PrimitiveField:
			fn := primEncoder(fl.Prim, fl.Array)
			if fl.Array {
				other := jen.Lit(0)
				if fl.ExtName != "" {
					other = jen.Len(jen.Id("x").Dot(fl.ExtName))
				}
				body = append(body, jen.Id(fn).Call(jen.Id("e"), name, val, other))
				if fl.ExtName != "" {
					body = append(body, jen.Id("encExts").Call(jen.Id("e"), jen.Lit("_"+fl.JSONName), jen.Id("x").Dot(fl.ExtName), jen.Len(jen.Id("x").Dot(fl.Name))))
				}
			} else {
				body = append(body, jen.Id(fn).Call(jen.Id("e"), name, val))
				if fl.ExtName != "" {
					body = append(body, jen.Id("encObject").Call(jen.Id("e"), jen.Lit("_"+fl.JSONName), jen.Id("x").Dot(fl.ExtName)))
				}
			}
		case ir.ComplexField:
			fn := "encObject"
			if fl.Array {
				fn = "encObjects"
			}
			body = append(body, jen.Id(fn).Call(jen.Id("e"), name, val))
		case ir.ResourceField:
			fn := "encResource"
			if fl.Array {
				fn = "encResources"
			}
			body = append(body, jen.Id(fn).Call(jen.Id("e"), name, val))
		case ir.ChoiceField:
			body = append(body, jen.Id("encChoice").Call(jen.Id("e"), name, val))
		}
	}
	body = append(body, jen.Id("e").Dot("close").Call())
	f.Func().Params(jen.Id("x").Op("*").Id(t.Name)).Id("encodeFHIR").Params(jen.Id("e").Op("*").Id("encoder")).Block(body...)
}

func (g *gen) choiceDecl(f *jen.File, c *ir.Choice) {
	var names []string
	for _, v := range c.Variants {
		names = append(names, "*"+v.GoType())
	}
	for _, d := range emit.Doc(c.Name+" is the choice "+c.Path+": exactly one of "+strings.Join(names, ", ")+".", c.Doc) {
		f.Add(d)
	}
	f.Type().Id(c.Name).Interface(jen.Id("choiceValue"), jen.Id(c.Marker).Params())
	for _, v := range c.Variants {
		f.Func().Params(jen.Op("*").Id(v.GoType())).Id(c.Marker).Params().Block()
	}
}

func (g *gen) enums(f *jen.File) {
	for _, e := range g.m.Enums {
		doc := e.Name + " is a code of the ValueSet " + e.ValueSet + " (required binding)."
		for _, d := range emit.Doc(doc, e.Doc) {
			f.Add(d)
		}
		f.Type().Id(e.Name).String()
		var consts []jen.Code
		var cases []jen.Code
		for _, c := range e.Codes {
			cdoc := e.Name + c.Const + " is the code " + quote(c.Code)
			if c.Display != "" && c.Display != c.Code {
				cdoc += ": " + firstLine(c.Display)
			}
			if c.System != "" {
				cdoc += " (" + c.System + ")"
			}
			consts = append(consts, jen.Comment(cdoc+"."), jen.Id(e.Name+c.Const).Id(e.Name).Op("=").Lit(c.Code))
			cases = append(cases, jen.Lit(c.Code))
		}
		f.Comment("The codes of " + e.Name + ".")
		f.Const().Defs(consts...)
		f.Comment("Known reports whether c is one of the codes of the ValueSet.")
		f.Func().Params(jen.Id("c").Id(e.Name)).Id("Known").Params().Bool().Block(
			jen.Switch(jen.Id("c")).Block(jen.Case(cases...).Block(jen.Return(jen.True()))),
			jen.Return(jen.False()))
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func (g *gen) primitiveVariants(f *jen.File) {
	for _, p := range g.m.PrimitiveVariants {
		f.Comment(p.Name + " is a FHIR " + p.Prim.FHIRName + " in a choice element, with its id and extensions.")
		f.Type().Id(p.Name).Struct(
			jen.Comment("Value is the "+p.Prim.FHIRName+" value."),
			jen.Id("Value").Add(emit.PrimType(p.Prim, nil)),
			jen.Comment("Ext holds the id and extensions (the \"_\" member)."),
			jen.Id("Ext").Op("*").Id(g.m.Element.Name),
		)
		recv := jen.Id("v").Op("*").Id(p.Name)
		f.Func().Params(recv.Clone()).Id("decodeValue").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(
			jen.Return(jen.Id(primDecoder(p.Prim, false)).Call(jen.Id("d"), jen.Op("&").Id("v").Dot("Value"))))
		f.Func().Params(recv.Clone()).Id("decodeExt").Params(jen.Id("d").Op("*").Id("decoder")).Error().Block(
			jen.Return(jen.Id("decObject").Call(jen.Id("d"), jen.Op("&").Id("v").Dot("Ext"))))
		suffix := strings.ToUpper(p.Prim.FHIRName[:1]) + p.Prim.FHIRName[1:]
		f.Func().Params(recv.Clone()).Id("encodeChoice").Params(jen.Id("e").Op("*").Id("encoder"), jen.Id("name").String()).Block(
			jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Return()),
			jen.Id("encVariant"+variantKind(p.Prim)).Call(jen.Id("e"), jen.Id("name"), jen.Lit(suffix), jen.Id("v").Dot("Value")),
			jen.Id("encVariantExt").Call(jen.Id("e"), jen.Id("name"), jen.Lit(suffix), jen.Id("v").Dot("Ext")),
		)
	}
}

func variantKind(p *ir.Primitive) string {
	switch p.JSON {
	case ir.JSONBool:
		return "Bool"
	case ir.JSONInt32:
		return "Int32"
	case ir.JSONInt64:
		return "Int64"
	case ir.JSONDecimal:
		return "Decimal"
	}
	return "String"
}

func (g *gen) registry(f *jen.File) {
	var cases []jen.Code
	var names []jen.Code
	for _, r := range g.m.Resources {
		cases = append(cases, jen.Case(jen.Lit(r.FHIRName)).Block(jen.Return(jen.New(jen.Id(r.Name)))))
		names = append(names, jen.Lit(r.FHIRName))
	}
	f.Comment("ResourceTypes returns the resource types generated in this package, sorted.")
	f.Func().Id("ResourceTypes").Params().Index().String().Block(
		jen.Return(jen.Index().String().Values(names...)))
	f.Func().Id("newResource").Params(jen.Id("resourceType").String()).Id("fhirResource").Block(
		jen.Switch(jen.Id("resourceType")).Block(cases...),
		jen.Return(jen.Nil()))
	f.Comment("UnmarshalResource decodes a resource of any type generated in this package,")
	f.Comment("dispatching on its resourceType; an unknown type is an error.")
	f.Func().Id("UnmarshalResource").Params(jen.Id("data").Index().Byte()).Params(jen.Id("Resource"), jen.Error()).Block(
		jen.Return(jen.Id("unmarshalResource").Call(jen.Id("data"), jen.Id("DecodeOptions").Values(), jen.Id("newResource"))))
	f.Comment("UnmarshalResource decodes a resource like the package-level UnmarshalResource, with")
	f.Comment("these limits.")
	f.Func().Params(jen.Id("o").Id("DecodeOptions")).Id("UnmarshalResource").Params(jen.Id("data").Index().Byte()).Params(jen.Id("Resource"), jen.Error()).Block(
		jen.Return(jen.Id("unmarshalResource").Call(jen.Id("data"), jen.Id("o"), jen.Id("newResource"))))
}
