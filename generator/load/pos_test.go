package load

import (
	"fmt"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// TestGJSONIndex pins down how gjson's Result.Index behaves, which the positions rely
// on. For values reached by ForEach or by Get with a plain key path on a sub-result, Index
// is the offset in the whole document: ForEach and Result.Get both add the sub-result's
// own Index. But Result.Get adds the parent's Index even when the inner lookup found no
// position (Index 0, "unknown": modifiers, pipes, multipaths, '#' queries, no match), so
// such results carry the parent's offset, which looks valid and is wrong. The loader
// therefore only uses ForEach and Get with plain keys. Re-parsing a sub-result's Raw gives
// offsets relative to that Raw.
func TestGJSONIndex(t *testing.T) {
	data := "  {\n \"a\" : { \"b\": [ {\"c\": \"x\\\"y\"}, 2 ] , \"d\": true },\n \"e\": \"f\" }"
	root := gjson.Parse(data)
	if root.Index != 2 {
		t.Errorf("Parse: Index = %d, want 2 (leading white space skipped)", root.Index)
	}
	check := func(what string, r gjson.Result) {
		t.Helper()
		if r.Index <= 0 || !strings.HasPrefix(data[r.Index:], r.Raw) {
			t.Errorf("%s: Index %d does not point at %q", what, r.Index, r.Raw)
		}
	}
	a := root.Get("a")
	check("Get on the root", a)
	b := a.Get("b")
	check("Get on a sub-result", b)
	n := 0
	b.ForEach(func(_, v gjson.Result) bool {
		check(fmt.Sprintf("ForEach on a sub-result, item %d", n), v)
		if n == 0 {
			check("Get on a ForEach item", v.Get("c"))
			v.ForEach(func(k, v gjson.Result) bool {
				check("ForEach key", k)
				check("nested ForEach value (escaped string)", v)
				return true
			})
		}
		n++
		return true
	})
	a.ForEach(func(k, v gjson.Result) bool {
		check("ForEach on an object: key "+k.Str, k)
		check("ForEach on an object: value of "+k.Str, v)
		return true
	})
	// Re-parsing a sub-result's Raw makes Index relative to it.
	if r := gjson.Parse(a.Raw).Get("d"); r.Index != strings.Index(a.Raw, "true") {
		t.Errorf("Get on a re-parsed Raw: Index %d, want relative %d", r.Index, strings.Index(a.Raw, "true"))
	}
	// Computed results have no position: Index is the parent's (here the root's, 2).
	for _, path := range []string{"a|@pretty", "a.@reverse", "a.{d}", "a|b", "a.b.#", "a.b.#(c==x)"} {
		if r := root.Get(path); r.Index != root.Index {
			t.Errorf("Get(%q): Index %d, want the parent's %d", path, r.Index, root.Index)
		}
	}
	// A '#' query on values gives their offsets in Indexes, and Index 0.
	if r := root.Get("a.b.#.c"); r.Index != 0 || len(r.Indexes) != 1 || !strings.HasPrefix(data[r.Indexes[0]:], `"x\"y"`) {
		t.Errorf("'#' query: Index %d, Indexes %v", r.Index, r.Indexes)
	}
}

// TestPositions checks that every position points at the right bytes, in pretty-printed
// and single-line files, in bundles, in a .tgz, with CRLF line ends and a byte order mark.
func TestPositions(t *testing.T) {
	resources := []string{sdPatient, spGender, vsGender, csGender}
	files := map[string]string{
		"pretty/bundle.json":   bundle(resources...),
		"single/bundle.json":   compact(bundle(resources...)),
		"crlf/Patient.json":    "\uFEFF" + strings.ReplaceAll(sdPatient, "\n", "\r\n"),
		"crlf/SearchParm.json": strings.ReplaceAll(spGender, "\n", "\r\n"),
		"tabs/ValueSet.json":   strings.ReplaceAll(vsGender, "  ", "\t"),
		"tabs/CodeSystem.json": strings.ReplaceAll(csGender, "  ", "\t"),
	}
	tgzFiles := []string{
		"package/package.json", pkgManifest,
		"package/StructureDefinition-Patient.json", sdPatient,
		"package/SearchParameter-gender.json", spGender,
		"package/ValueSet-gender.json", vsGender,
		"package/CodeSystem-gender.json", csGender,
	}
	content := map[string]string{}
	for name, data := range files {
		content[name] = data
	}
	for i := 0; i < len(tgzFiles); i += 2 {
		content["p.tgz/"+tgzFiles[i]] = tgzFiles[i+1]
	}
	fsys := mapFS(files)
	fsys["p.tgz"] = &fstest.MapFile{Data: tgz(t, tgzFiles...)}
	for _, input := range []string{"pretty", "single", "crlf", "tabs", "p.tgz"} {
		t.Run(input, func(t *testing.T) {
			defs, diags := Load(fsys, []string{input})
			if diags.HasErrors() {
				t.Fatalf("errors: %q", diagStrings(diags))
			}
			n := checkPositions(t, defs, content)
			if n < 4 {
				t.Errorf("only %d positions checked", n)
			}
		})
	}
}

// checkPositions checks every position in defs against the file contents and returns how
// many it checked.
func checkPositions(t *testing.T, defs *Definitions, content map[string]string) int {
	t.Helper()
	n := 0
	// at returns the JSON value at pos, after checking pos.
	at := func(what string, pos diag.Pos, first byte) gjson.Result {
		t.Helper()
		n++
		data, ok := content[pos.File]
		if !ok {
			t.Errorf("%s: position in unknown file %q", what, pos.File)
			return gjson.Result{}
		}
		if pos.Offset < 0 || pos.Offset >= len(data) {
			t.Errorf("%s: offset %d out of %s", what, pos.Offset, pos.File)
			return gjson.Result{}
		}
		// diag.LineCol scans from the start: in big files, check a sample.
		if len(data) < 1<<16 || n%100 == 0 {
			line, col := diag.LineCol([]byte(data), pos.Offset)
			if pos.Line != line || pos.Col != col {
				t.Errorf("%s: %s: line:col should be %d:%d", what, pos, line, col)
			}
		}
		if data[pos.Offset] != first {
			t.Errorf("%s: %s: byte %q, want %q", what, pos, data[pos.Offset], first)
		}
		return gjson.Parse(data[pos.Offset:])
	}
	str := func(what string, pos diag.Pos, want string) {
		t.Helper()
		if got := at(what, pos, '"').Str; got != want {
			t.Errorf("%s: %s: string %q, want %q", what, pos, got, want)
		}
	}
	field := func(what string, pos diag.Pos, key, want string) {
		t.Helper()
		if got := at(what, pos, '{').Get(key).Str; got != want {
			t.Errorf("%s: %s: %s %q, want %q", what, pos, key, got, want)
		}
	}
	for _, sd := range defs.Structures {
		field(sd.Subject(), sd.Pos, "url", sd.URL)
		for _, list := range [][]*ElementDefinition{sd.Snapshot, sd.Differential} {
			for _, ed := range list {
				field(ed.Path, ed.Pos, "path", ed.Path)
				for _, tr := range ed.Types {
					field(ed.Path+" type", tr.Pos, "code", tr.Code)
				}
				if ed.Binding != nil {
					field(ed.Path+" binding", ed.Binding.Pos, "strength", ed.Binding.Strength)
				}
				for _, c := range ed.Constraints {
					field(ed.Path+" constraint", c.Pos, "key", c.Key)
					if c.Expression != "" || c.ExprPos.File != "" {
						str(ed.Path+" constraint expression", c.ExprPos, c.Expression)
					}
				}
				if ed.ContentReference != "" {
					str(ed.Path+" contentReference", ed.ContentRefPos, ed.ContentReference)
				}
			}
		}
	}
	for _, sp := range defs.SearchParams {
		field(sp.Subject(), sp.Pos, "url", sp.URL)
		if sp.Expression != "" || sp.ExprPos.File != "" {
			str(sp.Subject()+" expression", sp.ExprPos, sp.Expression)
		}
		for _, c := range sp.Components {
			field(sp.Subject()+" component", c.Pos, "definition", c.Definition)
			if c.Expression != "" || c.ExprPos.File != "" {
				str(sp.Subject()+" component expression", c.ExprPos, c.Expression)
			}
		}
	}
	for _, vs := range defs.ValueSets {
		field(vs.Subject(), vs.Pos, "url", vs.URL)
		if vs.Compose != nil {
			for _, cs := range append(slices.Clone(vs.Compose.Include), vs.Compose.Exclude...) {
				field(vs.Subject()+" include", cs.Pos, "system", cs.System)
			}
		}
	}
	for _, cs := range defs.CodeSystems {
		field(cs.Subject(), cs.Pos, "url", cs.URL)
	}
	return n
}

// manySDs returns n small StructureDefinitions, enough to make a bundle that workers read
// in several batches.
func manySDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = sd(fmt.Sprintf("S%04d", i), fmt.Sprintf(`"description": %q,`, strings.Repeat("x", 1000)))
	}
	return out
}

