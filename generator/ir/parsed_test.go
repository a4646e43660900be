package ir_test

import (
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/internal/gentest"
)

// TestParsedOnce checks that the model holds every expression of the definitions parsed,
// and parsed once: constraints inherited by many elements (ele-1 is on every one) share one
// tree, and each search parameter's tree prints back to its expression.
func TestParsedOnce(t *testing.T) {
	_, res, _ := gentest.Generate(t, generator.Config{Emit: []string{"types"}})
	trees := map[string]syntax.Node{}
	uses := map[string]int{}
	check := func(where, text string, p ir.Parsed) {
		t.Helper()
		if text == "" {
			if p.Node != nil || p.Err != nil {
				t.Errorf("%s: no expression, but a tree or error", where)
			}
			return
		}
		if p.Node == nil {
			t.Errorf("%s: %q not parsed: %v", where, text, p.Err)
			return
		}
		if prev, ok := trees[text]; ok && prev != p.Node {
			t.Errorf("%s: %q parsed twice", where, text)
		}
		trees[text] = p.Node
		uses[text]++
	}
	for _, ty := range res.Model.Types {
		for _, c := range ty.RootConstraints {
			check(ty.FHIRName+" "+c.Key, c.Expression, c.Expr)
		}
		for _, fl := range ty.Fields {
			for _, c := range fl.Constraints {
				check(fl.Path+" "+c.Key, c.Expression, c.Expr)
			}
		}
		for _, p := range ty.SearchParams {
			check(ty.FHIRName+"?"+p.Code, p.Expression, p.Expr)
			if p.Expr.Node != nil && !syntax.Equal(p.Expr.Node, mustParse(t, p.Expr.Node.String())) {
				t.Errorf("%s?%s: the tree does not print back to an equal tree", ty.FHIRName, p.Code)
			}
		}
	}
	if len(trees) < 10 {
		t.Fatalf("only %d distinct expressions in the model", len(trees))
	}
	if n := uses["hasValue() or (children().count() > id.count())"]; n < 100 {
		t.Errorf("ele-1 shared by %d elements, want one tree for every element", n)
	}
	t.Logf("%d distinct expressions, %d uses of ele-1's tree", len(trees), uses["hasValue() or (children().count() > id.count())"])
}

func mustParse(t *testing.T, s string) syntax.Node {
	t.Helper()
	n, err := syntax.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestParseError checks that an expression that does not parse keeps its syntax error.
func TestParseError(t *testing.T) {
	p := ir.Parse("name.where(")
	if p.Node != nil || p.Err == nil {
		t.Fatalf("Parse of a bad expression: %v, %v", p.Node, p.Err)
	}
	if _, ok := p.Err.(*syntax.SyntaxError); !ok {
		t.Errorf("error %T, want *syntax.SyntaxError", p.Err)
	}
}
