package load

import (
	"archive/tar"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// Load reads every input and returns the definitions fhirgen uses, with diagnostics
// (errors, and notes for everything passed over). fsys is the file system; inputs are
// fs.FS paths (slash-separated, unrooted, as fs.ValidPath wants).
//
// An input is one of:
//   - a JSON file: a FHIR resource, or a Bundle whose entries are resources;
//   - a FHIR package directory (holding package/package.json, or being the package
//     directory with a package.json that states "fhirVersions" or "dependencies"): its
//     top-level resource files (those .index.json lists, when there is one), but no
//     Bundle-*.json file and nothing in its subdirectories (examples, other, xml...);
//   - a FHIR package .tgz (npm tarball), read as a package directory;
//   - any other directory: every *.json file in it, recursively.
//
// StructureDefinition, SearchParameter, ValueSet and CodeSystem resources are read;
// other resources are counted in one note per input. The same canonical url and version
// twice in one input is an error unless both have the same content; a later input
// overrides an earlier one, with a note. Load reads files only through fsys, in parallel,
// and its result does not depend on the order of files, of bundle entries, or of inputs
// that do not override each other. The diagnostics are sorted.
func Load(fsys fs.FS, inputs []string) (*Definitions, diag.List) {
	return LoadWith(fsys, inputs, Options{})
}

// LoadWith is Load with the dependencies of the package inputs resolved as opts says
// (see Options): the packages they need are read too, before the packages that need
// them, so these override them.
func LoadWith(fsys fs.FS, inputs []string, opts Options) (*Definitions, diag.List) {
	l := &loader{fsys: fsys, sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
	outs := make([]*inputOut, len(inputs))
	for i, in := range inputs {
		outs[i] = l.input(in)
	}
	var rds diag.List
	if opts.Resolve {
		outs, rds = l.resolve(outs, opts)
	}
	l.wg.Wait()
	defs, diags := merge(outs, opts.Resolve)
	diags = append(diags, rds...)
	diags.Sort()
	return defs, diags
}

// bundleBatch is how much JSON text of a bundle's entries one worker reads at a time.
const bundleBatch = 1 << 20

type loader struct {
	fsys fs.FS
	sem  chan struct{} // one token per running worker
	wg   sync.WaitGroup
}

// run runs fn on a new worker once one is free.
func (l *loader) run(fn func()) {
	l.sem <- struct{}{}
	l.wg.Add(1)
	go func() {
		defer func() {
			<-l.sem
			l.wg.Done()
		}()
		fn()
	}()
}

// tryRun runs fn on a new worker when one is free, else right away: a worker can hand
// work out without waiting for itself.
func (l *loader) tryRun(wg *sync.WaitGroup, fn func()) {
	select {
	case l.sem <- struct{}{}:
		wg.Add(1)
		go func() {
			defer func() {
				<-l.sem
				wg.Done()
			}()
			fn()
		}()
	default:
		fn()
	}
}

// fileMode says where a file comes from, which decides what a non-definition in it means.
type fileMode uint8

const (
	modeExplicit fileMode = iota // given as an input: it must be a resource
	modeWalked                   // found in a directory: a non-resource is passed over
	modePackage                  // a package's top-level file: a Bundle is an example
)

// fileOut is what reading one file yields.
type fileOut struct {
	name    string // as diagnostics name it
	rel     string // name inside a package, to check it against .index.json
	recs    []*record
	diags   diag.List
	ignored map[string]int // resources of kinds not used, by resourceType
}

func (f *fileOut) ignore(resourceType string) {
	if f.ignored == nil {
		f.ignored = make(map[string]int)
	}
	f.ignored[resourceType]++
}

// inputOut is what reading one input yields.
type inputOut struct {
	name        string
	fsys        fs.FS    // the file system the input is read from
	prefix      string   // what diagnostics put before its fs.FS paths ("" for the inputs)
	pkg         *pkgNode // the package the input is, when it is one
	diags       diag.List
	files       []*fileOut     // in a deterministic order (sorted by name)
	ignored     map[string]int // resources of kinds not used, counted from .index.json
	passedOver  map[string]int // files passed over, by the reason (as the note words it)
	fhirVersion string
	indexed     map[string]bool // .index.json file names, for a .tgz with an index
}

func (o *inputOut) passOver(reason string, n int) {
	if o.passedOver == nil {
		o.passedOver = make(map[string]int)
	}
	o.passedOver[reason] += n
}

func (l *loader) input(in string) *inputOut {
	o := &inputOut{name: in, fsys: l.fsys, ignored: make(map[string]int)}
	name := in
	if name != "" && name != "." {
		name = strings.TrimPrefix(path.Clean(name), "./")
	}
	if !fs.ValidPath(name) {
		o.diags.Add(diag.Diagnostic{Pos: filePos(in), Severity: diag.Error, Kind: KindMissingInput, Msg: "input is not a valid fs.FS path"})
		return o
	}
	fi, err := fs.Stat(o.fsys, name)
	if err != nil {
		msg := fmt.Sprintf("cannot read input: %v", err)
		if errors.Is(err, fs.ErrNotExist) {
			msg = "input does not exist"
		}
		o.diags.Add(diag.Diagnostic{Pos: filePos(in), Severity: diag.Error, Kind: KindMissingInput, Msg: msg})
		return o
	}
	switch {
	case fi.IsDir():
		if root, manifest := packageRoot(o.fsys, name); root != "" {
			l.packageDir(o, root, manifest)
		} else {
			l.walkDir(o, name)
		}
	case isArchive(name):
		l.tgz(o, name)
	default:
		l.file(o, name, modeExplicit)
	}
	return o
}

func isJSON(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".json") }
func isArchive(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tgz") || strings.HasSuffix(n, ".tar.gz")
}

func readErr(name string, err error) diag.Diagnostic {
	return diag.Diagnostic{Pos: filePos(name), Severity: diag.Error, Kind: KindReadError, Msg: fmt.Sprintf("cannot read: %v", err)}
}

// file reads the file name of fsys on a worker.
func (l *loader) file(o *inputOut, name string, mode fileMode) {
	f := &fileOut{name: o.display(name)}
	o.files = append(o.files, f)
	l.run(func() {
		data, err := fs.ReadFile(o.fsys, name)
		if err != nil {
			f.diags.Add(readErr(f.name, err))
			return
		}
		l.process(f, data, mode)
	})
}

// walkDir reads every JSON file in the directory dir, recursively.
func (l *loader) walkDir(o *inputOut, dir string) {
	err := fs.WalkDir(o.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			o.diags.Add(readErr(p, err))
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch {
		case isJSON(p):
			l.file(o, p, modeWalked)
		case isArchive(p):
			o.diags.Add(diag.Diagnostic{Pos: filePos(p), Severity: diag.Note, Kind: KindIgnoredFiles,
				Msg: "package archive in a directory input passed over: give it as an input of its own"})
		}
		return nil
	})
	if err != nil {
		o.diags.Add(readErr(dir, err))
	}
}

