package fhirpath

import (
	"strings"

	"github.com/dave/jennifer/jen"
)

// The compiled code is built with jennifer, like everything else fhirgen prints. These
// are the shapes it is made of. A *jen.Statement grows when one of its methods is called,
// so the code of a val is only ever passed as an argument, never extended.

// typ returns the Go type g of the items of a compiled collection: a generated type
// (Reference), a pointer to one (*Reference), a basic type, any or [2]string.
func typ(g string) *jen.Statement {
	if rest, ok := strings.CutPrefix(g, "*"); ok {
		return jen.Op("*").Add(typ(rest))
	}
	if b, ok := basicTypes[g]; ok {
		return b()
	}
	if g == "[2]string" {
		return jen.Index(jen.Lit(2)).String()
	}
	return jen.Id(g)
}

// basicTypes are the predeclared Go types of compiled code.
var basicTypes = map[string]func() *jen.Statement{
	"any": jen.Any, "string": jen.String, "bool": jen.Bool, "int": jen.Int, "int64": jen.Int64, "float64": jen.Float64,
}

// sliceOf is the type []g.
func sliceOf(g string) *jen.Statement { return jen.Index().Add(typ(g)) }

// nilSlice is the empty collection []g(nil).
func nilSlice(g string) *jen.Statement { return sliceOf(g).Parens(jen.Nil()) }

// one is the collection []g{x}.
func one(g string, x jen.Code) *jen.Statement { return sliceOf(g).Values(x) }

// bools is the collection []bool{b}.
func bools(b bool) *jen.Statement { return one("bool", jen.Lit(b)) }

// boolsOf is the collection []bool{x} of a Go Boolean expression.
func boolsOf(x jen.Code) *jen.Statement { return one("bool", x) }

// fn is a call of the function name.
func fn(name string, args ...jen.Code) *jen.Statement { return jen.Id(name).Call(args...) }

// generic is a call of the generic function name instantiated with g.
func generic(name, g string, args ...jen.Code) *jen.Statement {
	return jen.Id(name).Types(typ(g)).Call(args...)
}

// v and x are the item variables of the helpers; vf is field f of v.
func vf(f string) *jen.Statement { return jen.Id("v").Dot(f) }

// outIs is the statement out = x.
func outIs(x jen.Code) *jen.Statement { return jen.Id("out").Op("=").Add(x) }

// appendOut is the statement out = append(out, x).
func appendOut(x jen.Code) *jen.Statement { return outIs(jen.Append(jen.Id("out"), x)) }

// appender is the signature (name g, out []res) []res of a function appending the values
// of one item to out; body runs before return out.
func appender(param, g, res string, body ...jen.Code) *jen.Statement {
	return jen.Params(jen.Id(param).Add(typ(g)), jen.Id("out").Add(sliceOf(res))).Add(sliceOf(res)).
		Block(append(body, jen.Return(jen.Id("out")))...)
}

// lambdaFn is the function literal func(params) []res { return x }.
func lambdaFn(params []jen.Code, res jen.Code, x jen.Code) *jen.Statement {
	return jen.Func().Params(params...).Add(res).Block(jen.Return(x))
}

// param is one parameter name g.
func param(name, g string) *jen.Statement { return jen.Id(name).Add(typ(g)) }

// thunk is the function literal func() []g { return x }.
func thunk(g string, x jen.Code) *jen.Statement { return lambdaFn(nil, sliceOf(g), x) }

// iife is func() []bool { body }(): a Boolean collection computed by statements.
func iife(body ...jen.Code) *jen.Statement {
	return jen.Func().Params().Index().Bool().Block(body...).Call()
}

// docLines is a doc comment of lines ("" for an empty comment line; a line starting with
// a tab is a code block), ending in a newline, to put before a declaration.
func docLines(lines ...string) *jen.Statement {
	s := jen.Null()
	for _, l := range lines {
		switch {
		case l == "":
			s.Comment("//")
		case l[0] == '\t':
			s.Comment("//" + l)
		default:
			s.Comment("// " + l)
		}
		s.Line()
	}
	return s
}
