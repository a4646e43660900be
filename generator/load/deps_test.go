package load

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// manifest returns a package.json: deps are "name#version".
func manifest(id, fhirVersion string, deps ...string) string {
	name, version, _ := strings.Cut(id, "#")
	var ds []string
	for _, d := range deps {
		n, v, _ := strings.Cut(d, "#")
		ds = append(ds, fmt.Sprintf("%q: %q", n, v))
	}
	return fmt.Sprintf(`{"name": %q, "version": %q, "fhirVersions": [%q], "dependencies": {%s}}`,
		name, version, fhirVersion, strings.Join(ds, ", "))
}

// writeTree writes files (slash-separated paths under root).
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pkgFiles returns the files of a package directory dir: its package.json and one
// StructureDefinition per id.
func pkgFiles(dir, manifestJSON string, sdIDs ...string) map[string]string {
	files := map[string]string{dir + "/package.json": manifestJSON}
	for _, id := range sdIDs {
		files[dir+"/StructureDefinition-"+id+".json"] = sd(id, "")
	}
	return files
}

func merged(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// depEnv is an inputs directory, a --packages directory and a FHIR cache, on disk.
type depEnv struct {
	in, pkgs, cache string
}

func newDepEnv(t *testing.T) *depEnv {
	d := t.TempDir()
	e := &depEnv{in: filepath.Join(d, "in"), pkgs: filepath.Join(d, "pkgs"), cache: filepath.Join(d, "fhir-cache")}
	for _, p := range []string{e.in, e.pkgs, e.cache} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *depEnv) opts(m map[string]string) Options {
	return Options{Resolve: true, Map: m, Dirs: []PackageDir{
		{Name: "PKGS", FS: os.DirFS(e.pkgs)},
		{Name: "CACHE", FS: os.DirFS(e.cache)},
	}}
}

func (e *depEnv) load(inputs []string, m map[string]string) (*Definitions, diag.List) {
	return LoadWith(os.DirFS(e.in), inputs, e.opts(m))
}

func pkgByName(d *Definitions, id string) *PackageInfo {
	for _, p := range d.Packages {
		if p.ID() == id {
			return p
		}
	}
	return nil
}

func sdByID(d *Definitions, id string) *StructureDefinition {
	return d.StructureByURL("http://example.org/StructureDefinition/" + id)
}

// errorsAndWarnings drops the notes.
func errorsAndWarnings(l diag.List) []string {
	var out []string
	for _, s := range diagStrings(l) {
		if !strings.Contains(s, ": note: ") {
			out = append(out, s)
		}
	}
	return out
}

// TestDependencyLayouts finds one dependency in each layout a package directory can
// have, and one in the FHIR cache.
func TestDependencyLayouts(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "a#1.0.0", "b#2.0.0", "c#3.0.0", "d#4.0.0", "e#5.0.0"), "IG"))
	writeTree(t, e.pkgs, merged(
		pkgFiles("a/package", manifest("a#1.0.0", "4.0.1"), "A"),
		pkgFiles("b#2.0.0/package", manifest("b#2.0.0", "4.0.1"), "B"),
		pkgFiles("c@3.0.0", manifest("c#3.0.0", "4.0.1"), "C"),
	))
	if err := os.WriteFile(filepath.Join(e.pkgs, "anything.tgz"), tgz(t,
		"package/SD-D.json", sd("D", ""), "package/package.json", manifest("d#4.0.0", "4.0.1")), 0o644); err != nil {
		t.Fatal(err)
	}
	writeTree(t, e.cache, pkgFiles("e#5.0.0/package", manifest("e#5.0.0", "4.0.1"), "E"))

	defs, diags := e.load([]string{"ig"}, nil)
	if got := errorsAndWarnings(diags); len(got) != 0 {
		t.Fatalf("diagnostics: %q", got)
	}
	want := map[string]string{
		"a#1.0.0":  "PKGS/a/package",
		"b#2.0.0":  "PKGS/b#2.0.0/package",
		"c#3.0.0":  "PKGS/c@3.0.0",
		"d#4.0.0":  "PKGS/anything.tgz",
		"e#5.0.0":  "CACHE/e#5.0.0/package",
		"ig#0.1.0": "ig/package",
	}
	var ids []string
	for _, p := range defs.Packages {
		ids = append(ids, p.ID())
		if p.Source != want[p.ID()] {
			t.Errorf("%s: Source %q, want %q", p.ID(), p.Source, want[p.ID()])
		}
		dep := p.Name != "ig"
		if p.Dependency != dep {
			t.Errorf("%s: Dependency %v, want %v", p.ID(), p.Dependency, dep)
		}
		if dep && !slices.Equal(p.NeededBy, []string{"ig#0.1.0"}) {
			t.Errorf("%s: NeededBy %q", p.ID(), p.NeededBy)
		}
		if !slices.Equal(p.FHIRVersions, []string{"4.0.1"}) {
			t.Errorf("%s: FHIRVersions %q", p.ID(), p.FHIRVersions)
		}
	}
	if !slices.Equal(ids, []string{"a#1.0.0", "b#2.0.0", "c#3.0.0", "d#4.0.0", "e#5.0.0", "ig#0.1.0"}) {
		t.Errorf("packages %q", ids)
	}
	for id, pkg := range map[string]string{"IG": "ig#0.1.0", "A": "a#1.0.0", "B": "b#2.0.0", "C": "c#3.0.0", "D": "d#4.0.0", "E": "e#5.0.0"} {
		s := sdByID(defs, id)
		switch {
		case s == nil:
			t.Errorf("StructureDefinition %s not read", id)
		case s.Package != pkg || s.Dependency != (id != "IG"):
			t.Errorf("%s: Package %q Dependency %v", id, s.Package, s.Dependency)
		}
	}
	if s := sdByID(defs, "A"); s != nil && s.Pos.File != "PKGS/a/package/StructureDefinition-A.json" {
		t.Errorf("A is named %q in diagnostics", s.Pos.File)
	}
	if defs.FHIRVersion != "4.0.1" {
		t.Errorf("FHIRVersion %q", defs.FHIRVersion)
	}

	// Without Resolve, only the input is read.
	defs, _ = Load(os.DirFS(e.in), []string{"ig"})
	if len(defs.Structures) != 1 || len(defs.Packages) != 1 || defs.Structures[0].Package != "ig#0.1.0" {
		t.Errorf("without Resolve: %d structures, packages %v", len(defs.Structures), defs.Packages)
	}
}

