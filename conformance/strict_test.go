package conformance

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
)

// TestValidateStrict generates Patient, Organization, ValueSet, CodeSystem and
// Questionnaire of R4, R4B and R5 with their validators and runs
// testdata/strict/strict_test.go.txt in each package: an invalid Resource.id (also in a
// contained resource), dom-3 satisfied through a primitive's _x extension, per-1 failing
// on an empty comparison, que-12 with two enableWhen, narrative XHTML (script, onclick,
// an undeclared entity, ...), a required code with only a data-absent-reason, an
// extensible binding missed (a warning), and the terminologies checked without a server
// (a bad language tag, MIME type, UCUM unit, currency). Each case has a control that must
// pass.
func TestValidateStrict(t *testing.T) {
	// the resources of the cases one version has: UCUM's required binding (R4, R4B) or a
	// preferred one (R5)
	strictResources := map[string][]string{"r4": {"ResearchElementDefinition"}, "r4b": {"ResearchElementDefinition"}, "r5": {"ObservationDefinition"}}
	for _, s := range []spec{specR4, specR4B, specR5} {
		t.Run(s.name, func(t *testing.T) {
			cache := needCache(t, s.inputs...)
			files, _, ds := generator.Generate(os.DirFS(cache), generator.Config{
				Inputs: s.inputs, Package: s.name, Emit: []string{"types", "validate"},
				Resources: append([]string{"Patient", "Organization", "ValueSet", "CodeSystem", "Questionnaire", "Binary", "PaymentNotice"},
					strictResources[s.name]...)})
			if ds.HasErrors() {
				t.Fatalf("generation failed: %v", ds.Errors()[:min(len(ds.Errors()), 10)])
			}
			errata := 0
			for _, d := range ds {
				if d.Kind == "constraint-erratum" {
					errata++
					t.Logf("%s: %s", s.name, d.String())
				}
			}
			if s.name == "r4" && errata == 0 {
				t.Error("r4: no constraint-erratum note (que-12 is corrected)")
			}
			m := newModule(t)
			m.writePackage(t, s.name, files)
			src := readTestdata(t, "strict", "strict_test.go.txt")
			src = bytes.Replace(src, []byte("package fhir\n"), []byte("package "+s.name+"\n"), 1)
			src = bytes.Replace(src, []byte(`const strictVersion = "fhir"`), []byte(`const strictVersion = "`+s.name+`"`), 1)
			writeFile(t, filepath.Join(m.dir, s.name, "strict_test.go"), src)
			cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "TestStrict", "./"+s.name)
			cmd.Dir = m.dir
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go test: %v\n%s", err, out)
			}
			// every case ran (none skipped): one passing subtest per case
			if got, want := bytes.Count(out, []byte("--- PASS: TestStrict/")), bytes.Count(src, []byte("{name: ")); got != want {
				t.Errorf("%d cases passed, want %d:\n%s", got, want, out)
			}
			for _, l := range bytes.Split(out, []byte("\n")) {
				if bytes.Contains(l, []byte("no issue expected")) {
					t.Logf("%s", bytes.TrimSpace(l))
				}
			}
		})
	}
}
