package fhirpath_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
)

// TestCompiledCode generates the package of definitions/, compiles expressions into it,
// builds it with a main program evaluating them on sample resources, and checks the output.
func TestCompiledCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	root, _ := filepath.Abs("../..")
	files, res, ds := generator.Generate(os.DirFS(root), generator.Config{Inputs: []string{"definitions"}, Package: "fhir", Emit: []string{"types"}})
	if ds.HasErrors() {
		t.Fatal(ds.Errors())
	}
	c := fhirpath.NewCompiler(res.Model)
	type expr struct{ name, ctx, src string }
	exprs := []expr{
		{"Status", "BulkDataExport", "BulkDataExport.status"},
		{"Severity", "Bundle", "Bundle.entry.resource.ofType(OperationOutcome).issue.severity"},
		{"Ext1", "Extension", "extension.exists() != value.exists()"},
		{"OutputURLs", "BulkDataExport", "output.where(type = 'Patient').url"},
		{"CountOut", "BulkDataExport", "output.count()"},
		{"Matches", "BulkDataExport", "request.matches('^https://')"},
		{"Iif", "BulkDataExport", "iif(output.exists(), 'some', 'none')"},
		{"AndEmpty", "BulkDataExport", "transactionTime.exists().not() and {}"},
		{"OrEmpty", "BulkDataExport", "status = 'active' or {}"},
		{"ImpliesEmpty", "BulkDataExport", "{} implies false"},
		{"FirstType", "BulkDataExport", "output.first().type"},
		{"EqEmpty", "BulkDataExport", "transactionTime = '2020'"},
		// sub-expressions of iteration arguments that do not depend on the item are
		// hoisted (evaluated once): the results must not change
		{"HoistWhere", "BulkDataExport", "output.where(type in %resource.output.type.where($this = 'Patient')).url"},
		{"HoistNested", "BulkDataExport", "output.select(%resource.output.where(url = %context.output.first().url).type)"},
		{"HoistNoItems", "BulkDataExport", "output.where(false).where(%resource.output.count() > 0)"},
		{"HoistTrace", "BulkDataExport", "output.trace('t', %resource.output.url).count()"},
		{"HoistRepeat", "BulkDataExport", "output.repeat(%resource.output).count()"},
		{"HoistExists", "BulkDataExport", "output.exists(url = %resource.output.last().url)"},
		{"HoistAll", "BulkDataExport", "output.all(%resource.status = 'active')"},
		// an element the type does not have selects nothing (a warning, still compiled)
		{"UnknownElem", "BulkDataExport", "nonexistent.exists() or output.nonexistent.empty()"},
	}
	var calls strings.Builder
	for _, e := range exprs {
		n, err := fhirpath.Parse(e.src)
		if err != nil {
			t.Fatal(err)
		}
		ctx, err := fhirpath.ContextFor(res.Model, e.ctx)
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
		arg := map[string]string{"BulkDataExport": "&bde", "Bundle": "&bundle", "Extension": "ext"}[e.ctx]
		calls.WriteString("\tshow(\"" + e.name + "\")(" + "fhir." + e.name + "(nil, " + arg + "))\n")
		if e.ctx == "Extension" {
			calls.WriteString("\tshow(\"" + e.name + "Both\")(" + "fhir." + e.name + "(nil, extBoth))\n")
		}
	}
	src, err := c.Source("fhir")
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	for _, e := range exprs {
		if !strings.HasPrefix(e.name, "Hoist") || e.name == "HoistTrace" || e.name == "HoistNoItems" {
			continue
		}
		_, body, _ := strings.Cut(string(src), "func "+e.name+"(")
		body, _, _ = strings.Cut(body, "\n}\n")
		if !strings.Contains(body, "fpHoisted[") {
			t.Errorf("%s: %s: nothing hoisted:\n%s", e.name, e.src, body)
		}
	}
	dir := t.TempDir()
	pkg := filepath.Join(dir, "fhir")
	os.MkdirAll(pkg, 0o755)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(pkg, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rt, err := fhirpath.RuntimeFiles("fhir")
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range rt {
		os.WriteFile(filepath.Join(pkg, name), b, 0o644)
	}
	os.WriteFile(filepath.Join(pkg, "fhirpath.gen.go"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.22\n"), 0o644)
	main := `package main

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
` + calls.String() + "}\n"
	os.MkdirAll(filepath.Join(dir, "cmd"), 0o755)
	os.WriteFile(filepath.Join(dir, "cmd", "main.go"), []byte(main), 0o644)
	cmd := exec.Command("go", "run", "./cmd")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	want := map[string]string{
		"Status":       "[active]",
		"Severity":     "[error warning]",
		"Ext1":         "[true]",
		"Ext1Both":     "[false]",
		"OutputURLs":   "[https://x/p.ndjson]",
		"CountOut":     "[2]",
		"Matches":      "[true]",
		"Iif":          "[some]",
		"AndEmpty":     "[]",
		"OrEmpty":      "[true]",
		"ImpliesEmpty": "[]", // {} implies false is {}
		"FirstType":    "[Patient]",
		"EqEmpty":      "[]",
		"HoistWhere":   "[https://x/p.ndjson]",
		"HoistNested":  "[Patient Patient]",
		"HoistNoItems": "[]",
		"HoistTrace":   "[2]",
		"HoistRepeat":  "[2]",
		"HoistExists":  "[true]",
		"HoistAll":     "[true]",
		"UnknownElem":  "[true]",
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name, rest, _ := strings.Cut(line, "=")
		v, e, _ := strings.Cut(rest, " err=")
		if e != "<nil>" {
			t.Errorf("%s: error %s", name, e)
		}
		got[name] = v
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %s, want %s", k, got[k], v)
		}
	}
}