// TestDependencyVersions checks the wildcard rules and the versions not supported.
func TestDependencyVersions(t *testing.T) {
	e := newDepEnv(t)
	var files []map[string]string
	for _, v := range []string{"1.0.1", "1.0.3", "1.0.10", "1.1.0", "1.0.11-ballot", "2.0.0"} {
		files = append(files, pkgFiles("x#"+v+"/package", manifest("x#"+v, "4.0.1"), "X"+strings.ReplaceAll(v, ".", "_")))
	}
	writeTree(t, e.pkgs, merged(files...))
	// the first directory with a match wins, even with a lower version
	writeTree(t, e.cache, pkgFiles("y#3.0.9/package", manifest("y#3.0.9", "4.0.1"), "Y"))
	for _, tt := range []struct {
		dep, want, err string
	}{
		{"x#1.0.x", "x#1.0.10", ""},
		{"x#1.x", "x#1.1.0", ""},
		{"x#1.0.3", "x#1.0.3", ""},
		{"x#1.0.11-ballot", "x#1.0.11-ballot", ""},
		{"x#latest", "x#2.0.0", ""},
		{"y#3.0.x", "y#3.0.9", ""},
		{"x#1.2.x", "", "[missing-dependency] ig/package/package.json: ig#0.1.0 needs x#1.2.x: not found in PKGS or CACHE"},
		{"x#current", "", `[missing-dependency] ig/package/package.json: ig#0.1.0 needs x#current: version "current" is not supported: state an exact version or a pattern such as 4.0.x, or map it with packageMap`},
		{"x#dev", "", `[missing-dependency] ig/package/package.json: ig#0.1.0 needs x#dev: version "dev" is not supported: state an exact version or a pattern such as 4.0.x, or map it with packageMap`},
	} {
		writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", tt.dep)))
		defs, diags := e.load([]string{"ig"}, nil)
		got := errorsAndWarnings(diags)
		if tt.err != "" {
			if !slices.Equal(got, []string{tt.err}) {
				t.Errorf("%s: diagnostics\n got %q\nwant %q", tt.dep, got, tt.err)
			}
			continue
		}
		if len(got) != 0 {
			t.Errorf("%s: diagnostics %q", tt.dep, got)
		}
		if len(defs.Packages) != 2 || pkgByName(defs, tt.want) == nil {
			var ids []string
			for _, p := range defs.Packages {
				ids = append(ids, p.ID())
			}
			t.Errorf("%s: packages %q, want %s and ig#0.1.0", tt.dep, ids, tt.want)
		}
	}
}

