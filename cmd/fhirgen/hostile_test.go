package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected stderr of the hostile-definitions cases")

// TestHostileDefinitions runs the command on broken and adversarial definitions, one
// txtar case per file in testdata/hostile. A case's files are written on top of the
// minimal base of the generator's golden cases (../../generator/testdata/base.txtar);
// its comment describes it and may hold "args: ..." (default: generate --out out
// --package golden -v base definitions) and "exit: N" (default 1). "stderr" holds what
// the command must print, with timings written as "in X.Xs".
//
// Before each case the output directory holds a previous generation of the base and a
// hand-written file; a case that fails must leave it byte for byte as it was, and no case
// may panic. -update rewrites stderr and exit.
func TestHostileDefinitions(t *testing.T) {
	base, err := txtar.ParseFile("../../generator/testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	cases, _ := filepath.Glob("testdata/hostile/*.txtar")
	for i := range cases { // the cases change directory
		cases[i], _ = filepath.Abs(cases[i])
	}
	if len(cases) < 30 {
		t.Errorf("the hostile suite has %d cases; it must keep at least 30", len(cases))
	}
	// one previous generation of the base, reused as every case's starting output
	prev := t.TempDir()
	writeArchive(t, prev, base.Files)
	if code, out := runIn(t, prev, "generate", "--out", "out", "--package", "golden", "base"); code != 0 {
		t.Fatalf("generating the base: exit %d\n%s", code, out)
	}
	os.WriteFile(filepath.Join(prev, "out", "handwritten.go"), []byte("package golden\n\n// Mine is the user's.\nconst Mine = 1\n"), 0o644)
	prevOut := readTree(t, filepath.Join(prev, "out"))

	timing := regexp.MustCompile(` in [0-9.]+s\b`)
	// the output of every case that generates is compiled and vetted, in one module
	mod := t.TempDir()
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module hostilecheck\n\ngo 1.24\n"), 0o644)
	generated := 0
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"generate", "--out", "out", "--package", "golden", "-v", "base", "definitions"}
			wantExit := 1
			var comment []string
			for _, line := range strings.Split(strings.TrimRight(string(ar.Comment), "\n"), "\n") {
				if v, ok := strings.CutPrefix(line, "args: "); ok {
					args = strings.Fields(v)
				}
				if v, ok := strings.CutPrefix(line, "exit: "); ok {
					wantExit, _ = strconv.Atoi(v)
					continue
				}
				comment = append(comment, line)
			}
			dir := t.TempDir()
			writeArchive(t, dir, base.Files)
			var inputs []txtar.File
			var want []byte
			hasWant := false
			for _, f := range ar.Files {
				if f.Name == "stderr" {
					want, hasWant = f.Data, true
					continue
				}
				inputs = append(inputs, f)
			}
			for i := range inputs { // keep megabyte inputs out of the repository
				inputs[i].Data = bytes.ReplaceAll(inputs[i].Data, []byte("@@MEGABYTE@@"), bytes.Repeat([]byte("x"), 1<<20))
			}
			writeArchive(t, dir, inputs)
			for p, data := range prevOut {
				writeFile(t, filepath.Join(dir, "out", p), data)
			}
			if err := os.MkdirAll(filepath.Join(dir, "definitions"), 0o755); err != nil {
				t.Fatal(err)
			}

			code, got := runIn(t, dir, args...)
			got = timing.ReplaceAllString(got, " in X.Xs")
			if strings.Contains(got, "panic") || strings.Contains(got, "goroutine ") {
				t.Fatalf("the command panicked:\n%s", got)
			}
			if *update {
				ar.Comment = []byte(strings.Join(comment, "\n") + "\nexit: " + strconv.Itoa(code) + "\n")
				var files []txtar.File
				for _, f := range ar.Files {
					if f.Name != "stderr" {
						files = append(files, f)
					}
				}
				ar.Files = append(files, txtar.File{Name: "stderr", Data: []byte(got)})
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if code != wantExit {
				t.Errorf("exit %d, want %d\n%s", code, wantExit, got)
			}
			if !hasWant {
				t.Fatalf("no stderr section (run with -update)\n%s", got)
			}
			if string(want) != got {
				t.Errorf("stderr differs (go test ./cmd/fhirgen -run TestHostileDefinitions -update rewrites it)\n got:\n%s\nwant:\n%s", got, want)
			}
			after := readTree(t, filepath.Join(dir, "out"))
			if code != 0 {
				if !sameTree(prevOut, after) {
					t.Errorf("a failing run changed the output directory")
				}
			} else if !bytes.Equal(after["handwritten.go"], prevOut["handwritten.go"]) {
				t.Errorf("the hand-written file in the output directory was lost")
			} else {
				for p, data := range after {
					writeFile(t, filepath.Join(mod, name, p), data)
				}
				generated++
			}
			for p := range after {
				if strings.Contains(p, "fhirgen-") || strings.HasPrefix(filepath.Base(p), ".") {
					t.Errorf("debris in the output directory: %s", p)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), "fhirgen-") {
					t.Errorf("debris beside the output directory: %s", e.Name())
				}
			}
		})
	}
	if *update || generated == 0 {
		return
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the output of the cases that generate does not vet: %v\n%s", err, out)
	}
	t.Logf("%d generated outputs compiled and vetted", generated)
}

// runIn runs the command in-process with dir as the working directory.
func runIn(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func writeArchive(t *testing.T, dir string, files []txtar.File) {
	t.Helper()
	for _, f := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTree returns every regular file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	return out
}

func sameTree(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}
