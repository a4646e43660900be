// Command fhirgen generates Go code from FHIR definitions.
//
//	fhirgen generate --out DIR --package NAME [--resources A,B] [--emit types] [--config FILE] [--packages DIR]... [--strict] [-q|-v] INPUT...
//	fhirgen check    (same flags: writes nothing, exits 1 listing stale files)
//	fhirgen scaffold service|resource ...
//	fhirgen version
//
// INPUT is a definition file, a Bundle of definitions, a directory of them, or a FHIR
// package (directory or .tgz); a package brings the packages its package.json depends on,
// found in the --packages directories, then in ~/.fhir/packages. Exit codes: 0 ok, 1 errors or stale output, 2 usage.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/load"
	"github.com/fhirgen/fhirgen/generator/naming"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var usage = `usage:
  fhirgen generate --out DIR --package NAME [--resources A,B] [--emit LIST] [--config FILE]
                   [--packages DIR]... [--strict] [-q|-v] INPUT...
  fhirgen check    --out DIR --package NAME [same flags] INPUT...
  fhirgen scaffold service  --out DIR --package NAME [--type T] RESOURCE...
  fhirgen scaffold resource --out DIR --url BASE [--search] NAME ELEMENT...
  fhirgen version

generate writes the Go package of the definitions to DIR; check writes nothing and exits 1
when DIR is not what generate would write. scaffold writes user-owned starting points
(fhirgen scaffold --help). INPUT is a FHIR definition file, a Bundle, a directory, or a
FHIR package (dir or .tgz). A package brings its package.json dependencies, looked for in
each --packages DIR (as DIR/NAME/package/, DIR/NAME#VERSION/package/, DIR/NAME@VERSION/ or
a .tgz in DIR), then in ~/.fhir/packages ($FHIRGEN_FHIR_PACKAGES replaces it); the config's
"packageMap" replaces ("name#version": "other#version") or drops ("name#version": "")
dependencies. Emitters: ` + strings.Join(generator.Emitters, ", ") + `
Exit codes: 0 ok, 1 errors or stale output (warnings too with --strict), 2 usage.
`

// fileConfig is the JSON config: what flags can't say well.
type fileConfig struct {
	Package     string            `json:"package"`
	Resources   []string          `json:"resources"`
	Emit        []string          `json:"emit"`
	Renames     map[string]string `json:"renames"`
	Initialisms []string          `json:"initialisms"`
	FHIRVersion string            `json:"fhirVersion"`
	// PackageMap replaces or drops package dependencies (see load.Options.Map).
	PackageMap map[string]string `json:"packageMap"`
}

// dirList is a repeatable flag.
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }
func (d *dirList) Set(s string) error {
	*d = append(*d, s)
	return nil
}

// usageError prints a usage message the way every command does: prefixed, with a pointer
// to the help, and gives exit code 2.
func usageError(stderr io.Writer, help, format string, args ...any) int {
	fmt.Fprintf(stderr, "fhirgen: "+format+"\n", args...)
	fmt.Fprintf(stderr, "fhirgen: run '%s --help' for usage\n", help)
	return 2
}

