// Package server is the "http" emitter: for every generated resource, one small interface
// per FHIR interaction, the search parameters the router parses, and NewRouter, a
// net/http handler that registers exactly the interactions the given service implements.
// The model-independent router core is templates/support/server*.go; this emitter writes
// the glue to the model's OperationOutcome, Bundle and CapabilityStatement types.
//
// Interfaces generated for a resource X (every method takes a context.Context and a typed
// request whose HTTP field is the underlying *http.Request):
//
//	XReader         ReadX(ctx, ReadRequest) (*X, error)                         GET /X/{id}
//	XVersionReader  VReadX(ctx, VReadRequest) (*X, error)                       GET /X/{id}/_history/{vid}
//	XCreator        CreateX(ctx, CreateRequest[X]) (*X, bool, error)            POST /X (If-None-Exist)
//	XUpdater        UpdateX(ctx, UpdateRequest[X]) (*X, bool, error)            PUT /X/{id}, PUT /X?search
//	XPatcher        PatchX(ctx, PatchRequest) (*X, error)                       PATCH /X/{id}
//	XDeleter        DeleteX(ctx, DeleteRequest) error                           DELETE /X/{id}, DELETE /X?search
//	XHistorian  HistoryX(ctx, HistoryRequest) (*HistoryPage[X], error)      GET /X/{id}/_history, GET /X/_history
//	XSearcher       SearchX(ctx, ServerSearchRequest) (*ServerSearchPage[X], error)  GET /X, POST /X/_search
//
// and once per package TransactionProcessor (POST / with a transaction Bundle).
package server

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/plan"
)

// interaction is one generated interface.
type interaction struct {
	suffix  string // interface name suffix: "Reader"
	method  string // method name prefix: "Read"
	request func(t string) jen.Code
	results func(t string) []jen.Code
	field   string // srvResource field
	doc     string
}

var interactions = []interaction{
	{"Reader", "Read", func(string) jen.Code { return jen.Id("ReadRequest") },
		func(t string) []jen.Code { return []jen.Code{jen.Op("*").Id(t), jen.Error()} }, "read",
		"reads the current version of a %s (GET /%s/{id}); a nil resource or NotFoundError answers 404, GoneError 410."},
	{"VersionReader", "VRead", func(string) jen.Code { return jen.Id("VReadRequest") },
		func(t string) []jen.Code { return []jen.Code{jen.Op("*").Id(t), jen.Error()} }, "vread",
		"reads one version of a %s (GET /%s/{id}/_history/{vid})."},
	{"Creator", "Create", func(t string) jen.Code { return jen.Id("CreateRequest").Types(jen.Id(t)) },
		func(t string) []jen.Code { return []jen.Code{jen.Op("*").Id(t), jen.Id("Saved"), jen.Error()} }, "create",
		"creates a %s (POST /%s) and returns it with its id and meta.versionId set and Created; for a conditional create (IfNoneExist set) matching one resource it returns that one and Existing."},
	{"Updater", "Update", func(t string) jen.Code { return jen.Id("UpdateRequest").Types(jen.Id(t)) },
		func(t string) []jen.Code { return []jen.Code{jen.Op("*").Id(t), jen.Id("Saved"), jen.Error()} }, "update",
		"updates a %s (PUT /%s/{id}, or PUT /%s?search when Conditional is set), checking IfMatch (PreconditionFailedError answers 412); it returns Created for a new resource (201), Existing otherwise (200)."},
	{"Patcher", "Patch", func(string) jen.Code { return jen.Id("PatchRequest") },
		func(t string) []jen.Code { return []jen.Code{jen.Op("*").Id(t), jen.Error()} }, "patch",
		"patches a %s itself (PATCH /%s/{id}); without it the router applies JSON Patch with read and update."},
	{"Deleter", "Delete", func(string) jen.Code { return jen.Id("DeleteRequest") },
		func(string) []jen.Code { return []jen.Code{jen.Error()} }, "delete",
		"deletes a %s (DELETE /%s/{id}, or DELETE /%s?search when Conditional is set)."},
	{"Historian", "History", func(string) jen.Code { return jen.Id("HistoryRequest") },
		func(t string) []jen.Code {
			return []jen.Code{jen.Op("*").Id("HistoryPage").Types(jen.Id(t)), jen.Error()}
		}, "history",
		"returns the history of one %s (ID set: GET /%s/{id}/_history) or of the type (GET /%s/_history)."},
	{"Searcher", "Search", func(string) jen.Code { return jen.Id("ServerSearchRequest") },
		func(t string) []jen.Code {
			return []jen.Code{jen.Op("*").Id("ServerSearchPage").Types(jen.Id(t)), jen.Error()}
		}, "search",
		"searches %s resources (GET /%s?..., POST /%s/_search) with the parsed query."},
}

