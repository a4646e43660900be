package plan

import (
	"fmt"
	"net/http"

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
