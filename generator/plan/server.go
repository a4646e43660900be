package plan

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/fhirgen/fhirgen/generator/ir"
)

// Server is the plan of the HTTP handlers.
type Server struct {
	// Missing is the first resource the router needs that the model lacks (see
	// ServerNeeds): then there are no handlers, and the emitter says so.
	Missing string
	// Resources are the resources served: every concrete resource of the model, in its
	// order.
	Resources []*ir.Type
	// Routes are the method+path patterns of each served resource (see Routes).
	Routes map[*ir.Type][]string
	// Conflict is the error of registering every route on one ServeMux (Go 1.22 rules);
	// nil when they coexist.
	Conflict error
	// Glue are the fields of OperationOutcome and Bundle the router's glue reads and
	// writes, by "type path.JSON name" (Bundle.entry.request.method); Capability those of
	// CapabilityStatement for GET /metadata, nil when the model has no such resource.
	// FieldErr says which one the model lacks (then there are no handlers: an error).
	Glue, Capability map[string]*ir.Field
	FieldErr         error
}

// glueFields are the elements of OperationOutcome and Bundle the router's glue uses.
var glueFields = []string{
	"OperationOutcome.issue", "OperationOutcome.issue.severity", "OperationOutcome.issue.code",
	"OperationOutcome.issue.diagnostics",
	"Bundle.type", "Bundle.total", "Bundle.link", "Bundle.entry",
	"Bundle.link.relation", "Bundle.link.url",
	"Bundle.entry.fullUrl", "Bundle.entry.resource", "Bundle.entry.search",
	"Bundle.entry.request", "Bundle.entry.response",
	"Bundle.entry.search.mode",
	"Bundle.entry.request.method", "Bundle.entry.request.url", "Bundle.entry.request.ifMatch",
	"Bundle.entry.request.ifNoneMatch", "Bundle.entry.request.ifNoneExist",
	"Bundle.entry.response.status", "Bundle.entry.response.location", "Bundle.entry.response.etag",
	"Bundle.entry.response.lastModified", "Bundle.entry.response.outcome",
}

// capabilityFields are the elements of CapabilityStatement GET /metadata fills.
var capabilityFields = []string{
	"CapabilityStatement.status", "CapabilityStatement.date", "CapabilityStatement.kind",
	"CapabilityStatement.fhirVersion", "CapabilityStatement.format", "CapabilityStatement.rest",
	"CapabilityStatement.rest.mode", "CapabilityStatement.rest.resource", "CapabilityStatement.rest.interaction",
	"CapabilityStatement.rest.interaction.code",
	"CapabilityStatement.rest.resource.type", "CapabilityStatement.rest.resource.interaction",
	"CapabilityStatement.rest.resource.searchParam", "CapabilityStatement.rest.resource.conditionalCreate",
	"CapabilityStatement.rest.resource.conditionalUpdate", "CapabilityStatement.rest.resource.conditionalDelete",
	"CapabilityStatement.rest.resource.interaction.code",
	"CapabilityStatement.rest.resource.searchParam.name", "CapabilityStatement.rest.resource.searchParam.definition",
	"CapabilityStatement.rest.resource.searchParam.type",
	"CapabilityStatement.implementation", "CapabilityStatement.implementation.description",
	"CapabilityStatement.implementation.url",
}

// fields looks up elements given as "type path.JSON name" (the last dot separates them).
func fields(m *ir.Model, paths []string) (map[string]*ir.Field, error) {
	out := map[string]*ir.Field{}
	for _, p := range paths {
		i := strings.LastIndexByte(p, '.')
		typ, json := p[:i], p[i+1:]
		t := m.Type(typ)
		if t == nil {
			return nil, fmt.Errorf("http emitter: the model has no %s", typ)
		}
		fl := t.Field(json)
		if fl == nil {
			return nil, fmt.Errorf("http emitter: %s has no element %s", typ, json)
		}
		out[p] = fl
	}
	return out, nil
}

func planServer(m *ir.Model) *Server {
	s := &Server{Routes: map[*ir.Type][]string{}}
	for _, need := range ServerNeeds() {
		if m.Resource(need) == nil {
			s.Missing = need
			return s
		}
	}
	for _, t := range m.Resources {
		if !t.Abstract {
			s.Resources = append(s.Resources, t)
			s.Routes[t] = Routes(t.FHIRName)
		}
	}
	s.Conflict = checkRoutes(s)
	s.Glue, s.FieldErr = fields(m, glueFields)
	if t := m.Type("CapabilityStatement"); t != nil && t.Kind == ir.ResourceType && s.FieldErr == nil {
		s.Capability, s.FieldErr = fields(m, capabilityFields)
	}
	return s
}

// Routes returns the method+path patterns the router registers for a resource type: the
// same list as srvRoutes in templates/support/server.go, every path with every method.
func Routes(typ string) []string {
	t := "/" + typ
	var out []string
	for _, p := range []string{t, t + "/{id}", t + "/{id}/_history", t + "/{id}/_history/{vid}", t + "/_history", t + "/_search"} {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			out = append(out, m+" "+p)
		}
	}
	return out
}

// checkRoutes registers the system routes and every planned route on a ServeMux, which
// panics on a conflict, and returns that as an error naming the patterns.
func checkRoutes(s *Server) (err error) {
	mux := http.NewServeMux()
	nop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("http emitter: conflicting routes: %v", p)
		}
	}()
	for _, p := range []string{"GET /metadata", "POST /{$}", "/"} {
		mux.Handle(p, nop)
	}
	for _, r := range s.Resources {
		for _, p := range s.Routes[r] {
			mux.Handle(p, nop)
		}
	}
	return nil
}