type gen struct {
	m *ir.Model
	p *plan.Server
}

// conv converts a string expression to the field's Go type (its enum, if any).
func conv(f *ir.Field, v jen.Code) jen.Code {
	if f.Enum != nil {
		return jen.Id(f.Enum.Name).Call(v)
	}
	return v
}

// emitFiles writes server.gen.go (the shared glue and NewRouter) and server_resources.gen.go
// (the interfaces and registration of every resource).
func emitFiles(m *ir.Model, p *plan.Server, o emit.Options) ([]emit.File, error) {
	g := &gen{m: m, p: p}
	if p.Conflict != nil {
		return nil, p.Conflict
	}
	if p.FieldErr != nil {
		return nil, p.FieldErr
	}
	shared, err := g.shared(o, p.Resources)
	if err != nil {
		return nil, err
	}
	res, err := g.perResource(o, p.Resources)
	if err != nil {
		return nil, err
	}
	a, err := emit.Render("server.gen.go", shared)
	if err != nil {
		return nil, err
	}
	b, err := emit.Render("server_resources.gen.go", res)
	if err != nil {
		return nil, err
	}
	return []emit.File{a, b}, nil
}

// Emitter is the http emitter.
type Emitter struct{}

// Emit returns the server files. A model without OperationOutcome or Bundle is passed
// over with a warning (the other emitters still run); any other problem is an error.
func (Emitter) Emit(in emit.Input) ([]emit.File, diag.List) {
	var ds diag.List
	if missing := in.Plan.Server.Missing; missing != "" {
		ds.Warnf(diag.Pos{}, "http-skipped", "", "", "no HTTP handlers generated: the model has no %s resource", missing)
		return nil, ds
	}
	files, err := emitFiles(in.Model, in.Plan.Server, in.Options)
	if err != nil {
		ds.Errorf(diag.Pos{}, "", "", "%v", err)
		return nil, ds
	}
	return files, ds
}

func (g *gen) shared(o emit.Options, resources []*ir.Type) (*jen.File, error) {
	f := emit.NewFile(o, "")
	f.ImportName("context", "context")
	f.ImportName("net/http", "http")
	gl := &glue{f: f, F: g.p.Glue}
	gl.errors()
	gl.outcome(g)
	if err := gl.bundle(); err != nil {
		return nil, err
	}
	gl.unbundle()
	capOK, err := g.capability(f)
	if err != nil {
		return nil, err
	}
	gl.router(resources, capOK)
	return f, nil
}

// glue writes the router's glue to the model's own types: errors, outcomes, bundles.
type glue struct {
	f *jen.File
	F map[string]*ir.Field // by "Type.json": the fields the glue reads and writes
}

