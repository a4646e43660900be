package load

import (
	"archive/tar"
	"cmp"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// Kinds of the diagnostics of dependency resolution.
const (
	KindMissingDependency = "missing-dependency"
	KindPackageMapped     = "package-mapped"
	KindPackageDropped    = "package-dropped"
	KindPackageMapUnused  = "package-map-unused"
	KindPackageMap        = "invalid-package-map"
)

// baseResourceURL is the definition that tells the package of the base specification.
const baseResourceURL = "http://hl7.org/fhir/StructureDefinition/Resource"

// Options says how LoadWith resolves the dependencies of FHIR packages.
type Options struct {
	// Resolve turns dependency resolution on: every package input brings the packages
	// its package.json "dependencies" names, recursively. Off, the inputs are all that is
	// read and dependencies are not looked at.
	Resolve bool
	// Dirs are where dependencies are looked for, in this order (see PackageDir): the
	// first directory that has a match gives the package.
	Dirs []PackageDir
	// Map replaces dependencies: a key "name#version", or a bare "name" for any version
	// (the exact key wins), maps to the "name#version" of the package to use instead, or
	// to "" to drop the dependency. Version patterns (4.0.x) work in both.
	Map map[string]string
}

// PackageDir is a directory of FHIR packages. A dependency name#version is found there
// as, in this order:
//   - name/package/ (whose package.json is of that name, with a version that matches);
//   - name#version/package/ (the FHIR tooling's cache, ~/.fhir/packages);
//   - name@version/ holding package.json (a package directory, as scripts/fetch-packages.sh
//     unpacks one into .cache/npm) or name@version/package/;
//   - any .tgz file whose package/package.json is of that name and version (these are
//     opened only when nothing above matches).
//
// Of the matches in one directory the highest version is read.
type PackageDir struct {
	// Name is how messages name the directory; its files are named Name/path (path
	// being the fs.FS path), or path when Name is "".
	Name string
	FS   fs.FS
}

// pkgNode is a package read, in the dependency graph.
type pkgNode struct {
	out      *inputOut
	id       string // name#version
	info     *PackageInfo
	manifest string // package.json, as diagnostics name it
	deps     []depReq
	state    uint8 // 0 not visited, 1 visiting, 2 done
}

// depReq is a package name and version, or version pattern.
type depReq struct{ name, version string }

func (d depReq) String() string { return d.name + "#" + d.version }

// display names the fs.FS path p of the input's file system in diagnostics.
func (o *inputOut) display(p string) string {
	if o.prefix == "" {
		return p
	}
	return o.prefix + "/" + p
}

// newPkgNode reads the package.json of a package; nil when it names no package.
func newPkgNode(o *inputOut, source, manifestName string, manifest []byte) *pkgNode {
	if !gjson.ValidBytes(manifest) {
		return nil
	}
	m := gjson.ParseBytes(manifest)
	name := m.Get("name")
	if name.Type != gjson.String || name.Str == "" {
		return nil
	}
	n := &pkgNode{out: o, manifest: manifestName, info: &PackageInfo{Name: name.Str, Version: m.Get("version").String(), Source: source}}
	n.id = n.info.ID()
	for _, k := range []string{"fhirVersions", "fhir-version-list"} {
		if v := m.Get(k); v.IsArray() {
			for _, x := range v.Array() {
				if x.Type == gjson.String {
					n.info.FHIRVersions = append(n.info.FHIRVersions, x.Str)
				}
			}
			break
		}
	}
	wrong := func(v gjson.Result, msg string) {
		src := newSource(manifestName, slices.Clone(manifest))
		o.diags.Add(diag.Diagnostic{Pos: src.pos(v.Index), Severity: diag.Error, Kind: KindWrongType, Msg: msg})
	}
	deps := m.Get("dependencies")
	switch {
	case !deps.Exists(), deps.Type == gjson.Null:
	case !deps.IsObject():
		wrong(deps, "package.json dependencies: expected an object, got "+describe(deps))
	default:
		deps.ForEach(func(k, v gjson.Result) bool {
			if v.Type != gjson.String {
				wrong(v, fmt.Sprintf("package.json dependencies.%s: expected a version string, got %s", k.Str, describe(v)))
			} else {
				n.deps = append(n.deps, depReq{k.Str, v.Str})
			}
			return true
		})
	}
	slices.SortFunc(n.deps, func(a, b depReq) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.version, b.version))
	})
	return n
}