// TestOrderIndependence loads the same definitions laid out in different orders.
func TestOrderIndependence(t *testing.T) {
	resources := append([]string{sdPatient, spGender, vsGender, csGender, opDef, compDef}, manySDs(3000)...)
	reversed := slices.Clone(resources)
	slices.Reverse(reversed)
	big := bundle(resources...)
	if len(big) < 3*bundleBatch {
		t.Fatalf("bundle of %d bytes is too small to be read in batches", len(big))
	}

	type layout struct {
		name   string
		fsys   fstest.MapFS
		inputs []string
	}
	tarFiles := func(order []int) []string {
		files := []string{"package/package.json", pkgManifest}
		for _, i := range order {
			files = append(files, fmt.Sprintf("package/R-%d.json", i), resources[i])
		}
		return files
	}
	ascending := make([]int, len(resources))
	for i := range ascending {
		ascending[i] = i
	}
	descending := slices.Clone(ascending)
	slices.Reverse(descending)
	dirFiles := func(names func(i int) string) fstest.MapFS {
		m := fstest.MapFS{}
		for i, r := range resources {
			m[names(i)] = &fstest.MapFile{Data: []byte(r)}
		}
		return m
	}
	tgzFS := func(order []int) fstest.MapFS {
		return fstest.MapFS{"p.tgz": &fstest.MapFile{Data: tgz(t, tarFiles(order)...)}}
	}
	layouts := []layout{
		{"bundle", mapFS(map[string]string{"b.json": big}), []string{"b.json"}},
		{"bundle reversed", mapFS(map[string]string{"b.json": bundle(reversed...)}), []string{"b.json"}},
		{"single-line bundle", mapFS(map[string]string{"b.json": compact(big)}), []string{"b.json"}},
		{"directory", dirFiles(func(i int) string { return fmt.Sprintf("d/%05d.json", i) }), []string{"d"}},
		{"directory, other names", dirFiles(func(i int) string { return fmt.Sprintf("d/x/%05d.json", len(resources)-i) }), []string{"d"}},
		{"tgz", tgzFS(ascending), []string{"p.tgz"}},
		{"tgz, entries reversed", tgzFS(descending), []string{"p.tgz"}},
	}
	var first *Definitions
	exact := map[string]*Definitions{}
	for _, l := range layouts {
		defs, diags := Load(l.fsys, l.inputs)
		if diags.HasErrors() {
			t.Fatalf("%s: errors %q", l.name, diagStrings(diags))
		}
		if n := len(defs.Structures); n != 3001 {
			t.Fatalf("%s: %d structures, want 3001", l.name, n)
		}
		// Runs in parallel must agree exactly, positions included.
		for _, procs := range []int{1, 4} {
			old := runtime.GOMAXPROCS(procs)
			again, diags2 := Load(l.fsys, l.inputs)
			runtime.GOMAXPROCS(old)
			if !reflect.DeepEqual(again, defs) || !reflect.DeepEqual(diags2, diags) {
				t.Errorf("%s: loading again with GOMAXPROCS %d gives another result", l.name, procs)
			}
		}
		exact[l.name] = defs
		d := withoutPos(defs)
		d.FHIRVersion = ""
		withoutPackages(d) // a bundle or a directory is no package
		if first == nil {
			first = d
		} else if !reflect.DeepEqual(d, first) {
			t.Errorf("%s: definitions differ from %s's", l.name, layouts[0].name)
		}
	}
	if !reflect.DeepEqual(exact["tgz"], exact["tgz, entries reversed"]) {
		t.Errorf("tgz entry order changes the definitions")
	}

	// Inputs that do not override each other, in any order: the same result, positions
	// and diagnostics included.
	fsys := mapFS(map[string]string{
		"a.json":    bundle(sdPatient, opDef),
		"b/sp.json": spGender,
		"b/x.json":  `{"not": "a resource"}`,
		"c.json":    bundle(vsGender, csGender, compDef),
	})
	var want *Definitions
	var wantDiags diag.List
	for _, inputs := range [][]string{{"a.json", "b", "c.json"}, {"c.json", "b", "a.json"}, {"b", "a.json", "c.json"}} {
		defs, diags := Load(fsys, inputs)
		if want == nil {
			want, wantDiags = defs, diags
			if len(defs.Structures)+len(defs.SearchParams)+len(defs.ValueSets)+len(defs.CodeSystems) != 4 {
				t.Fatalf("got %q", urls(defs))
			}
			continue
		}
		if !reflect.DeepEqual(defs, want) {
			t.Errorf("inputs %q: other definitions", inputs)
		}
		if !reflect.DeepEqual(diags, wantDiags) {
			t.Errorf("inputs %q: diagnostics\n%q\nwant\n%q", inputs, diagStrings(diags), diagStrings(wantDiags))
		}
	}
}