// errors writes ServerError, its constructors, srvErrorOf and TransactionProcessor.
func (gl *glue) errors() {
	f, F := gl.f, gl.F
	emit.Comment(f, "ServerError is the error a service returns to answer with an HTTP status and an "+
		"OperationOutcome (NotFoundError, GoneError, ConflictError, PreconditionFailedError, ...). "+
		"Any other error a service returns is answered 500 with an OperationOutcome that says "+
		"nothing of it.")
	f.Type().Id("ServerError").Struct(
		jen.Id("Status").Int(),
		jen.Id("Outcome").Op("*").Id("OperationOutcome"),
	)
	f.Comment("Error returns the diagnostics of the first issue.")
	f.Func().Params(jen.Id("e").Op("*").Id("ServerError")).Id("Error").Params().String().Block(
		jen.If(jen.Id("e").Dot("Outcome").Op("!=").Nil().Op("&&").Len(jen.Id("e").Dot("Outcome").Dot(F["OperationOutcome.issue"].Name)).Op(">").Lit(0)).Block(
			jen.Return(jen.Qual("net/http", "StatusText").Call(jen.Id("e").Dot("Status")).Op("+").Lit(": ").Op("+").
				Id("e").Dot("Outcome").Dot(F["OperationOutcome.issue"].Name).Index(jen.Lit(0)).Dot(F["OperationOutcome.issue.diagnostics"].Name)),
		),
		jen.Return(jen.Qual("net/http", "StatusText").Call(jen.Id("e").Dot("Status"))),
	)
	f.Comment("NewServerError returns a ServerError with one error issue of the given IssueType code.")
	f.Func().Id("NewServerError").Params(jen.Id("status").Int(), jen.Id("code"), jen.Id("diagnostics").String()).Op("*").Id("ServerError").Block(
		jen.Return(jen.Op("&").Id("ServerError").Values(jen.Dict{
			jen.Id("Status"):  jen.Id("status"),
			jen.Id("Outcome"): jen.Id("srvOutcomeOf").Call(jen.Index().Id("ServerIssue").Values(jen.Values(jen.Dict{jen.Id("Severity"): jen.Lit("error"), jen.Id("Code"): jen.Id("code"), jen.Id("Diagnostics"): jen.Id("diagnostics")}))).Assert(jen.Op("*").Id("OperationOutcome")),
		})),
	)
	for _, e := range []struct {
		name, status, code, doc string
	}{
		{"NotFoundError", "StatusNotFound", "not-found", "404 Not Found"},
		{"GoneError", "StatusGone", "deleted", "410 Gone (the resource was deleted)"},
		{"ConflictError", "StatusConflict", "conflict", "409 Conflict"},
		{"PreconditionFailedError", "StatusPreconditionFailed", "conflict", "412 Precondition Failed (If-Match is not the current version, or a conditional matched several resources)"},
		{"BadRequestError", "StatusBadRequest", "invalid", "400 Bad Request"},
		{"ForbiddenError", "StatusForbidden", "forbidden", "403 Forbidden"},
		{"UnprocessableError", "StatusUnprocessableEntity", "processing", "422 Unprocessable Entity (a business rule)"},
		{"NotImplementedError", "StatusNotImplemented", "not-supported", "501 Not Implemented"},
	} {
		emit.Commentf(f, "%s answers %s with diagnostics.", e.name, e.doc)
		f.Func().Id(e.name).Params(jen.Id("diagnostics").String()).Op("*").Id("ServerError").Block(
			jen.Return(jen.Id("NewServerError").Call(jen.Qual("net/http", e.status), jen.Lit(e.code), jen.Id("diagnostics"))),
		)
	}
	f.Func().Id("srvErrorOf").Params(jen.Id("err").Error()).Params(jen.Int(), jen.Id("Resource"), jen.Bool()).Block(
		jen.Var().Id("se").Op("*").Id("ServerError"),
		jen.If(jen.Op("!").Qual("errors", "As").Call(jen.Id("err"), jen.Op("&").Id("se")).Op("||").Id("se").Op("==").Nil()).Block(jen.Return(jen.Lit(0), jen.Nil(), jen.False())),
		jen.Id("status").Op(":=").Id("se").Dot("Status"),
		jen.If(jen.Id("status").Op("<").Lit(400).Op("||").Id("status").Op(">").Lit(599)).Block(jen.Id("status").Op("=").Qual("net/http", "StatusInternalServerError")),
		jen.If(jen.Id("se").Dot("Outcome").Op("==").Nil()).Block(
			jen.Return(jen.Id("status"), jen.Id("srvOutcomeOf").Call(jen.Index().Id("ServerIssue").Values(jen.Values(jen.Dict{jen.Id("Severity"): jen.Lit("error"), jen.Id("Code"): jen.Lit("processing"), jen.Id("Diagnostics"): jen.Qual("net/http", "StatusText").Call(jen.Id("status"))}))), jen.True()),
		),
		jen.Return(jen.Id("status"), jen.Id("se").Dot("Outcome"), jen.True()),
	)

	emit.Comment(f, "TransactionProcessor is implemented by services that take transaction Bundles (POST / "+
		"with Bundle.type transaction); all or nothing is the service's to guarantee. Batch "+
		"Bundles need no interface: the router dispatches each entry to the registered services.")
	f.Type().Id("TransactionProcessor").Interface(
		jen.Id("Transaction").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("bundle").Op("*").Id("Bundle"), jen.Id("req").Op("*").Qual("net/http", "Request")).Params(jen.Op("*").Id("Bundle"), jen.Error()),
	)

}

