package conformance

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// knownInvalidExamples lists the official examples that Validate reports error-severity
// issues for, by spec, each with the rule it breaks (reviewed: the example is wrong, not the
// validator). The test fails when an example not listed has an error, and when a listed one
// validates (the list only shrinks: a ratchet like invalidExamples of the round trip).
var knownInvalidExamples = map[string]map[string]string{
	"r4": {
		"hl7.fhir.r4.examples@4.0.1/DeviceMetric-example.json":                                       "DeviceMetric.parent: Reference(Device) points to a DeviceDefinition",
		"hl7.fhir.r4.examples@4.0.1/DeviceUseStatement-example.json":                                 "DeviceUseStatement.reasonReference: a Procedure is not an allowed target",
		"hl7.fhir.r4.examples@4.0.1/ImplementationGuide-fhir.json":                                   "ImplementationGuide.name and .status (1..1) are missing",
		"hl7.fhir.r4.examples@4.0.1/ig-r4.json":                                                      "ImplementationGuide.name and .status (1..1) are missing",
		"hl7.fhir.r4.examples@4.0.1/MedicationRequest-medrx0301.json":                                "MedicationRequest.dispenseRequest.performer: Reference(Organization) points to a Practitioner",
		"hl7.fhir.r4.examples@4.0.1/Observation-clinical-gender.json":                                "Observation.performer: an Encounter is not an allowed target",
		"hl7.fhir.r4.examples@4.0.1/Questionnaire-bb.json":                                           "que-7: enableWhen with operator 'exists' and a non-boolean answer",
		"hl7.fhir.r4.examples@4.0.1/Questionnaire-qs1.json":                                          "Questionnaire.item.linkId (1..1) is missing in nested items",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-author.json":    "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-effective.json": "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-end.json":       "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":   "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":  "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-author.json":        "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-effective.json":     "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-end.json":           "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-keyword.json":       "SearchParameter.base (1..*) is missing",
		"hl7.fhir.r4.examples@4.0.1/SearchParameter-valueset-extensions-ValueSet-workflow.json":      "SearchParameter.base (1..*) is missing",
	},
	"r4b": {
		"hl7.fhir.r4b.core@4.3.0/CodeSystem-catalogType.json":                                         "CodeSystem.status: required element missing",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-administrative-gender-v2.json":                         "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-contact-point-use-v2.json":                             "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/ConceptMap-cm-name-use-v2.json":                                      "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-author.json":        "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-effective.json":     "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-end.json":           "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":       "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":      "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-author.json":            "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-effective.json":         "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-end.json":               "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-keyword.json":           "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/SearchParameter-valueset-extensions-ValueSet-workflow.json":          "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Definition.json":                                 "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Event.json":                                      "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/StructureDefinition-Request.json":                                    "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.core@4.3.0/ValueSet-catalogType.json":                                           "ValueSet.status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/Bundle-conceptmaps.json":                                         "Bundle.entry.resource.ofType(ConceptMap).group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/Bundle-valuesets.json":                                           "Bundle.entry.resource.ofType(CodeSystem).status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/CodeSystem-catalogType.json":                                     "CodeSystem.status: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-administrative-gender-v2.json":                     "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-contact-point-use-v2.json":                         "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/ConceptMap-cm-name-use-v2.json":                                  "ConceptMap.group.element.target: cmd-1: If the map is narrower or inexact, there SHALL be some comments",
		"hl7.fhir.r4b.examples@4.3.0/DeviceMetric-example.json":                                       "DeviceMetric.parent.reference: reference to a DeviceDefinition where only Device is allowed",
		"hl7.fhir.r4b.examples@4.3.0/Observation-clinical-gender.json":                                "Observation.performer.reference: reference to a Encounter where only Practitioner, PractitionerRole, Organization, CareTeam, Patient or RelatedPerson is allowed",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-author.json":    "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-effective.json": "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-end.json":       "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-keyword.json":   "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-codesystem-extensions-CodeSystem-workflow.json":  "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-author.json":        "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-effective.json":     "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-end.json":           "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-keyword.json":       "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/SearchParameter-valueset-extensions-ValueSet-workflow.json":      "SearchParameter.base: required element missing",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Definition.json":                             "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Event.json":                                  "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/StructureDefinition-Request.json":                                "StructureDefinition.snapshot.element: sdf-10: provide either a binding reference or a description (or both)",
		"hl7.fhir.r4b.examples@4.3.0/ValueSet-catalogType.json":                                       "ValueSet.status: required element missing",
	},
	"r5": {
		"hl7.fhir.r5.core@5.0.0/ImplementationGuide-fhir.json":                     "ImplementationGuide.name: required element missing",
		"hl7.fhir.r5.examples@5.0.0/BiologicallyDerivedProduct-allogeneicHCT.json": "BiologicallyDerivedProduct.request.reference: reference to a BiologicallyDerivedProduct where only ServiceRequest is allowed",
		"hl7.fhir.r5.examples@5.0.0/BiologicallyDerivedProduct-autologousHCT.json": "BiologicallyDerivedProduct.request.reference: reference to a BiologicallyDerivedProduct where only ServiceRequest is allowed",
		"hl7.fhir.r5.examples@5.0.0/DocumentReference-xray.json":                   "DocumentReference.context.reference: reference to a DocumentReference where only Appointment, Encounter or EpisodeOfCare is allowed",
		"hl7.fhir.r5.examples@5.0.0/Encounter-example.json":                        "Encounter.careTeam.reference: reference to a Encounter where only CareTeam is allowed",
		"hl7.fhir.r5.examples@5.0.0/Medication-med0301.json":                       "Medication.identifier: ele-1: All FHIR elements must have a @value or children",
		"hl7.fhir.r5.examples@5.0.0/Transport-simpledelivery.json":                 "Transport.requestedLocation.reference: reference to a Transport where only Location is allowed",
	},
}

