// Command bulkexport reads a BulkDataExport manifest (FHIR JSON) and prints what a Bulk
// Data client needs: the status and one line per file. With -mark it also records, as an
// extension on status, that the manifest was inspected, and writes the resource back out,
// showing how primitives with extensions are read and written.
//
//	go run ./examples/bulkexport generated/fhir/testdata/roundtrip/manifest.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fhirgen/fhirgen/generated/fhir"
)

func main() {
	mark := flag.Bool("mark", false, "add an inspected-by extension to status and print the resource")
	flag.Parse()
	if err := run(flag.Args(), *mark, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bulkexport:", err)
		os.Exit(1)
	}
}

func run(args []string, mark bool, w io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: bulkexport [-mark] MANIFEST.json")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var export fhir.BulkDataExport
	if err := export.UnmarshalJSON(data); err != nil {
		return err // a *fhir.DecodeError names the element, e.g. BulkDataExport.output[1].url
	}
	fmt.Fprintf(w, "export %s: %s (requested %s)\n", export.ID, export.Status, export.RequestTime)
	if export.StatusExt != nil {
		for _, ext := range export.StatusExt.Extension {
			if s, ok := ext.Value.(*fhir.StringValue); ok {
				fmt.Fprintf(w, "  status note: %s\n", s.Value)
			}
		}
	}
	for _, f := range export.Output {
		fmt.Fprintf(w, "  output  %-20s %s\n", f.Type, f.URL)
	}
	for _, f := range export.Error {
		fmt.Fprintf(w, "  error   %-20s %s\n", f.Type, f.URL)
	}
	if !mark {
		return nil
	}
	if export.StatusExt == nil {
		export.StatusExt = &fhir.Element{}
	}
	export.StatusExt.Extension = append(export.StatusExt.Extension, fhir.Extension{
		URL:   "https://example.org/fhir/StructureDefinition/inspected-by",
		Value: &fhir.StringValue{Value: "examples/bulkexport"},
	})
	out, err := export.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", out)
	return err
}