// TestLookup checks the lookups by canonical.
func TestLookup(t *testing.T) {
	vs := func(url, version string) string {
		v := ""
		if version != "" {
			v = fmt.Sprintf(`"version": %q,`, version)
		}
		return fmt.Sprintf(`{"resourceType": "ValueSet", %s "id": %q, "url": %q}`, v, url[strings.LastIndex(url, "/")+1:]+version, url)
	}
	fsys := mapFS(map[string]string{"b.json": bundle(
		sdPatient, csGender,
		vs("http://hl7.org/fhir/ValueSet/administrative-gender", ""),
		vs("http://example.org/ValueSet/v", "1.0.0"),
		vs("http://example.org/ValueSet/v", "1.10.0"),
		vs("http://example.org/ValueSet/v", "1.9.0"),
	)})
	defs, diags := Load(fsys, []string{"b.json"})
	if diags.HasErrors() {
		t.Fatal(diagStrings(diags))
	}
	binding := defs.Structures[0].Snapshot[2].Binding.ValueSet
	if binding != "http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1" {
		t.Fatalf("binding kept as %q", binding)
	}
	manual := &Definitions{Structures: defs.Structures, ValueSets: defs.ValueSets, CodeSystems: defs.CodeSystems}
	for _, d := range []*Definitions{defs, manual} {
		vsTests := []struct{ canonical, wantID string }{
			{binding, "administrative-gender"},
			{"http://hl7.org/fhir/ValueSet/administrative-gender", "administrative-gender"},
			{"http://example.org/ValueSet/v|1.9.0", "v1.9.0"},
			{"http://example.org/ValueSet/v|1.0.0", "v1.0.0"},
			{"http://example.org/ValueSet/v", "v1.10.0"},
			{"http://example.org/ValueSet/v|2.0.0", "v1.10.0"},
			{"http://example.org/ValueSet/none", ""},
		}
		for _, tt := range vsTests {
			got := d.ValueSetByCanonical(tt.canonical)
			if id := ""; got != nil {
				id = got.ID
				if id != tt.wantID {
					t.Errorf("ValueSetByCanonical(%q) = %s, want %q", tt.canonical, id, tt.wantID)
				}
			} else if tt.wantID != "" {
				t.Errorf("ValueSetByCanonical(%q) = nil, want %q", tt.canonical, tt.wantID)
			}
		}
		if sd := d.StructureByURL("http://hl7.org/fhir/StructureDefinition/Patient|4.0.1"); sd == nil || sd.ID != "Patient" {
			t.Errorf("StructureByURL(Patient|4.0.1) = %v", sd)
		}
		if sd := d.StructureByURL("http://hl7.org/fhir/StructureDefinition/Patient|3.0.2"); sd == nil || sd.ID != "Patient" {
			t.Errorf("StructureByURL(Patient|3.0.2) = %v", sd)
		}
		if cs := d.CodeSystemByURL("http://hl7.org/fhir/administrative-gender"); cs == nil || cs.ID != "administrative-gender" {
			t.Errorf("CodeSystemByURL = %v", cs)
		}
		if sp := d.SearchParamByURL("http://hl7.org/fhir/SearchParameter/individual-gender"); sp != nil {
			t.Errorf("SearchParamByURL found %v in definitions without search parameters", sp)
		}
	}
	// Reindex after a change.
	defs.ValueSets = slices.DeleteFunc(defs.ValueSets, func(vs *ValueSet) bool { return strings.HasPrefix(vs.URL, "http://example.org/") })
	defs.Reindex()
	if got := defs.ValueSetByCanonical("http://example.org/ValueSet/v"); got != nil {
		t.Errorf("after Reindex, found removed %s", got.ID)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"4.0.1", "4.0.1", 0},
		{"4.0.1", "4.0.10", -1},
		{"5.0.0", "4.3.0", 1},
		{"1.0", "1.0.0", -1},
		{"", "1", -1},
	} {
		if got := compareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestPure checks that Load reads only through fsys: a file system that counts opens.
func TestPure(t *testing.T) {
	fsys := &countingFS{FS: mapFS(map[string]string{"a/x.json": sdPatient})}
	defs, _ := Load(fsys, []string{"a"})
	if len(defs.Structures) != 1 || fsys.opens.Load() == 0 {
		t.Errorf("structures %d, opens %d", len(defs.Structures), fsys.opens.Load())
	}
}

type countingFS struct {
	fs.FS
	opens atomic.Int64
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.opens.Add(1)
	return c.FS.Open(name)
}