// validateReport is the validation program's report (testdata/validate/main.go.txt).
type validateReport struct {
	Files          int                 `json:"files"`
	Examples       int                 `json:"examples"`
	DecodeFailed   map[string]string   `json:"decodeFailed"`
	Validated      int                 `json:"validated"`
	WithErrors     map[string][]string `json:"withErrors"`
	Warnings       int                 `json:"warnings"`
	ErrorIssues    int                 `json:"errorIssues"`
	IssuesByRule   map[string]int      `json:"issuesByRule"`
	CorpusBytes    int64               `json:"corpusBytes"`
	Decode         Throughput          `json:"decode"`
	Validate       Throughput          `json:"validate"`
	ValidateErrors int                 `json:"validateErrors"`
	Mutations      map[string]struct {
		Tried  int      `json:"tried"`
		Caught int      `json:"caught"`
		Missed []string `json:"missed"`
	} `json:"mutations"`
}

func TestValidateExamples(t *testing.T) {
	for _, s := range []spec{specR4, specR4B, specR5} {
		t.Run(s.name, func(t *testing.T) { validateExamples(t, s) })
	}
}

// validateModule generates s, writes it and the validation program into a module, builds
// the program and writes the mutation plan; it returns the binary and the plan.
func validateModule(t *testing.T, s spec) (string, string, generated) {
	cache := needCache(t, s.dirs()...)
	m := newModule(t)
	g := generateValidate(t, cache, s)
	for _, d := range g.diags {
		if d.Kind == "coverage" && strings.HasPrefix(d.Msg, "validate") {
			t.Logf("%s: %s", s.name, d.Msg)
		}
	}
	m.writePackage(t, s.name, g.files)
	src := readTestdata(t, "validate", "main.go.txt")
	src = bytes.Replace(src, []byte(`fhir "conformancetmp/fhir"`), []byte(`fhir "conformancetmp/`+s.name+`"`), 1)
	writeFile(t, filepath.Join(m.dir, "cmd", "validate-"+s.name, "main.go"), src)
	bin := filepath.Join(m.dir, "bin", "validate-"+s.name)
	d := m.goCmd(t, "build", "-o", bin, "./cmd/validate-"+s.name)
	t.Logf("%s: go build (generated package with validators + program): %.1fs", s.name, d.Seconds())
	plan := filepath.Join(m.dir, "plan.json")
	writeFile(t, plan, mutationPlan(g.res.Model))
	return bin, plan, g
}

func readTestdata(t *testing.T, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func runValidate(t *testing.T, bin string, args ...string) (*validateReport, time.Duration) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	d := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	var rep validateReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	return &rep, d
}