// packageRoot returns the package directory of the directory dir (dir/package or dir
// itself) with its package.json, or "" when dir is not a FHIR package.
func packageRoot(fsys fs.FS, dir string) (string, []byte) {
	for _, root := range []string{path.Join(dir, "package"), dir} {
		data, err := fs.ReadFile(fsys, path.Join(root, "package.json"))
		if err != nil || !gjson.ValidBytes(data) {
			continue
		}
		m := gjson.ParseBytes(data)
		if m.Get("name").Type == gjson.String &&
			(m.Get("fhirVersions").Exists() || m.Get("fhir-version-list").Exists() || m.Get("dependencies").Exists()) {
			return root, data
		}
	}
	return "", nil
}

// manifestVersion returns the first FHIR version package.json states.
func manifestVersion(data []byte) string {
	if !gjson.ValidBytes(data) {
		return ""
	}
	m := gjson.ParseBytes(data)
	for _, k := range []string{"fhirVersions", "fhir-version-list"} {
		if v := m.Get(k); v.IsArray() {
			if first := v.Get("0"); first.Type == gjson.String {
				return first.Str
			}
		}
	}
	return ""
}

// readIndex reads a package's .index.json: resourceType by file name. It returns nil when
// the index is unusable (with an error).
func readIndex(o *inputOut, name string, data []byte) map[string]string {
	src := newSource(name, data)
	if !gjson.Valid(src.data) {
		off, reason := syntaxError(data)
		o.diags.Add(diag.Diagnostic{Pos: src.pos(off), Severity: diag.Error, Kind: KindInvalidJSON, Msg: "invalid JSON: " + reason})
		return nil
	}
	p := newParser(src)
	idx := make(map[string]string)
	root := gjson.Parse(src.data)
	files := root.Get("files")
	switch {
	case !root.IsObject():
		p.errf(root.Index, KindWrongType, "package index: expected an object, got %s", describe(root))
		idx = nil
	case !files.Exists():
		p.errf(root.Index, KindMissingField, "package index has no files")
		idx = nil
	default:
		p.objects(files, "files", func(o gjson.Result) {
			fn, rt := o.Get("filename"), o.Get("resourceType")
			switch {
			case !fn.Exists():
				p.errf(o.Index, KindMissingField, "%s: no filename", p.fieldName(""))
			case fn.Type != gjson.String:
				p.wrong(fn, "filename", "a string")
			case !rt.Exists():
				p.errf(o.Index, KindMissingField, "%s: no resourceType", p.fieldName(""))
			case rt.Type != gjson.String:
				p.wrong(rt, "resourceType", "a string")
			default:
				idx[fn.Str] = rt.Str
			}
		})
	}
	for _, e := range p.errs {
		o.diags.Add(diag.Diagnostic{Pos: e.pos, Severity: diag.Error, Kind: e.kind, Msg: e.msg})
	}
	return idx
}

