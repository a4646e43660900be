package bench

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// r4Examples is the FHIR package the corpus is taken from (pinned in
// definitions/packages.lock, fetched by scripts/fetch-packages.sh).
const r4Examples = "hl7.fhir.r4.examples@4.0.1"

// corpusFile is the committed list of the corpus's file names, one a line.
const corpusFile = "corpus.txt"

var update = flag.Bool("update", false, "rewrite corpus.txt from the FHIR package")

// definitionTypes are the conformance resources the corpus leaves out: the spec's own
// definitions, not data a FHIR application reads and writes. A Bundle all of whose entries
// are of these types (profiles, search parameters, value sets, ...) is left out too.
var definitionTypes = map[string]bool{
	"StructureDefinition": true, "SearchParameter": true, "ValueSet": true, "CodeSystem": true,
	"ConceptMap": true, "CapabilityStatement": true, "OperationDefinition": true,
	"CompartmentDefinition": true, "ImplementationGuide": true, "NamingSystem": true,
	"StructureMap": true, "GraphDefinition": true, "MessageDefinition": true,
}

// examplesDir is the unpacked R4 examples package, where scripts/fetch-packages.sh puts it
// (<repository root>/.cache/npm; the go:generate line reads the same directory).
func examplesDir() string {
	return filepath.Join("..", ".cache", "npm", r4Examples)
}

// needExamples skips tb, saying why, when the examples package has not been fetched.
func needExamples(tb testing.TB) string {
	tb.Helper()
	dir := examplesDir()
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("R4 examples not found at %s: run ../scripts/fetch-packages.sh r4 (or bench/run.sh, which does)", dir)
	}
	return dir
}

// selectCorpus returns the sorted names of the top-level resource files of dir that are in
// the corpus.
func selectCorpus(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || name == "package.json" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		var r struct {
			ResourceType string `json:"resourceType"`
			Entry        []struct {
				Resource struct {
					ResourceType string `json:"resourceType"`
				} `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if r.ResourceType == "" || definitionTypes[r.ResourceType] {
			continue
		}
		if r.ResourceType == "Bundle" && len(r.Entry) > 0 {
			definitions := true
			for _, en := range r.Entry {
				definitions = definitions && definitionTypes[en.Resource.ResourceType]
			}
			if definitions {
				continue
			}
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// readCorpusList reads corpus.txt: file names, one a line; '#' starts a comment line.
func readCorpusList() ([]string, error) {
	data, err := os.ReadFile(corpusFile)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			names = append(names, line)
		}
	}
	return names, nil
}

func formatCorpusList(names []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# The benchmark corpus: %d files of %s (its resources minus the conformance\n", len(names), r4Examples)
	b.WriteString("# resources and the definition Bundles). Rewritten by: go test -run TestCorpusList -update\n")
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestCorpusList checks that corpus.txt is exactly what the selection rule picks from the
// package; -update rewrites it.
func TestCorpusList(t *testing.T) {
	dir := needExamples(t)
	names, err := selectCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(corpusFile, formatCorpusList(names), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	listed, err := readCorpusList()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, listed) {
		var missing, extra []string
		for _, n := range names {
			if !slices.Contains(listed, n) {
				missing = append(missing, n)
			}
		}
		for _, n := range listed {
			if !slices.Contains(names, n) {
				extra = append(extra, n)
			}
		}
		t.Fatalf("%s is not what the package gives (go test -run TestCorpusList -update rewrites it): %d missing %v, %d not in the package's selection %v",
			corpusFile, len(missing), missing, len(extra), extra)
	}
	t.Logf("%d corpus files", len(names))
}

// doc is one corpus file.
type doc struct {
	name         string
	resourceType string
	data         []byte
}

var (
	corpusOnce sync.Once
	corpus     []doc
	corpusErr  error
)

// loadCorpus reads the files corpus.txt lists, once per process.
func loadCorpus(tb testing.TB) []doc {
	tb.Helper()
	dir := needExamples(tb)
	corpusOnce.Do(func() {
		var names []string
		names, corpusErr = readCorpusList()
		for _, n := range names {
			if corpusErr != nil {
				return
			}
			var data []byte
			data, corpusErr = os.ReadFile(filepath.Join(dir, n))
			var r struct {
				ResourceType string `json:"resourceType"`
			}
			if corpusErr == nil {
				corpusErr = json.Unmarshal(data, &r)
			}
			corpus = append(corpus, doc{name: n, resourceType: r.ResourceType, data: data})
		}
	})
	if corpusErr != nil {
		tb.Fatal(corpusErr)
	}
	return corpus
}
