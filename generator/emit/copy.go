package emit

import (
	"bytes"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strings"

	"github.com/fhirgen/fhirgen/generator/fhirpath"
)

// FHIRPathFiles returns the files of the compiled FHIRPath: fhirpath.gen.go, the functions
// fp compiled and their helpers, and the FHIRPath runtime they call (fhirpath_*.gen.go).
func FHIRPathFiles(fp *fhirpath.Compiler, o Options) ([]File, error) {
	f := NewFile(o, "")
	for _, d := range fp.Decls() {
		f.Add(d)
		f.Line()
	}
	compiled, err := Render("fhirpath.gen.go", f)
	if err != nil {
		return nil, err
	}
	rt, err := CopyPackage(fhirpath.Runtime, "runtime", "generator/fhirpath/runtime", "fhirpath_", o.PkgName, nil)
	if err != nil {
		return nil, err
	}
	return append([]File{compiled}, rt...), nil
}

// CopyPackage copies the Go files of directory dir of fsys (a real, tested package of the
// fhirgen module; tests excluded) into package pkg: each file gets the generated-file
// header, a source line naming where it comes from (source/name) and its package clause
// rewritten, and is named prefix + its name with .gen.go. want, when not nil, says which
// files are copied. Files named stub_*.go are never copied: they stand in for what the
// generated package defines itself (its types, the FHIRPath runtime), so that the source
// package compiles and is tested alone.
func CopyPackage(fsys fs.FS, dir, source, prefix, pkg string, want func(name string) (bool, error)) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []File
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "stub_") {
			continue
		}
		if want != nil {
			if ok, err := want(name); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
		}
		src, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		file, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %v", source, name, err)
		}
		// what comes before the package clause (the package's doc comment) describes the
		// source package, not the generated one
		rest := src[file.Name.End()-1:]
		var b bytes.Buffer
		fmt.Fprintf(&b, "// %s\n// source: %s/%s\n\npackage %s", Header, source, name, pkg)
		b.Write(rest)
		formatted, err := format.Source(b.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %v", source, name, err)
		}
		out = append(out, File{Name: prefix + strings.TrimSuffix(name, ".go") + ".gen.go", Content: formatted})
	}
	return out, nil
}