// Reasons files of a package are passed over.
const (
	reasonBundle    = "Bundle-*.json file(s) (examples)"
	reasonUnindexed = "top-level file(s) not listed in .index.json"
)

func reasonSubdir(dir string) string { return "file(s) in " + dir + "/" }

// packageDir reads the FHIR package in the directory root.
func (l *loader) packageDir(o *inputOut, root string, manifest []byte) {
	o.fhirVersion = manifestVersion(manifest)
	o.pkg = newPkgNode(o, o.display(root), o.display(path.Join(root, "package.json")), manifest)
	var index map[string]string
	if data, err := fs.ReadFile(o.fsys, path.Join(root, ".index.json")); err == nil {
		index = readIndex(o, o.display(path.Join(root, ".index.json")), data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		o.diags.Add(readErr(o.display(path.Join(root, ".index.json")), err))
	}
	entries, err := fs.ReadDir(o.fsys, root)
	if err != nil {
		o.diags.Add(readErr(o.display(root), err))
	}
	for _, e := range entries {
		name := e.Name()
		p := path.Join(root, name)
		if e.IsDir() {
			n := 0
			_ = fs.WalkDir(o.fsys, p, func(_ string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					n++
				}
				return nil
			})
			if n > 0 {
				o.passOver(reasonSubdir(o.display(p)), n)
			}
			continue
		}
		switch {
		case !isJSON(name), name == "package.json", strings.HasPrefix(name, "."):
			continue
		case strings.HasPrefix(name, "Bundle-"):
			o.passOver(reasonBundle, 1)
			continue
		}
		if index != nil {
			rt, ok := index[name]
			if !ok {
				o.passOver(reasonUnindexed, 1)
				continue
			}
			if _, used := usedKind(rt); !used {
				o.ignored[rt]++
				continue
			}
		}
		l.file(o, p, modePackage)
	}
}

