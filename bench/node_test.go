package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/fhirgen/fhirgen/bench/r4"
)

// What only fhirgen generates, beside the JavaScript engines servers run instead, in the
// same go test run: Validate beside @medplum/core's validateResource, and search-index
// extraction beside fhirpath.js. The JavaScript side is node/peers.js, run by the benchmark
// with -passes b.N; it times its own passes with process.hrtime (after one untimed warm-up
// pass) and the benchmark reports that as ns/op, so node's start-up and JSON parsing are
// not counted. Its B/op and allocs/op are the Go side's (starting node), not JavaScript's.

// nodePeers returns the node binary and the directory node/install.sh installed the pinned
// JavaScript peers in, skipping tb, saying why, when either is missing.
func nodePeers(tb testing.TB) (node, dir string) {
	tb.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		tb.Skip("node is not on PATH: the JavaScript peers need it")
	}
	dir = os.Getenv("BENCH_NODE_DIR")
	if dir == "" {
		dir = filepath.Join("..", ".cache", "benchnode")
	}
	dir, _ = filepath.Abs(dir)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@medplum", "core")); err != nil {
		tb.Skipf("the JavaScript peers are not installed in %s: run node/install.sh (bench/run.sh does)", dir)
	}
	return node, dir
}

// nodeResult is what peers.js prints.
type nodeResult struct {
	Engine      string  `json:"engine"`
	Resources   int     `json:"resources"`
	Evaluations int     `json:"evaluations"`
	Passes      int     `json:"passes"`
	NS          float64 `json:"ns"`
	Failed      int     `json:"failed"`
}

// runNode runs peers.js in mode over the corpus for passes timed passes.
func runNode(tb testing.TB, mode string, passes int, registry string) nodeResult {
	tb.Helper()
	node, dir := nodePeers(tb)
	corpusAbs, _ := filepath.Abs(corpusFile)
	exAbs, _ := filepath.Abs(examplesDir())
	args := []string{filepath.Join(dir, "peers.js"), mode, corpusAbs, exAbs, itoa(passes)}
	if registry != "" {
		args = append(args, registry)
	}
	cmd := exec.Command(node, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("node peers.js %s: %v\n%s", mode, err, stderr.Bytes())
	}
	var res nodeResult
	if err := json.Unmarshal(out, &res); err != nil {
		tb.Fatalf("node peers.js %s printed %q: %v", mode, out, err)
	}
	return res
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// decodedCorpus decodes the corpus with fhirgen (untimed).
func decodedCorpus(tb testing.TB) []r4.Resource {
	tb.Helper()
	var rs []r4.Resource
	for _, d := range loadCorpus(tb) {
		r, err := r4.UnmarshalResource(d.data)
		if err != nil {
			tb.Fatalf("%s: %v", d.name, err)
		}
		rs = append(rs, r)
	}
	return rs
}

// validator is what the generated validate emitter adds to every resource.
type validator interface {
	Validate() error
	ValidateAll() []r4.Issue
}

// BenchmarkValidate validates every corpus resource: fhirgen's Validate (stops at the first
// error: what a server's create does), fhirgen's ValidateAll (every issue, as Medplum's
// validateResource collects them) and @medplum/core's validateResource. ns/resource is the
// figure to compare; failed is how many resources the engine reports an error for.
func BenchmarkValidate(b *testing.B) {
	rs := decodedCorpus(b)
	perResource := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(rs)), "ns/resource")
	}
	b.Run("fhirgen", func(b *testing.B) {
		b.ReportAllocs()
		failed := 0
		for b.Loop() {
			failed = 0
			for _, r := range rs {
				if r.(validator).Validate() != nil {
					failed++
				}
			}
		}
		perResource(b)
		b.ReportMetric(float64(failed), "failed")
	})
	b.Run("fhirgen-all", func(b *testing.B) {
		b.ReportAllocs()
		failed := 0
		for b.Loop() {
			failed = 0
			for _, r := range rs {
				for _, i := range r.(validator).ValidateAll() {
					if i.Severity == "error" {
						failed++
						break
					}
				}
			}
		}
		perResource(b)
		b.ReportMetric(float64(failed), "failed")
	})
	b.Run("medplum", func(b *testing.B) {
		res := runNode(b, "validate", b.N, "")
		if res.Resources != len(rs) {
			b.Fatalf("peers.js validated %d resources, want %d", res.Resources, len(rs))
		}
		b.ReportMetric(res.NS/float64(b.N), "ns/op")
		b.ReportMetric(res.NS/float64(b.N)/float64(res.Resources), "ns/resource")
		b.ReportMetric(float64(res.Failed), "failed")
	})
}

// searchRegistry writes, for every resource type of the corpus, the generated package's
// SearchParameters (the definitions fhirgen compiled) as JSON for peers.js, and returns the
// file and the number of (resource, parameter) evaluations both sides make: the indexed,
// non-composite parameters with an expression.
func searchRegistry(tb testing.TB, rs []r4.Resource) (string, int) {
	tb.Helper()
	reg := map[string][]r4.SearchParameterInfo{}
	evaluations := 0
	for _, r := range rs {
		t := r.ResourceType()
		if _, ok := reg[t]; !ok {
			reg[t] = r4.SearchParameters(t)
		}
		for _, p := range reg[t] {
			if p.Indexed && p.Type != "composite" && p.Type != "special" && p.Expression != "" {
				evaluations++
			}
		}
	}
	data, err := json.Marshal(reg)
	if err != nil {
		tb.Fatal(err)
	}
	f := filepath.Join(tb.TempDir(), "registry.json")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	return f, evaluations
}

// BenchmarkExtract indexes every corpus resource: fhirgen's ExtractSearchIndex (all of the
// type's parameters, composites included, values normalised into index entries) beside
// fhirpath.js evaluating the same parameters' expressions (no composites, no normalising:
// in its favour). ns/eval is per (resource, parameter) evaluation, the figure to compare.
func BenchmarkExtract(b *testing.B) {
	rs := decodedCorpus(b)
	registry, evaluations := searchRegistry(b, rs)
	b.Run("fhirgen", func(b *testing.B) {
		b.ReportAllocs()
		entries := 0
		for b.Loop() {
			entries = 0
			for _, r := range rs {
				entries += len(r4.ExtractSearchIndex(r))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(evaluations), "ns/eval")
		b.ReportMetric(float64(entries), "entries")
	})
	b.Run("fhirpathjs", func(b *testing.B) {
		res := runNode(b, "extract", b.N, registry)
		if res.Evaluations != evaluations {
			b.Fatalf("peers.js made %d evaluations, want %d", res.Evaluations, evaluations)
		}
		b.ReportMetric(res.NS/float64(b.N), "ns/op")
		b.ReportMetric(res.NS/float64(b.N)/float64(evaluations), "ns/eval")
		b.ReportMetric(float64(res.Failed), "failed")
	})
}
