package load

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// realPackage finds a FHIR package downloaded for tests: in the cache directory
// ($FHIRGEN_CACHE, else .cache at the repository root) as npm/<name>@<version>/ (holding
// the .tgz or the unpacked package), else as /tmp/npm/<name>-<version>.tgz. It returns
// the file system and the input, or skips the test.
func realPackage(tb testing.TB, name, version string) (fs.FS, string) {
	tb.Helper()
	var caches []string
	if c := os.Getenv("FHIRGEN_CACHE"); c != "" {
		caches = append(caches, filepath.Join(c, "npm"), c)
	}
	if root, err := filepath.Abs("../.."); err == nil {
		caches = append(caches, filepath.Join(root, ".cache", "npm"))
	}
	for _, c := range caches {
		dir := filepath.Join(c, name+"@"+version)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if isArchive(e.Name()) {
				return os.DirFS(dir), e.Name()
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "package", "package.json")); err == nil {
			return os.DirFS(dir), "."
		}
		// scripts/fetch-packages.sh unpacks a package's package/ folder as the directory
		if _, err := os.Stat(filepath.Join(dir, "package.json")); err == nil {
			return os.DirFS(c), name + "@" + version
		}
	}
	tgz := name + "-" + version + ".tgz"
	if _, err := os.Stat(filepath.Join("/tmp/npm", tgz)); err == nil {
		return os.DirFS("/tmp/npm"), tgz
	}
	tb.Skipf("FHIR package %s@%s not found (looked in $FHIRGEN_CACHE, .cache/npm and /tmp/npm)", name, version)
	return nil, ""
}

func TestRealPackages(t *testing.T) {
	if testing.Short() {
		t.Skip("loading real FHIR packages is not short")
	}
	for _, pkg := range []struct{ name, version string }{
		{"hl7.fhir.r4.examples", "4.0.1"},
		{"hl7.fhir.r5.core", "5.0.0"},
	} {
		t.Run(pkg.name, func(t *testing.T) {
			fsys, input := realPackage(t, pkg.name, pkg.version)
			start := time.Now()
			defs, diags := Load(fsys, []string{input})
			elapsed := time.Since(start)
			t.Logf("loaded %s in %v (GOMAXPROCS %d)", input, elapsed, runtime.GOMAXPROCS(0))
			logDiags(t, diags)
			if diags.HasErrors() {
				t.Errorf("errors loading %s", input)
			}
			kinds := map[string]int{}
			for _, sd := range defs.Structures {
				k := sd.Kind
				if sd.Derivation == "constraint" {
					k += " (constraint)"
				}
				if sd.Abstract {
					k += " (abstract)"
				}
				kinds[k]++
			}
			t.Logf("FHIR %s: %d StructureDefinitions %v, %d SearchParameters, %d ValueSets, %d CodeSystems",
				defs.FHIRVersion, len(defs.Structures), kinds, len(defs.SearchParams), len(defs.ValueSets), len(defs.CodeSystems))
			if defs.FHIRVersion != pkg.version {
				t.Errorf("FHIRVersion = %q, want %q", defs.FHIRVersion, pkg.version)
			}
			if len(defs.Structures) == 0 || len(defs.SearchParams) == 0 || len(defs.ValueSets) == 0 || len(defs.CodeSystems) == 0 {
				t.Errorf("a kind of definition is missing")
			}
			if sd := defs.StructureByURL("http://hl7.org/fhir/StructureDefinition/Patient"); sd == nil || len(sd.Snapshot) == 0 {
				t.Errorf("no Patient with a snapshot")
			}
			elements, systemTypes, fhirTypes, bindings, named := 0, 0, 0, 0, 0
			for _, sd := range defs.Structures {
				elements += len(sd.Snapshot)
				for _, ed := range sd.Snapshot {
					for _, tr := range ed.Types {
						if strings.HasPrefix(tr.Code, "http://hl7.org/fhirpath/System.") {
							systemTypes++
							if tr.FHIRType != "" {
								fhirTypes++
							} else {
								t.Logf("%s %s: type %s has no FHIR type extension", sd.Subject(), ed.Path, tr.Code)
							}
						}
					}
					if ed.Binding != nil {
						bindings++
						if ed.Binding.Name != "" {
							named++
						}
					}
				}
			}
			t.Logf("%d snapshot elements, %d System.* types (%d with a FHIR type), %d bindings (%d named)", elements, systemTypes, fhirTypes, bindings, named)
			n := checkPositions(t, defs, realContent(t, fsys, input))
			t.Logf("%d positions checked", n)
		})
	}
}

// realContent reads the top-level files of a package (.tgz or directory) for
// checkPositions, named as the loader names them.
func realContent(t *testing.T, fsys fs.FS, input string) map[string]string {
	t.Helper()
	content := map[string]string{}
	if !isArchive(input) {
		err := fs.WalkDir(fsys, input, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && isJSON(p) {
				b, err := fs.ReadFile(fsys, p)
				if err != nil {
					return err
				}
				content[p] = string(b)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return content
	}
	f, err := fsys.Open(input)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if dir, name := path.Split(h.Name); dir == "package/" && isJSON(name) && !strings.HasPrefix(name, "Bundle-") {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			content[input+"/"+h.Name] = string(b)
		}
	}
	return content
}

func logDiags(t *testing.T, diags diag.List) {
	t.Helper()
	byKind := map[string]int{}
	for _, d := range diags {
		byKind[d.Severity.String()+" "+d.Kind]++
	}
	var keys []string
	for k := range byKind {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("  ")
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(strconv.Itoa(byKind[k]))
		b.WriteString("\n")
	}
	t.Logf("diagnostics by kind:\n%s", b.String())
	n := 0
	for _, d := range diags {
		if d.Severity != diag.Note || d.Kind == KindIgnoredResources || d.Kind == KindIgnoredFiles {
			if n++; n <= 40 {
				t.Log(d.String())
			}
		}
	}
}

func BenchmarkLoadR4(b *testing.B) {
	fsys, input := realPackage(b, "hl7.fhir.r4.examples", "4.0.1")
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Load(fsys, []string{input}); diags.HasErrors() {
			b.Fatal(diags.Errors())
		}
	}
}
