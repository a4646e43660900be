package fhirpath_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/internal/gentest"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// compiledExpr is an expression TestCompiledCode compiles to the Go function name, on
// the context type ctx, and the values it must give: on the sample resource of ctx, and
// for Extension also on extBoth.
type compiledExpr struct {
	name, ctx, src string
	want           []string
}

// compiledExprs are the expressions of TestCompiledCode.
var compiledExprs = []compiledExpr{
	{"Status", "BulkDataExport", "BulkDataExport.status", []string{"[active]"}},
	{"Severity", "Bundle", "Bundle.entry.resource.ofType(OperationOutcome).issue.severity", []string{"[error warning]"}},
	{"Ext1", "Extension", "extension.exists() != value.exists()", []string{"[true]", "[false]"}},
	{"OutputURLs", "BulkDataExport", "output.where(type = 'Patient').url", []string{"[https://x/p.ndjson]"}},
	{"CountOut", "BulkDataExport", "output.count()", []string{"[2]"}},
	{"Matches", "BulkDataExport", "request.matches('^https://')", []string{"[true]"}},
	{"Iif", "BulkDataExport", "iif(output.exists(), 'some', 'none')", []string{"[some]"}},
	{"AndEmpty", "BulkDataExport", "transactionTime.exists().not() and {}", []string{"[]"}},
	{"OrEmpty", "BulkDataExport", "status = 'active' or {}", []string{"[true]"}},
	{"ImpliesEmpty", "BulkDataExport", "{} implies false", []string{"[]"}},
	{"FirstType", "BulkDataExport", "output.first().type", []string{"[Patient]"}},
	{"EqEmpty", "BulkDataExport", "transactionTime = '2020'", []string{"[]"}},
	// sub-expressions of iteration arguments that do not depend on the item are
	// hoisted (evaluated once): the results must not change
	{"HoistWhere", "BulkDataExport", "output.where(type in %resource.output.type.where($this = 'Patient')).url", []string{"[https://x/p.ndjson]"}},
	{"HoistNested", "BulkDataExport", "output.select(%resource.output.where(url = %context.output.first().url).type)", []string{"[Patient Patient]"}},
	{"HoistNoItems", "BulkDataExport", "output.where(false).where(%resource.output.count() > 0)", []string{"[]"}},
	{"HoistTrace", "BulkDataExport", "output.trace('t', %resource.output.url).count()", []string{"[2]"}},
	{"HoistRepeat", "BulkDataExport", "output.repeat(%resource.output).count()", []string{"[2]"}},
	{"HoistExists", "BulkDataExport", "output.exists(url = %resource.output.last().url)", []string{"[true]"}},
	{"HoistAll", "BulkDataExport", "output.all(%resource.status = 'active')", []string{"[true]"}},
	// an environment-rooted sub-expression written twice is hoisted once and shared, in an
	// iteration or not
	{"HoistShared", "BulkDataExport", "%resource.output.url.count() + %resource.output.url.count()", []string{"[4]"}},
	{"HoistSharedWhere", "BulkDataExport", "output.where(%resource.output.url.first() = %resource.output.url.first()).count()", []string{"[2]"}},
	// an element the type does not have selects nothing (a warning, still compiled)
	{"UnknownElem", "BulkDataExport", "nonexistent.exists() or output.nonexistent.empty()", []string{"[true]"}},
}

// compiledMain is the start of the program TestCompiledCode runs: the sample resources
// and show, which prints a result.
const compiledMain = `package main

import (
	"fmt"
	"example.com/x/fhir"
)

func show(name string) func(v any, err error) {
	return func(v any, err error) { fmt.Printf("%s=%v err=%v\n", name, v, err) }
}

func main() {
	var bde fhir.BulkDataExport
	if err := bde.UnmarshalJSON([]byte(` + "`" + `{"resourceType":"BulkDataExport","status":"active","requestTime":"2020-01-01T00:00:00Z","request":"https://x/$export",
		"output":[{"type":"Patient","url":"https://x/p.ndjson"},{"type":"Observation","url":"https://x/o.ndjson"}]}` + "`" + `)); err != nil {
		panic(err)
	}
	var bundle fhir.Bundle
	if err := bundle.UnmarshalJSON([]byte(` + "`" + `{"resourceType":"Bundle","type":"collection","entry":[
		{"resource":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid"},{"severity":"warning","code":"invalid"}]}},
		{"resource":{"resourceType":"BulkDataExport","status":"error","requestTime":"2020","request":"x"}}]}` + "`" + `)); err != nil {
		panic(err)
	}
	ext := &fhir.Extension{URL: "http://x", Value: &fhir.StringValue{Value: "a"}}
	extBoth := &fhir.Extension{URL: "http://x", Value: &fhir.StringValue{Value: "a"}, Extension: []fhir.Extension{{URL: "y"}}}
`

