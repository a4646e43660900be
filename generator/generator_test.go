package generator_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/emit"
)

// repoFS is the repository root, where definitions/ and generated/ live.
var repoFS = os.DirFS("..")

var mainJob = generator.Config{Inputs: []string{"definitions"}, Package: "fhir"}

func generate(t testing.TB, fsys fs.FS, cfg generator.Config) []emit.File {
	t.Helper()
	files, _, ds := generator.Generate(fsys, cfg)
	if ds.HasErrors() {
		for _, d := range ds.Errors() {
			t.Error(d)
		}
		t.FailNow()
	}
	return files
}

// generated/ is what the main job produces from definitions/, byte for byte.
func TestGeneratedUpToDate(t *testing.T) {
	files := generate(t, repoFS, mainJob)
	plan, err := generator.PlanWrite("../generated/fhir", files)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Empty() {
		t.Fatalf("generated/fhir is stale (run go generate ./...): %v", plan.Stale())
	}
}

func definitionFiles(t testing.TB) []string {
	var files []string
	err := fs.WalkDir(repoFS, "definitions", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".json" && path.Base(p) != "manifest.json" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameFiles(t *testing.T, what string, a, b []emit.File) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d files vs %d", what, len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Fatalf("%s: %s differs", what, a[i].Name)
		}
	}
}

// Same inputs, byte-identical output, whatever the order: twice from the directory, once
// from its files given one by one in reverse order, and once from one Bundle holding them
// all with its entries reversed.
func TestDeterministic(t *testing.T) {
	first := generate(t, repoFS, mainJob)
	sameFiles(t, "second run", first, generate(t, repoFS, mainJob))

	files := definitionFiles(t)
	sort.Sort(sort.Reverse(sort.StringSlice(files)))
	rev := mainJob
	rev.Inputs = files
	sameFiles(t, "files in reverse order", first, generate(t, repoFS, rev))

	var entries []json.RawMessage
	for _, f := range files { // already reversed
		data, err := fs.ReadFile(repoFS, f)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, json.RawMessage(`{"resource":`+string(data)+`}`))
	}
	bundle, _ := json.Marshal(map[string]any{"resourceType": "Bundle", "type": "collection", "entry": entries})
	mfs := fstest.MapFS{"all.json": {Data: bundle}}
	b := mainJob
	b.Inputs = []string{"all.json"}
	fromBundle := generate(t, mfs, b)
	// per-type files name their source file in the header; compare the rest of each file
	if len(fromBundle) != len(first) {
		t.Fatalf("bundle: %d files vs %d", len(fromBundle), len(first))
	}
	for i := range first {
		if !bytes.Equal(stripSource(first[i].Content), stripSource(fromBundle[i].Content)) {
			t.Fatalf("bundle: %s differs", first[i].Name)
		}
	}
}

func stripSource(b []byte) []byte {
	lines := bytes.SplitN(b, []byte("\n"), 4)
	if len(lines) == 4 && bytes.HasPrefix(lines[2], []byte("// source: ")) {
		return lines[3]
	}
	return b
}

// Every generated file carries the header and is gofmt'ed (jennifer formats; the support
// files are formatted when copied).
func TestHeaders(t *testing.T) {
	for _, f := range generate(t, repoFS, mainJob) {
		if !bytes.HasPrefix(f.Content, []byte("// "+emit.Header+"\n"+generator.VersionLine+"\n")) {
			t.Errorf("%s: no header and version line", f.Name)
		}
	}
}

// BenchmarkGenerate measures the main job in memory (load, model, emit, format).
func BenchmarkGenerate(b *testing.B) {
	var size int
	for b.Loop() {
		files := generate(b, repoFS, mainJob)
		size = 0
		for _, f := range files {
			size += len(f.Content)
		}
	}
	b.ReportMetric(float64(size), "source-bytes")
}
