// Package generator is fhirgen's pipeline: load the definitions, build the model, run the
// emitters, and (separately) write the files. Generate is pure: it reads only the fs.FS it
// is given, touches no globals and prints nothing, so tests call it in-process.
package generator

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/emit/gotypes"
	"github.com/fhirgen/fhirgen/generator/emit/search"
	"github.com/fhirgen/fhirgen/generator/emit/server"
	"github.com/fhirgen/fhirgen/generator/emit/validate"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/load"
	"github.com/fhirgen/fhirgen/generator/plan"
	"github.com/fhirgen/fhirgen/templates"
)

// emitters are the emitters that exist, in the order they run. Emitters that compile
// FHIRPath (search extractors, invariants) share one compiler (emit.Input.FHIRPath): its
// functions and the FHIRPath runtime are written once, to fhirpath*.gen.go, after every
// emitter has run.
var emitters = []struct {
	name string // in --emit
	emit.Emitter
}{
	{"types", gotypes.Emitter{}},
	{"search", search.Emitter{}},
	{"validate", validate.Emitter{}},
	{"http", server.Emitter{}},
}

// Emitters lists the names of the emitters that exist, in the order they run.
var Emitters = func() []string {
	var out []string
	for _, e := range emitters {
		out = append(out, e.name)
	}
	return out
}()

// Config is one run of the generator.
type Config struct {
	// Inputs are fs.FS paths: definition files, bundles, directories, FHIR packages.
	Inputs []string
	// Package is the name of the generated Go package.
	Package string
	// Resources limits the output to these resources and their dependency closure.
	Resources []string
	// Emit selects emitters; empty means all of Emitters.
	Emit []string
	// Renames, Initialisms and FHIRVersion are passed to the model (see ir.Config).
	Renames     map[string]string
	Initialisms []string
	FHIRVersion string
	// Dependencies says whether and where the dependencies of FHIR package inputs are
	// found, and the packageMap (see load.Options). The zero value resolves none: the
	// inputs are all that is read.
	Dependencies load.Options
}

// Result is what a run produced besides files: the model (its statistics, for
// reporting) and the plan the emitters printed.
type Result struct {
	Model *ir.Model
	Plan  *plan.Plan
}

// Generate runs the pipeline in memory. On any error it returns no files.
func Generate(fsys fs.FS, cfg Config) ([]emit.File, *Result, diag.List) {
	var ds diag.List
	if cfg.Package == "" {
		ds.Errorf(diag.Pos{}, "", "", "no package name")
		return nil, nil, ds
	}
	for _, e := range cfg.Emit {
		if !contains(Emitters, e) {
			ds.Errorf(diag.Pos{}, "", "", "unknown emitter %q (have %s)", e, strings.Join(Emitters, ", "))
		}
	}
	if ds.HasErrors() {
		return nil, nil, ds
	}
	defs, lds := load.LoadWith(fsys, cfg.Inputs, cfg.Dependencies)
	ds = append(ds, lds...)
	if ds.HasErrors() {
		ds.Sort()
		return nil, nil, ds
	}
	resources := cfg.Resources
	if len(resources) > 0 && (len(cfg.Emit) == 0 || contains(cfg.Emit, "http")) {
		// the router answers with OperationOutcome and Bundle and describes itself with
		// CapabilityStatement: a run limited to some resources generates them too, rather
		// than no handlers at all
		var added []string
		for _, need := range plan.ServerUses() {
			if !contains(resources, need) && definesResource(defs, need) {
				added = append(added, need)
			}
		}
		if len(added) > 0 {
			resources = append(append([]string(nil), resources...), added...)
			ds.Notef(diag.Pos{}, "resources-added", "", "", "%s added to the resources: the HTTP handlers need them", strings.Join(added, ", "))
		}
	}
	m, ids := ir.Build(defs, ir.Config{Resources: resources, Renames: cfg.Renames,
		Initialisms: cfg.Initialisms, FHIRVersion: cfg.FHIRVersion,
		Profiles: len(cfg.Emit) == 0 || contains(cfg.Emit, "validate")})
	ds = append(ds, ids...)
	if ds.HasErrors() {
		ds.Sort()
		return nil, nil, ds
	}
	opts := emit.Options{PkgPath: cfg.Package, PkgName: cfg.Package}
	var files []emit.File
	p := plan.Build(m, plan.Options{})
	in, compiled := emit.NewInput(p, opts)
	var active []string           // the emitters that wrote something: their support runtime is copied
	origin := map[string]string{} // file name -> who printed it, for checkDeclarations
	for _, e := range emitters {
		name := e.name
		if len(cfg.Emit) > 0 && !contains(cfg.Emit, name) && name != "types" {
			continue
		}
		out, eds := e.Emit(in)
		ds = append(ds, eds...)
		files = append(files, out...)
		for _, f := range out {
			origin[f.Name] = "the " + name + " emitter"
		}
		if len(out) > 0 {
			active = append(active, name)
		}
	}
	if ds.HasErrors() {
		ds.Sort()
		return nil, nil, ds
	}
	if fp := compiled(); fp != nil {
		fpFiles, err := emit.FHIRPathFiles(fp, opts)
		if err != nil {
			ds.Errorf(diag.Pos{}, "", "", "%v", err)
			return nil, nil, ds
		}
		files = append(files, fpFiles...)
		for _, f := range fpFiles {
			origin[f.Name] = "the FHIRPath compiler"
		}
	}
	if len(m.Profiles) > 0 && contains(active, "validate") {
		active = append(active, "profiles") // the pseudo-concern of support profile.go
	}
	support, err := supportFiles(cfg.Package, active)
	if err != nil {
		ds.Errorf(diag.Pos{}, "", "", "%v", err)
		return nil, nil, ds
	}
	files = append(files, support...)
	files = append(files, docFile(cfg.Package, m))
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for i := 1; i < len(files); i++ {
		if files[i].Name == files[i-1].Name {
			ds.Errorf(diag.Pos{}, "", "", "two generated files are named %s", files[i].Name)
		}
	}
	if !ds.HasErrors() {
		ds = append(ds, checkDeclarations(files, origin, m)...)
	}
	ds.Sort()
	if ds.HasErrors() {
		return nil, nil, ds
	}
	for i := range files {
		files[i].Content = stampVersion(files[i].Content)
	}
	return files, &Result{Model: m, Plan: p}, ds
}

