package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fhirgen/fhirgen/templates/scaffold"
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
	if len(args) > 0 && args[0] == "resource" {
		return runScaffoldResource(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "service" {
		fmt.Fprint(stderr, scaffoldUsage)
		return 2
	}
	fl := flag.NewFlagSet("fhirgen scaffold service", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "directory of the generated package")
	pkg := fl.String("package", "", "Go package name")
	typ := fl.String("type", "Service", "Go type name of the service")
	file := fl.String("file", "service.go", "file name")
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	var resources []string
	for _, a := range fl.Args() {
		for _, r := range strings.Split(a, ",") {
			if r = strings.TrimSpace(r); r != "" {
				resources = append(resources, r)
			}
		}
	}
	if *out == "" || *pkg == "" || len(resources) == 0 || strings.ContainsAny(*file, `/\`) {
		fmt.Fprint(stderr, scaffoldUsage)
		return 2
	}
	src, err := scaffold.Render(scaffold.Service{Package: *pkg, Type: *typ, Resources: resources})
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: scaffold: %v\n", err)
		return 2
	}
	if err := writeNew(*out, []scaffold.File{{Name: *file, Content: src}}); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "fhirgen: wrote %s (%s for %s)\n", filepath.Join(*out, *file), *typ, strings.Join(resources, ", "))
	return 0
}

// runScaffoldResource is `fhirgen scaffold resource`.
func runScaffoldResource(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("fhirgen scaffold resource", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "", "directory of the definitions")
	base := fl.String("url", "", "canonical base URL, e.g. https://example.org/fhir")
	search := fl.Bool("search", false, "also write a SearchParameter per searchable element")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *out == "" || *base == "" || fl.NArg() < 1 {
		fmt.Fprint(stderr, scaffoldUsage)
		return 2
	}
	r := scaffold.Resource{Name: fl.Arg(0), BaseURL: *base, Search: *search}
	for _, a := range fl.Args()[1:] {
		e, err := scaffold.ParseElement(a)
		if err != nil {
			fmt.Fprintf(stderr, "fhirgen: scaffold: %v\n", err)
			return 2
		}
		r.Elements = append(r.Elements, e)
	}
	files, err := scaffold.RenderResource(r)
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: scaffold: %v\n", err)
		return 2
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
