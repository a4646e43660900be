package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffoldWritesOnce(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"scaffold", "service", "--out", dir, "--package", "fhir", "BulkDataExport"}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	path := filepath.Join(dir, "service.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"package fhir", "func (s *Service) ReadBulkDataExport(", "not implemented yet", "never\n// overwrites"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("scaffold lacks %q", want)
		}
	}
	os.WriteFile(path, []byte("// mine\n"), 0o644)
	errb.Reset()
	if code := run(args, &out, &errb); code != 1 || !strings.Contains(errb.String(), "never overwrites") {
		t.Fatalf("second run: exit %d: %s", code, errb.String())
	}
	if got, _ := os.ReadFile(path); string(got) != "// mine\n" {
		t.Fatal("scaffold overwrote a file")
	}
	for _, bad := range [][]string{{"scaffold"}, {"scaffold", "service", "--out", dir}, {"scaffold", "service", "--out", dir, "--package", "fhir", "bad-name"}} {
		if code := run(bad, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}
