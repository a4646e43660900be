package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeText(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPackagesFlag resolves a package input's dependencies from a --packages directory
// outside the inputs' root and from the FHIR cache ($FHIRGEN_FHIR_PACKAGES), with a
// packageMap that drops one, for generate and check.
func TestPackagesFlag(t *testing.T) {
	dir := t.TempDir()
	copyDefinitions(t, dir)
	t.Chdir(dir)
	writeText(t, "ig/package/package.json", `{"name": "ig", "version": "0.1.0", "fhirVersions": ["4.0.1"],
		"dependencies": {"ext.pkg": "1.0.x", "gone": "1.0.0"}}`)
	writeText(t, "ig/package/ValueSet-ig.json", `{"resourceType": "ValueSet", "id": "ig", "url": "http://example.org/ValueSet/ig", "status": "active"}`)
	pkgs := t.TempDir()
	writeText(t, filepath.Join(pkgs, "ext.pkg#1.0.2", "package", "package.json"),
		`{"name": "ext.pkg", "version": "1.0.2", "fhirVersions": ["4.0.1"], "dependencies": {"other": "2.0.0"}}`)
	writeText(t, filepath.Join(pkgs, "ext.pkg#1.0.2", "package", "ValueSet-ext.json"),
		`{"resourceType": "ValueSet", "id": "ext", "url": "http://example.org/ValueSet/ext", "status": "active"}`)
	fhirCache := t.TempDir()
	t.Setenv("FHIRGEN_FHIR_PACKAGES", fhirCache)
	writeText(t, "config.json", `{"packageMap": {"gone#1.0.0": ""}}`)
	args := []string{"--out", "out", "--package", "fhir", "--emit", "types", "--config", "config.json", "--packages", pkgs, "definitions", "ig"}

	code, out := runCLI(append([]string{"generate"}, args...)...)
	if code != 1 || !strings.Contains(out, "ext.pkg#1.0.2/package/package.json: ig#0.1.0 needs ext.pkg#1.0.2 needs other#2.0.0: not found in "+pkgs+" or "+fhirCache+"\n") {
		t.Fatalf("without other#2.0.0: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "gone") {
		t.Errorf("the dropped dependency is looked for:\n%s", out)
	}

	writeText(t, filepath.Join(fhirCache, "other#2.0.0", "package", "package.json"), `{"name": "other", "version": "2.0.0", "fhirVersions": ["4.0.1"]}`)
	writeText(t, filepath.Join(fhirCache, "other#2.0.0", "package", "ValueSet-other.json"),
		`{"resourceType": "ValueSet", "id": "other", "url": "http://example.org/ValueSet/other", "status": "active"}`)
	code, out = runCLI(append([]string{"generate", "-v"}, args...)...)
	if code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "ig/package/package.json: note: ig#0.1.0 needs gone#1.0.0: dropped (packageMap \"gone#1.0.0\": \"\")") {
		t.Errorf("no note of the dropped dependency:\n%s", out)
	}
	if code, out := runCLI(append([]string{"check"}, args...)...); code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("check: exit %d\n%s", code, out)
	}

	code, out = runCLI("generate", "--packages", filepath.Join(dir, "nowhere"), "--out", "out", "--package", "fhir", "ig")
	if code != 2 || !strings.Contains(out, "nowhere: not a directory") {
		t.Errorf("--packages of no directory: exit %d\n%s", code, out)
	}
	if _, out := runCLI("--help"); !strings.Contains(out, "[--packages DIR]...") {
		t.Errorf("usage does not list --packages:\n%s", out)
	}
}