// resolver finds the dependencies of the package inputs.
type resolver struct {
	l      *loader
	opts   Options
	dirs   []*dirIndex
	byName map[string][]*pkgNode // packages read
	found  map[string]*pkgNode   // dependencies looked for in the directories, by depReq (nil: none)
	used   map[string]bool       // packageMap keys used (or reported as invalid)
	order  []*inputOut
	diags  diag.List
}

// resolve reads the dependencies of the package inputs and returns every input and
// package in the order merge takes them: each package after the packages it needs (a
// cycle is broken where it closes), else in the order of the inputs.
func (l *loader) resolve(outs []*inputOut, opts Options) ([]*inputOut, diag.List) {
	opts.Map = maps.Clone(opts.Map) // checkMap deletes the entries it rejects
	r := &resolver{l: l, opts: opts, byName: map[string][]*pkgNode{}, found: map[string]*pkgNode{}, used: map[string]bool{}}
	for _, d := range opts.Dirs {
		r.dirs = append(r.dirs, &dirIndex{dir: d})
	}
	r.checkMap()
	for _, o := range outs {
		if o.pkg != nil {
			r.byName[o.pkg.info.Name] = append(r.byName[o.pkg.info.Name], o.pkg)
		}
	}
	for _, o := range outs {
		if o.pkg == nil {
			r.order = append(r.order, o)
			continue
		}
		r.visit(o.pkg, nil)
	}
	for _, k := range sortedKeys(opts.Map) {
		if !r.used[k] {
			r.diags.Add(diag.Diagnostic{Severity: diag.Warning, Kind: KindPackageMapUnused,
				Msg: fmt.Sprintf("packageMap %q is not used: no package read needs it", k)})
		}
	}
	return r.order, r.diags
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkMap reports the packageMap entries that are not of the form documented.
func (r *resolver) checkMap() {
	for _, k := range sortedKeys(r.opts.Map) {
		target := r.opts.Map[k]
		name, version, hasVersion := strings.Cut(k, "#")
		tname, tversion, _ := strings.Cut(target, "#")
		var problem string
		switch {
		case name == "" || hasVersion && version == "":
			problem = `a key is "name#version" or "name"`
		case target != "" && (tname == "" || tversion == ""):
			problem = `a target is "name#version", or "" to drop the dependency`
		default:
			continue
		}
		r.used[k] = true
		delete(r.opts.Map, k)
		r.diags.Add(diag.Diagnostic{Severity: diag.Error, Kind: KindPackageMap,
			Msg: fmt.Sprintf("packageMap %q: %q: %s", k, target, problem)})
	}
}

// visit reads the dependencies of n, then adds n to the order. chain is the packages
// that led to n.
func (r *resolver) visit(n *pkgNode, chain []string) {
	if n.state != 0 {
		return
	}
	n.state = 1
	chain = append(chain[:len(chain):len(chain)], n.id)
	for _, d := range n.deps {
		t := r.dep(n, d, chain)
		if t == nil {
			continue
		}
		if !slices.Contains(t.info.NeededBy, n.id) {
			t.info.NeededBy = append(t.info.NeededBy, n.id)
			slices.Sort(t.info.NeededBy)
		}
		r.visit(t, chain)
	}
	n.state = 2
	r.order = append(r.order, n.out)
}

// mapped returns the packageMap entry for d: its target and key.
func (r *resolver) mapped(d depReq) (string, string, bool) {
	for _, k := range []string{d.String(), d.name} {
		if t, ok := r.opts.Map[k]; ok {
			return t, k, true
		}
	}
	return "", "", false
}

// dep returns the package that satisfies the dependency d of n, or nil (with a
// diagnostic) when there is none or it is dropped.
func (r *resolver) dep(n *pkgNode, d depReq, chain []string) *pkgNode {
	want := d
	pos := filePos(n.manifest)
	if target, k, ok := r.mapped(d); ok {
		r.used[k] = true
		if target == "" {
			r.diags.Add(diag.Diagnostic{Pos: pos, Severity: diag.Note, Kind: KindPackageDropped,
				Msg: fmt.Sprintf("%s needs %s: dropped (packageMap %q: \"\")", n.id, d, k)})
			return nil
		}
		name, version, _ := strings.Cut(target, "#")
		want = depReq{name, version}
		if want != d {
			r.diags.Add(diag.Diagnostic{Pos: pos, Severity: diag.Note, Kind: KindPackageMapped,
				Msg: fmt.Sprintf("%s needs %s: %s is used instead (packageMap %q)", n.id, d, want, k)})
		}
	}
	needs := strings.Join(chain, " needs ") + " needs " + want.String()
	if want != d {
		needs += " (for " + d.String() + ")"
	}
	if !supportedVersion(want.version) {
		r.diags.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error, Kind: KindMissingDependency,
			Msg: fmt.Sprintf("%s: version %q is not supported: state an exact version or a pattern such as 4.0.x, or map it with packageMap", needs, want.version)})
		return nil
	}
	t := r.find(want)
	if t == nil {
		msg := needs + ": not found: no package directory to look in"
		if len(r.dirs) > 0 {
			msg = needs + ": not found in " + r.where()
		}
		var others []string
		for _, c := range r.byName[want.name] {
			others = append(others, c.id)
		}
		if len(others) > 0 {
			slices.Sort(others)
			msg += fmt.Sprintf(" (read: %s; a packageMap entry can use it)", strings.Join(slices.Compact(others), ", "))
		}
		r.diags.Add(diag.Diagnostic{Pos: pos, Severity: diag.Error, Kind: KindMissingDependency, Msg: msg})
		return nil
	}
	if want != d {
		from := strings.Split(t.info.MappedFrom, ", ")
		if t.info.MappedFrom == "" {
			from = nil
		}
		if !slices.Contains(from, d.String()) {
			from = append(from, d.String())
			slices.Sort(from)
			t.info.MappedFrom = strings.Join(from, ", ")
		}
	}
	return t
}