// tgz reads the FHIR package in the npm tarball name.
func (l *loader) tgz(o *inputOut, fsName string) {
	name := o.display(fsName)
	fh, err := o.fsys.Open(fsName)
	if err != nil {
		o.diags.Add(readErr(name, err))
		return
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		o.diags.Add(readErr(name, err))
		return
	}
	tr := tar.NewReader(gz)
	var manifest, index []byte
	read := func(h *tar.Header) []byte {
		if h.Size > 1<<31 {
			o.diags.Add(readErr(name+"/"+h.Name, errors.New("file too large")))
			return nil
		}
		data := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			o.diags.Add(readErr(name+"/"+h.Name, err))
			return nil
		}
		return data
	}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			o.diags.Add(readErr(name, err))
			break
		}
		if !h.FileInfo().Mode().IsRegular() {
			continue
		}
		rel := strings.TrimPrefix(path.Clean(h.Name), "./")
		top, rest, ok := strings.Cut(rel, "/")
		if !ok || top != "package" {
			o.passOver("file(s) outside package/", 1)
			continue
		}
		if sub, _, nested := strings.Cut(rest, "/"); nested {
			o.passOver(reasonSubdir(name+"/package/"+sub), 1)
			continue
		}
		switch {
		case rest == "package.json":
			manifest = read(h)
		case rest == ".index.json":
			index = read(h)
		case !isJSON(rest), strings.HasPrefix(rest, "."):
		case strings.HasPrefix(rest, "Bundle-"):
			o.passOver(reasonBundle, 1)
		default:
			data := read(h)
			if data == nil {
				continue
			}
			f := &fileOut{name: name + "/" + rel, rel: rest}
			o.files = append(o.files, f)
			l.run(func() { l.process(f, data, modePackage) })
		}
	}
	if manifest == nil {
		o.diags.Add(diag.Diagnostic{Pos: filePos(name), Severity: diag.Error, Kind: KindMissingField, Msg: "not a FHIR package: no package/package.json"})
	}
	o.fhirVersion = manifestVersion(manifest)
	if manifest != nil {
		o.pkg = newPkgNode(o, name, name+"/package/package.json", manifest)
	}
	if index != nil {
		if idx := readIndex(o, name+"/package/.index.json", index); idx != nil {
			o.indexed = make(map[string]bool, len(idx))
			for fn := range idx {
				o.indexed[fn] = true
			}
		}
	}
	slices.SortFunc(o.files, func(a, b *fileOut) int { return cmp.Compare(a.name, b.name) })
}

