// Package conformance is fhirgen's whole-spec conformance suite: it generates Go packages
// from the complete FHIR R4, R4B and R5 specifications and from Medplum's R4 definitions,
// compiles them, and round-trips every example of the specifications through them
// (UnmarshalResource → MarshalJSON → the same JSON tree, numbers compared as text).
//
// The FHIR packages come from the cache scripts/fetch-packages.sh fills (.cache/npm at the
// repository root, or $FHIRGEN_CACHE); without it, and in -short mode, the tests skip.
//
//	scripts/fetch-packages.sh
//	go test ./conformance -run TestConformance -v -timeout 30m
//
// With FHIRGEN_CONFORMANCE_REPORT=FILE the reports of every version are also written to
// FILE as one JSON object.
package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// invalidExamples lists example files that are not valid FHIR JSON, each with the rule of
// the FHIR JSON format (https://hl7.org/fhir/json.html) it breaks, by spec and by the name
// the report gives the file ("hl7.fhir.r4.examples@4.0.1/Patient-example.json"). Such a
// file must fail to decode; a listed file that decodes is an error too. The list is empty:
// every example of R4, R4B and R5 round-trips, and there is no known-failures list.
var invalidExamples = map[string]map[string]string{}

// suiteReport collects what every subtest measured, for FHIRGEN_CONFORMANCE_REPORT.
var suiteReport = struct {
	sync.Mutex
	Versions map[string]any `json:"versions"`
}{Versions: map[string]any{}}