// where lists the directories dependencies are looked for in (there is at least one).
func (r *resolver) where() string {
	var names []string
	for _, d := range r.dirs {
		names = append(names, firstNonEmpty(d.dir.Name, "."))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// supportedVersion reports whether a dependency's version can be resolved: "current"
// and "dev" (the FHIR tooling's builds of the day) cannot.
func supportedVersion(v string) bool {
	return v != "" && v != "current" && v != "dev" && !strings.HasPrefix(v, "current$")
}

// versionMatches reports whether the version v satisfies the version or pattern want:
// the same version, or for a pattern ("4.0.x", "4.x", "latest") the release (no
// "-label") versions whose parts before the x are want's.
func versionMatches(want, v string) bool {
	if want == v {
		return true
	}
	if strings.Contains(v, "-") || v == "" {
		return false
	}
	if want == "latest" {
		return true
	}
	vs := strings.Split(v, ".")
	for i, p := range strings.Split(want, ".") {
		if p == "x" || p == "X" || p == "*" {
			return true
		}
		if i >= len(vs) || vs[i] != p {
			return false
		}
	}
	return false
}

// find returns the package that satisfies want: one read already (an input, or a
// dependency found before), else the best match in the directories, which it reads.
func (r *resolver) find(want depReq) *pkgNode {
	var best *pkgNode
	for _, c := range r.byName[want.name] {
		if versionMatches(want.version, c.info.Version) && (best == nil || compareVersions(c.info.Version, best.info.Version) > 0) {
			best = c
		}
	}
	if best != nil {
		return best
	}
	if n, ok := r.found[want.String()]; ok {
		return n
	}
	var n *pkgNode
	for _, di := range r.dirs {
		c := di.best(want)
		if c == nil {
			continue
		}
		o := &inputOut{fsys: di.dir.FS, prefix: di.dir.Name, ignored: make(map[string]int)}
		o.name = o.display(c.root)
		if c.tgz {
			r.l.tgz(o, c.root)
		} else {
			r.l.packageDir(o, c.root, c.manifest)
		}
		if o.pkg == nil { // the file changed under us
			continue
		}
		n = o.pkg
		n.info.Dependency = true
		r.byName[n.info.Name] = append(r.byName[n.info.Name], n)
		break
	}
	r.found[want.String()] = n
	return n
}

// dirIndex is what was read of a package directory.
type dirIndex struct {
	dir     PackageDir
	read    bool
	entries []fs.DirEntry
	tgzs    []tgzPackage // the archives in it, once scanned
	scanned bool
}

type tgzPackage struct{ file, name, version string }

// candidate is a package found in a directory.
type candidate struct {
	version  string
	root     string // the package directory, or the .tgz
	manifest []byte
	tgz      bool
}

// best returns the highest version in the directory that satisfies want, or nil.
func (di *dirIndex) best(want depReq) *candidate {
	fsys := di.dir.FS
	if !di.read {
		di.read = true
		di.entries, _ = fs.ReadDir(fsys, ".") // a directory that is not there holds no package
	}
	var cs []*candidate
	add := func(root string) {
		if !fs.ValidPath(root) {
			return
		}
		data, err := fs.ReadFile(fsys, path.Join(root, "package.json"))
		if err != nil || !gjson.ValidBytes(data) {
			return
		}
		m := gjson.ParseBytes(data)
		if m.Get("name").Str == want.name && versionMatches(want.version, m.Get("version").Str) {
			cs = append(cs, &candidate{version: m.Get("version").Str, root: root, manifest: data})
		}
	}
	add(path.Join(want.name, "package"))
	for _, e := range di.entries {
		n := e.Name()
		if v, ok := strings.CutPrefix(n, want.name+"#"); ok && versionMatches(want.version, v) {
			add(path.Join(n, "package"))
		}
		if v, ok := strings.CutPrefix(n, want.name+"@"); ok && versionMatches(want.version, v) {
			add(n)
			add(path.Join(n, "package"))
		}
	}
	if len(cs) == 0 {
		if !di.scanned {
			di.scanned = true
			for _, e := range di.entries {
				if !isArchive(e.Name()) {
					continue
				}
				if name, version, ok := tgzManifest(fsys, e.Name()); ok {
					di.tgzs = append(di.tgzs, tgzPackage{e.Name(), name, version})
				}
			}
		}
		for _, t := range di.tgzs {
			if t.name == want.name && versionMatches(want.version, t.version) {
				cs = append(cs, &candidate{version: t.version, root: t.file, tgz: true})
			}
		}
	}
	var best *candidate
	for _, c := range cs {
		if best == nil || compareVersions(c.version, best.version) > 0 {
			best = c
		}
	}
	return best
}

// tgzManifest returns the name and version package/package.json of the archive states.
func tgzManifest(fsys fs.FS, name string) (string, string, bool) {
	fh, err := fsys.Open(name)
	if err != nil {
		return "", "", false
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return "", "", false
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", "", false
		}
		if strings.TrimPrefix(path.Clean(h.Name), "./") != "package/package.json" || !h.FileInfo().Mode().IsRegular() {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, 1<<24))
		if err != nil || !gjson.ValidBytes(data) {
			return "", "", false
		}
		m := gjson.ParseBytes(data)
		n := m.Get("name")
		return n.Str, m.Get("version").Str, n.Type == gjson.String && n.Str != ""
	}
}

