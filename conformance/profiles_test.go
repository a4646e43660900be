package conformance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/load"
)

// knownProfileInvalid lists the examples that break a rule of a profile they declare, each
// with the rule (reviewed against the example and the profile). Empty today: every shipped
// IPS 2.0.0 and AU Base 6.0.0 example, and every R4 example naming an R4 profile, conforms.
var knownProfileInvalid = map[string]map[string]string{}

// profileSuite is one generation with profiles: a guide with its dependencies (resolved in
// the package cache, with the packageMap of examples/ig/config.json) or the R4 spec.
type profileSuite struct {
	name, input, examples string
	deps                  bool
	// wantProfiles is the least number of profiles the run must generate
	wantProfiles int
}

var profileSuites = []profileSuite{
	{name: "ips", input: "hl7.fhir.uv.ips@2.0.0", examples: "hl7.fhir.uv.ips@2.0.0/example", deps: true, wantProfiles: 29},
	{name: "au", input: "hl7.fhir.au.base@6.0.0", examples: "hl7.fhir.au.base@6.0.0/example", deps: true, wantProfiles: 100},
	{name: "r4", input: r4Examples, examples: r4Examples, wantProfiles: 400},
}

// profileReport is testdata/profiles/profiles_test.go.txt's report.
type profileReport struct {
	Examples     int                 `json:"examples"`
	DecodeFailed map[string]string   `json:"decodeFailed"`
	Declared     int                 `json:"declared"`
	Checks       int                 `json:"checks"`
	WithErrors   map[string][]string `json:"withErrors"`
	Unknown      map[string]int      `json:"unknown"`
	Mutations    map[string]struct {
		Tried  int      `json:"tried"`
		Caught int      `json:"caught"`
		Missed []string `json:"missed"`
	} `json:"mutations"`
}