// outcome writes srvOutcomeOf.
func (gl *glue) outcome(g *gen) {
	f := gl.f
	F := gl.F
	id := func(k string) *jen.Statement { return jen.Id(F[k].Name) }
	tname := func(k string) string { return F[k].Type.Name }
	expr := g.m.Type("OperationOutcome.issue").Field("expression")
	issueFields := jen.Dict{
		id("OperationOutcome.issue.severity"): conv(F["OperationOutcome.issue.severity"], jen.Id("i").Dot("Severity")),

		id("OperationOutcome.issue.code"): conv(F["OperationOutcome.issue.code"], jen.Id("i").Dot("Code")),

		id("OperationOutcome.issue.diagnostics"): conv(F["OperationOutcome.issue.diagnostics"], jen.Id("i").Dot("Diagnostics")),
	}
	if expr != nil {
		issueFields[jen.Id(expr.Name)] = jen.Id("i").Dot("Expression")
	}
	f.Func().Id("srvOutcomeOf").Params(jen.Id("issues").Index().Id("ServerIssue")).Id("Resource").Block(
		jen.Id("oo").Op(":=").Op("&").Id("OperationOutcome").Values(jen.Dict{
			id("OperationOutcome.issue"): jen.Make(jen.Index().Id(tname("OperationOutcome.issue")), jen.Lit(0), jen.Len(jen.Id("issues"))),
		}),
		jen.For(jen.List(jen.Id("_"), jen.Id("i")).Op(":=").Range().Id("issues")).Block(
			jen.Id("oo").Dot(F["OperationOutcome.issue"].Name).Op("=").Append(jen.Id("oo").Dot(F["OperationOutcome.issue"].Name), jen.Id(tname("OperationOutcome.issue")).Values(issueFields)),
		),
		jen.Return(jen.Id("oo")),
	)

}

// bundle writes srvBundleOf.
func (gl *glue) bundle() error {
	f := gl.f
	F := gl.F
	id := func(k string) *jen.Statement { return jen.Id(F[k].Name) }
	tname := func(k string) string { return F[k].Type.Name }
	e := func(name string) *jen.Statement { return jen.Id("e").Dot(name) }
	// fields are the fields of a literal of the backbone at path: pairs of an element
	// below path and the srvBundle entry field that holds its value
	fields := func(path string, pairs ...string) jen.Dict {
		d := jen.Dict{}
		for i := 0; i+1 < len(pairs); i += 2 {
			p := path + "." + pairs[i]
			d[id(p)] = conv(F[p], e(pairs[i+1]))
		}
		return d
	}
	// set sets the entry's backbone part to a literal of it
	set := func(part string, d jen.Dict) jen.Code {
		p := "Bundle.entry." + part
		return jen.Id("be").Dot(F[p].Name).Op("=").Op("&").Id(tname(p)).Values(d)
	}
	total := F["Bundle.total"]
	var totalSet jen.Code
	switch {
	case total.Prim != nil && total.Prim.JSON == ir.JSONInt32:
		totalSet = jen.Id("out").Dot(total.Name).Op("=").Id("Int32").Call(jen.Int32().Call(jen.Op("*").Id("b").Dot("Total")))
	case total.Prim != nil && total.Prim.JSON == ir.JSONInt64:
		totalSet = jen.Id("out").Dot(total.Name).Op("=").Id("Int64").Call(jen.Int64().Call(jen.Op("*").Id("b").Dot("Total")))
	default:
		return fmt.Errorf("http emitter: Bundle.total is not an integer")
	}
	f.Func().Id("srvBundleOf").Params(jen.Id("b").Op("*").Id("srvBundle")).Id("Resource").Block(
		jen.Id("out").Op(":=").Op("&").Id("Bundle").Values(jen.Dict{id("Bundle.type"): conv(F["Bundle.type"], jen.Id("b").Dot("Type"))}),

		jen.If(jen.Id("b").Dot("Total").Op("!=").Nil()).Block(totalSet),
		jen.For(jen.List(jen.Id("_"), jen.Id("l")).Op(":=").Range().Id("b").Dot("Links")).Block(
			jen.Id("out").Dot(F["Bundle.link"].Name).Op("=").Append(jen.Id("out").Dot(F["Bundle.link"].Name), jen.Id(tname("Bundle.link")).Values(jen.Dict{
				id("Bundle.link.relation"): conv(F["Bundle.link.relation"], jen.Id("l").Index(jen.Lit(0))),
				id("Bundle.link.url"):      conv(F["Bundle.link.url"], jen.Id("l").Index(jen.Lit(1))),
			})),
		),
		jen.If(jen.Len(jen.Id("b").Dot("Entries")).Op(">").Lit(0)).Block(
			jen.Id("out").Dot(F["Bundle.entry"].Name).Op("=").Make(jen.Index().Id(tname("Bundle.entry")), jen.Lit(0), jen.Len(jen.Id("b").Dot("Entries"))),
		),
		jen.For(jen.Id("i").Op(":=").Range().Id("b").Dot("Entries")).Block(
			jen.Id("e").Op(":=").Op("&").Id("b").Dot("Entries").Index(jen.Id("i")),
			jen.Id("be").Op(":=").Id(tname("Bundle.entry")).Values(fields("Bundle.entry", "fullUrl", "FullURL", "resource", "Resource")),
			jen.If(e("Mode").Op("!=").Lit("")).Block(set("search", fields("Bundle.entry.search", "mode", "Mode"))),
			jen.If(e("HasRequest")).Block(set("request", fields("Bundle.entry.request", "method", "Method", "url", "URL",
				"ifMatch", "IfMatch", "ifNoneMatch", "IfNoneMatch", "ifNoneExist", "IfNoneExist"))),
			jen.If(e("HasResponse")).Block(set("response", fields("Bundle.entry.response", "status", "Status",
				"location", "Location", "etag", "ETag", "lastModified", "LastModified", "outcome", "Outcome"))),
			jen.Id("out").Dot(F["Bundle.entry"].Name).Op("=").Append(jen.Id("out").Dot(F["Bundle.entry"].Name), jen.Id("be")),
		),
		jen.Return(jen.Id("out")),
	)
	return nil
}