// TestMissingDependency checks that the error names the chain of packages that need it.
func TestMissingDependency(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "a#1.0.0")))
	writeTree(t, e.pkgs, merged(
		pkgFiles("a/package", manifest("a#1.0.0", "4.0.1", "zz#9.9.9", "b#2.0.0")),
		pkgFiles("b/package", manifest("b#3.0.0", "4.0.1")), // another version than needed
	))
	_, diags := e.load([]string{"ig"}, nil)
	want := []string{
		"[missing-dependency] PKGS/a/package/package.json: ig#0.1.0 needs a#1.0.0 needs b#2.0.0: not found in PKGS or CACHE",
		"[missing-dependency] PKGS/a/package/package.json: ig#0.1.0 needs a#1.0.0 needs zz#9.9.9: not found in PKGS or CACHE",
	}
	if got := errorsAndWarnings(diags); !slices.Equal(got, want) {
		t.Errorf("diagnostics\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	// No directory at all.
	_, diags = LoadWith(os.DirFS(e.in), []string{"ig"}, Options{Resolve: true})
	if !hasDiag(diags, diag.Error, KindMissingDependency, "ig#0.1.0 needs a#1.0.0: not found: no package directory to look in") {
		t.Errorf("diagnostics %q", diagStrings(diags))
	}
}

// TestPackageMap maps, drops and reports an unused or ill-formed entry.
func TestPackageMap(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "core#4.0.1", "gone#1.1.0", "term#6.5.0", "other#1.0.0"), "IG"))
	writeTree(t, e.pkgs, merged(
		pkgFiles("examples/package", manifest("examples#4.0.1", "4.0.1", "term#7.0.1"), "Ex"),
		pkgFiles("term/package", manifest("term#7.0.1", "4.0.1"), "Term"),
		pkgFiles("other/package", manifest("other#1.0.0", "4.0.1", "core#4.0.1"), "Other"),
	))
	m := map[string]string{
		"core#4.0.1": "examples#4.0.1",
		"gone#1.1.0": "",
		"term":       "term#7.0.1",
		"never#1.0":  "x#1",
		"bad#":       "x#1",
		"worse":      "x",
	}
	defs, diags := e.load([]string{"ig"}, m)
	want := []string{
		`[invalid-package-map] packageMap "bad#": "x#1": a key is "name#version" or "name"`,
		`[invalid-package-map] packageMap "worse": "x": a target is "name#version", or "" to drop the dependency`,
		`[package-map-unused] warning: packageMap "never#1.0" is not used: no package read needs it`,
		`[package-mapped] PKGS/other/package/package.json: note: other#1.0.0 needs core#4.0.1: examples#4.0.1 is used instead (packageMap "core#4.0.1")`,
		`[package-mapped] ig/package/package.json: note: ig#0.1.0 needs core#4.0.1: examples#4.0.1 is used instead (packageMap "core#4.0.1")`,
		`[package-dropped] ig/package/package.json: note: ig#0.1.0 needs gone#1.1.0: dropped (packageMap "gone#1.1.0": "")`,
		`[package-mapped] ig/package/package.json: note: ig#0.1.0 needs term#6.5.0: term#7.0.1 is used instead (packageMap "term")`,
	}
	if got := diagStrings(diags); !slices.Equal(got, want) {
		t.Errorf("diagnostics\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if m["bad#"] != "x#1" {
		t.Errorf("the caller's map was changed")
	}
	ex := pkgByName(defs, "examples#4.0.1")
	if ex == nil || ex.MappedFrom != "core#4.0.1" || !slices.Equal(ex.NeededBy, []string{"ig#0.1.0", "other#1.0.0"}) {
		t.Errorf("examples: %+v", ex)
	}
	// term#7.0.1 is both mapped to (from 6.5.0) and needed as it is
	if p := pkgByName(defs, "term#7.0.1"); p == nil || p.MappedFrom != "term#6.5.0" || !slices.Equal(p.NeededBy, []string{"examples#4.0.1", "ig#0.1.0"}) {
		t.Errorf("term: %+v", p)
	}
	if len(defs.Packages) != 4 {
		t.Errorf("%d packages", len(defs.Packages))
	}
}

