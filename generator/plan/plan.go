// Package plan is the decision stage between the model and the emitters. Build runs a
// fixed sequence of passes over the IR (and the FHIRPath type checker, for the context of
// each invariant) and takes every decision an emitter would otherwise take while printing:
// which files exist and what they hold, which constraints of an element are checked and
// how (and under which guard), how each required binding is checked and the coverage
// counts of bindings, every Go identifier of a validator, search extractor or route
// (through naming, from stable FHIR keys: the constraint key, the ValueSet URL, the
// parameter code), the branches of each search expression, which resources the router
// serves and the model fields its glue uses. The emitters only print their part of the
// Plan.
//
// Dump prints a plan as text; the golden cases compare it (generator/testdata/golden).
package plan

import (
	"github.com/fhirgen/fhirgen/generator/ir"
)

// Options adjusts the decisions.
type Options struct {
	// RootConstraints returns the constraints of the root element of a resource or
	// datatype (dom-*, per-1, obs-6, ...) to check; nil means all of
	// ir.Type.RootConstraints but ele-1 and ext-1.
	RootConstraints func(t *ir.Type) []*ir.Constraint
}

// Plan is every decision the emitters print, per concern.
type Plan struct {
	Model    *ir.Model
	Validate *Validate
	Search   *Search
	Server   *Server
}

// Build plans the emitters' output for model m. A decision that cannot be taken is kept
// in the plan with its reason (Check.ContextErr, Server.Missing, Server.Conflict), for the
// emitter concerned to report: the plan is made whatever --emit says.
func Build(m *ir.Model, o Options) *Plan {
	if o.RootConstraints == nil {
		o.RootConstraints = defaultRootConstraints
	}
	return &Plan{Model: m, Validate: planValidate(m, o), Search: planSearch(m), Server: planServer(m)}
}

// defaultRootConstraints are a type's own invariants (dom-*, per-1, ...) less ele-1 and
// ext-1: those are checked natively on every element and extension where they occur,
// and ele-1 on Element itself would wrongly judge the "_x" half of a primitive alone.
func defaultRootConstraints(t *ir.Type) []*ir.Constraint {
	var out []*ir.Constraint
	for _, c := range t.RootConstraints {
		if c.Key != "ele-1" && c.Key != "ext-1" {
			out = append(out, c)
		}
	}
	return out
}

// ServerUses are the resources the router uses when the model has them: the ones it
// needs (ServerNeeds) and CapabilityStatement, for GET /metadata. A run limited to some
// resources (--resources) with the http emitter adds them to the closure.
func ServerUses() []string { return append(ServerNeeds(), "CapabilityStatement") }

// ServerNeeds are the resources the router cannot do without: it answers with
// OperationOutcome and Bundle.
func ServerNeeds() []string { return []string{"OperationOutcome", "Bundle"} }
