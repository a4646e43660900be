package generator_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fhirgen/fhirgen/generator/emit"
)

// No generated identifier comes from a counter: adding a constraint to BulkDataExport and
// a SearchParameter changes only the lines for them. Every line of the output before is
// still there, in order, in the output after, and only the files of BulkDataExport's
// validators and search, the FHIRPath functions, the search registry and the
// CapabilityStatement's parameters change.
func TestStableNames(t *testing.T) {
	base := fstest.MapFS{}
	fs.WalkDir(repoFS, "definitions", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(repoFS, p)
		if err != nil {
			t.Fatal(err)
		}
		base[p] = &fstest.MapFile{Data: data}
		return nil
	})
	before := generate(t, base, mainJob)

	changed := fstest.MapFS{}
	for k, v := range base {
		changed[k] = v
	}
	sdPath := "definitions/profiles-medplum/StructureDefinition-BulkDataExport.json"
	var sd map[string]any
	if err := json.Unmarshal(base[sdPath].Data, &sd); err != nil {
		t.Fatal(err)
	}
	added := false
	for _, e := range sd["snapshot"].(map[string]any)["element"].([]any) {
		el := e.(map[string]any)
		if el["id"] == "BulkDataExport.status" {
			cons, _ := el["constraint"].([]any)
			el["constraint"] = append(cons, map[string]any{"key": "bde-1", "severity": "error",
				"human": "status is one of the job states", "expression": "$this = 'accepted' or $this = 'active' or $this = 'completed' or $this = 'error'"})
			added = true
		}
	}
	if !added {
		t.Fatal("BulkDataExport.status not found")
	}
	data, _ := json.MarshalIndent(sd, "", "  ")
	changed[sdPath] = &fstest.MapFile{Data: data}
	changed["definitions/search-parameters-medplum/SearchParameter-BulkDataExport-request-time.json"] = &fstest.MapFile{Data: []byte(`{
  "resourceType": "SearchParameter", "id": "BulkDataExport-request-time",
  "url": "https://medplum.com/fhir/SearchParameter/BulkDataExport-request-time",
  "name": "request-time", "status": "draft", "description": "When the export was requested",
  "code": "request-time", "base": ["BulkDataExport"], "type": "date",
  "expression": "BulkDataExport.requestTime"
}`)}
	after := generate(t, changed, mainJob)

	byName := func(files []emit.File) map[string]string {
		m := map[string]string{}
		for _, f := range files {
			m[f.Name] = string(f.Content)
		}
		return m
	}
	b, a := byName(before), byName(after)
	mayChange := map[string]bool{"validate_bulk_data_export.gen.go": true, "search_bulk_data_export.gen.go": true,
		"fhirpath.gen.go": true, "search.gen.go": true, "server_resources.gen.go": true}
	sawNew := map[string]bool{}
	for name, old := range b {
		now, ok := a[name]
		if !ok {
			t.Errorf("%s is gone", name)
			continue
		}
		if old == now {
			continue
		}
		if d := os.Getenv("STABLE_DUMP"); d != "" {
			os.WriteFile(d+"/"+name+".old", []byte(old), 0o644)
			os.WriteFile(d+"/"+name+".new", []byte(now), 0o644)
		}
		if !mayChange[name] {
			t.Errorf("%s changed", name)
			continue
		}
		// the one line that counts: the capacity of a resource's entries
		old, now = capacity.ReplaceAllString(old, "${1}N)"), capacity.ReplaceAllString(now, "${1}N)")
		extra, ok := insertedLines(old, now)
		if !ok {
			t.Errorf("%s: lines of the old output were changed or removed, not only added to", name)
			continue
		}
		for _, l := range extra {
			for _, want := range []string{"bde-1", "request-time"} {
				if strings.Contains(l, want) {
					sawNew[want] = true
				}
			}
		}
		t.Logf("%s: %d lines added", name, len(extra))
	}
	if !sawNew["bde-1"] || !sawNew["request-time"] {
		t.Errorf("the added constraint and parameter do not show in the added lines: %v", sawNew)
	}
}

var capacity = regexp.MustCompile(`(make\(\[\]SearchEntry, 0, )\d+\)`)

// insertedLines returns the lines of now that are not in old, when old's lines are a
// subsequence of now's (only insertions); ok is false otherwise.
func insertedLines(old, now string) ([]string, bool) {
	o, n := strings.Split(old, "\n"), strings.Split(now, "\n")
	// longest common subsequence by dynamic programming over the differing middle
	i := 0
	for i < len(o) && i < len(n) && o[i] == n[i] {
		i++
	}
	j := 0
	for j < len(o)-i && j < len(n)-i && o[len(o)-1-j] == n[len(n)-1-j] {
		j++
	}
	om, nm := o[i:len(o)-j], n[i:len(n)-j]
	lcs := make([][]int, len(om)+1)
	for x := range lcs {
		lcs[x] = make([]int, len(nm)+1)
	}
	for x := len(om) - 1; x >= 0; x-- {
		for y := len(nm) - 1; y >= 0; y-- {
			if om[x] == nm[y] {
				lcs[x][y] = lcs[x+1][y+1] + 1
			} else {
				lcs[x][y] = max(lcs[x+1][y], lcs[x][y+1])
			}
		}
	}
	if lcs[0][0] != len(om) {
		return nil, false
	}
	var extra []string
	x, y := 0, 0
	for y < len(nm) {
		if x < len(om) && om[x] == nm[y] {
			x++
		} else {
			extra = append(extra, nm[y])
		}
		y++
	}
	return extra, true
}
