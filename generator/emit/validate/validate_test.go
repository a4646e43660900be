package validate_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/emit/validate"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
	"github.com/fhirgen/fhirgen/internal/gentest"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// generateDefinitions generates the package of the repository's definitions/ (types and
// validators, with the root constraints rc when not nil) into a temporary module and
// returns the module, whose package fhir holds them.
func generateDefinitions(t *testing.T, rc func(*ir.Type) []*ir.Constraint) (*tempmod.Module, diag.List) {
	t.Helper()
	files, res, ds := gentest.Generate(t, generator.Config{Emit: []string{"types", "validate"}})
	if rc != nil {
		// the validators and FHIRPath again, with the root constraints; the support
		// runtime of the validate emitter stays
		kept := files[:0]
		for _, f := range files {
			if !strings.HasPrefix(f.Name, "validate") && !strings.HasPrefix(f.Name, "fhirpath") {
				kept = append(kept, f)
			}
		}
		files, ds = kept, nil
		in, compiled := emit.NewInput(plan.Build(res.Model, plan.Options{}), emitOptions())
		vfiles, _, vds := validate.Emitter{Config: validate.Config{RootConstraints: rc}}.EmitStats(in)
		fp := compiled()
		if vds.HasErrors() {
			t.Fatal(vds.Errors())
		}
		ds = append(ds, vds...)
		files = append(files, vfiles...)
		fpFiles, err := emit.FHIRPathFiles(fp, emitOptions())
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fpFiles...)
	}
	m := tempmod.New(t, "example.com/x")
	m.WriteFiles("fhir", files)
	return m, ds
}

// runGenerated copies the test files into the generated package and runs its tests and
// the Validate benchmark; it checks the benchmark allocates nothing.
func runGenerated(t *testing.T, m *tempmod.Module, tests ...string) {
	t.Helper()
	for _, name := range tests {
		m.Copy("fhir/"+name+".go", filepath.Join("testdata", name+".go.txt"))
	}
	out := m.MustGo("test", "-count=1", "-run", ".", "-bench", "Validate", "-benchtime", "200x", "-benchmem", "./fhir")
	mm := regexp.MustCompile(`BenchmarkValidate\S*\s+\d+\s+(\d+) ns/op\s+(\d+) B/op\s+(\d+) allocs/op`).FindSubmatch(out)
	if mm == nil {
		t.Fatalf("no benchmark line in\n%s", out)
	}
	t.Logf("Validate, valid BulkDataExport with 1,000 outputs: %s ns/op, %s B/op, %s allocs/op", mm[1], mm[2], mm[3])
	if string(mm[3]) != "0" {
		t.Errorf("Validate allocates %s times per call, want 0", mm[3])
	}
}

// domConstraints are R4's DomainResource constraints (from the R4 package: an ill-formed
// one is a warning) (the model does not hold root
// elements yet: see validate.Config).
var domConstraints = []*ir.Constraint{
	{FromPackage: true, Key: "dom-2", Severity: "error", Human: "If the resource is contained in another resource, it SHALL NOT contain nested Resources", Expression: "contained.contained.empty()", Expr: ir.Parse("contained.contained.empty()")},
	{FromPackage: true, Key: "dom-3", Severity: "error", Human: "If the resource is contained in another resource, it SHALL be referred to from elsewhere in the resource or SHALL refer to the containing resource", Expression: "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()", Expr: ir.Parse("contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()")},
	{FromPackage: true, Key: "dom-4", Severity: "error", Human: "If a resource is contained in another resource, it SHALL NOT have a meta.versionId or a meta.lastUpdated", Expression: "contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()", Expr: ir.Parse("contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()")},
	{FromPackage: true, Key: "dom-5", Severity: "error", Human: "If a resource is contained in another resource, it SHALL NOT have a security label", Expression: "contained.meta.security.empty()", Expr: ir.Parse("contained.meta.security.empty()")},
	{FromPackage: true, Key: "dom-6", Severity: "warning", Human: "A resource should have narrative for robust management", Expression: "text.`div`.exists()", Expr: ir.Parse("text.`div`.exists()")},
}