// unbundle writes srvUnbundle.
func (gl *glue) unbundle() {
	f, F := gl.f, gl.F
	req := func(k string) *jen.Statement {
		return jen.Id("e").Dot(F["Bundle.entry.request"].Name).Dot(F["Bundle.entry.request."+k].Name)
	}
	f.Func().Id("srvUnbundle").Params(jen.Id("r").Id("Resource")).Params(jen.Op("*").Id("srvBundle"), jen.Bool()).Block(
		jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("r").Assert(jen.Op("*").Id("Bundle")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Nil(), jen.False())),
		jen.Id("out").Op(":=").Op("&").Id("srvBundle").Values(jen.Dict{jen.Id("Type"): jen.String().Call(jen.Id("b").Dot(F["Bundle.type"].Name))}),
		jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("b").Dot(F["Bundle.entry"].Name)).Block(
			jen.Id("se").Op(":=").Id("srvBundleEntry").Values(jen.Dict{
				jen.Id("FullURL"):  jen.Id("e").Dot(F["Bundle.entry.fullUrl"].Name),
				jen.Id("Resource"): jen.Id("e").Dot(F["Bundle.entry.resource"].Name),
			}),
			jen.If(jen.Id("e").Dot(F["Bundle.entry.request"].Name).Op("!=").Nil()).Block(
				jen.Id("se").Dot("HasRequest").Op("=").True(),
				jen.Id("se").Dot("Method").Op("=").String().Call(req("method")),
				jen.Id("se").Dot("URL").Op("=").String().Call(req("url")),
				jen.Id("se").Dot("IfMatch").Op("=").String().Call(req("ifMatch")),
				jen.Id("se").Dot("IfNoneMatch").Op("=").String().Call(req("ifNoneMatch")),
				jen.Id("se").Dot("IfNoneExist").Op("=").String().Call(req("ifNoneExist")),
			),
			jen.Id("out").Dot("Entries").Op("=").Append(jen.Id("out").Dot("Entries"), jen.Id("se")),
		),
		jen.Return(jen.Id("out"), jen.True()),
	)

}