// coreSD is the base Resource definition, which marks the package of the base spec.
func coreSD(fhirVersion string) string {
	return fmt.Sprintf(`{"resourceType":"StructureDefinition","id":"Resource","url":%q,"fhirVersion":%q,"kind":"resource","abstract":true,"type":"Resource","snapshot":{"element":[{"path":"Resource","min":0,"max":"*"}]}}`,
		baseResourceURL, fhirVersion)
}

func TestDependencyFHIRVersion(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.pkgs, map[string]string{
		"core5/package/package.json":                      manifest("core5#5.0.0", "5.0.0"),
		"core5/package/StructureDefinition-Resource.json": coreSD("5.0.0"),
		"core4/package/package.json":                      manifest("core4#4.0.0", "4.0.0"),
		"core4/package/StructureDefinition-Resource.json": coreSD("4.0.0"),
	})
	// a package for FHIR 4.0.1 on the base of FHIR 5.0.0: an error naming both
	writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "core5#5.0.0"), "IG"))
	defs, diags := e.load([]string{"ig"}, nil)
	want := []string{"[fhir-version-mismatch] ig: package ig#0.1.0 is for FHIR 4.0.1, but the base specification package core5#5.0.0 (PKGS/core5/package) is for FHIR 5.0.0"}
	if got := errorsAndWarnings(diags); !slices.Equal(got, want) {
		t.Errorf("diagnostics\n got %q\nwant %q", got, want)
	}
	if defs.FHIRVersion != "5.0.0" {
		t.Errorf("FHIRVersion %q, want the base's", defs.FHIRVersion)
	}
	// another patch of the same FHIR version is fine
	writeTree(t, e.in, pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "core4#4.0.0"), "IG"))
	if _, diags := e.load([]string{"ig"}, nil); len(errorsAndWarnings(diags)) != 0 {
		t.Errorf("diagnostics %q", errorsAndWarnings(diags))
	}
}

// TestDependencyCycle: packages that need each other are read once each, and each
// overrides what it needs, from where the cycle was entered.
func TestDependencyCycle(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.in, merged(
		pkgFiles("p/package", manifest("p#1.0.0", "4.0.1", "q#1.0.0")),
		map[string]string{"p/package/StructureDefinition-Same.json": sd("Same", `"title":"p",`)},
	))
	writeTree(t, e.pkgs, merged(
		pkgFiles("q/package", manifest("q#1.0.0", "4.0.1", "p#1.0.0", "r#1.0.0")),
		pkgFiles("r/package", manifest("r#1.0.0", "4.0.1", "q#1.0.0")),
		map[string]string{"q/package/StructureDefinition-Same.json": sd("Same", `"title":"q",`)},
	))
	defs, diags := e.load([]string{"p"}, nil)
	if got := errorsAndWarnings(diags); len(got) != 0 {
		t.Fatalf("diagnostics %q", got)
	}
	if len(defs.Packages) != 3 {
		t.Fatalf("%d packages", len(defs.Packages))
	}
	if p := pkgByName(defs, "q#1.0.0"); !slices.Equal(p.NeededBy, []string{"p#1.0.0", "r#1.0.0"}) {
		t.Errorf("q needed by %q", p.NeededBy)
	}
	if p := pkgByName(defs, "p#1.0.0"); p.Dependency || !slices.Equal(p.NeededBy, []string{"q#1.0.0"}) {
		t.Errorf("p: %+v", p)
	}
	if s := sdByID(defs, "Same"); s == nil || s.Title != "p" || s.Package != "p#1.0.0" {
		t.Errorf("Same: %+v", s)
	}
	if !hasDiag(diags, diag.Note, KindOverride, "p/package/StructureDefinition-Same.json", "overrides definition at PKGS/q/package/StructureDefinition-Same.json") {
		t.Errorf("no override note: %q", diagStrings(diags))
	}
}

