// Package scaffold holds the templates of `fhirgen scaffold service`: a user-owned
// implementation file of the generated router's interfaces, written once and never
// overwritten.
package scaffold

import (
	"bytes"
	"embed"
	"fmt"
	"go/format"
	"go/token"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

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
	t, err := template.ParseFS(files, "service.go.tmpl")
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
