package generator_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/plan"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the golden cases")

// A golden case is a txtar archive in testdata/golden: its comment describes the case and
// may end with lines "compare: FILE..." (generated files checked byte for byte; "*" is
// every file but the runtime copied verbatim from templates/, with out/FILES listing the
// names of all files; "PLAN" is the plan of every emitter, as plan.Dump prints it),
// "emit: a,b" (--emit) and "resources: A,B"; its "definitions/..." files are the input,
// on top of the minimal base
// in testdata/base.txtar; "out/FILE" holds expected files and "stderr" the expected
// diagnostics (when absent, the case must produce no error). Every case that generates is
// also compiled and vetted, all in one temporary module.
func TestGolden(t *testing.T) {
	base, err := txtar.ParseFile("testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	cases, _ := filepath.Glob("testdata/golden/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	mod := tempmod.New(t, "goldencheck")
	compiled := 0
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cfg := generator.Config{Inputs: []string{"base", "definitions"}, Package: "golden"}
		var compare []string
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			if v, ok := strings.CutPrefix(line, "compare: "); ok {
				compare = strings.Fields(v)
			}
			if v, ok := strings.CutPrefix(line, "emit: "); ok {
				cfg.Emit = strings.Split(v, ",")
			}
			if v, ok := strings.CutPrefix(line, "resources: "); ok {
				cfg.Resources = strings.Split(v, ",")
			}
		}
		fsys := fstest.MapFS{}
		expected := map[string][]byte{}
		for _, f := range append(base.Files, ar.Files...) {
			switch {
			case strings.HasPrefix(f.Name, "out/"):
				expected[strings.TrimPrefix(f.Name, "out/")] = f.Data
			case f.Name == "stderr":
				expected["stderr"] = f.Data
			default:
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
		files, res, ds := generator.Generate(fsys, cfg)
		var stderr bytes.Buffer
		for _, d := range ds.Errors() {
			stderr.WriteString(d.String() + "\n")
		}
		got := map[string][]byte{}
		var names strings.Builder
		for _, f := range files {
			got[f.Name] = f.Content
			names.WriteString(f.Name + "\n")
		}
		if res != nil {
			got["PLAN"] = plan.Dump(res.Plan)
		}
		if i := slices.Index(compare, "*"); i >= 0 {
			all := []string{"FILES"}
			got["FILES"] = []byte(names.String())
			for _, f := range files {
				if !copied(f.Content) {
					all = append(all, f.Name)
				}
			}
			compare = slices.Concat(compare[:i], all, compare[i+1:])
		}
		t.Run(name, func(t *testing.T) {
			if *update {
				var keep []txtar.File
				for _, f := range ar.Files {
					if strings.HasPrefix(f.Name, "definitions/") {
						keep = append(keep, f)
					}
				}
				for _, c := range compare {
					keep = append(keep, txtar.File{Name: "out/" + c, Data: got[c]})
				}
				if _, ok := expected["stderr"]; ok || stderr.Len() > 0 {
					keep = append(keep, txtar.File{Name: "stderr", Data: stderr.Bytes()})
				}
				ar.Files = keep
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, hasStderr := expected["stderr"]
			if !hasStderr && stderr.Len() > 0 {
				t.Fatalf("unexpected errors:\n%s", stderr.String())
			}
			if hasStderr && !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(stderr.Bytes())) {
				t.Errorf("stderr:\n got: %s\nwant: %s", stderr.String(), want)
			}
			if hasStderr && len(files) != 0 {
				t.Errorf("a run with errors produced %d files", len(files))
			}
			for _, c := range compare {
				if got[c] == nil {
					t.Errorf("%s was not generated", c)
				} else if !bytes.Equal(got[c], expected[c]) {
					t.Errorf("%s differs from the golden file (run go test ./generator -run TestGolden -update)\n%s", c, got[c])
				}
			}
		})
		if len(files) > 0 {
			mod.WriteFiles(name, files)
			compiled++
		}
	}
	if *update || compiled == 0 {
		return
	}
	// type-check and vet every generated case at once
	if out, err := mod.Go("vet", "./..."); err != nil {
		t.Fatalf("generated golden packages do not vet: %v\n%s", err, out)
	}
}

// copied reports whether a generated file is runtime copied from templates/ (the support
// files and the FHIRPath runtime): the tests of templates/ check those, not the goldens.
func copied(content []byte) bool {
	_, rest, _ := bytes.Cut(content, []byte("\n"))
	_, rest, _ = bytes.Cut(rest, []byte("\n")) // the version stamp
	return bytes.HasPrefix(rest, []byte("// source: templates/")) || bytes.HasPrefix(rest, []byte("// source: generator/fhirpath/runtime/"))
}