// TestDependencyAlsoInput: a package that is an input and a dependency is read once,
// from the input, before the package that needs it whatever the order of the inputs.
func TestDependencyAlsoInput(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.in, merged(
		pkgFiles("ig/package", manifest("ig#0.1.0", "4.0.1", "base#1.0.0")),
		map[string]string{"ig/package/StructureDefinition-Same.json": sd("Same", `"title":"ig",`)},
		pkgFiles("base/package", manifest("base#1.0.0", "4.0.1"), "FromInput"),
		map[string]string{"base/package/StructureDefinition-Same.json": sd("Same", `"title":"base",`)},
	))
	writeTree(t, e.pkgs, pkgFiles("base/package", manifest("base#1.0.0", "4.0.1"), "FromDir"))
	for _, inputs := range [][]string{{"ig", "base"}, {"base", "ig"}} {
		defs, diags := e.load(inputs, nil)
		if got := errorsAndWarnings(diags); len(got) != 0 {
			t.Fatalf("%q: diagnostics %q", inputs, got)
		}
		if sdByID(defs, "FromDir") != nil || sdByID(defs, "FromInput") == nil {
			t.Errorf("%q: base read from the directory", inputs)
		}
		if s := sdByID(defs, "Same"); s == nil || s.Title != "ig" {
			t.Errorf("%q: the dependency overrides the package that needs it", inputs)
		}
		if p := pkgByName(defs, "base#1.0.0"); len(defs.Packages) != 2 || p.Dependency || !slices.Equal(p.NeededBy, []string{"ig#0.1.0"}) {
			t.Errorf("%q: packages %+v", inputs, defs.Packages)
		}
		if s := sdByID(defs, "FromInput"); s.Dependency {
			t.Errorf("%q: a definition of an input is marked Dependency", inputs)
		}
	}
}

// TestDependencyDeterminism: the result does not depend on the order of the inputs that
// do not override each other, of the dependencies in package.json, or on GOMAXPROCS.
func TestDependencyDeterminism(t *testing.T) {
	e := newDepEnv(t)
	writeTree(t, e.pkgs, merged(
		pkgFiles("a/package", manifest("a#1.0.0", "4.0.1", "c#1.0.0"), "A1", "A2"),
		pkgFiles("b/package", manifest("b#1.0.0", "4.0.1", "c#1.0.0", "a#1.0.0"), "B1"),
		pkgFiles("c/package", manifest("c#1.0.0", "4.0.1", "a#1.0.0"), "C1", "C2", "C3"),
	))
	if err := os.WriteFile(filepath.Join(e.pkgs, "d.tgz"), tgz(t,
		"package/package.json", manifest("d#2.0.0", "4.0.1", "b#1.0.0"), "package/SD-D.json", sd("D", "")), 0o644); err != nil {
		t.Fatal(err)
	}
	var first *Definitions
	var firstDiags diag.List
	for i, tt := range []struct {
		inputs []string
		procs  int
		deps   [2][]string
	}{
		{[]string{"x", "y"}, 1, [2][]string{{"a#1.0.0", "b#1.0.0"}, {"d#2.0.0", "c#1.0.0"}}},
		{[]string{"y", "x"}, 4, [2][]string{{"b#1.0.0", "a#1.0.0"}, {"c#1.0.0", "d#2.0.0"}}},
		{[]string{"y", "x"}, 2, [2][]string{{"a#1.0.0", "b#1.0.0"}, {"c#1.0.0", "d#2.0.0"}}},
	} {
		writeTree(t, e.in, merged(
			pkgFiles("x/package", manifest("x#1.0.0", "4.0.1", tt.deps[0]...), "X"),
			pkgFiles("y/package", manifest("y#1.0.0", "4.0.1", tt.deps[1]...), "Y"),
		))
		old := runtime.GOMAXPROCS(tt.procs)
		defs, diags := e.load(tt.inputs, nil)
		runtime.GOMAXPROCS(old)
		if diags.HasErrors() {
			t.Fatalf("%d: %q", i, diagStrings(diags))
		}
		if n := len(defs.Structures); n != 9 {
			t.Fatalf("%d: %d structures", i, n)
		}
		if first == nil {
			first, firstDiags = defs, diags
			continue
		}
		if !reflect.DeepEqual(defs, first) {
			t.Errorf("%d: other definitions:\n%s\nwant\n%s", i, dump(defs.Packages), dump(first.Packages))
		}
		if !reflect.DeepEqual(diags, firstDiags) {
			t.Errorf("%d: other diagnostics %q", i, diagStrings(diags))
		}
	}
}