// process reads the content of one file.
func (l *loader) process(f *fileOut, data []byte, mode fileMode) {
	src := newSource(f.name, data)
	// Most files of a package are examples: tell them by their resourceType (nearly always
	// the first key) without reading them through.
	if rt := gjson.Get(src.data, "resourceType"); rt.Type == gjson.String && rt.Str != "" {
		if _, used := usedKind(rt.Str); !used && (rt.Str != "Bundle" || mode == modePackage) {
			f.ignore(rt.Str)
			return
		}
	}
	if !gjson.Valid(src.data) {
		off, reason := syntaxError(data)
		f.diags.Add(diag.Diagnostic{Pos: src.pos(off), Severity: diag.Error, Kind: KindInvalidJSON, Msg: "invalid JSON: " + reason})
		return
	}
	if off := invalidUTF8(data); off >= 0 {
		f.diags.Add(diag.Diagnostic{Pos: src.pos(off), Severity: diag.Error, Kind: KindInvalidJSON,
			Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02x): FHIR JSON must be UTF-8", data[off])})
		return
	}
	root := gjson.Parse(src.data)
	rt := root.Get("resourceType")
	if !root.IsObject() || rt.Type != gjson.String || rt.Str == "" {
		d := diag.Diagnostic{Pos: src.pos(root.Index), Severity: diag.Note, Kind: KindNotAResource,
			Msg: "not a FHIR resource (no resourceType): passed over"}
		if mode == modeExplicit {
			d.Severity, d.Msg = diag.Error, "not a FHIR resource (no resourceType)"
		}
		f.diags.Add(d)
		return
	}
	if k, used := usedKind(rt.Str); used {
		p := newParser(src)
		if r := p.resource(k, root); r != nil {
			if r.sd != nil && mode == modePackage {
				r.sd.FromPackage = true
				for _, e := range append(append([]*ElementDefinition(nil), r.sd.Snapshot...), r.sd.Differential...) {
					for _, c := range e.Constraints {
						c.FromPackage = true
					}
				}
			}
			f.recs = append(f.recs, r)
		}
		f.diags = append(f.diags, p.diags...)
		return
	}
	if rt.Str == "Bundle" && mode != modePackage {
		l.bundle(f, src, root)
		return
	}
	f.ignore(rt.Str)
}

// bundle reads the entries of a Bundle, handing batches of them to workers.
func (l *loader) bundle(f *fileOut, src *source, root gjson.Result) {
	type batch struct {
		items []gjson.Result
		kinds []resKind
		recs  []*record
		diags diag.List
	}
	subject := "Bundle"
	if id := root.Get("id"); id.Type == gjson.String {
		subject += "/" + id.Str
	}
	p := newParser(src) // for errors in the bundle itself
	var (
		wg      sync.WaitGroup
		batches []*batch
		cur     = &batch{}
		size    int
	)
	flush := func() {
		b := cur
		batches = append(batches, b)
		cur, size = &batch{}, 0
		l.tryRun(&wg, func() {
			bp := newParser(src)
			for i, it := range b.items {
				if r := bp.resource(b.kinds[i], it); r != nil {
					b.recs = append(b.recs, r)
				}
			}
			b.diags = bp.diags
		})
	}
	root.ForEach(func(k, entries gjson.Result) bool {
		if k.Str != "entry" {
			return true
		}
		p.objects(entries, "entry", func(e gjson.Result) {
			res := e.Get("resource")
			switch {
			case !res.Exists():
				f.ignore("")
				return
			case !res.IsObject():
				p.wrong(res, "resource", "an object")
				return
			}
			rt := res.Get("resourceType")
			if rt.Type != gjson.String || rt.Str == "" {
				p.errf(res.Index, KindNotAResource, "%s: not a FHIR resource (no resourceType)", p.fieldName("resource"))
				return
			}
			k, used := usedKind(rt.Str)
			if !used {
				f.ignore(rt.Str)
				return
			}
			cur.items = append(cur.items, res)
			cur.kinds = append(cur.kinds, k)
			if size += len(res.Raw); size >= bundleBatch {
				flush()
			}
		})
		return true
	})
	if len(cur.items) > 0 {
		flush()
	}
	wg.Wait()
	for _, e := range p.errs {
		f.diags.Add(diag.Diagnostic{Pos: e.pos, Severity: diag.Error, Kind: e.kind, Subject: subject, Msg: e.msg})
	}
	for _, b := range batches {
		f.recs = append(f.recs, b.recs...)
		f.diags = append(f.diags, b.diags...)
	}
}

// key identifies a definition.
type key struct {
	kind    resKind
	url     string
	version string
}

func (r *record) subject() string {
	switch r.kind {
	case kindStructure:
		return r.sd.Subject()
	case kindSearchParam:
		return r.sp.Subject()
	case kindValueSet:
		return r.vs.Subject()
	}
	return r.cs.Subject()
}

func (r *record) canonical() string {
	if r.version != "" {
		return r.url + "|" + r.version
	}
	return r.url
}

// merge resolves duplicates within each input and overrides across inputs, and sorts.
// resolved says dependencies were resolved: a package for another FHIR version than the
// base specification's is then an error when either of them was loaded as a dependency.
func merge(outs []*inputOut, resolved bool) (*Definitions, diag.List) {
	var diags diag.List
	defs := &Definitions{}
	global := make(map[key]*record)
	var base *inputOut // the package of the base resource definitions, else the first stating a FHIR version
	var versioned []*inputOut
	for _, o := range outs {
		diags = append(diags, o.diags...)
		ignored := o.ignored
		local := make(map[key]*record)
		var order []*record
		inputErrors := o.diags.HasErrors()
		for _, f := range o.files {
			if o.indexed != nil && !o.indexed[f.rel] {
				o.passOver(reasonUnindexed, 1)
				continue
			}
			diags = append(diags, f.diags...)
			inputErrors = inputErrors || f.diags.HasErrors()
			for rt, n := range f.ignored {
				ignored[rt] += n
			}
			for _, r := range f.recs {
				k := key{r.kind, r.url, r.version}
				if prev := local[k]; prev != nil {
					if !sameJSON(prev.raw, r.raw) {
						diags.Add(diag.Diagnostic{Pos: r.pos, Severity: diag.Error, Kind: KindDuplicate, Subject: r.subject(),
							Msg: fmt.Sprintf("%s defined twice with different content: also at %s", r.canonical(), prev.pos)})
					}
					continue
				}
				local[k] = r
				order = append(order, r)
			}
		}
		if msg := countList(ignored, func(rt string) string {
			if rt == "" {
				return "Bundle entries without a resource"
			}
			return rt
		}); msg != "" {
			diags.Add(diag.Diagnostic{Pos: filePos(o.name), Severity: diag.Note, Kind: KindIgnoredResources, Msg: "ignored " + msg})
		}
		if msg := countList(o.passedOver, func(s string) string { return s }); msg != "" {
			diags.Add(diag.Diagnostic{Pos: filePos(o.name), Severity: diag.Note, Kind: KindIgnoredFiles, Msg: "passed over " + msg})
		}
		if len(order) == 0 && !inputErrors {
			diags.Add(diag.Diagnostic{Pos: filePos(o.name), Severity: diag.Note, Kind: KindNoDefinitions,
				Msg: "input defines no StructureDefinition, SearchParameter, ValueSet or CodeSystem"})
		}
		for _, r := range order {
			if o.pkg != nil {
				r.provenance(o.pkg.id, o.pkg.info.Dependency)
				if r.kind == kindStructure && r.url == baseResourceURL {
					base = o
				}
			}
			k := key{r.kind, r.url, r.version}
			if prev := global[k]; prev != nil {
				diags.Add(diag.Diagnostic{Pos: r.pos, Severity: diag.Note, Kind: KindOverride, Subject: r.subject(),
					Msg: fmt.Sprintf("%s overrides definition at %s", r.canonical(), prev.pos)})
			}
			global[k] = r
		}
		if o.fhirVersion != "" {
			versioned = append(versioned, o)
		}
		if o.pkg != nil {
			defs.Packages = append(defs.Packages, o.pkg.info)
		}
	}
	if base == nil || base.fhirVersion == "" {
		base = nil
		if len(versioned) > 0 {
			base = versioned[0]
		}
	}
	if base != nil {
		defs.FHIRVersion = base.fhirVersion
		for _, o := range versioned {
			if o != base {
				diags = append(diags, checkFHIRVersion(o, base, resolved)...)
			}
		}
	}
	slices.SortStableFunc(defs.Packages, func(a, b *PackageInfo) int {
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return compareVersions(a.Version, b.Version)
	})
	defs.Packages = slices.CompactFunc(defs.Packages, func(a, b *PackageInfo) bool { return a.ID() == b.ID() }) // an input given twice
	for _, r := range global {
		switch r.kind {
		case kindStructure:
			defs.Structures = append(defs.Structures, r.sd)
		case kindSearchParam:
			defs.SearchParams = append(defs.SearchParams, r.sp)
		case kindValueSet:
			defs.ValueSets = append(defs.ValueSets, r.vs)
		case kindCodeSystem:
			defs.CodeSystems = append(defs.CodeSystems, r.cs)
		}
	}
	slices.SortFunc(defs.Structures, func(a, b *StructureDefinition) int { return compareCanonical(a.URL, a.Version, b.URL, b.Version) })
	slices.SortFunc(defs.SearchParams, func(a, b *SearchParameter) int { return compareCanonical(a.URL, a.Version, b.URL, b.Version) })
	slices.SortFunc(defs.ValueSets, func(a, b *ValueSet) int { return compareCanonical(a.URL, a.Version, b.URL, b.Version) })
	slices.SortFunc(defs.CodeSystems, func(a, b *CodeSystem) int { return compareCanonical(a.URL, a.Version, b.URL, b.Version) })
	if defs.FHIRVersion == "" {
		agreed := true
		for _, sd := range defs.Structures {
			switch {
			case sd.FHIRVersion == "":
			case defs.FHIRVersion == "":
				defs.FHIRVersion = sd.FHIRVersion
			case sd.FHIRVersion != defs.FHIRVersion:
				agreed = false
			}
		}
		if !agreed {
			defs.FHIRVersion = ""
		}
	}
	defs.Reindex()
	return defs, diags
}

func compareCanonical(url1, v1, url2, v2 string) int {
	if c := cmp.Compare(url1, url2); c != 0 {
		return c
	}
	return cmp.Compare(v1, v2)
}

// countList words counts as "46 OperationDefinition, 5 CompartmentDefinition", largest
// first.
func countList(counts map[string]int, word func(string) string) string {
	keys := make([]string, 0, len(counts))
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d %s", counts[k], word(k))
	}
	return b.String()
}
