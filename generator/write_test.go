package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/emit"
)

func genFile(name, version, body string) emit.File {
	c := "// " + emit.Header + "\n"
	if version != "" {
		c += "// fhirgen " + version + "\n"
	}
	return emit.File{Name: name, Content: []byte(c + "\npackage p\n" + body)}
}

// The `// fhirgen vX` line is ignored when comparing: a new version alone rewrites
// nothing and check passes; a file written before the line existed is rewritten once.
func TestPlanWriteIgnoresVersion(t *testing.T) {
	dir := t.TempDir()
	old := genFile("a.gen.go", "v0.1.0", "// A\n")
	noLine := genFile("b.gen.go", "", "// B\n")
	changed := genFile("c.gen.go", "v0.1.0", "// C\n")
	for _, f := range []emit.File{old, noLine, changed} {
		os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644)
	}
	now := []emit.File{genFile("a.gen.go", "v9.9.9", "// A\n"), genFile("b.gen.go", "v9.9.9", "// B\n"), genFile("c.gen.go", "v9.9.9", "// C2\n")}
	p, err := generator.PlanWrite(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Stale(), ","); got != "b.gen.go,c.gen.go" {
		t.Errorf("stale: %s, want b.gen.go (no version line) and c.gen.go (changed)", got)
	}
}

// Recover on a committed stage finishes the swap but never deletes a file that was
// replaced by a hand-written one since; a malformed manifest is an error naming it and
// changes nothing.
func TestRecoverKeepsHandWritten(t *testing.T) {
	dir := t.TempDir()
	stage := filepath.Join(dir, generator.StageDir)
	os.MkdirAll(stage, 0o755)
	os.WriteFile(filepath.Join(stage, "new.gen.go"), genFile("new.gen.go", "v1", "").Content, 0o644)
	os.WriteFile(filepath.Join(dir, "gone.gen.go"), genFile("gone.gen.go", "v1", "").Content, 0o644)
	os.WriteFile(filepath.Join(dir, "mine.gen.go"), []byte("package p // mine now\n"), 0o644)
	os.WriteFile(filepath.Join(stage, "MANIFEST"), []byte("write new.gen.go\nremove gone.gen.go\nremove mine.gen.go\n"), 0o644)
	done, err := generator.Recover(dir)
	if err != nil || len(done) != 1 || !strings.Contains(done[0], "finished an interrupted write (3 files)") {
		t.Fatalf("Recover: %q, %v", done, err)
	}
	for name, want := range map[string]bool{"new.gen.go": true, "gone.gen.go": false, "mine.gen.go": true, generator.StageDir: false} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", name, err == nil, want)
		}
	}

	os.MkdirAll(stage, 0o755)
	os.WriteFile(filepath.Join(stage, "MANIFEST"), []byte("write ../escape.go\n"), 0o644)
	if _, err := generator.Recover(dir); err == nil || !strings.Contains(err.Error(), "malformed manifest line") || !strings.Contains(err.Error(), "MANIFEST") {
		t.Errorf("a manifest naming ../escape.go: %v", err)
	}
	if _, err := os.Stat(stage); err != nil {
		t.Errorf("a stage that cannot be recovered was deleted: %v", err)
	}
}

// A write that fails before its commit point (here: a file name that is not plain)
// leaves the directory as it was, with no stage.
func TestApplyFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.gen.go"), genFile("a.gen.go", "v1", "// A\n").Content, 0o644)
	p := generator.Plan{Write: []emit.File{genFile("a.gen.go", "v1", "// A2\n"), genFile("../b.gen.go", "v1", "")}}
	if err := generator.Apply(dir, p); err == nil {
		t.Fatal("Apply accepted ../b.gen.go")
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.gen.go"))
	if !strings.Contains(string(data), "// A\n") {
		t.Errorf("a.gen.go changed by a failed write")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("debris after a failed write: %v", entries)
	}
}