// checkFHIRVersion compares the FHIR version of the package o with the base
// specification's. With dependencies resolved, a package for another FHIR major.minor
// than the base's is an error when either was read as a dependency; else a version that
// differs is a warning.
func checkFHIRVersion(o, base *inputOut, resolved bool) diag.List {
	var ds diag.List
	if o.fhirVersion == base.fhirVersion {
		return nil
	}
	isDep := func(x *inputOut) bool { return x.pkg != nil && x.pkg.info.Dependency }
	if resolved && (isDep(o) || isDep(base)) {
		versions := []string{o.fhirVersion}
		if o.pkg != nil && len(o.pkg.info.FHIRVersions) > 0 {
			versions = o.pkg.info.FHIRVersions
		}
		for _, v := range versions {
			if majorMinor(v) == majorMinor(base.fhirVersion) {
				return nil
			}
		}
		ds.Add(diag.Diagnostic{Pos: filePos(o.name), Severity: diag.Error, Kind: KindFHIRVersion,
			Msg: fmt.Sprintf("%s is for FHIR %s, but the base specification %s (%s) is for FHIR %s",
				pkgName(o), strings.Join(versions, ", "), pkgName(base), base.name, base.fhirVersion)})
		return ds
	}
	ds.Add(diag.Diagnostic{Pos: filePos(o.name), Severity: diag.Warning, Kind: KindFHIRVersion,
		Msg: fmt.Sprintf("package is for FHIR %s, but %s is for FHIR %s", o.fhirVersion, base.name, base.fhirVersion)})
	return ds
}

func pkgName(o *inputOut) string {
	if o.pkg != nil {
		return "package " + o.pkg.id
	}
	return "package " + o.name
}

// majorMinor returns "4.0" of "4.0.1".
func majorMinor(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		return parts[0] + "." + parts[1]
	}
	return v
}

// provenance records the package a definition came from.
func (r *record) provenance(pkg string, dep bool) {
	switch r.kind {
	case kindStructure:
		r.sd.Package, r.sd.Dependency = pkg, dep
	case kindSearchParam:
		r.sp.Package, r.sp.Dependency = pkg, dep
	case kindValueSet:
		r.vs.Package, r.vs.Dependency = pkg, dep
	case kindCodeSystem:
		r.cs.Package, r.cs.Dependency = pkg, dep
	}
}
