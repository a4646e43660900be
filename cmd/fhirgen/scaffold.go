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

Writes DIR/FILE, a user-owned implementation of the generated router's interfaces for the
RESOURCEs (Go type names), every interaction stubbed with a "not implemented yet" error.
It is written once: an existing file is never overwritten (exit 1).
`

// runScaffold is `fhirgen scaffold`.
func runScaffold(args []string, stdout, stderr io.Writer) int {
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
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	path := filepath.Join(*out, *file)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "fhirgen: %s exists; scaffold never overwrites a file (remove it or choose --file)\n", path)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		os.Remove(path)
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(stderr, "fhirgen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "fhirgen: wrote %s (%s for %s)\n", path, *typ, strings.Join(resources, ", "))
	return 0
}
