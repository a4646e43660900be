package generator

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/templates"
)

// checkDeclarations reports every package-level Go name declared twice in the generated
// package, whichever emitter, support file or FHIR definition it comes from. The set of
// names taken is read from the files themselves (go/parser), not kept in a list: a new
// exported name in templates/support or a new fixed name an emitter prints is covered the
// day it is added. Each error names both files and who wrote them (the FHIR thing behind
// a model name, the support file, or the emitter), so a rename in the config resolves it.
// origin maps a file name to what printed it.
//
// ir.Build has already reported clashes inside the model (two types, an enum constant and
// a type, ...) with their FHIR sources; what is left to find here is a model name against
// the support runtime or an emitter's own names (SearchEntry, Issue, ServerError,
// UnmarshalResource, PatientReader, ...).
func checkDeclarations(files []emit.File, origin map[string]string, m *ir.Model) diag.List {
	type decl struct{ name, file string }
	perFile := make([][]decl, len(files))
	uses := make([][]string, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			fset := token.NewFileSet()
			af, err := parser.ParseFile(fset, f.Name, f.Content, 0)
			if err != nil {
				errs[i] = err
				return
			}
			for _, n := range topLevelNames(af) {
				perFile[i] = append(perFile[i], decl{n, f.Name})
			}
			uses[i] = packageUses(af)
		}()
	}
	wg.Wait()
	var ds diag.List
	for i, err := range errs {
		if err != nil {
			ds.Errorf(diag.Pos{}, "", "", "internal error: generated %s does not parse: %v", files[i].Name, err)
		}
	}
	fhirSource := modelNames(m)
	describe := func(d decl) string {
		s := d.file
		src, fs := headerSource(files, d.file), fhirSource[d.name]
		own := src != "" || d.file == "enums.gen.go" || d.file == "choice_primitives.gen.go"
		switch {
		case strings.HasPrefix(src, "templates/support/"):
			s += " (the support runtime, " + src + ")"
		case fs != "" && own && origin[d.file] == "the types emitter":
			s += " (" + fs + ")"
		case origin[d.file] != "":
			s += " (printed by " + origin[d.file] + ")"
		}
		return s
	}
	first := map[string]decl{}
	for _, list := range perFile {
		for _, d := range list {
			prev, ok := first[d.name]
			if !ok {
				first[d.name] = d
				continue
			}
			ds.Errorf(diag.Pos{}, "", "", "Go name %s is declared twice in the generated package: in %s and in %s; rename the FHIR one in the config (renames)",
				d.name, describe(prev), describe(d))
		}
	}
	return append(ds, checkUses(files, uses, func(name string) bool { _, ok := first[name]; return ok })...)
}

// checkUses is the generator's compile guard: every package-level name a generated file
// uses must be declared in the package. A name of the support or FHIRPath runtime that
// the run did not copy (a concern missing from supportConcerns, an emitter calling a
// runtime function it does not own) is reported at generation, naming the runtime file
// that declares it, instead of as a build error in the user's package.
func checkUses(files []emit.File, uses [][]string, declared func(string) bool) diag.List {
	var ds diag.List
	var runtimeDecls map[string]string
	for i, names := range uses {
		for _, n := range names {
			if declared(n) || types.Universe.Lookup(n) != nil {
				continue
			}
			if runtimeDecls == nil {
				runtimeDecls = runtimeNames()
			}
			if src, ok := runtimeDecls[n]; ok {
				ds.Errorf(diag.Pos{}, "", "", "internal error: generated %s uses %s of %s, which this run does not copy (see generator.supportConcerns)",
					files[i].Name, n, src)
				continue
			}
			ds.Errorf(diag.Pos{}, "", "", "internal error: generated %s uses %s, which nothing in the generated package declares", files[i].Name, n)
		}
	}
	return ds
}

// packageUses returns the identifiers f uses but does not declare, but for its imports:
// the package-level names it needs from the other files of its package.
func packageUses(f *ast.File) []string {
	imported := map[string]bool{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := path.Base(p)
		if im.Name != nil {
			name = im.Name.Name
		}
		imported[name] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range f.Unresolved {
		if !imported[id.Name] && !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
	}
	return out
}

// runtimeNames maps every package-level name of the support runtime (templates/support)
// and of the FHIRPath runtime to the file declaring it.
func runtimeNames() map[string]string {
	out := map[string]string{}
	for _, r := range []struct {
		fsys fs.FS
		dir  string
		src  string
	}{{templates.Support, "support", "templates/support/"}, {fhirpath.Runtime, "runtime", "generator/fhirpath/runtime/"}} {
		entries, _ := fs.ReadDir(r.fsys, r.dir)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			src, err := fs.ReadFile(r.fsys, r.dir+"/"+e.Name())
			if err != nil {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), e.Name(), src, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			for _, n := range topLevelNames(af) {
				out[n] = r.src + e.Name()
			}
		}
	}
	return out
}

// topLevelNames are the package-level identifiers a file declares (methods excluded:
// they live in their type's scope).
func topLevelNames(f *ast.File) []string {
	var out []string
	add := func(id *ast.Ident) {
		if id.Name != "_" && id.Name != "init" {
			out = append(out, id.Name)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				add(d.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					add(s.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						add(n)
					}
				}
			}
		}
	}
	return out
}

// headerSource is the "// source:" line of a generated file's header: the definition a
// type's file comes from, or the templates/support path of a copied support file ("" for
// a file with no single source).
func headerSource(files []emit.File, name string) string {
	i := sort.Search(len(files), func(i int) bool { return files[i].Name >= name })
	if i == len(files) || files[i].Name != name {
		return ""
	}
	head := files[i].Content
	if j := bytes.Index(head, []byte("\npackage ")); j >= 0 {
		head = head[:j]
	}
	_, after, ok := bytes.Cut(head, []byte("// source: "))
	if !ok {
		return ""
	}
	line, _, _ := bytes.Cut(after, []byte("\n"))
	return string(line)
}

// modelNames maps the package-level Go names the model decides to the FHIR thing each
// comes from, for error messages.
func modelNames(m *ir.Model) map[string]string {
	out := map[string]string{}
	for _, t := range m.Types {
		out[t.Name] = "FHIR type " + t.FHIRName
	}
	for _, e := range m.Enums {
		out[e.Name] = "ValueSet " + e.ValueSet
	}
	for _, c := range m.Choices {
		out[c.Name] = "choice " + c.Path
	}
	for _, p := range m.PrimitiveVariants {
		out[p.Name] = "choice variant of " + p.Prim.FHIRName
	}
	return out
}
