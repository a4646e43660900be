package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// withRouter returns a directory holding the generated router of the main job (the file
// scaffold service reads the served resources from).
func withRouter(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile("../../generated/fhir/server_resources.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "server_resources.gen.go"), data, 0o644)
	return dir
}

func TestScaffoldWritesOnce(t *testing.T) {
	dir := withRouter(t)
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

// scaffold service refuses resources the generated router does not serve (the code would
// not compile), with a did-you-mean, and a directory without a generated router.
func TestScaffoldUnknownResource(t *testing.T) {
	dir := withRouter(t)
	var out, errb bytes.Buffer
	code := run([]string{"scaffold", "service", "--out", dir, "--package", "fhir", "BulkDataExprt"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "has no resource BulkDataExprt; did you mean BulkDataExport?") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "service.go")); !os.IsNotExist(err) {
		t.Fatal("a service was written for a resource that does not exist")
	}
	errb.Reset()
	code = run([]string{"scaffold", "service", "--out", dir, "--package", "other", "BulkDataExport"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "--package other differs from the package fhir") {
		t.Fatalf("package mismatch: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	code = run([]string{"scaffold", "service", "--out", t.TempDir(), "--package", "fhir", "BulkDataExport"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "has no generated router") {
		t.Fatalf("no router: exit %d: %s", code, errb.String())
	}
}

// TestScaffoldResourceEndToEnd scaffolds a custom resource with search parameters, generates
// it beside the repository's definitions with every emitter, and exercises the generated
// code: JSON round trip, validation (cardinality, the required binding, reference
// targets), the search index and the router's CapabilityStatement.
func TestScaffoldResourceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	dir := t.TempDir()
	defs := filepath.Join(dir, "custom")
	var out, errb bytes.Buffer
	args := []string{"scaffold", "resource", "--out", defs, "--url", "https://example.org/fhir", "--search", "TaskNote",
		"status:code[1..1]=https://medplum.com/fhir/ValueSet/async-job-status",
		"subject:Reference(BulkDataExport|Bundle)[1..1]", "note:Annotation[0..*]", "due:dateTime", "label:string[0..3]"}
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("scaffold: exit %d: %s", code, errb.String())
	}
	var names []string
	entries, _ := os.ReadDir(defs)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "SearchParameter-TaskNote-due.json SearchParameter-TaskNote-label.json SearchParameter-TaskNote-status.json " +
		"SearchParameter-TaskNote-subject.json StructureDefinition-TaskNote.json"
	if strings.Join(names, " ") != want {
		t.Fatalf("scaffold wrote %v, want %s", names, want)
	}
	// a second run writes nothing and changes nothing
	before, _ := os.ReadFile(filepath.Join(defs, "StructureDefinition-TaskNote.json"))
	os.Remove(filepath.Join(defs, "SearchParameter-TaskNote-due.json"))
	if code := run(args, &out, &errb); code != 1 {
		t.Fatalf("second scaffold: exit %d, want 1", code)
	}
	if _, err := os.Stat(filepath.Join(defs, "SearchParameter-TaskNote-due.json")); err == nil {
		t.Error("a refused scaffold left a file behind")
	}
	if after, _ := os.ReadFile(filepath.Join(defs, "StructureDefinition-TaskNote.json")); !bytes.Equal(before, after) {
		t.Error("a refused scaffold changed a file")
	}
	os.Remove(filepath.Join(defs, "SearchParameter-TaskNote-label.json"))
	os.Remove(filepath.Join(defs, "SearchParameter-TaskNote-status.json"))
	os.Remove(filepath.Join(defs, "SearchParameter-TaskNote-subject.json"))
	os.Remove(filepath.Join(defs, "StructureDefinition-TaskNote.json"))
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("scaffold again: exit %d: %s", code, errb.String())
	}

	pkg := filepath.Join(dir, "fhir")
	errb.Reset()
	if code := run([]string{"generate", "--out", pkg, "--package", "fhir", "--resources", "TaskNote",
		filepath.Join("..", "..", "definitions"), defs}, &out, &errb); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errb.String())
	}
	if strings.Contains(errb.String(), "TaskNote") {
		t.Errorf("generation warned about the scaffolded resource:\n%s", errb.String())
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/x\n\ngo 1.24\n"), 0o644)
	os.WriteFile(filepath.Join(pkg, "tasknote_test.go"), []byte(taskNoteTest), 0o644)
	cmd := exec.Command("go", "test", "-count=1", "-v", "./fhir")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	res, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the generated package: %v\n%s", err, res)
	}
	if !strings.Contains(string(res), "--- PASS: TestTaskNote") {
		t.Fatalf("TestTaskNote did not run:\n%s", res)
	}
}

