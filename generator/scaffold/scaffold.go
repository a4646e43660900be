// Package scaffold is what `fhirgen scaffold` writes once, for the user to own: a service
// file implementing the generated router's interfaces (rendered from
// templates/scaffold/service.go.tmpl) and the definitions of a custom resource (a
// StructureDefinition and its SearchParameters, built here). It decides the FHIR side:
// the search parameter type of an element type, the differential of the definition.
package scaffold

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"text/template"

	"github.com/fhirgen/fhirgen/templates"
)

// Service is what service.go.tmpl is filled with.
type Service struct {
	Package   string   // Go package of the file (the generated package)
	Type      string   // the service's Go type name
	Resources []string // Go names of the resources it serves
}

// Render returns the formatted Go source of the service file.
func Render(s Service) ([]byte, error) {
	if !token.IsIdentifier(s.Package) || !token.IsIdentifier(s.Type) {
		return nil, fmt.Errorf("package %q and type %q must be Go identifiers", s.Package, s.Type)
	}
	if len(s.Resources) == 0 {
		return nil, fmt.Errorf("no resources")
	}
	for _, r := range s.Resources {
		if !token.IsIdentifier(r) || !token.IsExported(r) {
			return nil, fmt.Errorf("resource %q is not an exported Go identifier", r)
		}
	}
	t, err := template.ParseFS(templates.Scaffold, "scaffold/service.go.tmpl")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, s); err != nil {
		return nil, err
	}
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("scaffold template does not format: %v", err)
	}
	return out, nil
}