// TestProfiles generates IPS 2.0.0, AU Base 6.0.0 (each with its dependencies: R4, the
// HL7 terminology, the extensions pack) and R4 with their profile validators, compiles
// and vets each package, and runs testdata/profiles/profiles_test.go.txt in it: every
// example of the guide (of R4: every one whose meta.profile names an R4 profile) must
// conform to the profiles it declares, and each mutation class (drop a required slice,
// exceed a slice's max, change a fixed or pattern value, give an extension value another
// type, a code outside a required binding, an item in no slice of a closed slicing) must
// be caught at the element it breaks. The IPS run also smoke-runs BenchmarkProfiles.
func TestProfiles(t *testing.T) {
	var cfg struct {
		PackageMap map[string]string `json:"packageMap"`
	}
	data, err := os.ReadFile("../examples/ig/config.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	caught := map[string]int{}
	for _, s := range profileSuites {
		t.Run(s.name, func(t *testing.T) {
			cache := needCache(t, s.input)
			gc := generator.Config{Inputs: []string{s.input}, Package: s.name, Emit: []string{"types", "validate"}}
			if s.deps {
				gc.Dependencies = load.Options{Resolve: true, Dirs: []load.PackageDir{{FS: os.DirFS(cache)}}, Map: cfg.PackageMap}
			}
			files, res, ds := generator.Generate(os.DirFS(cache), gc)
			if ds.HasErrors() {
				t.Fatalf("generation failed: %v", ds.Errors()[:min(len(ds.Errors()), 10)])
			}
			for _, d := range ds {
				if d.Kind == "profile-coverage" {
					t.Logf("%s: %s", s.name, d.Msg)
				}
			}
			if n := len(res.Model.Profiles); n < s.wantProfiles {
				t.Errorf("%s: %d profiles generated, want at least %d", s.name, n, s.wantProfiles)
			}
			m := newModule(t)
			m.writePackage(t, s.name, files)
			src := readTestdata(t, "profiles", "profiles_test.go.txt")
			src = []byte(strings.Replace(string(src), "package fhir\n", "package "+s.name+"\n", 1))
			writeFile(t, filepath.Join(m.dir, s.name, "profiles_test.go"), src)
			m.goCmd(t, "vet", "./"+s.name)
			report := filepath.Join(m.dir, "report.json")
			args := []string{"test", "-count=1", "-run", "TestProfileExamples|TestExtensionAccessors|TestClosedSlicing", "-v"}
			if s.name == "ips" {
				args = append(args, "-bench", "BenchmarkProfiles", "-benchtime", "1x")
			}
			cmd := exec.Command("go", append(args, "./"+s.name)...)
			cmd.Dir = m.dir
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local",
				"FHIRGEN_PROFILE_DIRS="+filepath.Join(cache, s.examples), "FHIRGEN_PROFILE_MUTATE=1",
				"FHIRGEN_PROFILE_REPORT="+report, "FHIRGEN_PROFILE_R4="+filepath.Join(cache, r4Examples), "FHIRGEN_PROFILE_BENCH="+filepath.Join(cache, s.examples))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go test: %v\n%s", err, out)
			}
			var rep profileReport
			data, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &rep); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d examples with a declared profile, %d (resource, profile) checks, %d declared profiles not generated %v",
				s.name, rep.Examples, rep.Checks, len(rep.Unknown), rep.Unknown)
			if rep.Examples == 0 || rep.Checks == 0 {
				t.Errorf("%s: no example was checked against a profile", s.name)
			}
			for f, e := range rep.DecodeFailed {
				t.Errorf("%s: %s does not decode: %s", s.name, f, e)
			}
			known := knownProfileInvalid[s.name]
			var names []string
			for f := range rep.WithErrors {
				names = append(names, f)
			}
			sort.Strings(names)
			for _, f := range names {
				if _, ok := known[f]; !ok {
					t.Errorf("%s: %s: %s", s.name, f, strings.Join(first(rep.WithErrors[f], 3), "; "))
				}
			}
			for f, rule := range known {
				if _, ok := rep.WithErrors[f]; !ok {
					t.Errorf("%s: %s is listed as breaking %s but conforms: remove it", s.name, f, rule)
				}
			}
			var classes []string
			for c := range rep.Mutations {
				classes = append(classes, c)
			}
			sort.Strings(classes)
			for _, c := range classes {
				mc := rep.Mutations[c]
				t.Logf("%s: mutation %s: %d of %d caught", s.name, c, mc.Caught, mc.Tried)
				caught[c] += mc.Caught
				if mc.Caught != mc.Tried {
					t.Errorf("%s: mutation %s: %d of %d missed: %s", s.name, c, mc.Tried-mc.Caught, mc.Tried, strings.Join(mc.Missed, "\n"))
				}
			}
			if s.name == "r4" && !strings.Contains(string(out), "--- PASS: TestClosedSlicing") {
				t.Errorf("r4: TestClosedSlicing did not pass:\n%s", out)
			}
			for _, l := range strings.Split(string(out), "\n") {
				if strings.HasPrefix(l, "BenchmarkProfiles") || strings.Contains(l, "SKIP") {
					t.Logf("%s: %s", s.name, strings.Join(strings.Fields(l), " "))
				}
			}
		})
	}
	for _, c := range []string{"drop-required-slice", "exceed-slice-max", "fixed-or-pattern", "extension-value-type", "required-binding", "closed-slicing"} {
		if caught[c] == 0 && c != "closed-slicing" {
			t.Errorf("mutation class %s: no mutant in any suite's examples", c)
		}
	}
	// the closed slicings of the guides are on choices whose slices cover every type the
	// element allows: no decodable item falls outside them. TestClosedSlicing (R4's body
	// weight profile) is that class's case.
	if caught["closed-slicing"] == 0 {
		t.Logf("mutation class closed-slicing: no mutant in the examples (the guides' closed slicings are on choices whose slices cover every allowed type); checked by TestClosedSlicing in the r4 suite")
	}
}
