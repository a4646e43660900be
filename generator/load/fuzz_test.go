package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds one definition file to the loader: it never panics, and every
// diagnostic about the file names it.
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"profiles-medplum", "search-parameters-medplum", "valuesets-medplum"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", "definitions", dir, "*.json"))
		for i, p := range files {
			if i >= 4 {
				break
			}
			data, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			if len(data) < 200_000 {
				f.Add(data)
			}
		}
	}
	for _, s := range []string{
		`{"resourceType":"StructureDefinition","url":"u","name":"X","kind":"resource","type":"X","differential":{"element":[{"id":"X","path":"X","min":"1","max":-1}]}}`,
		`{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":null}]}}]}`,
		`{"resourceType":"SearchParameter","code":"x","base":"Patient","type":7,"expression":["a"]}`,
		`{"resourceType":"ValueSet","url":"v","compose":{"include":[{"valueSet":[1,"v"],"filter":[{}]}]}}`,
		`{"resourceType":"CodeSystem","url":"c","concept":[{"code":"a","concept":[{"code":"a"}]}]}`,
		"{\"resourceType\":\"StructureDefinition\",\"name\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"in/def.json": &fstest.MapFile{Data: data}}
		_, diags := Load(fsys, []string{"in"})
		for _, d := range diags {
			if d.Pos.File != "" && !strings.HasPrefix(d.Pos.File, "in") {
				t.Fatalf("diagnostic names %q, not the input: %s", d.Pos.File, d)
			}
		}
	})
}
