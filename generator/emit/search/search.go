// Package search emits the search-index extractors of a model: for each generated resource
// and each of its SearchParameters with an expression, the expression compiled to Go (by the
// shared FHIRPath compiler) and the code turning its values into SearchEntry values (see
// templates/support/search.go), plus ExtractSearchIndex and the SearchParameters registry.
package search

import (
	"fmt"
	"strconv"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
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