func validateExamples(t *testing.T, s spec) {
	bin, _, _ := validateModule(t, s)
	cache := cacheDir()
	rep, d := runValidate(t, bin, append([]string{"-passes", "1"}, exampleDirs(cache, s)...)...)
	t.Logf("%s: %d examples, %d validated in %.1fs, %d with error-severity issues (%d errors, %d warnings); decode %.1f MB/s, Validate %.1f MB/s over %.1f MB",
		s.name, rep.Examples, rep.Validated, d.Seconds(), len(rep.WithErrors), rep.ErrorIssues, rep.Warnings,
		rep.Decode.MBps, rep.Validate.MBps, mb(rep.CorpusBytes))
	var rules []string
	for r, n := range rep.IssuesByRule {
		rules = append(rules, r+": "+strconv.Itoa(n))
	}
	sort.Strings(rules)
	t.Logf("%s: error issues by rule: %s", s.name, strings.Join(rules, ", "))
	if len(rep.DecodeFailed) > 0 {
		t.Errorf("%s: %d examples failed to decode (see TestConformance)", s.name, len(rep.DecodeFailed))
	}
	if rep.Validated != rep.Examples-len(rep.DecodeFailed) {
		t.Errorf("%s: %d of %d examples validated", s.name, rep.Validated, rep.Examples)
	}
	known := knownInvalidExamples[s.name]
	var files []string
	for f := range rep.WithErrors {
		files = append(files, f)
	}
	sort.Strings(files)
	n := 0
	for _, f := range files {
		if _, ok := known[f]; ok {
			continue
		}
		if n++; n <= 40 {
			t.Errorf("%s: %s: %s", s.name, f, strings.Join(first(rep.WithErrors[f], 3), "; "))
		}
	}
	if n > 40 {
		t.Errorf("%s: and %d more examples with errors", s.name, n-40)
	}
	for f, rule := range known {
		if _, ok := rep.WithErrors[f]; !ok {
			t.Errorf("%s: %s is listed as invalid (%s) but validates: remove it from knownInvalidExamples", s.name, f, rule)
		}
	}
}

func first(l []string, n int) []string {
	if len(l) > n {
		return append(l[:n:n], "…")
	}
	return l
}