// TestIPSDependencies loads IPS 2.0.0 the way scripts/ig-packages.sh and
// examples/ig/config.json lay it out, when the cache holds the packages.
func TestIPSDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the R4 spec: not with -short")
	}
	cache := filepath.Join("..", "..", ".cache", "npm")
	if c := os.Getenv("FHIRGEN_CACHE"); c != "" {
		cache = c
	}
	pkgs := map[string]string{
		"hl7.fhir.uv.ips":           "2.0.0",
		"hl7.terminology.r4":        "7.0.1",
		"hl7.fhir.uv.extensions.r4": "5.3.0-ballot-tc1",
		"hl7.fhir.r4.examples":      "4.0.1",
	}
	dir := t.TempDir()
	for name, version := range pkgs {
		src, err := filepath.Abs(filepath.Join(cache, name+"@"+version))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(src, "package.json")); err != nil {
			t.Skipf("%s@%s is not in %s (run scripts/ig-packages.sh DIR): %v", name, version, cache, err)
		}
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(src, filepath.Join(dir, name, "package")); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "ig", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		PackageMap map[string]string `json:"packageMap"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	defs, diags := LoadWith(os.DirFS(cache), []string{"hl7.fhir.uv.ips@2.0.0"},
		Options{Resolve: true, Map: cfg.PackageMap, Dirs: []PackageDir{{Name: "DIR", FS: os.DirFS(dir)}}})
	if got := errorsAndWarnings(diags); len(got) != 0 {
		t.Fatalf("diagnostics:\n%s", strings.Join(got, "\n"))
	}
	var ids []string
	for _, p := range defs.Packages {
		ids = append(ids, fmt.Sprintf("%s dep=%v neededBy=%v mappedFrom=%q", p.ID(), p.Dependency, p.NeededBy, p.MappedFrom))
	}
	t.Logf("packages:\n%s", strings.Join(ids, "\n"))
	if len(defs.Packages) != 4 {
		t.Errorf("%d packages, want 4", len(defs.Packages))
	}
	if defs.FHIRVersion != "4.0.1" {
		t.Errorf("FHIRVersion %q", defs.FHIRVersion)
	}
	ips := defs.StructureByURL("http://hl7.org/fhir/uv/ips/StructureDefinition/Patient-uv-ips")
	if ips == nil || ips.Package != "hl7.fhir.uv.ips#2.0.0" || ips.Dependency {
		t.Errorf("IPS Patient profile: %+v", ips)
	}
	patient := defs.StructureByURL("http://hl7.org/fhir/StructureDefinition/Patient")
	if patient == nil || patient.Package != "hl7.fhir.r4.examples#4.0.1" || !patient.Dependency {
		t.Errorf("core Patient: %+v", patient)
	}
	n := 0
	for _, s := range defs.Structures {
		if s.Package == "hl7.fhir.uv.ips#2.0.0" {
			n++
		}
	}
	if n < 30 {
		t.Errorf("%d IPS StructureDefinitions", n)
	}
	if p := pkgByName(defs, "hl7.fhir.r4.examples#4.0.1"); p == nil || p.MappedFrom != "hl7.fhir.r4.core#4.0.1" {
		t.Errorf("r4.examples: %+v", p)
	}
}