// TestCompiledCode generates the package of definitions/, compiles expressions into it,
// builds it with a main program evaluating them on sample resources, and checks the output.
func TestCompiledCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	files, res, _ := gentest.Generate(t, generator.Config{Emit: []string{"types"}})
	c := fhirpath.NewCompiler(res.Model)
	var calls strings.Builder
	for _, e := range compiledExprs {
		compileExpr(t, c, res.Model, e)
		arg := map[string]string{"BulkDataExport": "&bde", "Bundle": "&bundle", "Extension": "ext"}[e.ctx]
		calls.WriteString("\tshow(\"" + e.name + "\")(" + "fhir." + e.name + "(nil, " + arg + "))\n")
		if e.ctx == "Extension" {
			calls.WriteString("\tshow(\"" + e.name + "Both\")(" + "fhir." + e.name + "(nil, extBoth))\n")
		}
	}
	fpFiles, err := emit.FHIRPathFiles(c, emit.Options{PkgPath: "example.com/x/fhir", PkgName: "fhir"})
	if err != nil {
		t.Fatal(err)
	}
	checkHoisted(t, fpFiles[0].Content)
	m := tempmod.New(t, "example.com/x")
	m.WriteFiles("fhir", files)
	m.WriteFiles("fhir", fpFiles)
	m.Write("cmd/main.go", []byte(compiledMain+calls.String()+"}\n"))
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(m.MustGo("run", "./cmd"))), "\n") {
		name, rest, _ := strings.Cut(line, "=")
		v, e, _ := strings.Cut(rest, " err=")
		if e != "<nil>" {
			t.Errorf("%s: error %s", name, e)
		}
		name = strings.TrimSuffix(name, "Both")
		got[name] = append(got[name], v)
	}
	for _, e := range compiledExprs {
		if !slices.Equal(got[e.name], e.want) {
			t.Errorf("%s: %s = %q, want %q", e.name, e.src, got[e.name], e.want)
		}
	}
}

// compileExpr compiles e into c; only UnknownElem may (and must) give an error, the
// warning that an element does not exist.
func compileExpr(t *testing.T, c *fhirpath.Compiler, m *ir.Model, e compiledExpr) {
	t.Helper()
	n, err := syntax.Parse(e.src)
	if err != nil {
		t.Fatal(err)
	}
	ctx, err := fhirpath.ContextFor(m, e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.Func(e.name, n, ctx)
	var ce *fhirpath.CheckError
	switch {
	case e.name == "UnknownElem":
		if !errors.As(err, &ce) || ce.Kind != fhirpath.ErrUnknownElement ||
			ce.Msg != `no element "nonexistent" on BulkDataExport, "nonexistent" on collection of BulkDataExport.output (taken as empty)` {
			t.Fatalf("%s: got %v, want an ErrUnknownElement warning naming both paths", e.src, err)
		}
	case err != nil:
		t.Fatalf("%s: %v", e.src, err)
	}
}

// checkHoisted checks that the Hoist* functions (but HoistTrace, whose trace must run
// per item, and HoistNoItems) evaluate a hoisted sub-expression.
func checkHoisted(t *testing.T, src []byte) {
	t.Helper()
	for _, e := range compiledExprs {
		if !strings.HasPrefix(e.name, "Hoist") || e.name == "HoistTrace" || e.name == "HoistNoItems" {
			continue
		}
		_, body, _ := strings.Cut(string(src), "func "+e.name+"(")
		body, _, _ = strings.Cut(body, "\n}\n")
		if !strings.Contains(body, "fpHoisted[") {
			t.Errorf("%s: %s: nothing hoisted:\n%s", e.name, e.src, body)
		}
		// HoistShared: the shared operand; HoistSharedWhere: the loop-invariant comparison
		// and, inside it, the shared operand.
		if want := map[string]int{"HoistShared": 1, "HoistSharedWhere": 2}[e.name]; want != 0 {
			if n := strings.Count(body, "fpHoisted["); n != want {
				t.Errorf("%s: %s: %d hoisted variables, want %d (each use of the shared operand reads one):\n%s", e.name, e.src, n, want, body)
			}
		}
	}
}
