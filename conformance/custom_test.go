package conformance

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/diag"
)

// overlayFS serves the directory dir of the host under the name prefix, and everything
// else from base: definitions of the suite's own on top of a cached FHIR package.
type overlayFS struct {
	base   fs.FS
	prefix string
	dir    fs.FS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == o.prefix {
		return o.dir.Open(".")
	}
	if rest, ok := strings.CutPrefix(name, o.prefix+"/"); ok {
		return o.dir.Open(rest)
	}
	return o.base.Open(name)
}

// TestProhibitedBackbone generates a custom resource on top of R4 whose differential
// prohibits (max 0) a backbone element that has children of its own
// (testdata/custom/StructureDefinition-MaxZero.json): the element and its children are
// left out, the rest is generated and compiles. (The generator used to stop with "parent
// element MaxZero.gone is not in the snapshot".)
func TestProhibitedBackbone(t *testing.T) {
	cache := needCache(t, r4Examples)
	fsys := overlayFS{base: os.DirFS(cache), prefix: "custom", dir: os.DirFS(filepath.Join("testdata", "custom"))}
	files, res, ds := generator.Generate(fsys, generator.Config{Package: "custom",
		Inputs: []string{r4Examples, "custom"}, Resources: []string{"MaxZero"}})
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Error(d.String())
		}
	}
	if t.Failed() {
		return
	}
	var src string
	for _, f := range files {
		if f.Name == "max_zero.gen.go" {
			src = string(f.Content)
		}
	}
	if !strings.Contains(src, "\tKept string\n") {
		t.Errorf("max_zero.gen.go has no field Kept:\n%s", src)
	}
	if strings.Contains(src, "Gone") || strings.Contains(src, `"gone"`) || strings.Contains(src, "inner") {
		t.Errorf("max_zero.gen.go generates the prohibited element MaxZero.gone or its child:\n%s", src)
	}
	var names []string
	for _, r := range res.Model.Resources {
		names = append(names, r.FHIRName)
	}
	// MaxZero, and what the HTTP handlers answer with (added to --resources)
	if got := strings.Join(names, ","); got != "Bundle,CapabilityStatement,MaxZero,OperationOutcome" {
		t.Errorf("resources generated: %s, want MaxZero with Bundle, CapabilityStatement, OperationOutcome", got)
	}
	m := newModule(t)
	m.writePackage(t, "custom", files)
	m.goCmd(t, "vet", "./custom")
}