const taskNoteTest = `package fhir

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const note = ` + "`" + `{"resourceType":"TaskNote","id":"n1","status":"active","_status":{"extension":[{"url":"http://x","valueString":"y"}]},"subject":{"reference":"BulkDataExport/e1"},"note":[{"text":"first"},{"text":"second"}],"due":"2024-02-29T10:00:00Z","label":["a","b"]}` + "`" + `

type svc struct{}

func (svc) ReadTaskNote(ctx context.Context, req ReadRequest) (*TaskNote, error) {
	var x TaskNote
	err := x.UnmarshalJSON([]byte(note))
	return &x, err
}

func TestTaskNote(t *testing.T) {
	var x TaskNote
	if err := x.UnmarshalJSON([]byte(note)); err != nil {
		t.Fatal(err)
	}
	out, err := x.MarshalJSON()
	if err != nil || !bytes.Equal(out, []byte(note)) {
		t.Fatalf("round trip:\n%s\n%s (%v)", out, note, err)
	}
	if err := x.Validate(); err != nil {
		t.Fatalf("valid note: %v", err)
	}
	idx := map[string]string{}
	for _, e := range ExtractSearchIndex(&x) {
		b, _ := json.Marshal(e)
		idx[e.Param] += string(b)
	}
	for param, want := range map[string]string{
		"status":  ` + "`" + `"system":"https://medplum.com/fhir/CodeSystem/async-job-status","code":"active"` + "`" + `,
		"subject": ` + "`" + `"reference":"BulkDataExport/e1"` + "`" + `,
		"due":     ` + "`" + `"start":"2024-02-29T10:00:00.000Z"` + "`" + `,
		"label":   ` + "`" + `"value":"b"` + "`" + `,
	} {
		if !strings.Contains(idx[param], want) {
			t.Errorf("search %s: %s, want %s", param, idx[param], want)
		}
	}
	for _, c := range []struct{ from, to, code, expr string }{
		{` + "`" + `"status":"active","_status":{"extension":[{"url":"http://x","valueString":"y"}]},` + "`" + `, "", "required", "TaskNote.status"},
		{` + "`" + `"status":"active"` + "`" + `, ` + "`" + `"status":"bogus"` + "`" + `, "code-invalid", "TaskNote.status"},
		{` + "`" + `"reference":"BulkDataExport/e1"` + "`" + `, ` + "`" + `"reference":"OperationOutcome/o1"` + "`" + `, "invalid", "TaskNote.subject.reference"},
		{` + "`" + `"label":["a","b"]` + "`" + `, ` + "`" + `"label":["a","b","c","d"]` + "`" + `, "structure", "TaskNote.label"},
		{` + "`" + `"due":"2024-02-29T10:00:00Z"` + "`" + `, ` + "`" + `"due":"2024-02-30T10:00:00Z"` + "`" + `, "value", "TaskNote.due"},
	} {
		src := strings.Replace(note, c.from, c.to, 1)
		if src == note {
			t.Fatalf("%s not in the note", c.from)
		}
		var y TaskNote
		if err := y.UnmarshalJSON([]byte(src)); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		found := false
		for _, i := range y.ValidateAll() {
			if i.Severity == "error" && i.Code == c.code && i.Expression == c.expr {
				found = true
			}
		}
		if !found || y.Validate() == nil {
			t.Errorf("%s: want %s at %s, got %v", src, c.code, c.expr, y.ValidateAll())
		}
	}
	srv := httptest.NewServer(NewRouter(svc{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/TaskNote/n1")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /TaskNote/n1: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get(srv.URL + "/metadata")
	if err != nil {
		t.Fatal(err)
	}
	var cs struct {
		Rest []struct {
			Resource []struct {
				Type        string
				SearchParam []struct{ Name string }
			}
		}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err := json.Unmarshal(body, &cs); err != nil || len(cs.Rest) == 0 {
		t.Fatalf("/metadata: %v\n%s", err, body)
	}
	ok := false
	for _, r := range cs.Rest[0].Resource {
		if r.Type == "TaskNote" {
			ok = len(r.SearchParam) > 0
		}
	}
	if !ok {
		t.Errorf("CapabilityStatement: no TaskNote with search parameters: %+v", cs)
	}
}
`