// stampVersion puts the `// fhirgen vX` line under the header line of a generated file.
// Every file gets it here, in one place, whatever emitter printed it; PlanWrite ignores
// the line when it compares, so a new fhirgen version alone does not make a file stale.
func stampVersion(content []byte) []byte {
	header := "// " + emit.Header + "\n"
	if !bytes.HasPrefix(content, []byte(header)) {
		return content
	}
	out := make([]byte, 0, len(content)+len(VersionLine)+1)
	out = append(out, header...)
	out = append(out, VersionLine...)
	out = append(out, '\n')
	return append(out, content[len(header):]...)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// supportFiles copies the support runtime with its package clause rewritten.
// supportConcerns says which emitters need each file of templates/support: "types" is
// the JSON core every package has; a file listed with several emitters is copied when
// all of them run. A support file missing here is an error, so a new one cannot be
// copied everywhere (or nowhere) by accident.
var supportConcerns = map[string][]string{
	"decode.go":          {"types"},
	"encode.go":          {"types"},
	"fields.go":          {"types"},
	"values.go":          {"types"},
	"search.go":          {"search"},
	"format.go":          {"validate"},
	"validate.go":        {"validate"},
	"xhtml.go":           {"validate"},
	"xhtml_scan.go":      {"validate"},
	"server.go":          {"http"},
	"server_patch.go":    {"http"},
	"server_search.go":   {"http"},
	"server_subset.go":   {"http"},
	"server_validate.go": {"validate", "http"},
	// terminologies checked without a server (BCP 47, BCP 13, UCUM, ISO 4217/3166)
	"terminology.go":      {"validate"},
	"terminology_data.go": {"validate"},
	// profile validators and extension accessors: only when the model has profiles
	"profile.go":        {"validate", "profiles"},
	"server_profile.go": {"validate", "http", "profiles"},
}

// supportFiles copies the support runtime the given emitters need into package pkg.
func supportFiles(pkg string, emitters []string) ([]emit.File, error) {
	return emit.CopyPackage(templates.Support, "support", "templates/support", "support_", pkg, func(name string) (bool, error) {
		concerns, ok := supportConcerns[name]
		if !ok {
			return false, fmt.Errorf("templates/support/%s: not in generator.supportConcerns; say which emitters need it", name)
		}
		for _, c := range concerns {
			if c != "types" && !contains(emitters, c) {
				return false, nil
			}
		}
		return true, nil
	})
}

func docFile(pkg string, m *ir.Model) emit.File {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// %s\n\n", emit.Header)
	fmt.Fprintf(&b, "// Package %s holds Go types for FHIR", pkg)
	if m.FHIRVersion != "" {
		fmt.Fprintf(&b, " %s", m.FHIRVersion)
	}
	fmt.Fprintf(&b, " generated by fhirgen, with lossless,\n// reflection-free FHIR JSON codecs.\n//\n")
	fmt.Fprintf(&b, "// Resources: %d; datatypes: %d; backbone elements: %d; enums: %d; choices: %d.\n",
		m.Stats.Resources, m.Stats.Datatypes, m.Stats.Backbones, m.Stats.Enums, m.Stats.Choices)
	fmt.Fprintf(&b, "package %s\n", pkg)
	return emit.File{Name: "doc.gen.go", Content: b.Bytes()}
}

// definesResource reports whether the inputs define the resource type name.
func definesResource(defs *load.Definitions, name string) bool {
	for _, sd := range defs.Structures {
		if sd.Kind == "resource" && sd.Type == name && !sd.Abstract && sd.Derivation != "constraint" {
			return true
		}
	}
	return false
}
