// Command fhirgen generates Go code from FHIR definitions.
//
//	fhirgen generate --out DIR --package NAME [--resources A,B] [--emit types] [--config FILE] [-v] INPUT...
//	fhirgen check    (same flags: writes nothing, exits 1 listing stale files)
//
// INPUT is a definition file, a Bundle of definitions, a directory of them, or a FHIR
// package (directory or .tgz). Exit codes: 0 ok, 1 errors or stale output, 2 usage.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var usage = `usage:
  fhirgen generate --out DIR --package NAME [--resources A,B] [--emit LIST] [--config FILE] [-v] INPUT...
  fhirgen check    --out DIR --package NAME [same flags] INPUT...

INPUT is a FHIR definition file, a Bundle, a directory, or a FHIR package (dir or .tgz).
Emitters: ` + strings.Join(generator.Emitters, ", ") + `
Exit codes: 0 ok, 1 errors or stale output, 2 usage.
`

// fileConfig is the JSON config: what flags can't say well.
type fileConfig struct {
	Package     string            `json:"package"`
	Resources   []string          `json:"resources"`
	Emit        []string          `json:"emit"`
	Renames     map[string]string `json:"renames"`
	Initialisms []string          `json:"initialisms"`
	FHIRVersion string            `json:"fhirVersion"`
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd := args[0]
	if cmd == "-h" || cmd == "--help" || cmd == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if cmd == "scaffold" {
		return runScaffold(args[1:], stdout, stderr)
	}
	if cmd != "generate" && cmd != "check" {
		fmt.Fprintf(stderr, "fhirgen: unknown command %q\n%s", cmd, usage)
		return 2
	}
	fl := flag.NewFlagSet("fhirgen "+cmd, flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "output directory")
	pkg := fl.String("package", "", "Go package name")
	resources := fl.String("resources", "", "comma-separated resource types: generate only these and their closure")
	emitList := fl.String("emit", "", "comma-separated emitters (default: all)")
	configFile := fl.String("config", "", "JSON config file (renames, initialisms, fhirVersion, ...)")
	verbose := fl.Bool("v", false, "list every warning and note instead of counts per kind")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	var fc fileConfig
	if *configFile != "" {
		data, err := os.ReadFile(*configFile)
		if err != nil {
			fmt.Fprintf(stderr, "fhirgen: %v\n", err)
			return 2
		}
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&fc); err != nil {
			fmt.Fprintf(stderr, "fhirgen: %s: %v\n", *configFile, err)
			return 2
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
			fmt.Fprintf(stderr, "fhirgen: unknown emitter %q (have %s)\n", e, strings.Join(generator.Emitters, ", "))
			return 2
		}
	}
	if *out == "" || cfg.Package == "" || fl.NArg() == 0 {
		fmt.Fprint(stderr, "fhirgen: --out, --package and at least one INPUT are required\n", usage)
		return 2
	}
	root, inputs, err := fsRoot(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 2
	}
	cfg.Inputs = inputs
	start := time.Now()
	files, res, ds := generator.Generate(os.DirFS(root), cfg)
	cwd, _ := os.Getwd()
	printDiagnostics(stderr, ds, root, cwd, *verbose)
	if ds.HasErrors() {
		return 1
	}
	plan, err := generator.PlanWrite(*out, files)
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	if cmd == "check" {
		if !plan.Empty() {
			for _, n := range plan.Stale() {
				fmt.Fprintf(stderr, "stale: %s\n", filepath.Join(*out, n))
			}
			fmt.Fprintf(stderr, "fhirgen: %s is out of date; run fhirgen generate\n", *out)
			return 1
		}
		fmt.Fprintf(stderr, "fhirgen: %s is up to date (%d files)\n", *out, len(files))
		return 0
	}
	if err := generator.Apply(*out, plan); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	s := res.Model.Stats
	fmt.Fprintf(stderr, "fhirgen: %s: %d files (%d written, %d removed); %d resources, %d datatypes, %d backbones, %d enums, %d choices in %.1fs\n",
		*out, len(files), len(plan.Write), len(plan.Remove), s.Resources, s.Datatypes, s.Backbones, s.Enums, s.Choices, time.Since(start).Seconds())
	return 0
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

func within(dir, p string) bool {
	r, err := filepath.Rel(dir, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, "../")
}

const maxErrors = 50

func printDiagnostics(w io.Writer, ds diag.List, root, cwd string, verbose bool) {
	show := func(d diag.Diagnostic) {
		if d.Pos.File != "" {
			p := filepath.Join(root, filepath.FromSlash(d.Pos.File))
			if r, err := filepath.Rel(cwd, p); err == nil {
				p = r
			}
			d.Pos.File = filepath.ToSlash(p)
		}
		fmt.Fprintln(w, d.String())
	}
	errs := 0
	counts := map[string]int{}
	sev := map[string]diag.Severity{}
	for _, d := range ds {
		switch {
		case d.Severity == diag.Error:
			errs++
			if errs <= maxErrors {
				show(d)
			}
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
}
