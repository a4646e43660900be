package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copyDefinitions copies the repository's definitions/ into dir/definitions.
func copyDefinitions(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join("..", "..", "definitions")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, "definitions", rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// snapshotDir returns every file of dir with its content and modification time.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, _ := e.Info()
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = info.ModTime().String() + "\x00" + string(data)
	}
	return out
}

func runCLI(args ...string) (int, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func setup(t *testing.T) string {
	dir := t.TempDir()
	copyDefinitions(t, dir)
	t.Chdir(dir)
	if code, out := runCLI("generate", "--out", "out", "--package", "fhir", "definitions"); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, out)
	}
	return dir
}

// editAfter replaces the first old after anchor in file.
func editAfter(t *testing.T, file, anchor, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte(anchor))
	if i < 0 {
		t.Fatalf("%s does not contain %q", file, anchor)
	}
	j := bytes.Index(data[i:], []byte(old))
	if j < 0 {
		t.Fatalf("%s does not contain %q after %q", file, old, anchor)
	}
	at := i + j
	data = append(data[:at:at], append([]byte(new), data[at+len(old):]...)...)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func edit(t *testing.T, file, old, new string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

const bdeFile = "definitions/profiles-medplum/StructureDefinition-BulkDataExport.json"

func TestBrokenDefinitionsWriteNothing(t *testing.T) {
	cases := []struct {
		name    string
		anchor  string
		old     string
		new     string
		pattern string // the diagnostic, as a regexp
	}{
		{"unknown type code", `"path": "BulkDataExport.request"`, `"code": "uri"`, `"code": "urii"`,
			`^definitions/profiles-medplum/StructureDefinition-BulkDataExport\.json:\d+:\d+: StructureDefinition/BulkDataExport BulkDataExport\.request: unknown type code "urii"$`},
		{"invalid JSON", `"path": "BulkDataExport.requestTime"`, `"code": "instant"`, `"code": "instant",,`,
			`^definitions/profiles-medplum/StructureDefinition-BulkDataExport\.json:\d+:\d+: .*invalid JSON`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := setup(t)
			before := snapshotDir(t, filepath.Join(dir, "out"))
			editAfter(t, bdeFile, c.anchor, c.old, c.new)
			code, out := runCLI("generate", "--out", "out", "--package", "fhir", "definitions")
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, out)
			}
			re := regexp.MustCompile(c.pattern)
			found := false
			for _, line := range strings.Split(out, "\n") {
				if re.MatchString(line) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no diagnostic matching %s in:\n%s", c.pattern, out)
			}
			// the line:col points into the file at the broken spot
			m := regexp.MustCompile(`\.json:(\d+):(\d+):`).FindStringSubmatch(out)
			data, _ := os.ReadFile(bdeFile)
			lines := strings.Split(string(data), "\n")
			var ln, col int
			for _, d := range m[1] {
				ln = ln*10 + int(d-'0')
			}
			for _, d := range m[2] {
				col = col*10 + int(d-'0')
			}
			if ln < 1 || ln > len(lines) || col < 1 || col > len(lines[ln-1])+1 {
				t.Fatalf("position %d:%d outside the file", ln, col)
			}
			if after := snapshotDir(t, filepath.Join(dir, "out")); !equalMaps(before, after) {
				t.Fatal("the output directory changed")
			}
			// check says the same and also exits 1
			if code, _ := runCLI("check", "--out", "out", "--package", "fhir", "definitions"); code != 1 {
				t.Fatalf("check: exit %d", code)
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCheckStaleAndWrite(t *testing.T) {
	dir := setup(t)
	out := filepath.Join(dir, "out")
	if code, msg := runCLI("check", "--out", "out", "--package", "fhir", "definitions"); code != 0 {
		t.Fatalf("check after generate: exit %d\n%s", code, msg)
	}
	// a stale generated file, a hand-written file and an edited generated file
	stale := "// Code generated by fhirgen. DO NOT EDIT.\n\npackage fhir\n"
	os.WriteFile(filepath.Join(out, "old_type.gen.go"), []byte(stale), 0o644)
	os.WriteFile(filepath.Join(out, "mine.gen.go"), []byte("package fhir\n"), 0o644)
	os.WriteFile(filepath.Join(out, "helpers.go"), []byte("package fhir\n"), 0o644)
	edit(t, filepath.Join(out, "meta.gen.go"), "type Meta struct", "type Meta  struct")
	before := snapshotDir(t, out)
	code, msg := runCLI("check", "--out", "out", "--package", "fhir", "definitions")
	if code != 1 || !strings.Contains(msg, "stale: out/meta.gen.go") || !strings.Contains(msg, "stale: out/old_type.gen.go") {
		t.Fatalf("check: exit %d\n%s", code, msg)
	}
	if !equalMaps(before, snapshotDir(t, out)) {
		t.Fatal("check wrote something")
	}
	if code, msg := runCLI("generate", "--out", "out", "--package", "fhir", "definitions"); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, msg)
	}
	if _, err := os.Stat(filepath.Join(out, "old_type.gen.go")); !os.IsNotExist(err) {
		t.Error("stale generated file not removed")
	}
	for _, keep := range []string{"mine.gen.go", "helpers.go"} {
		if _, err := os.Stat(filepath.Join(out, keep)); err != nil {
			t.Errorf("hand-written %s was removed", keep)
		}
	}
	// only the changed file was rewritten
	after := snapshotDir(t, out)
	for name, v := range before {
		if name != "meta.gen.go" && name != "old_type.gen.go" && after[name] != v {
			t.Errorf("%s was rewritten though unchanged", name)
		}
	}
}

// A hand-written file in the way of a generated one is never overwritten.
func TestRefusesToOverwriteHandWritten(t *testing.T) {
	dir := setup(t)
	p := filepath.Join(dir, "out", "meta.gen.go")
	os.WriteFile(p, []byte("package fhir\n// mine\n"), 0o644)
	code, msg := runCLI("generate", "--out", "out", "--package", "fhir", "definitions")
	if code != 1 || !strings.Contains(msg, "not generated by fhirgen") {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	if data, _ := os.ReadFile(p); string(data) != "package fhir\n// mine\n" {
		t.Fatal("hand-written file overwritten")
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"generate", "--package", "fhir", "definitions"},
		{"generate", "--out", "x", "--package", "fhir", "--emit", "nope", "definitions"},
	} {
		if code, _ := runCLI(args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

func TestResourcesClosure(t *testing.T) {
	dir := setup(t)
	code, msg := runCLI("generate", "--out", "only", "--package", "fhir", "--resources", "OperationOutcome", "definitions")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	reg, _ := os.ReadFile(filepath.Join(dir, "only", "resources.gen.go"))
	if !strings.Contains(string(reg), `"OperationOutcome"`) || strings.Contains(string(reg), `"BulkDataExport"`) {
		t.Fatalf("registry:\n%s", reg)
	}
	if _, err := os.Stat(filepath.Join(dir, "only", "bulk_data_export.gen.go")); !os.IsNotExist(err) {
		t.Error("BulkDataExport generated outside the closure")
	}
	if code, msg := runCLI("generate", "--out", "x", "--package", "fhir", "--resources", "Nope", "definitions"); code != 1 || !strings.Contains(msg, `"Nope"`) {
		t.Errorf("unknown resource: exit %d\n%s", code, msg)
	}
}

// TestCLIConventions: version, --help (exit 0, to stdout) for every command, messages
// prefixed "fhirgen:", did-you-mean for a mistyped command, -q prints nothing on success.
func TestCLIConventions(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "fhirgen v") {
			t.Errorf("%q: exit %d, stdout %q", args, code, stdout.String())
		}
	}
	for _, args := range [][]string{{"--help"}, {"help"}, {"generate", "--help"}, {"check", "-h"},
		{"scaffold", "--help"}, {"scaffold", "service", "--help"}, {"scaffold", "resource", "--help"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 || stdout.Len() == 0 || stderr.Len() != 0 {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q", args, code, stdout.Len(), stderr.String())
		}
		if args[0] == "--help" && !strings.Contains(stdout.String(), "fhirgen scaffold") {
			t.Errorf("the top-level usage does not mention scaffold")
		}
	}
	code, out := runCLI("generat", "--out", "x")
	if code != 2 || !strings.Contains(out, `fhirgen: unknown command "generat" (did you mean generate?)`) {
		t.Errorf("mistyped command: exit %d\n%s", code, out)
	}
	code, out = runCLI("generate", "--nope")
	if code != 2 || !strings.HasPrefix(out, "fhirgen: flag provided but not defined: -nope") {
		t.Errorf("unknown flag: exit %d\n%s", code, out)
	}
	setup(t)
	if code, out := runCLI("generate", "-q", "--out", "out", "--package", "fhir", "definitions"); code != 0 || out != "" {
		t.Errorf("-q: exit %d, printed %q", code, out)
	}
	// every line the command prints without a file position starts with "fhirgen:"
	code, out = runCLI("check", "--out", "out", "--package", "fhir", "definitions")
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "fhirgen: ") && !regexp.MustCompile(`^\S+:\d+:\d+: `).MatchString(line) {
			t.Errorf("unprefixed line: %q", line)
		}
	}
	if code != 0 {
		t.Errorf("check: exit %d", code)
	}
	// --strict: the main job has warnings (bindings not expandable): exit 1, nothing written
	os.Remove(filepath.Join("out", "meta.gen.go"))
	code, out = runCLI("generate", "--strict", "--out", "out", "--package", "fhir", "definitions")
	if code != 1 || !strings.Contains(out, "fhirgen: --strict:") {
		t.Errorf("--strict: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join("out", "meta.gen.go")); !os.IsNotExist(err) {
		t.Error("--strict wrote files despite warnings")
	}
}
