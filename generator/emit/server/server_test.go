package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/scaffold"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// repoRoot is the module root (this package is generator/emit/server).
const repoRoot = "../../.."

// emitList is types + http, plus validate and search when the registry has them.
func emitList() []string {
	out := []string{"types", "http"}
	for _, e := range []string{"validate", "search"} {
		if slices.Contains(generator.Emitters, e) {
			out = append(out, e)
		}
	}
	return out
}

// generateModule generates the inputs into the package fhir of a fresh module.
func generateModule(t *testing.T, cfg generator.Config) *tempmod.Module {
	t.Helper()
	files, _, ds := generator.Generate(os.DirFS(cfg.Inputs[0]), generator.Config{
		Inputs: []string{"."}, Package: "fhir", Emit: cfg.Emit, Resources: cfg.Resources})
	if ds.HasErrors() {
		t.Fatalf("generate: %v", ds.Errors())
	}
	m := tempmod.New(t, "srvcheck")
	m.WriteFiles("fhir", files)
	return m
}

// validateStub gives BulkDataExport a Validate method when the validate emitter does not
// exist, so the suite still checks that the router calls Validate and reports its issues.
const validateStub = `package fhir

import "errors"

func (x *BulkDataExport) Validate() error {
	if x.Request == "" {
		return errors.New("validation failed: 1 error\n\terror required BulkDataExport.request: missing required element")
	}
	return nil
}
`

// TestGeneratedRouter generates definitions/ with the http emitter into a temporary
// module, copies in testdata/router_test.go.txt (an httptest suite with an in-memory
// BulkDataExport service) and runs it. With FHIRGEN_SERVER_BENCH=1 it runs the read
// benchmarks too and logs them.
func TestGeneratedRouter(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test in a generated module")
	}
	emits := emitList()
	m := generateModule(t, generator.Config{Inputs: []string{filepath.Join(repoRoot, "definitions")}, Emit: emits})
	m.Copy("fhir/router_test.go", "testdata/router_test.go.txt")
	if !slices.Contains(emits, "validate") {
		m.Write("fhir/validate_stub_test.go", []byte(validateStub))
	}
	// the scaffold compiles against the generated package
	svc, err := scaffold.Render(scaffold.Service{Package: "fhir", Type: "ScaffoldService", Resources: []string{"BulkDataExport", "Bundle"}})
	if err != nil {
		t.Fatal(err)
	}
	m.Write("fhir/scaffold_service.go", svc)
	t.Logf("emitters: %s", strings.Join(emits, ","))
	m.MustGo("vet", "./...")
	args := []string{"test", "-count=1", "./fhir"}
	if os.Getenv("FHIRGEN_SERVER_BENCH") != "" {
		args = append(args, "-run", "^$", "-bench", "Read", "-benchmem", "-count=3")
	} else {
		args = append(args, "-v")
	}
	t.Logf("%s", m.MustGo(args...))
}

// TestR4Compiles generates the types and HTTP handlers of every R4 resource (from the
// pinned examples package in the cache, which holds the definitions and every
// SearchParameter) and builds them. FHIRGEN_SERVER_SPEC names another cache directory
// (hl7.fhir.r5.core@5.0.0, ...).
func TestR4Compiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole of R4")
	}
	if os.Getenv("FHIRGEN_SERVER_SPEC") == "" && os.Getenv("FHIRGEN_BUILD_CORPUS") == "" {
		// conformance/TestConformance generates and builds R4, R4B, R5 and Medplum with
		// every emitter, handlers included; this test is for working on the emitter alone.
		t.Skip("set FHIRGEN_BUILD_CORPUS=1 (or FHIRGEN_SERVER_SPEC) to build R4's handlers here; conformance builds them with every emitter")
	}
	cache := os.Getenv("FHIRGEN_CACHE")
	if cache == "" {
		cache = filepath.Join(repoRoot, ".cache", "npm")
	}
	spec := "hl7.fhir.r4.examples@4.0.1"
	if s := os.Getenv("FHIRGEN_SERVER_SPEC"); s != "" {
		spec = s
	}
	in := filepath.Join(cache, spec)
	if _, err := os.Stat(in); err != nil {
		t.Skipf("FHIR package cache not found: %s is missing; run scripts/fetch-packages.sh", in)
	}
	generateModule(t, generator.Config{Inputs: []string{in}, Emit: []string{"types", "http"}}).MustGo("vet", "./...")
}