// router writes srvParamsOf and NewRouter.
func (gl *glue) router(resources []*ir.Type, capOK bool) {
	f := gl.f
	cases := []jen.Code{}
	for _, r := range resources {
		cases = append(cases, jen.Case(jen.Lit(r.FHIRName)).Block(jen.Return(jen.Id("srvParams"+r.Name))))
	}
	f.Func().Id("srvParamsOf").Params(jen.Id("resourceType").String()).Index().Id("ServerParamDef").Block(
		jen.Switch(jen.Id("resourceType")).Block(cases...),
		jen.Return(jen.Nil()),
	)

	model := jen.Dict{
		jen.Id("decode"):   jen.Id("UnmarshalResource"),
		jen.Id("outcome"):  jen.Id("srvOutcomeOf"),
		jen.Id("bundle"):   jen.Id("srvBundleOf"),
		jen.Id("unbundle"): jen.Id("srvUnbundle"),
		jen.Id("errorOf"):  jen.Id("srvErrorOf"),
		jen.Id("params"):   jen.Id("srvParamsOf"),
	}
	if capOK {
		model[jen.Id("capability")] = jen.Id("srvCapabilityOf")
	}
	body := []jen.Code{
		jen.Id("r").Op(":=").Id("srvNewRouter").Call(jen.Op("&").Id("srvModel").Values(model), jen.Id("opts")),
	}
	for _, r := range resources {
		body = append(body, jen.Id("srvRegister"+r.Name).Call(jen.Id("r"), jen.Id("svc")))
	}
	body = append(body,
		jen.If(jen.List(jen.Id("tx"), jen.Id("ok")).Op(":=").Id("svc").Assert(jen.Id("TransactionProcessor")), jen.Id("ok")).Block(
			jen.Id("r").Dot("tx").Op("=").Func().Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("b").Id("Resource"), jen.Id("req").Op("*").Qual("net/http", "Request")).Params(jen.Id("Resource"), jen.Error()).Block(
				jen.List(jen.Id("out"), jen.Id("err")).Op(":=").Id("tx").Dot("Transaction").Call(jen.Id("ctx"), jen.Id("b").Assert(jen.Op("*").Id("Bundle")), jen.Id("req")),
				jen.If(jen.Id("err").Op("!=").Nil().Op("||").Id("out").Op("==").Nil()).Block(
					jen.If(jen.Id("err").Op("==").Nil()).Block(jen.Id("err").Op("=").Qual("errors", "New").Call(jen.Lit("transaction returned no Bundle"))),
					jen.Return(jen.Nil(), jen.Id("err")),
				),
				jen.Return(jen.Id("out"), jen.Nil()),
			),
		),
		jen.List(jen.Id("r").Dot("lister"), jen.Id("_")).Op("=").Id("svc").Assert(jen.Id("ServerSearchParamLister")),
		jen.Id("r").Dot("srvFinish").Call(),
		jen.Return(jen.Id("r")),
	)
	emit.Comment(f, "NewRouter returns the FHIR REST API of svc: for each resource, the interactions svc "+
		"implements (XReader, XCreator, ... checked by type assertion) are served, and any other "+
		"interaction answers 405 with an OperationOutcome. GET /metadata serves a "+
		"CapabilityStatement saying exactly that; POST / takes batch Bundles (and transaction "+
		"Bundles when svc is a TransactionProcessor). Mount it anywhere (http.StripPrefix).")
	f.Func().Id("NewRouter").Params(jen.Id("svc").Any(), jen.Id("opts").Op("...").Id("RouterOption")).Qual("net/http", "Handler").Block(body...)
}