func TestConformance(t *testing.T) {
	start := time.Now()
	specs := []spec{specR4, specR4B, specR5, specMedplum}
	for _, s := range specs {
		t.Run(s.name, func(t *testing.T) { conformance(t, s) })
	}
	t.Logf("suite total: %.1fs", time.Since(start).Seconds())
	if out := os.Getenv("FHIRGEN_CONFORMANCE_REPORT"); out != "" {
		data, _ := json.MarshalIndent(&suiteReport, "", "  ")
		if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func conformance(t *testing.T, s spec) {
	cache := needCache(t, s.dirs()...)
	m := newModule(t)

	g := generate(t, cache, s, nil)
	st := g.res.Model.Stats
	m.writePackage(t, s.name, g.files)
	bin, buildTime := m.buildRoundTrip(t, s.name)

	rep, raw, runTime := runRoundTrip(t, bin, exampleDirs(cache, s), 1)

	t.Logf("%s: generated %d files, %.1f MB of Go, in %.1fs: %d resources, %d datatypes, %d backbones, %d enums, %d choices",
		s.name, len(g.files), mb(int64(g.sourceBytes)), g.genTime.Seconds(), st.Resources, st.Datatypes, st.Backbones, st.Enums, st.Choices)
	t.Logf("%s: go build (generated package + round-trip program, link included): %.1fs", s.name, buildTime.Seconds())
	t.Logf("%s: examples: %d files in %s, %d resources, %d round-tripped, %d failed (decode %d, encode %d, mismatch %d); round-trip run %.1fs",
		s.name, rep.Files, strings.Join(s.examples, " + "), rep.Examples, rep.RoundTripped, rep.Failed,
		rep.Failures["decode"].Count, rep.Failures["encode"].Count, rep.Failures["mismatch"].Count, runTime.Seconds())
	t.Logf("%s: throughput over %.1f MB: fhirgen decode %.1f MB/s, encode %.1f MB/s; encoding/json (any, UseNumber) decode %.1f MB/s, encode %.1f MB/s",
		s.name, mb(rep.CorpusBytes), rep.Decode.MBps, rep.Encode.MBps, rep.BaselineDecode.MBps, rep.BaselineEncode.MBps)

	suiteReport.Lock()
	suiteReport.Versions[s.name] = map[string]any{
		"definitions": map[string]int{"resources": st.Resources, "datatypes": st.Datatypes, "backbones": st.Backbones,
			"enums": st.Enums, "choices": st.Choices},
		"passedOver":       st.PassedOver,
		"files":            len(g.files),
		"sourceBytes":      g.sourceBytes,
		"generateSeconds":  g.genTime.Seconds(),
		"buildSeconds":     buildTime.Seconds(),
		"roundTripSeconds": runTime.Seconds(),
		"roundTrip":        json.RawMessage(raw),
	}
	suiteReport.Unlock()

	// what was generated
	if st.Resources != rep.ResourceTypes || st.Resources < 140 {
		t.Errorf("%s: %d resources in the model, %d in the package's ResourceTypes", s.name, st.Resources, rep.ResourceTypes)
	}
	// what was read
	if rep.Examples != s.wantExamples {
		t.Errorf("%s: %d example resources in %s, want %d", s.name, rep.Examples, s.examples, s.wantExamples)
	}
	for _, f := range rep.NotResources {
		if base := filepath.Base(f); base != "package.json" && base != "fhir.schema.json" {
			t.Errorf("%s: %s is not a resource", s.name, f)
		}
	}
	if rep.RawResources != 0 {
		t.Errorf("%s: %d resources decoded as RawResource: a resource type is missing from the package", s.name, rep.RawResources)
	}
	// the round trip
	invalid := invalidExamples[s.name]
	failed := make([]string, 0, len(rep.FailedFiles))
	for file, class := range rep.FailedFiles {
		if _, ok := invalid[file]; !ok || class != "decode" {
			failed = append(failed, file)
		}
	}
	sort.Strings(failed)
	for i, file := range failed {
		if i == 50 {
			t.Errorf("%s: and %d more failures", s.name, len(failed)-i)
			break
		}
		t.Errorf("%s: %s: %s failure", s.name, file, rep.FailedFiles[file])
	}
	for file, rule := range invalid {
		if rep.FailedFiles[file] != "decode" {
			t.Errorf("%s: %s is listed as invalid FHIR JSON (%s) but did not fail to decode", s.name, file, rule)
		}
	}
	if rep.Failed > 0 {
		var b strings.Builder
		for _, class := range []string{"decode", "encode", "mismatch"} {
			c := rep.Failures[class]
			for _, f := range c.Examples {
				switch {
				case f.Error != "":
					fmt.Fprintf(&b, "  %s %s: %s\n", class, f.File, f.Error)
				default:
					fmt.Fprintf(&b, "  %s %s: at %s: input %s, output %s\n", class, f.File, f.Path, f.Want, f.Got)
				}
			}
		}
		t.Logf("%s: first failures by class:\n%s", s.name, b.String())
	}
	if rep.RoundTripped+len(invalid) != rep.Examples {
		t.Errorf("%s: %d of %d examples round-tripped", s.name, rep.RoundTripped, rep.Examples)
	}
}

// TestResourcesClosure generates the full R4 spec restricted to Patient and Observation and
// checks that the output holds their closure only, and compiles. With the HTTP emitter on,
// the resources the router answers with (OperationOutcome, Bundle, CapabilityStatement) are
// added to the roots, with a note.
func TestResourcesClosure(t *testing.T) {
	cache := needCache(t, r4Examples)
	s := spec{name: "closure", inputs: []string{r4Examples}}
	g := generate(t, cache, s, []string{"Patient", "Observation"})
	m := g.res.Model

	var names []string
	for _, r := range m.Resources {
		names = append(names, r.FHIRName)
	}
	const want = "Bundle,CapabilityStatement,Observation,OperationOutcome,Patient"
	if strings.Join(names, ",") != want {
		t.Errorf("resources in the model: %v, want %s", names, want)
	}
	if m.Stats.Resources != 5 {
		t.Errorf("Stats.Resources = %d, want 5", m.Stats.Resources)
	}
	noted := false
	for _, d := range g.diags {
		noted = noted || d.Kind == "resources-added" && strings.Contains(d.Msg, "OperationOutcome, Bundle, CapabilityStatement")
	}
	if !noted {
		t.Error("no note that the HTTP handlers' resources were added")
	}
	inClosure := map[string]bool{}
	for _, n := range strings.Split(want, ",") {
		inClosure[n] = true
	}

	byName := map[string][]byte{}
	for _, f := range g.files {
		byName[f.Name] = f.Content
	}
	for _, want := range []string{"patient.gen.go", "observation.gen.go", "resources.gen.go", "reference.gen.go", "codeable_concept.gen.go"} {
		if byName[want] == nil {
			t.Errorf("no %s among the generated files", want)
		}
	}
	reg := string(byName["resources.gen.go"])
	if !strings.Contains(reg, `return []string{"Bundle", "CapabilityStatement", "Observation", "OperationOutcome", "Patient"}`) {
		t.Errorf("resources.gen.go does not list exactly %s:\n%s", want, reg)
	}
	if cases := regexp.MustCompile(`case "([A-Za-z]+)":`).FindAllStringSubmatch(reg, -1); len(cases) != 5 {
		t.Errorf("resources.gen.go dispatches on %d resource types, want 5", len(cases))
	}
	// nothing outside the closure: no other resource's struct, anywhere
	resourceStruct := regexp.MustCompile(`(?m)^// ([A-Za-z]+) is the FHIR resource `)
	var others []string
	for name, src := range byName {
		for _, mm := range resourceStruct.FindAllSubmatch(src, -1) {
			if r := string(mm[1]); !inClosure[r] {
				others = append(others, r+" in "+name)
			}
		}
		if strings.Contains(string(src), "type Encounter struct") {
			t.Errorf("%s declares Encounter, which is outside the closure", name)
		}
	}
	sort.Strings(others)
	if len(others) > 0 {
		t.Errorf("resources outside the closure were generated: %v", others)
	}
	for _, absent := range []string{"encounter.gen.go", "medication_request.gen.go", "practitioner.gen.go"} {
		if byName[absent] != nil {
			t.Errorf("%s was generated; it is outside the closure of Patient and Observation", absent)
		}
	}

	mod := newModule(t)
	mod.writePackage(t, s.name, g.files)
	mod.touchNonce(t, s.name)
	build := mod.goCmd(t, "build", "./"+s.name)
	vet := mod.goCmd(t, "vet", "./"+s.name)
	t.Logf("closure of Patient, Observation: %d files, %.2f MB of Go, %d types (%d datatypes, %d backbones), %d enums, %d choices; generated in %.1fs, built in %.1fs, vetted in %.1fs",
		len(g.files), mb(int64(g.sourceBytes)), len(m.Types), m.Stats.Datatypes, m.Stats.Backbones, m.Stats.Enums, m.Stats.Choices,
		g.genTime.Seconds(), build.Seconds(), vet.Seconds())
}

// TestRoundTripHarness runs the round-trip program against a stand-in for a generated
// package that fakes a fault per example (testdata/harness), so the suite is known to notice
// every kind of failure it claims to: decode and encode errors, output that is not JSON, a
// dropped member, a number whose text changed, arrays out of order, a value of another JSON
// type, and resources kept raw. Member order and string escapes must not count.
func TestRoundTripHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program; skipped in -short mode")
	}
	m := newModule(t)
	src, err := os.ReadFile(filepath.Join("testdata", "harness", "fhir.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(m.dir, "fhir", "fhir.go"), src)
	bin, _ := m.buildRoundTrip(t, "fhir")
	dir, err := filepath.Abs(filepath.Join("testdata", "harness", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	rep, raw, _ := runRoundTrip(t, bin, []string{dir}, 2)

	if rep.Examples != 10 || rep.Files != 11 || strings.Join(rep.NotResources, ",") != "examples/package.json" {
		t.Errorf("files %d, examples %d, not resources %v; want 11, 10, [examples/package.json]", rep.Files, rep.Examples, rep.NotResources)
	}
	wantFailed := map[string]string{
		"examples/decode-error.json": "decode",
		"examples/encode-error.json": "encode",
		"examples/not-json.json":     "encode",
		"examples/drop-member.json":  "mismatch",
		"examples/number-text.json":  "mismatch",
		"examples/array-order.json":  "mismatch",
		"examples/string-type.json":  "mismatch",
	}
	if fmt.Sprint(rep.FailedFiles) != fmt.Sprint(wantFailed) {
		t.Errorf("failed files:\n got %v\nwant %v", rep.FailedFiles, wantFailed)
	}
	if rep.RoundTripped != 3 || rep.Failed != 7 || rep.RawResources != 1 {
		t.Errorf("round-tripped %d, failed %d, raw resources %d; want 3, 7, 1", rep.RoundTripped, rep.Failed, rep.RawResources)
	}
	wantMismatch := map[string]string{
		"examples/drop-member.json": `$.active: false → (absent)`,
		"examples/number-text.json": `$.valueQuantity.value: number 1.50 → number 1.5`,
		"examples/array-order.json": `$.name[0].family: "A" → "B"`,
		"examples/string-type.json": `$.active: true → "true"`,
	}
	for _, f := range rep.Failures["mismatch"].Examples {
		if got := f.Path + ": " + f.Want + " → " + f.Got; got != wantMismatch[f.File] {
			t.Errorf("%s: mismatch reported as %s, want %s", f.File, got, wantMismatch[f.File])
		}
	}
	if d := rep.Failures["decode"].Examples; len(d) != 1 || !strings.Contains(d[0].Error, "faked decode error") {
		t.Errorf("decode failures: %+v", d)
	}
	if rep.Decode.MBps <= 0 || rep.Encode.MBps <= 0 || rep.BaselineDecode.MBps <= 0 || rep.BaselineEncode.MBps <= 0 {
		t.Errorf("throughput missing: %s", raw)
	}
}