// TestValidateMutations mutates the valid R4 examples (drop a required element, exceed a
// maximum, a bogus code in a required binding, a malformed date, a whitespace-only string,
// a reference to a disallowed type, break ext-1) and checks Validate reports each at the
// mutated location with the expected code.
func TestValidateMutations(t *testing.T) {
	s := specR4
	bin, plan, _ := validateModule(t, s)
	rep, d := runValidate(t, bin, append([]string{"-plan", plan}, exampleDirs(cacheDir(), s)...)...)
	t.Logf("%s: mutation run %.1fs", s.name, d.Seconds())
	classes := make([]string, 0, len(rep.Mutations))
	for c := range rep.Mutations {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	for _, c := range classes {
		m := rep.Mutations[c]
		t.Logf("%s: %-18s %6d mutations, %6d caught", s.name, c, m.Tried, m.Caught)
		if m.Caught != m.Tried {
			t.Errorf("%s: %s: %d of %d mutations not caught, e.g.:\n  %s", s.name, c, m.Tried-m.Caught, m.Tried, strings.Join(m.Missed, "\n  "))
		}
		if m.Tried == 0 && c != "exceed-max" {
			t.Errorf("%s: no %s mutation", s.name, c)
		}
	}
}

// planField is one element of a generated type for the mutation program.
type planField struct {
	JSON     string            `json:"json"`
	Kind     string            `json:"kind"`
	Prim     string            `json:"prim,omitempty"`
	Type     string            `json:"type,omitempty"`
	Variants map[string]string `json:"variants,omitempty"`
	Min      int               `json:"min"`
	Max      int               `json:"max"`
	Array    bool              `json:"array"`
	Enum     bool              `json:"enum,omitempty"`
	Targets  []string          `json:"targets,omitempty"`
	Ext1     bool              `json:"ext1,omitempty"`
}

// mutationPlan describes the generated types (by FHIR name) for the mutation program.
func mutationPlan(m *ir.Model) []byte {
	plan := map[string][]planField{}
	for _, t := range m.Types {
		var fs []planField
		for _, f := range t.Fields {
			pf := planField{JSON: f.JSONName, Min: f.Min, Max: f.Max, Array: f.Array}
			switch f.Kind {
			case ir.PrimitiveField:
				pf.Kind, pf.Prim = "primitive", f.Prim.FHIRName
				pf.Enum = f.Enum != nil && f.Binding != nil && f.Binding.Strength == "required"
			case ir.ComplexField:
				pf.Kind, pf.Type = "complex", f.Type.FHIRName
				if f.Type.FHIRName == "Reference" && f.Element != nil {
					pf.Targets = targets(f)
				}
				if f.Type.FHIRName == "Extension" && f.Element != nil {
					for _, c := range f.Element.Constraints {
						if c.Key == "ext-1" {
							pf.Ext1 = true
						}
					}
				}
			case ir.ResourceField:
				pf.Kind = "resource"
			case ir.ChoiceField:
				pf.Kind = "choice"
				pf.Variants = map[string]string{}
				for _, v := range f.Choice.Variants {
					pf.Variants[v.Suffix] = v.TypeCode
				}
			}
			fs = append(fs, pf)
		}
		plan[t.FHIRName] = fs
	}
	data, _ := json.Marshal(plan)
	return data
}

// targets returns the resource types a Reference element allows, nil for any.
func targets(f *ir.Field) []string {
	var out []string
	for _, tr := range f.Element.Types {
		if !strings.HasSuffix(tr.Code, "Reference") {
			continue
		}
		for _, p := range tr.TargetProfiles {
			name := p[strings.LastIndexByte(p, '/')+1:]
			if !strings.HasPrefix(p, "http://hl7.org/fhir/StructureDefinition/") || name == "" || name[0] < 'A' || name[0] > 'Z' {
				return nil
			}
			if name == "Resource" || name == "DomainResource" {
				return nil
			}
			out = append(out, name)
		}
	}
	return out
}

// TestValidateInvariantCoverage generates every version in memory and reports how many
// constraints were compiled; all of R4's must be.
func TestValidateInvariantCoverage(t *testing.T) {
	for _, s := range []spec{specR4, specR4B, specR5, specMedplum} {
		t.Run(s.name, func(t *testing.T) {
			cache := needCache(t, s.inputs...)
			g := generateValidate(t, cache, s)
			kinds := map[string]int{}
			var failed []string
			for _, d := range g.diags {
				switch {
				case d.Kind == "coverage" && strings.HasPrefix(d.Msg, "validate"):
					t.Logf("%s: %s", s.name, d.Msg)
				case strings.HasPrefix(d.Kind, "invariant") || d.Kind == "binding-not-checked":
					kinds[d.Kind]++
					if d.Kind != "binding-not-checked" {
						failed = append(failed, d.String())
					}
				}
			}
			t.Logf("%s: warnings by kind: %v", s.name, kinds)
			sort.Strings(failed)
			for i, f := range failed {
				if i == 15 {
					t.Logf("... and %d more", len(failed)-i)
					break
				}
				t.Log(f)
			}
			if s.name == "r4" && len(failed) > 0 {
				t.Errorf("r4: %d constraints not compiled", len(failed))
			}
		})
	}
}

// generateValidate generates s with the types and validate emitters only.
func generateValidate(t *testing.T, cache string, s spec) generated {
	t.Helper()
	files, res, ds := generator.Generate(os.DirFS(cache), generator.Config{
		Inputs: s.inputs, Package: s.name, Renames: s.renames, Emit: []string{"types", "validate"}})
	if ds.HasErrors() {
		t.Fatalf("%s: generation failed: %v", s.name, ds.Errors()[:min(len(ds.Errors()), 10)])
	}
	g := generated{files: files, res: res, diags: ds}
	for _, f := range files {
		g.sourceBytes += len(f.Content)
	}
	return g
}

// BenchmarkValidateR4 runs the validation program over the R4 example corpus (3 timed
// passes per iteration) and reports Validate's throughput beside decoding's, in MB of input
// JSON per second (best pass, averaged over iterations):
//
//	go test ./conformance -run '^$' -bench ValidateR4 -benchtime 1x
func BenchmarkValidateR4(b *testing.B) {
	cache := needCache(b, specR4.dirs()...)
	files, _, ds := generator.Generate(os.DirFS(cache), generator.Config{
		Inputs: specR4.inputs, Package: specR4.name, Emit: []string{"types", "validate"}})
	if ds.HasErrors() {
		b.Fatal(ds.Errors())
	}
	m := newModule(b)
	m.writePackage(b, specR4.name, files)
	src, err := os.ReadFile(filepath.Join("testdata", "validate", "main.go.txt"))
	if err != nil {
		b.Fatal(err)
	}
	src = bytes.Replace(src, []byte(`fhir "conformancetmp/fhir"`), []byte(`fhir "conformancetmp/`+specR4.name+`"`), 1)
	writeFile(b, filepath.Join(m.dir, "cmd", "validate", "main.go"), src)
	bin := filepath.Join(m.dir, "bin", "validate")
	m.goCmd(b, "build", "-o", bin, "./cmd/validate")
	var dec, val float64
	n := 0
	for b.Loop() {
		cmd := exec.Command(bin, append([]string{"-passes", "3"}, exampleDirs(cache, specR4)...)...)
		out, err := cmd.Output()
		if err != nil {
			b.Fatal(err)
		}
		var rep validateReport
		if err := json.Unmarshal(out, &rep); err != nil {
			b.Fatal(err)
		}
		dec += rep.Decode.MBps
		val += rep.Validate.MBps
		n++
	}
	b.ReportMetric(dec/float64(n), "decode-MB/s")
	b.ReportMetric(val/float64(n), "validate-MB/s")
}
