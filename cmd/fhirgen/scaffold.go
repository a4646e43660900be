package main

import (
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/fhirgen/fhirgen/generator/naming"
	"github.com/fhirgen/fhirgen/generator/scaffold"
)

var scaffoldUsage = `usage:
  fhirgen scaffold service --out DIR --package NAME [--type Service] [--file service.go] RESOURCE...
  fhirgen scaffold resource --out DIR --url BASE [--search] NAME ELEMENT...

service writes DIR/FILE, a user-owned implementation of the generated router's interfaces
for the RESOURCEs (Go type names), every interaction stubbed with a "not implemented yet"
error.

resource writes DIR/StructureDefinition-NAME.json, a custom resource type written as a
differential on DomainResource with canonical BASE/StructureDefinition/NAME, and with
--search one SearchParameter per searchable element. Put DIR among the inputs of
fhirgen generate. An ELEMENT is name:type with an optional cardinality (default 0..1), a
Reference's targets and a required binding:
  status:code[1..1]=https://example.org/fhir/ValueSet/task-note-status
  subject:Reference(Patient|Group)[1..1]   note:Annotation[0..*]   due:dateTime

What scaffold writes is the user's: it never overwrites a file (exit 1, nothing written).
`

// runScaffold is `fhirgen scaffold`.
func runScaffold(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stdout, scaffoldUsage)
		return 0
	}
	if len(args) > 0 && args[0] == "resource" {
		return runScaffoldResource(args[1:], stdout, stderr)
	}
	if len(args) == 0 {
		return usageError(stderr, "fhirgen scaffold", "scaffold needs a kind: service or resource")
	}
	if args[0] != "service" {
		hint := ""
		if s := naming.Suggest(args[0], []string{"service", "resource"}); s != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", s)
		}
		return usageError(stderr, "fhirgen scaffold", "unknown scaffold kind %q%s: service or resource", args[0], hint)
	}
	fl := flag.NewFlagSet("fhirgen scaffold service", flag.ContinueOnError)
	out := fl.String("out", "", "directory of the generated package")
	pkg := fl.String("package", "", "Go package name")
	typ := fl.String("type", "Service", "Go type name of the service")
	file := fl.String("file", "service.go", "file name")
	if code := parseFlags(fl, args[1:], scaffoldUsage, stdout, stderr); code >= 0 {
		return code
	}
	var resources []string
	for _, a := range fl.Args() {
		for _, r := range strings.Split(a, ",") {
			if r = strings.TrimSpace(r); r != "" {
				resources = append(resources, r)
			}
		}
	}
	if *out == "" || *pkg == "" || len(resources) == 0 {
		return usageError(stderr, fl.Name(), "--out, --package and at least one RESOURCE are required")
	}
	if strings.ContainsAny(*file, `/\`) || !strings.HasSuffix(*file, ".go") || strings.HasSuffix(*file, ".gen.go") {
		return usageError(stderr, fl.Name(), "--file %q must be a plain .go file name in --out (not .gen.go, no directories)", *file)
	}
	for _, r := range resources {
		if !token.IsIdentifier(r) || !token.IsExported(r) {
			return usageError(stderr, fl.Name(), "resource %q is not an exported Go identifier (the Go name of a generated resource)", r)
		}
	}
	served, err := servedResources(*out, *pkg)
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: scaffold: %v\n", err)
		return 1
	}
	for _, r := range resources {
		if !contains(served, r) {
			hint := ""
			if s := naming.Suggest(r, served); s != "" {
				hint = fmt.Sprintf("; did you mean %s?", s)
			}
			fmt.Fprintf(stderr, "fhirgen: scaffold: the router in %s has no resource %s%s (it serves %s)\n", *out, r, hint, strings.Join(served, ", "))
			return 1
		}
	}
	src, err := scaffold.Render(scaffold.Service{Package: *pkg, Type: *typ, Resources: resources})
	if err != nil {
		return usageError(stderr, fl.Name(), "%v", err)
	}
	if err := writeNew(*out, []scaffold.File{{Name: *file, Content: src}}); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "fhirgen: wrote %s (%s for %s)\n", filepath.Join(*out, *file), *typ, strings.Join(resources, ", "))
	return 0
}

// readerIface matches the generated router's per-resource read interface.
var readerIface = regexp.MustCompile(`(?m)^type ([A-Z][A-Za-z0-9_]*)Reader interface`)

// servedResources returns the Go names of the resources the generated router in dir
// serves (from server_resources.gen.go), checking the package name on the way.
func servedResources(dir, pkg string) ([]string, error) {
	p := filepath.Join(dir, "server_resources.gen.go")
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s has no generated router (server_resources.gen.go): run fhirgen generate with the http emitter into it first", dir)
	}
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(token.NewFileSet(), p, data, parser.PackageClauseOnly)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	if f.Name.Name != pkg {
		return nil, fmt.Errorf("--package %s differs from the package %s of the generated code in %s", pkg, f.Name.Name, dir)
	}
	var out []string
	for _, m := range readerIface.FindAllSubmatch(data, -1) {
		out = append(out, string(m[1]))
	}
	return out, nil
}

// runScaffoldResource is `fhirgen scaffold resource`.
func runScaffoldResource(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("fhirgen scaffold resource", flag.ContinueOnError)
	out := fl.String("out", "", "directory of the definitions")
	base := fl.String("url", "", "canonical base URL, e.g. https://example.org/fhir")
	search := fl.Bool("search", false, "also write a SearchParameter per searchable element")
	if code := parseFlags(fl, args, scaffoldUsage, stdout, stderr); code >= 0 {
		return code
	}
	if *out == "" || *base == "" || fl.NArg() < 1 {
		return usageError(stderr, fl.Name(), "--out, --url and the resource NAME are required")
	}
	r := scaffold.Resource{Name: fl.Arg(0), BaseURL: *base, Search: *search}
	for _, a := range fl.Args()[1:] {
		e, err := scaffold.ParseElement(a)
		if err != nil {
			return usageError(stderr, fl.Name(), "scaffold: %v", err)
		}
		r.Elements = append(r.Elements, e)
	}
	files, err := scaffold.RenderResource(r)
	if err != nil {
		return usageError(stderr, fl.Name(), "scaffold: %v", err)
	}
	if err := writeNew(*out, files); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "fhirgen: wrote %s\n", filepath.Join(*out, f.Name))
	}
	return 0
}

// writeNew writes files into dir, all or none: when one of them exists (scaffold never
// overwrites) or a write fails, the files it created are removed.
func writeNew(dir string, files []scaffold.File) error {
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, f.Name)); err == nil {
			return fmt.Errorf("%s exists; scaffold never overwrites a file (remove it or choose another name)", filepath.Join(dir, f.Name))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var written []string
	undo := func() {
		for _, p := range written {
			os.Remove(p)
		}
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		h, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			undo()
			return fmt.Errorf("%s exists; scaffold never overwrites a file (remove it or choose another name)", path)
		}
		if err != nil {
			undo()
			return err
		}
		written = append(written, path)
		_, err = h.Write(f.Content)
		if cerr := h.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			undo()
			return err
		}
	}
	return nil
}