// TestRootConstraints generates the definitions with the dom-* constraints on every
// resource: they compile, are reported at the resource, and a valid manifest still
// validates without allocating (dom-2..5 are skipped when contained is empty, the warning
// dom-6 is not evaluated by Validate's first pass).
func TestRootConstraints(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	m, _ := generateDefinitions(t, func(ty *ir.Type) []*ir.Constraint {
		if ty.Kind == ir.ResourceType {
			return domConstraints
		}
		return nil
	})
	runGenerated(t, m, "bulkexport_test", "dom_test")
}

// TestBulkDataExportBehaviour runs testdata/bulkexport_test.go.txt inside the generated
// package: the issues of invalid manifests (code and expression), nil for a valid one, no
// allocation for a valid manifest with 1,000 outputs, and the Validate benchmark.
func TestBulkDataExportBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	m, ds := generateDefinitions(t, nil)
	var coverage string
	for _, d := range ds {
		if d.Kind == "coverage" && strings.HasPrefix(d.Msg, "validate") {
			coverage = d.Msg
		}
	}
	if coverage == "" {
		t.Error("no validate coverage note")
	}
	t.Log(coverage)
	runGenerated(t, m, "bulkexport_test")
}

// TestEmitStats checks the coverage counts of the main job's definitions.
func TestEmitStats(t *testing.T) {
	_, res, _ := gentest.Generate(t, generator.Config{Emit: []string{"types"}})
	files, st, vds := validate.Emitter{}.EmitStats(emitInput(res.Model))
	if vds.HasErrors() {
		t.Fatal(vds.Errors())
	}
	if len(files) == 0 {
		t.Fatal("no files")
	}
	if st.InvariantsFailed != 0 {
		for _, d := range vds {
			if strings.HasPrefix(d.Kind, "invariant") {
				t.Log(d.String())
			}
		}
		t.Errorf("%d invariants failed to compile", st.InvariantsFailed)
	}
	if st.InvariantsCompiled == 0 || st.BindingsChecked == 0 {
		t.Errorf("stats %+v", st)
	}
	t.Logf("%+v", st)
}

func emitOptions() emit.Options { return emit.Options{PkgPath: "fhir", PkgName: "fhir"} }

func emitInput(m *ir.Model) emit.Input {
	in, _ := emit.NewInput(plan.Build(m, plan.Options{}), emitOptions())
	return in
}

// TestLimits generates the definitions plus a custom resource
// (testdata/custom/StructureDefinition-Limits.json) with finite maximums above 1 (which no
// base FHIR element has) and required bindings on a CodeableConcept and a Coding, and runs
// testdata/limits_test.go.txt in the generated package: too many items is a structure
// issue at the element, a concept none of whose codings is in the ValueSet is a
// code-invalid issue at the concept, a coding outside it one at its code.
func TestLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	files, _, ds := gentest.Generate(t, generator.Config{
		Inputs: []string{"definitions", "generator/emit/validate/testdata/custom"},
		Emit:   []string{"types", "validate"}, Resources: []string{"Limits"}})
	for _, d := range ds {
		if strings.HasPrefix(d.Kind, "binding") && strings.HasPrefix(d.Element, "Limits") {
			t.Errorf("a binding of Limits is not checked: %s", d)
		}
	}
	m := tempmod.New(t, "example.com/x")
	m.WriteFiles("fhir", files)
	m.Copy("fhir/limits_test.go", filepath.Join("testdata", "limits_test.go.txt"))
	out := m.MustGo("test", "-count=1", "-v", "./fhir")
	if n := strings.Count(string(out), "--- PASS: TestLimits/"); n != 10 {
		t.Errorf("%d subtests passed, want 10:\n%s", n, out)
	}
}