// capability writes srvCapabilityOf when the model has CapabilityStatement.
func (g *gen) capability(f *jen.File) (bool, error) {
	F := g.p.Capability
	if F == nil {
		return false, nil
	}
	id := func(k string) *jen.Statement { return jen.Id(F[k].Name) }
	tn := func(k string) string { return F[k].Type.Name }
	boolTrue := func(k string) jen.Code {
		if F[k].Prim != nil && F[k].Prim.JSON == ir.JSONBool {
			return jen.Id("Bool").Call(jen.True())
		}
		return conv(F[k], jen.Lit("single"))
	}
	cs := "CapabilityStatement"
	rest := cs + ".rest"
	rres := rest + ".resource"
	fhirVersion := g.m.FHIRVersion
	f.Func().Id("srvCapabilityOf").Params(jen.Id("rs").Index().Id("srvCapResource"), jen.Id("transaction").Bool(), jen.Id("base").String()).Id("Resource").Block(
		jen.Id("rest").Op(":=").Id(tn(cs+".rest")).Values(jen.Dict{id(rest + ".mode"): jen.Lit("server")}),
		jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("rs")).Block(
			jen.Id("cr").Op(":=").Id(tn(rest+".resource")).Values(jen.Dict{id(rres + ".type"): conv(F[rres+".type"], jen.Id("r").Dot("Type"))}),
			jen.For(jen.List(jen.Id("_"), jen.Id("code")).Op(":=").Range().Id("r").Dot("Interactions")).Block(
				jen.Id("cr").Dot(F[rres+".interaction"].Name).Op("=").Append(jen.Id("cr").Dot(F[rres+".interaction"].Name),
					jen.Id(tn(rres+".interaction")).Values(jen.Dict{id(rres + ".interaction.code"): conv(F[rres+".interaction.code"], jen.Id("code"))})),
				jen.Switch(jen.Id("code")).Block(
					jen.Case(jen.Lit("update")).Block(jen.Id("cr").Dot(F[rres+".conditionalUpdate"].Name).Op("=").Id("Bool").Call(jen.True())),
					jen.Case(jen.Lit("delete")).Block(jen.Id("cr").Dot(F[rres+".conditionalDelete"].Name).Op("=").Add(boolTrue(rres+".conditionalDelete"))),
				),
			),
			jen.If(jen.Id("r").Dot("Conditional")).Block(jen.Id("cr").Dot(F[rres+".conditionalCreate"].Name).Op("=").Id("Bool").Call(jen.True())),
			jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Id("r").Dot("Params")).Block(
				jen.Id("cr").Dot(F[rres+".searchParam"].Name).Op("=").Append(jen.Id("cr").Dot(F[rres+".searchParam"].Name),
					jen.Id(tn(rres+".searchParam")).Values(jen.Dict{
						id(rres + ".searchParam.name"):       conv(F[rres+".searchParam.name"], jen.Id("p").Dot("Code")),
						id(rres + ".searchParam.definition"): conv(F[rres+".searchParam.definition"], jen.Id("p").Dot("URL")),
						id(rres + ".searchParam.type"):       conv(F[rres+".searchParam.type"], jen.Id("p").Dot("Type")),
					})),
			),
			jen.Id("rest").Dot(F[rest+".resource"].Name).Op("=").Append(jen.Id("rest").Dot(F[rest+".resource"].Name), jen.Id("cr")),
		),
		jen.Id("rest").Dot(F[rest+".interaction"].Name).Op("=").Append(jen.Id("rest").Dot(F[rest+".interaction"].Name),
			jen.Id(tn(rest+".interaction")).Values(jen.Dict{id(rest + ".interaction.code"): jen.Lit("batch")})),
		jen.If(jen.Id("transaction")).Block(
			jen.Id("rest").Dot(F[rest+".interaction"].Name).Op("=").Append(jen.Id("rest").Dot(F[rest+".interaction"].Name),
				jen.Id(tn(rest+".interaction")).Values(jen.Dict{id(rest + ".interaction.code"): jen.Lit("transaction")})),
		),
		jen.Return(jen.Op("&").Id(cs).Values(jen.Dict{
			id(cs + ".status"):      jen.Lit("active"),
			id(cs + ".date"):        jen.Qual("time", "Now").Call().Dot("UTC").Call().Dot("Format").Call(jen.Qual("time", "RFC3339")),
			id(cs + ".kind"):        jen.Lit("instance"),
			id(cs + ".fhirVersion"): jen.Lit(fhirVersion),
			id(cs + ".format"):      jen.Index().Add(elemType(F[cs+".format"])).Values(jen.Lit("application/fhir+json"), jen.Lit("json")),
			id(cs + ".rest"):        jen.Index().Id(tn(cs + ".rest")).Values(jen.Id("rest")),
			// kind instance: the implementation is this server (cpb-2, cpb-15)
			id(cs + ".implementation"): jen.Op("&").Id(tn(cs + ".implementation")).Values(jen.Dict{
				id(cs + ".implementation.description"): conv(F[cs+".implementation.description"], jen.Lit("FHIR REST API (router generated by fhirgen)")),
				id(cs + ".implementation.url"):         conv(F[cs+".implementation.url"], jen.Id("base")),
			}),
		})),
	)
	return true, nil
}

func elemType(f *ir.Field) jen.Code {
	if f.Enum != nil {
		return jen.Id(f.Enum.Name)
	}
	return jen.String()
}