// parseFlags parses a command's flags. The flag package's own messages are replaced by
// prefixed ones; --help prints the usage and the flags to stdout. It returns -1 to go on,
// else the exit code.
func parseFlags(fl *flag.FlagSet, args []string, usageText string, stdout, stderr io.Writer) int {
	fl.SetOutput(io.Discard)
	err := fl.Parse(args)
	if err == nil {
		return -1
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usageText)
		fmt.Fprintf(stdout, "\nflags of %s:\n", fl.Name())
		fl.SetOutput(stdout)
		fl.PrintDefaults()
		return 0
	}
	return usageError(stderr, fl.Name(), "%v", err)
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd := args[0]
	switch cmd {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "fhirgen %s\n", generator.Version)
		return 0
	case "scaffold":
		return runScaffold(args[1:], stdout, stderr)
	case "generate", "check":
	default:
		hint := ""
		if s := naming.Suggest(cmd, []string{"generate", "check", "scaffold", "version", "help"}); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		return usageError(stderr, "fhirgen", "unknown command %q%s", cmd, hint)
	}
	fl := flag.NewFlagSet("fhirgen "+cmd, flag.ContinueOnError)
	out := fl.String("out", "", "output directory")
	pkg := fl.String("package", "", "Go package name")
	resources := fl.String("resources", "", "comma-separated resource types: generate only these and their closure")
	emitList := fl.String("emit", "", "comma-separated emitters (default: all)")
	configFile := fl.String("config", "", "JSON config file (renames, initialisms, fhirVersion, ...)")
	verbose := fl.Bool("v", false, "list every warning and note instead of counts per kind")
	quiet := fl.Bool("q", false, "print errors only")
	var packageDirs dirList
	fl.Var(&packageDirs, "packages", "directory of FHIR packages the inputs' dependencies are found in (repeatable; before ~/.fhir/packages)")
	strict := fl.Bool("strict", false, "treat warnings as errors (for CI): nothing is written when there is one")
	if code := parseFlags(fl, args[1:], usage, stdout, stderr); code >= 0 {
		return code
	}
	if *quiet && *verbose {
		return usageError(stderr, fl.Name(), "-q and -v contradict each other")
	}
	var fc fileConfig
	if *configFile != "" {
		data, err := os.ReadFile(*configFile)
		if err != nil {
			return usageError(stderr, fl.Name(), "config: %v", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&fc); err != nil {
			return usageError(stderr, fl.Name(), "%s: %v", *configFile, err)
		}
	}
	cfg := generator.Config{Package: fc.Package, Resources: fc.Resources, Emit: fc.Emit,
		Renames: fc.Renames, Initialisms: fc.Initialisms, FHIRVersion: fc.FHIRVersion}
	if *pkg != "" {
		cfg.Package = *pkg
	}
	if *resources != "" {
		cfg.Resources = splitList(*resources)
	}
	if *emitList != "" {
		cfg.Emit = splitList(*emitList)
	}
	for _, e := range cfg.Emit {
		if !contains(generator.Emitters, e) {
			hint := ""
			if s := naming.Suggest(e, generator.Emitters); s != "" {
				hint = fmt.Sprintf("; did you mean %s?", s)
			}
			return usageError(stderr, fl.Name(), "unknown emitter %q (have %s%s)", e, strings.Join(generator.Emitters, ", "), hint)
		}
	}
	if *out == "" || cfg.Package == "" || fl.NArg() == 0 {
		return usageError(stderr, fl.Name(), "--out, --package and at least one INPUT are required")
	}
	if !token.IsIdentifier(cfg.Package) || cfg.Package == "_" {
		return usageError(stderr, fl.Name(), "--package %q is not a Go package name (a Go identifier such as fhir or fhirr4)", cfg.Package)
	}
	if err := checkPackageClause(*out, cfg.Package); err != nil {
		return usageError(stderr, fl.Name(), "%v", err)
	}
	root, inputs, err := fsRoot(fl.Args())
	if err != nil {
		return usageError(stderr, fl.Name(), "%v", err)
	}
	cfg.Inputs = inputs
	cfg.Dependencies = load.Options{Resolve: true, Map: fc.PackageMap}
	for _, d := range packageDirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return usageError(stderr, fl.Name(), "--packages %s: %v", d, err)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			return usageError(stderr, fl.Name(), "--packages %s: not a directory", d)
		}
		cfg.Dependencies.Dirs = append(cfg.Dependencies.Dirs, packageDir(abs, root))
	}
	if cache := fhirPackageCache(); cache != "" {
		cfg.Dependencies.Dirs = append(cfg.Dependencies.Dirs, packageDir(cache, root))
	}
	start := time.Now()
	files, res, ds := generator.Generate(os.DirFS(root), cfg)
	cwd, _ := os.Getwd()
	warnings := printDiagnostics(stderr, ds, root, cwd, *verbose, *quiet)
	if ds.HasErrors() {
		return 1
	}
	if *strict && warnings > 0 {
		fmt.Fprintf(stderr, "fhirgen: --strict: %d warnings are errors; nothing written\n", warnings)
		return 1
	}
	if cmd != "check" {
		recovered, err := generator.Recover(*out)
		for _, line := range recovered {
			fmt.Fprintf(stderr, "fhirgen: recovered: %s\n", line)
		}
		if err != nil {
			fmt.Fprintf(stderr, "fhirgen: %v\n", err)
			return 1
		}
	}
	plan, err := generator.PlanWrite(*out, files)
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	if cmd == "check" {
		if !plan.Empty() {
			for _, n := range plan.Stale() {
				fmt.Fprintf(stderr, "fhirgen: stale: %s\n", filepath.Join(*out, n))
			}
			fmt.Fprintf(stderr, "fhirgen: %s is out of date (%d of %d files); run fhirgen generate\n", *out, len(plan.Stale()), len(files))
			return 1
		}
		if !*quiet {
			fmt.Fprintf(stderr, "fhirgen: %s is up to date (%d files)\n", *out, len(files))
		}
		return 0
	}
	if err := generator.ApplyWith(*out, plan, generator.ApplyOptions{Progress: testPause(stderr)}); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	if !*quiet {
		s := res.Model.Stats
		fmt.Fprintf(stderr, "fhirgen: %s: %d files (%d written, %d removed); %d resources, %d datatypes, %d backbones, %d enums, %d choices in %.1fs\n",
			*out, len(files), len(plan.Write), len(plan.Remove), s.Resources, s.Datatypes, s.Backbones, s.Enums, s.Choices, time.Since(start).Seconds())
	}
	return 0
}

