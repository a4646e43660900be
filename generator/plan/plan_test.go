package plan_test

import (
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
	"github.com/fhirgen/fhirgen/internal/gentest"
)

func mainModel(t *testing.T) *ir.Model {
	t.Helper()
	_, res, _ := gentest.Generate(t, generator.Config{})
	return res.Model
}

// TestAddedConstraint adds a constraint to BulkDataExport (before its dom-* ones) and
// checks that the plan changes by exactly the line of that constraint: no name is made
// from a position, so nothing else is renamed.
func TestAddedConstraint(t *testing.T) {
	m := mainModel(t)
	before := strings.Split(string(plan.Dump(plan.Build(m, plan.Options{}))), "\n")
	bde := m.Type("BulkDataExport")
	expr := "output.url.exists()"
	bde.RootConstraints = append([]*ir.Constraint{{Key: "zz-1", Severity: "error", Human: "an output has a url",
		Expression: expr, Expr: ir.Parse(expr)}}, bde.RootConstraints...)
	after := strings.Split(string(plan.Dump(plan.Build(m, plan.Options{}))), "\n")
	var added []string
	i := 0
	for _, l := range after {
		if i < len(before) && before[i] == l {
			i++
			continue
		}
		added = append(added, strings.TrimSpace(l))
	}
	if i != len(before) {
		t.Fatalf("lines of the plan changed or went, not only added; first kept line missing: %q", before[i])
	}
	want := "zz-1 error: valInvBulkDataExportZz1 on *BulkDataExport"
	if len(added) != 1 || added[0] != want {
		t.Errorf("added lines %q, want [%q]", added, want)
	}
}

// TestInvariantsShared checks that checks with one context and expression share one
// function, and that every function has a name of its own. Every resource gets two root
// constraints with one expression (as txt-1 and txt-2 share htmlChecks(), which is now
// checked natively).
func TestInvariantsShared(t *testing.T) {
	shared := []*ir.Constraint{
		{Key: "zz-1", Severity: "error", Expression: "id.exists()", Expr: ir.Parse("id.exists()")},
		{Key: "zz-2", Severity: "error", Expression: "id.exists()", Expr: ir.Parse("id.exists()")},
	}
	p := plan.Build(mainModel(t), plan.Options{RootConstraints: func(ty *ir.Type) []*ir.Constraint {
		if ty.Kind == ir.ResourceType {
			return shared
		}
		return nil
	}})
	names := map[string]bool{}
	keys := map[string]bool{}
	for _, inv := range p.Validate.Invariants {
		if names[inv.Name] || keys[inv.Key] {
			t.Errorf("%s (%q) planned twice", inv.Name, inv.Key)
		}
		names[inv.Name], keys[inv.Key] = true, true
	}
	uses := 0
	for _, f := range p.Validate.Files {
		for _, tc := range f.Types {
			for _, fc := range append(tc.Fields, tc.Root) {
				if fc == nil {
					continue // a backbone's Root
				}
				for _, k := range fc.Checks {
					if k.Invariant != nil {
						uses++
						if !names[k.Invariant.Name] {
							t.Errorf("%s: %s uses the unplanned %s", fc.Field.Path, k.Constraint.Key, k.Invariant.Name)
						}
					}
				}
			}
		}
	}
	if len(names) == 0 || uses <= len(names) {
		t.Errorf("%d functions for %d compiled checks: expected sharing (dom-* on every resource)", len(names), uses)
	}
	t.Logf("%d invariant functions for %d compiled checks", len(names), uses)
}

// TestServerWithoutOutcome checks that a model without OperationOutcome plans no
// handlers and names what is missing.
func TestServerWithoutOutcome(t *testing.T) {
	_, res, _ := gentest.Generate(t, generator.Config{Emit: []string{"types"}, Resources: []string{"BulkDataExport"}})
	s := res.Plan.Server
	if s.Missing != "OperationOutcome" || len(s.Resources) != 0 {
		t.Errorf("Missing %q, %d resources; want OperationOutcome and none", s.Missing, len(s.Resources))
	}
}

// TestSearchBranches checks how a parameter's union is planned: a branch rooted at
// another resource is dropped, the others are numbered in their order within the
// expression.
func TestSearchBranches(t *testing.T) {
	m := mainModel(t)
	bde := m.Type("BulkDataExport")
	if bde == nil || len(bde.SearchParams) == 0 {
		t.Fatal("no BulkDataExport search parameters in the main job")
	}
	p := *bde.SearchParams[0]
	p.Type = "token"
	p.Expression = "Patient.name | BulkDataExport.status | BulkDataExport.id"
	p.Expr = ir.Parse(p.Expression)
	bde.SearchParams = []*ir.SearchParam{&p}
	var entry *plan.SearchEntry
	for _, r := range plan.Build(m, plan.Options{}).Search.Resources {
		if r.Type == bde {
			entry = r.Entries[0]
		}
	}
	if entry == nil || !entry.Union {
		t.Fatalf("entry %+v: want a union", entry)
	}
	var got []string
	for _, b := range entry.Branches {
		got = append(got, b.Func+" "+b.Node.String())
		if b.NotApplicable {
			t.Errorf("%s: not applicable", b.Node)
		}
	}
	want := []string{entry.Func + " BulkDataExport.status", entry.Func + "_1 BulkDataExport.id"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("branches\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