func (g *gen) perResource(o emit.Options, resources []*ir.Type) (*jen.File, error) {
	f := emit.NewFile(o, "")
	f.ImportName("context", "context")
	meta := g.m.Type("Meta")
	var versionID, lastUpdated string
	if meta != nil {
		for _, fl := range meta.Fields {
			switch fl.JSONName {
			case "versionId":
				versionID = fl.Name
			case "lastUpdated":
				lastUpdated = fl.Name
			}
		}
	}
	for _, r := range resources {
		var idField, metaField string
		for _, fl := range r.Fields {
			switch fl.JSONName {
			case "id":
				idField = fl.Name
			case "meta":
				if fl.Type == meta {
					metaField = fl.Name
				}
			}
		}
		if idField == "" {
			return nil, fmt.Errorf("http emitter: %s has no id element", r.FHIRName)
		}
		for _, in := range interactions {
			name := r.Name + in.suffix
			n := strings.Count(in.doc, "%s")
			args := make([]any, n)
			args[0] = r.FHIRName
			for i := 1; i < n; i++ {
				args[i] = r.FHIRName
			}
			emit.Commentf(f, "%s %s", name, fmt.Sprintf(in.doc, args...))
			f.Type().Id(name).Interface(
				jen.Id(in.method+r.Name).Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("req").Add(in.request(r.Name))).Params(in.results(r.Name)...),
			)
		}
		// meta accessors
		metaBody := []jen.Code{}
		if metaField != "" && versionID != "" && lastUpdated != "" {
			metaBody = append(metaBody,
				jen.If(jen.Id("x").Dot(metaField).Op("==").Nil()).Block(jen.Return(jen.Id("x").Dot(idField), jen.Lit(""), jen.Lit(""))),
				jen.Return(jen.Id("x").Dot(idField), jen.Id("x").Dot(metaField).Dot(versionID), jen.Id("x").Dot(metaField).Dot(lastUpdated)),
			)
		} else {
			metaBody = append(metaBody, jen.Return(jen.Id("x").Dot(idField), jen.Lit(""), jen.Lit("")))
		}
		f.Func().Params(jen.Id("x").Op("*").Id(r.Name)).Id("srvMeta").Params().Params(jen.String(), jen.String(), jen.String()).Block(metaBody...)
		f.Func().Params(jen.Id("x").Op("*").Id(r.Name)).Id("srvSetID").Params(jen.Id("id").String()).Block(jen.Id("x").Dot(idField).Op("=").Id("id"))
		// search parameters
		var defs []jen.Code
		for _, sp := range r.SearchParams {
			defs = append(defs, paramDef(sp, true))
		}
		f.Var().Id("srvParams" + r.Name).Op("=").Index().Id("ServerParamDef").Values(defs...)
		// registration
		body := []jen.Code{
			jen.Id("h").Op(":=").Op("&").Id("srvResource").Types(jen.Id(r.Name), jen.Op("*").Id(r.Name)).Values(jen.Dict{
				jen.Id("typ"):    jen.Lit(r.FHIRName),
				jen.Id("params"): jen.Id("srvParams" + r.Name),
				jen.Id("shape"):  shape(r),
			}),
		}
		for _, in := range interactions {
			body = append(body, jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("svc").Assert(jen.Id(r.Name+in.suffix)), jen.Id("ok")).Block(
				jen.Id("h").Dot(in.field).Op("=").Id("s").Dot(in.method+r.Name),
			))
		}
		body = append(body, jen.Id("srvRegister").Call(jen.Id("r"), jen.Id("h")))
		f.Func().Id("srvRegister"+r.Name).Params(jen.Id("r").Op("*").Id("srvRouter"), jen.Id("svc").Any()).Block(body...)
	}
	return f, nil
}

// shape is the srvShape literal of a resource: the JSON member names of its summary
// (isSummary) and mandatory (min ≥ 1) elements, every variant of a choice by name, and
// the stems of its choices, for _summary and _elements.
func shape(r *ir.Type) jen.Code {
	var summary, mandatory, choices []jen.Code
	for _, f := range r.Fields {
		keys := []string{f.JSONName}
		if f.Kind == ir.ChoiceField && f.Choice != nil {
			keys = keys[:0]
			for _, v := range f.Choice.Variants {
				keys = append(keys, f.JSONName+v.Suffix)
			}
			choices = append(choices, jen.Lit(f.JSONName))
		}
		for _, k := range keys {
			if f.Summary {
				summary = append(summary, jen.Lit(k))
			}
			if f.Min >= 1 {
				mandatory = append(mandatory, jen.Lit(k))
			}
		}
	}
	d := jen.Dict{}
	for name, list := range map[string][]jen.Code{"summary": summary, "mandatory": mandatory, "choices": choices} {
		if len(list) > 0 {
			d[jen.Id(name)] = jen.Index().String().Values(list...)
		}
	}
	return jen.Id("srvShape").Values(d)
}

// paramDef is the ServerParamDef literal of a search parameter.
func paramDef(sp *ir.SearchParam, components bool) jen.Code {
	d := jen.Dict{
		jen.Id("Code"): jen.Lit(sp.Code),
		jen.Id("Type"): jen.Lit(sp.Type),
	}
	if sp.URL != "" {
		d[jen.Id("URL")] = jen.Lit(sp.URL)
	}
	if len(sp.Target) > 0 {
		var ts []jen.Code
		for _, t := range sp.Target {
			ts = append(ts, jen.Lit(t))
		}
		d[jen.Id("Targets")] = jen.Index().String().Values(ts...)
	}
	if components && len(sp.Components) > 0 {
		var cs []jen.Code
		for _, c := range sp.Components {
			if c.Param != nil {
				cs = append(cs, paramDef(c.Param, false))
			} else {
				cs = append(cs, jen.Values(jen.Dict{jen.Id("Type"): jen.Lit("string"), jen.Id("URL"): jen.Lit(c.Definition)}))
			}
		}
		d[jen.Id("Components")] = jen.Index().Id("ServerParamDef").Values(cs...)
	}
	return jen.Values(d)
}