// testPause returns, when FHIRGEN_TEST_PAUSE is "PHASE:N" (stage, commit or swap; see
// generator.ApplyOptions), a progress hook that stops the write there: it prints
// "fhirgen: test pause" and blocks until the process is killed. The crash test
// (TestKilledDuringWrite) kills it with SIGKILL at that point. Unset, it returns nil.
func testPause(stderr io.Writer) func(string, int) {
	phase, n, ok := strings.Cut(os.Getenv("FHIRGEN_TEST_PAUSE"), ":")
	if !ok {
		return nil
	}
	at, err := strconv.Atoi(n)
	if err != nil {
		return nil
	}
	return func(p string, i int) {
		if p == phase && i == at {
			fmt.Fprintf(stderr, "fhirgen: test pause at %s %d\n", p, i)
			for { // a bare select{} would be reported as a deadlock
				time.Sleep(time.Hour)
			}
		}
	}
}

// checkPackageClause reports a Go file in dir, not generated by fhirgen, whose package is
// not pkg (or pkg_test): generating there would give a directory that does not compile.
func checkPackageClause(dir, pkg string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // no directory yet, or one PlanWrite reports
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		if generator.IsGeneratedFile(p) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.PackageClauseOnly)
		if err != nil {
			continue // not Go we can read: the Go tools will say so
		}
		if got := f.Name.Name; got != pkg && got != pkg+"_test" {
			return fmt.Errorf("--package %s differs from the package %s of %s, a hand-written file in %s", pkg, got, p, dir)
		}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// fsRoot picks the directory the inputs are read relative to: the deepest directory that
// holds them all. Paths in diagnostics and in generated headers are relative to it, so
// output does not depend on where the repository is checked out.
func fsRoot(args []string) (string, []string, error) {
	var abs []string
	for _, a := range args {
		p, err := filepath.Abs(a)
		if err != nil {
			return "", nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return "", nil, fmt.Errorf("input %s: %w", a, errors.Unwrap(err))
		}
		abs = append(abs, p)
	}
	root := filepath.Dir(abs[0])
	for _, p := range abs {
		for !within(root, p) {
			root = filepath.Dir(root)
		}
	}
	// keep the input's own directory name in paths when it is a single directory
	if len(abs) == 1 && root == abs[0] {
		root = filepath.Dir(root)
	}
	var rel []string
	for _, p := range abs {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return "", nil, err
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	return root, rel, nil
}

// packageDir opens a --packages directory. Its files are named relative to the inputs'
// root when it is inside it, so that diagnostics and generated headers name them the way
// they name the inputs' files; else by their absolute path. Each directory is its own
// os.DirFS rather than a reason to move the root, which would change every path the
// output names.
func packageDir(abs, root string) load.PackageDir {
	name := filepath.ToSlash(abs)
	if within(root, abs) {
		if r, err := filepath.Rel(root, abs); err == nil {
			name = filepath.ToSlash(r)
			if name == "." {
				name = ""
			}
		}
	}
	return load.PackageDir{Name: name, FS: os.DirFS(abs)}
}

// fhirPackageCache returns the FHIR tooling's package cache: $FHIRGEN_FHIR_PACKAGES when
// set (for tests), else ~/.fhir/packages; "" when there is no home directory.
func fhirPackageCache() string {
	if d, ok := os.LookupEnv("FHIRGEN_FHIR_PACKAGES"); ok {
		if d == "" {
			return ""
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			return ""
		}
		return abs
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, ".fhir", "packages")
}

func within(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, "../")
}

const maxErrors = 50

// printDiagnostics prints the errors (at most maxErrors), and the warnings and notes:
// every one with -v, none with -q, else a count per kind. A diagnostic without a position
// in a file is prefixed "fhirgen:" like every other message; one with a position starts
// with it (file:line:col:), the form editors and CI annotations pick up. It returns the
// number of warnings.
func printDiagnostics(w io.Writer, ds diag.List, root, cwd string, verbose, quiet bool) int {
	show := func(d diag.Diagnostic) {
		if d.Pos.File != "" {
			p := filepath.FromSlash(d.Pos.File)
			if !filepath.IsAbs(p) { // a file of a --packages directory outside the root is named by its absolute path
				p = filepath.Join(root, p)
			}
			if r, err := filepath.Rel(cwd, p); err == nil {
				p = r
			}
			d.Pos.File = filepath.ToSlash(p)
			fmt.Fprintln(w, d.String())
			return
		}
		fmt.Fprintln(w, "fhirgen: "+d.String())
	}
	errs, warnings := 0, 0
	counts := map[string]int{}
	sev := map[string]diag.Severity{}
	for _, d := range ds {
		if d.Severity == diag.Warning {
			warnings++
		}
		switch {
		case d.Severity == diag.Error:
			errs++
			if errs <= maxErrors {
				show(d)
			}
		case quiet:
		case verbose || d.Kind == "coverage":
			show(d)
		default:
			counts[d.Kind]++
			sev[d.Kind] = d.Severity
		}
	}
	if errs > maxErrors {
		fmt.Fprintf(w, "fhirgen: and %d more errors\n", errs-maxErrors)
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(w, "fhirgen: %s: %d %s (list them with -v)\n", sev[k], counts[k], k)
	}
	return warnings
}
