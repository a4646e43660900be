package support

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the model-independent core of the generated HTTP router (the "http"
// emitter generates NewRouter, the per-resource interfaces and the OperationOutcome,
// Bundle and CapabilityStatement glue on top of it).

// ReadRequest is the request of a read interaction (GET [type]/[id]).
type ReadRequest struct {
	ID   string
	HTTP *http.Request // the underlying request (headers, auth, ...)
}

// VReadRequest is the request of a vread interaction (GET [type]/[id]/_history/[vid]).
type VReadRequest struct {
	ID, VersionID string
	HTTP          *http.Request
}

// Saved is what a create or update did, the second result of XCreator.CreateX and
// XUpdater.UpdateX: Created when it stored a new resource (answered 201 Created),
// Existing when it changed one (an update) or found one (a conditional create matching a
// resource), answered 200 OK.
type Saved bool

// The values of Saved.
const (
	// Existing: an existing resource was updated, or a conditional create matched one.
	Existing Saved = false
	// Created: a new resource was stored.
	Created Saved = true
)

// CreateRequest is the request of a create interaction (POST [type]). IfNoneExist is the
// parsed If-None-Exist header of a conditional create (nil otherwise): the service returns
// the matching resource and Existing when one exists.
type CreateRequest[T any] struct {
	Resource    *T
	IfNoneExist *ServerQuery
	HTTP        *http.Request
}

// UpdateRequest is the request of an update (PUT [type]/[id]) or of a conditional update
// (PUT [type]?search, ID "" and Conditional set). IfMatch is the version of If-Match
// (W/"3" gives "3"), "" when absent: the service answers PreconditionFailed when it is not
// the current version.
type UpdateRequest[T any] struct {
	ID          string
	Resource    *T
	IfMatch     string
	Conditional *ServerQuery
	HTTP        *http.Request
}

// PatchRequest is the request of a patch (PATCH [type]/[id]) for services that take patch
// over themselves; otherwise the router applies JSON Patch with read and update.
type PatchRequest struct {
	ID          string
	Patch       []byte
	ContentType string
	IfMatch     string
	HTTP        *http.Request
}

// DeleteRequest is the request of a delete (DELETE [type]/[id]) or of a conditional delete
// (DELETE [type]?search: ID "" and Conditional set).
type DeleteRequest struct {
	ID          string
	Conditional *ServerQuery
	HTTP        *http.Request
}

// HistoryRequest is the request of a history interaction: instance (ID set) or type (ID
// ""). Count is _count (-1 when absent), Cursor the opaque cursor of a next link.
type HistoryRequest struct {
	ID, Since, At string
	Count         int
	Cursor        string
	HTTP          *http.Request
}

// HistoryPage is a page of history, newest first. Next is an opaque cursor for the next
// page ("" when this is the last).
type HistoryPage[T any] struct {
	Entries []HistoryEntry[T]
	Total   *int
	Next    string
}

// HistoryEntry is one version. Resource is nil for a deletion (Method "DELETE").
type HistoryEntry[T any] struct {
	Resource     *T
	ID           string
	VersionID    string
	Method       string // POST, PUT, PATCH or DELETE
	LastModified string // FHIR instant
}

// ServerSearchRequest is the request of a search (GET [type]?... or POST [type]/_search).
type ServerSearchRequest struct {
	Query *ServerQuery
	HTTP  *http.Request
}

// ServerSearchPage is a page of search results. Total is the number of matches (nil when
// not computed; needed for _summary=count); Next an opaque cursor for the next page;
// Included the _include/_revinclude resources.
type ServerSearchPage[T any] struct {
	Resources []*T
	Included  []Resource
	Total     *int
	Next      string
}

// ServerIssue is one issue of an OperationOutcome, independent of the generated type.
type ServerIssue struct {
	Severity    string // fatal | error | warning | information
	Code        string // IssueType code: invalid, not-found, processing, ...
	Diagnostics string
	Expression  []string
}

// ServerIssuer is implemented by errors that carry several issues (a validation error
// can implement it to be reported issue by issue with 422). The router also accepts
// errors joined with errors.Join (one issue per joined error).
type ServerIssuer interface {
	ServerIssues() []ServerIssue
}

// RouterOption configures NewRouter.
type RouterOption func(*srvConfig)

type srvConfig struct {
	baseURL   string
	maxBody   int64
	maxCount  int
	maxParams int
	maxQuery  int
	check     func(Resource) []ServerIssue
}

// RouterCheck adds a check of every resource a create or update receives, after
// Validate: a resource for which check returns an error-severity issue gets 422 with the
// issues (RouterCheckProfiles checks the profiles of meta.profile this way).
func RouterCheck(check func(Resource) []ServerIssue) RouterOption {
	return func(c *srvConfig) { c.check = check }
}

// RouterBaseURL sets the base URL used in absolute links (Location, Bundle links); by
// default it is derived from each request (scheme, Host and the prefix stripped before
// the router).
func RouterBaseURL(u string) RouterOption {
	return func(c *srvConfig) { c.baseURL = strings.TrimRight(u, "/") }
}

// RouterMaxBodyBytes limits request bodies (default 10 MiB); larger ones get 413.
func RouterMaxBodyBytes(n int64) RouterOption { return func(c *srvConfig) { c.maxBody = n } }

// RouterMaxCount caps _count on searches and histories (default 1000): a larger page size
// is lowered to it, and a search says so in an OperationOutcome entry.
func RouterMaxCount(n int) RouterOption { return func(c *srvConfig) { c.maxCount = n } }

// RouterMaxParams limits the number of query parameter values of a request (default 100,
// the form body of POST _search included); more get 400 with issue code too-costly.
func RouterMaxParams(n int) RouterOption { return func(c *srvConfig) { c.maxParams = n } }

// RouterMaxQueryBytes limits the length of a request's query string (default 16 KiB);
// longer ones get 414.
func RouterMaxQueryBytes(n int) RouterOption { return func(c *srvConfig) { c.maxQuery = n } }

// ServerSearchParamLister is implemented by a service that answers only some of a
// type's search parameters: GET /metadata then advertises just the codes it returns
// (nil: all of the type's parameters).
type ServerSearchParamLister interface {
	ServerSearchParams(resourceType string) []string
}

// srvModel is the generated glue between the core and the model's types.
type srvModel struct {
	decode     func([]byte) (Resource, error)
	outcome    func(issues []ServerIssue) Resource
	bundle     func(b *srvBundle) Resource
	unbundle   func(r Resource) (*srvBundle, bool)
	capability func(rs []srvCapResource, transaction bool, base string) Resource
	// errorOf returns the status and outcome of the generated error type.
	errorOf func(err error) (int, Resource, bool)
	params  func(resourceType string) []ServerParamDef
}

type srvBundle struct {
	Type    string
	Total   *int
	Links   [][2]string // relation, url
	Entries []srvBundleEntry
}

type srvBundleEntry struct {
	FullURL  string
	Resource Resource
	Mode     string // searchset: match | include | outcome
	// request (batch, history)
	Method, URL, IfMatch, IfNoneMatch, IfNoneExist string
	// response (batch-response, history)
	Status, Location, ETag, LastModified string
	Outcome                              Resource
	HasRequest, HasResponse              bool
}

type srvCapResource struct {
	Type         string
	Interactions []string // read, vread, update, patch, delete, history-instance, history-type, create, search-type
	Params       []ServerParamDef
	Conditional  bool
}

type srvRouter struct {
	model *srvModel
	cfg   srvConfig
	mux   *http.ServeMux
	caps  []srvCapResource
	tx    func(ctx context.Context, b Resource, r *http.Request) (Resource, error)
	// allow is the Allow header of a 405 by path pattern ("/Patient/{id}").
	allow map[string]string
	// shapes are the _summary/_elements shapes of the registered types.
	shapes map[string]*srvShape
	// lister is the service's ServerSearchParamLister, if it is one.
	lister ServerSearchParamLister
}

func srvNewRouter(model *srvModel, opts []RouterOption) *srvRouter {
	r := &srvRouter{model: model, mux: http.NewServeMux(),
		cfg:    srvConfig{maxBody: 10 << 20, maxCount: 1000, maxParams: 100, maxQuery: 16 << 10},
		allow:  map[string]string{"/metadata": "GET, HEAD", "/{$}": "POST"},
		shapes: map[string]*srvShape{}}
	for _, o := range opts {
		o(&r.cfg)
	}
	return r
}

// srvFinish registers the routes shared by all resources.
func (r *srvRouter) srvFinish() {
	if r.model.capability != nil { // the model has CapabilityStatement
		r.mux.HandleFunc("GET /metadata", r.metadata)
	}
	r.mux.HandleFunc("POST /{$}", r.batch)
	r.mux.HandleFunc("/", func(w http.ResponseWriter, req *http.Request) {
		r.fail(w, req, http.StatusNotFound, "not-found", "no route for "+req.Method+" "+req.URL.Path)
	})
}

func (r *srvRouter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			r.fail(w, req, http.StatusInternalServerError, "exception", "internal server error")
		}
	}()
	if len(req.URL.RawQuery) > r.cfg.maxQuery {
		r.fail(w, req, http.StatusRequestURITooLong, "too-costly", "the query is longer than "+strconv.Itoa(r.cfg.maxQuery)+" bytes")
		return
	}
	if req.URL.RawQuery != "" {
		values, err := url.ParseQuery(req.URL.RawQuery)
		if err != nil {
			r.fail(w, req, http.StatusBadRequest, "invalid", "malformed query string")
			return
		}
		if msg := r.checkValues(values); msg != "" {
			r.fail(w, req, http.StatusBadRequest, srvCodeOf(msg), msg)
			return
		}
	}
	if !srvAcceptable(req) {
		r.fail(w, req, http.StatusNotAcceptable, "not-supported", "only application/fhir+json and application/json are served")
		return
	}
	if req.Method != http.MethodHead && !srvContains(srvMethods, req.Method) {
		// the path's pattern, found with a method the mux routes, gives the Allow header
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			probe := req.Clone(req.Context())
			probe.Method = m
			if _, pattern := r.mux.Handler(probe); pattern != "" {
				_, path, _ := strings.Cut(pattern, " ")
				if a, ok := r.allow[path]; ok {
					w.Header().Set("Allow", a)
					break
				}
			}
		}
		r.fail(w, req, http.StatusMethodNotAllowed, "not-supported", "method "+req.Method+" is not supported")
		return
	}

	r.mux.ServeHTTP(w, req)
}

// checkValues checks the parameters of a request: their number, and that names and
// values are UTF-8. It returns what is wrong ("" for nothing).
func (r *srvRouter) checkValues(values url.Values) string {
	n := 0
	for k, vs := range values {
		n += len(vs)
		if !utf8.ValidString(k) {
			return "a query parameter name is not UTF-8"
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return "the value of " + strconv.Quote(k) + " is not UTF-8"
			}
		}
	}
	if n > r.cfg.maxParams {
		return "too many query parameters: more than " + strconv.Itoa(r.cfg.maxParams)
	}
	return ""
}

func srvCodeOf(msg string) string {
	if strings.HasPrefix(msg, "too many") {
		return "too-costly"
	}
	return "invalid"
}

// srvAcceptable reports whether _format and Accept allow FHIR JSON.
func srvAcceptable(req *http.Request) bool {
	if req.URL.RawQuery != "" {
		if f := req.URL.Query().Get("_format"); f != "" {
			switch strings.TrimSpace(strings.SplitN(f, ";", 2)[0]) {
			case "json", "application/json", "application/fhir+json":
			default:
				return false
			}
		}
	}
	accept := req.Header.Get("Accept")
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "*/*", "application/*", "application/json", "application/fhir+json", "json":
			return true
		}
	}
	return false
}

func (r *srvRouter) base(req *http.Request) string {
	if r.cfg.baseURL != "" {
		return r.cfg.baseURL
	}
	scheme := "http"
	if req.TLS != nil {
		scheme = "https"
	}
	prefix := ""
	if u, err := url.ParseRequestURI(req.RequestURI); err == nil {
		prefix = strings.TrimSuffix(u.Path, req.URL.Path)
	}
	return scheme + "://" + req.Host + prefix
}

// srvSetHeaders writes ETag and Last-Modified for a resource version.
func srvSetHeaders(w http.ResponseWriter, version, lastUpdated string) {
	h := w.Header()
	if version != "" {
		h["Etag"] = []string{`W/"` + version + `"`}
	}
	if lastUpdated != "" {
		if t, err := time.Parse(time.RFC3339Nano, lastUpdated); err == nil {
			h["Last-Modified"] = []string{string(t.UTC().AppendFormat(make([]byte, 0, 29), http.TimeFormat))}
		}
	}
}

// srvVersionOf reads the version of an ETag/If-Match value (W/"3" → "3").
func srvVersionOf(etag string) string {
	etag = strings.TrimSpace(etag)
	etag = strings.TrimPrefix(etag, "W/")
	return strings.Trim(etag, `"`)
}

// srvContentType is the Content-Type of every response body (shared, never modified).
var srvContentType = []string{"application/fhir+json; charset=utf-8"}

func (r *srvRouter) write(w http.ResponseWriter, status int, res Resource) {
	h := w.Header()
	h["Content-Type"] = srvContentType
	if res == nil {
		w.WriteHeader(status)
		return
	}
	data, err := res.MarshalJSON()
	if err != nil {
		status = http.StatusInternalServerError
		data, _ = r.model.outcome([]ServerIssue{{Severity: "error", Code: "exception", Diagnostics: "internal server error"}}).MarshalJSON()
	}
	h["Content-Length"] = []string{strconv.Itoa(len(data))}
	w.WriteHeader(status)
	w.Write(data)
}

func (r *srvRouter) fail(w http.ResponseWriter, req *http.Request, status int, code, msg string, expr ...string) {
	r.write(w, status, r.model.outcome([]ServerIssue{{Severity: "error", Code: code, Diagnostics: msg, Expression: expr}}))
}

// failErr answers a service or router error: the generated error type with its status,
// a *ServerQueryError with 400, anything else with 500 and no internals.
func (r *srvRouter) failErr(w http.ResponseWriter, req *http.Request, err error) {
	if status, oo, ok := r.model.errorOf(err); ok {
		r.write(w, status, oo)
		return
	}
	var qe *ServerQueryError
	if errors.As(err, &qe) {
		r.fail(w, req, http.StatusBadRequest, "invalid", qe.Error(), qe.Param)
		return
	}
	r.fail(w, req, http.StatusInternalServerError, "exception", "internal server error")
}

// body reads a FHIR JSON request body, checking the content type and the size limit.
func (r *srvRouter) body(w http.ResponseWriter, req *http.Request, types ...string) ([]byte, bool) {
	if len(types) == 0 {
		types = []string{"application/fhir+json", "application/json"}
	}
	mt, _, err := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if err != nil || !srvContains(types, mt) {
		r.fail(w, req, http.StatusUnsupportedMediaType, "not-supported", "Content-Type must be "+strings.Join(types, " or "))
		return nil, false
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, req.Body, r.cfg.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			r.fail(w, req, http.StatusRequestEntityTooLarge, "too-costly", "request body larger than "+strconv.FormatInt(r.cfg.maxBody, 10)+" bytes")
		} else {
			r.fail(w, req, http.StatusBadRequest, "invalid", "reading the request body failed")
		}
		return nil, false
	}
	return data, true
}

// srvValidate runs Validate when the resource has it; the issues of a failure.
func srvValidate(x any) []ServerIssue {
	v, ok := x.(interface{ Validate() error })
	if !ok {
		return nil
	}
	err := v.Validate()
	if err == nil {
		return nil
	}
	if h, ok := err.(interface{ HasErrors() bool }); ok && !h.HasErrors() {
		return nil // warnings only
	}
	return srvIssuesOf(err)
}

// srvIssuesOf turns an error into issues: a ServerIssuer's issues; one per joined error;
// the lines of the validate emitter's documented ValidationError.Error() format
// ("validation failed: N errors" then one "\tseverity code expression: message" line per
// issue); else one issue with the error's message.

func srvIssuesOf(err error) []ServerIssue {
	var si ServerIssuer
	if errors.As(err, &si) {
		if issues := si.ServerIssues(); len(issues) > 0 {
			return issues
		}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []ServerIssue
		for _, e := range j.Unwrap() {
			out = append(out, srvIssuesOf(e)...)
		}
		if len(out) > 0 {
			return out
		}
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "validation failed:") && strings.Contains(msg, "\n\t") {
		var out []ServerIssue
		for _, line := range strings.Split(msg, "\n\t")[1:] {
			f := strings.SplitN(line, " ", 3)
			if len(f) != 3 {
				continue
			}
			is := ServerIssue{Severity: f[0], Code: f[1], Diagnostics: f[2]}
			if expr, text, ok := strings.Cut(f[2], ": "); ok && !strings.Contains(expr, " ") {
				is.Expression, is.Diagnostics = []string{expr}, text
			}
			out = append(out, is)
		}
		if len(out) > 0 {
			return out
		}
	}
	return []ServerIssue{{Severity: "error", Code: "invariant", Diagnostics: msg}}
}

// srvPrefer returns the return preference ("minimal", "representation", "OperationOutcome")
// and whether handling=lenient was asked for.
func srvPrefer(req *http.Request) (ret string, lenient bool) {
	for _, h := range req.Header.Values("Prefer") {
		for _, part := range strings.Split(h, ";") {
			for _, kv := range strings.Split(part, ",") {
				k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
				v = strings.Trim(v, `"`)
				switch k {
				case "return":
					ret = v
				case "handling":
					lenient = v == "lenient"
				}
			}
		}
	}
	return ret, lenient
}

// srvSearchValues returns the search parameters of a request: the query, and for POST
// the form body too.
func (r *srvRouter) searchValues(w http.ResponseWriter, req *http.Request) (url.Values, bool) {
	values := req.URL.Query()
	if req.Method == http.MethodPost {
		mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" && req.ContentLength != 0 {
			r.fail(w, req, http.StatusUnsupportedMediaType, "not-supported", "Content-Type must be application/x-www-form-urlencoded")
			return nil, false
		}
		req.Body = http.MaxBytesReader(w, req.Body, r.cfg.maxBody)
		if err := req.ParseForm(); err != nil {
			r.fail(w, req, http.StatusBadRequest, "invalid", "malformed form body")
			return nil, false
		}
		for k, vs := range req.PostForm {
			values[k] = append(values[k], vs...)
		}
		if msg := r.checkValues(values); msg != "" {
			r.fail(w, req, http.StatusBadRequest, srvCodeOf(msg), msg)
			return nil, false
		}
	}
	return values, true
}

// srvNextLink builds the link of the next page: the same search with _cursor.
func srvNextLink(base, typ string, values url.Values, cursor string) string {
	v := url.Values{}
	for k, vs := range values {
		if k != "_cursor" {
			v[k] = vs
		}
	}
	v.Set("_cursor", cursor)
	return base + "/" + typ + "?" + v.Encode()
}

func srvSelfLink(base, path string, values url.Values) string {
	if len(values) == 0 {
		return base + path
	}
	return base + path + "?" + values.Encode()
}

func (r *srvRouter) metadata(w http.ResponseWriter, req *http.Request) {
	caps := r.caps
	if r.lister != nil {
		caps = make([]srvCapResource, len(r.caps))
		for i, c := range r.caps {
			caps[i] = c
			if codes := r.lister.ServerSearchParams(c.Type); codes != nil {
				caps[i].Params = nil
				for _, p := range c.Params {
					if srvContains(codes, p.Code) {
						caps[i].Params = append(caps[i].Params, p)
					}
				}
			}
		}
	}
	r.write(w, http.StatusOK, r.model.capability(caps, r.tx != nil, r.base(req)))
}

// batch runs a batch Bundle entry by entry through the router itself, or hands a
// transaction Bundle to the service's transaction interface.
func (r *srvRouter) batch(w http.ResponseWriter, req *http.Request) {
	data, ok := r.body(w, req)
	if !ok {
		return
	}
	res, err := r.model.decode(data)
	if err != nil {
		r.fail(w, req, http.StatusBadRequest, "structure", err.Error())
		return
	}
	b, ok := r.model.unbundle(res)
	if !ok {
		r.fail(w, req, http.StatusBadRequest, "invalid", "POST to the base takes a batch or transaction Bundle")
		return
	}
	switch b.Type {
	case "transaction":
		if r.tx == nil {
			r.fail(w, req, http.StatusMethodNotAllowed, "not-supported", "transactions are not supported")
			return
		}
		out, err := r.tx(req.Context(), res, req)
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		r.write(w, http.StatusOK, out)
		return
	case "batch":
	default:
		r.fail(w, req, http.StatusBadRequest, "invalid", "POST to the base takes a batch or transaction Bundle, not "+b.Type)
		return
	}
	out := &srvBundle{Type: "batch-response"}
	for _, e := range b.Entries {
		out.Entries = append(out.Entries, r.batchEntry(req, e))
	}
	r.write(w, http.StatusOK, r.model.bundle(out))
}

func (r *srvRouter) batchEntry(parent *http.Request, e srvBundleEntry) srvBundleEntry {
	resp := srvBundleEntry{HasResponse: true}
	if !e.HasRequest || e.Method == "" || e.URL == "" {
		resp.Status = "400 Bad Request"
		resp.Outcome = r.model.outcome([]ServerIssue{{Severity: "error", Code: "invalid", Diagnostics: "entry without request"}})
		return resp
	}
	var body io.Reader = http.NoBody
	if e.Resource != nil {
		data, err := e.Resource.MarshalJSON()
		if err == nil {
			body = bytes.NewReader(data)
		}
	}
	target := "/" + strings.TrimPrefix(e.URL, "/")
	sub, err := http.NewRequestWithContext(parent.Context(), e.Method, target, body)
	if err != nil {
		resp.Status = "400 Bad Request"
		resp.Outcome = r.model.outcome([]ServerIssue{{Severity: "error", Code: "invalid", Diagnostics: "bad request URL"}})
		return resp
	}
	sub.Host = parent.Host
	sub.TLS = parent.TLS
	sub.RequestURI = target
	if u, err := url.ParseRequestURI(parent.RequestURI); err == nil {
		sub.RequestURI = strings.TrimSuffix(u.Path, parent.URL.Path) + target
	}
	return r.runEntry(sub, e, parent)
}

func (r *srvRouter) runEntry(sub *http.Request, e srvBundleEntry, parent *http.Request) srvBundleEntry {
	if e.Resource != nil {
		sub.Header.Set("Content-Type", "application/fhir+json")
	}
	for k, v := range map[string]string{"If-Match": e.IfMatch, "If-None-Match": e.IfNoneMatch, "If-None-Exist": e.IfNoneExist} {
		if v != "" {
			sub.Header.Set(k, v)
		}
	}
	for _, p := range parent.Header.Values("Prefer") {
		sub.Header.Add("Prefer", p)
	}
	rec := &srvRecorder{header: http.Header{}}
	r.ServeHTTP(rec, sub)
	out := srvBundleEntry{HasResponse: true}
	out.Status = strconv.Itoa(rec.status) + " " + http.StatusText(rec.status)
	out.Location = rec.header.Get("Location")
	out.ETag = rec.header.Get("ETag")
	if lm := rec.header.Get("Last-Modified"); lm != "" {
		if t, err := http.ParseTime(lm); err == nil {
			out.LastModified = t.UTC().Format(time.RFC3339)
		}
	}
	if rec.body.Len() > 0 {
		if res, err := r.model.decode(rec.body.Bytes()); err == nil {
			if rec.status >= 400 {
				out.Outcome = res
			} else {
				out.Resource = res
			}
		}
	}
	return out
}

// srvRecorder records a sub-request's response (batch entries).
type srvRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *srvRecorder) Header() http.Header { return w.header }
func (w *srvRecorder) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
}
func (w *srvRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(b)
}

// srvMeta is implemented (by generated methods) by every resource the router serves.
type srvMeta interface {
	srvMeta() (id, version, lastUpdated string)
	srvSetID(id string)
}

// srvResource is the generated router's view of one resource type's service.
type srvResource[T any, PT interface {
	*T
	Resource
	srvMeta
}] struct {
	typ     string
	params  []ServerParamDef
	shape   srvShape
	read    func(context.Context, ReadRequest) (PT, error)
	vread   func(context.Context, VReadRequest) (PT, error)
	create  func(context.Context, CreateRequest[T]) (PT, Saved, error)
	update  func(context.Context, UpdateRequest[T]) (PT, Saved, error)
	patch   func(context.Context, PatchRequest) (PT, error)
	delete  func(context.Context, DeleteRequest) error
	history func(context.Context, HistoryRequest) (*HistoryPage[T], error)
	search  func(context.Context, ServerSearchRequest) (*ServerSearchPage[T], error)
}

// srvRoutes are the method+path patterns of a resource type, with the interaction each
// serves ("" for none: 405). Every path gets all of GET, POST, PUT, PATCH and DELETE so the
// mux never answers 405 itself. The emitter checks the same list (generator/emit/server
// Routes) for conflicts at generation time.
func srvRoutes(typ string) [][2]string {
	t := "/" + typ
	paths := []struct {
		path string
		by   map[string]string
	}{
		{t, map[string]string{"POST": "create", "PUT": "update-conditional", "DELETE": "delete-conditional", "GET": "search-type"}},
		{t + "/{id}", map[string]string{"GET": "read", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}},
		{t + "/{id}/_history", map[string]string{"GET": "history-instance"}},
		{t + "/{id}/_history/{vid}", map[string]string{"GET": "vread"}},
		{t + "/_history", map[string]string{"GET": "history-type"}},
		{t + "/_search", map[string]string{"POST": "search-type"}},
	}
	var out [][2]string
	for _, p := range paths {
		for _, m := range srvMethods {
			out = append(out, [2]string{m + " " + p.path, p.by[m]})
		}
	}
	return out
}

// srvMethods are the methods the router routes; others get 405 before the mux.
var srvMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

func srvRegister[T any, PT interface {
	*T
	Resource
	srvMeta
}](r *srvRouter, h *srvResource[T, PT]) {
	has := map[string]bool{
		"read": h.read != nil, "vread": h.vread != nil, "create": h.create != nil,
		"update": h.update != nil, "update-conditional": h.update != nil,
		"patch":  h.patch != nil || (h.read != nil && h.update != nil),
		"delete": h.delete != nil, "delete-conditional": h.delete != nil,
		"history-instance": h.history != nil, "history-type": h.history != nil,
		"search-type": h.search != nil,
	}
	handlers := map[string]http.HandlerFunc{
		"read": h.serveRead(r), "vread": h.serveVRead(r), "create": h.serveCreate(r),
		"update": h.serveUpdate(r), "update-conditional": h.serveUpdate(r),
		"patch": h.servePatch(r), "delete": h.serveDelete(r), "delete-conditional": h.serveDelete(r),
		"history-instance": h.serveHistory(r), "history-type": h.serveHistory(r),
		"search-type": h.serveSearch(r),
	}
	r.shapes[h.typ] = &h.shape
	cap := srvCapResource{Type: h.typ, Params: h.params}
	for _, interaction := range []string{"read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create", "search-type"} {
		if has[interaction] {
			cap.Interactions = append(cap.Interactions, interaction)
		}
	}
	cap.Conditional = h.create != nil
	if len(cap.Interactions) > 0 {
		r.caps = append(r.caps, cap)
	}
	routes := srvRoutes(h.typ)
	for _, route := range routes {
		method, path, _ := strings.Cut(route[0], " ")
		if route[1] != "" && has[route[1]] {
			if method == http.MethodGet {
				method = "GET, HEAD"
			}
			if a := r.allow[path]; a != "" {
				method = a + ", " + method
			}
			r.allow[path] = method
		}
	}
	for _, route := range routes {
		pattern, interaction := route[0], route[1]
		_, path, _ := strings.Cut(pattern, " ")
		if interaction != "" && has[interaction] {
			r.mux.HandleFunc(pattern, srvCheckIDs(r, handlers[interaction]))
			continue
		}
		name := interaction
		r.mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			msg := req.Method + " " + req.URL.Path + " is not supported"
			if name != "" {
				msg = "the " + name + " interaction is not supported for " + h.typ
			}
			w.Header().Set("Allow", r.allow[path])
			r.fail(w, req, http.StatusMethodNotAllowed, "not-supported", msg)
		})
	}
}

// srvValidID reports whether id follows FHIR's id datatype: 1 to 64 of A-Z a-z 0-9 - and ".".
func srvValidID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// srvCheckIDs answers 400 for a logical or version id in the path that breaks the FHIR id
// rule ("a_b", "a%2Fb", 65 characters), before any service sees it.
func srvCheckIDs(r *srvRouter, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		for _, name := range []string{"id", "vid"} {
			if v := req.PathValue(name); v != "" && !srvValidID(v) {
				r.fail(w, req, http.StatusBadRequest, "value", "invalid "+name+": a FHIR id is 1 to 64 of A-Z, a-z, 0-9, '-' and '.'")
				return
			}
		}
		next(w, req)
	}
}

// respond writes a resource after a write interaction, honouring Prefer: return.
func (h *srvResource[T, PT]) respond(r *srvRouter, w http.ResponseWriter, req *http.Request, status int, x PT, location bool) {
	id, version, lastUpdated := x.srvMeta()
	srvSetHeaders(w, version, lastUpdated)
	if location && id != "" {
		loc := r.base(req) + "/" + h.typ + "/" + id
		if version != "" {
			loc += "/_history/" + version
		}
		w.Header().Set("Location", loc)
	}
	ret, _ := srvPrefer(req)
	switch ret {
	case "minimal":
		w.WriteHeader(status)
	case "OperationOutcome":
		r.write(w, status, r.model.outcome([]ServerIssue{{Severity: "information", Code: "informational", Diagnostics: http.StatusText(status)}}))
	default:
		r.write(w, status, x)
	}
}

func (h *srvResource[T, PT]) serveRead(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		v, qe := srvViewOf(req.URL.Query())
		if qe != nil {
			r.failErr(w, req, qe)
			return
		}
		x, err := h.read(req.Context(), ReadRequest{ID: req.PathValue("id"), HTTP: req})
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if x == nil {
			r.fail(w, req, http.StatusNotFound, "not-found", h.typ+"/"+req.PathValue("id")+" is not known")
			return
		}
		_, version, lastUpdated := x.srvMeta()
		srvSetHeaders(w, version, lastUpdated)
		r.write(w, http.StatusOK, r.view(x, v))
	}
}

func (h *srvResource[T, PT]) serveVRead(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		v, qe := srvViewOf(req.URL.Query())
		if qe != nil {
			r.failErr(w, req, qe)
			return
		}
		x, err := h.vread(req.Context(), VReadRequest{ID: req.PathValue("id"), VersionID: req.PathValue("vid"), HTTP: req})
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if x == nil {
			r.fail(w, req, http.StatusNotFound, "not-found", h.typ+"/"+req.PathValue("id")+"/_history/"+req.PathValue("vid")+" is not known")
			return
		}
		_, version, lastUpdated := x.srvMeta()
		srvSetHeaders(w, version, lastUpdated)
		r.write(w, http.StatusOK, r.view(x, v))
	}
}

// decodeBody reads, decodes and validates the resource of a create or update.
func (h *srvResource[T, PT]) decodeBody(r *srvRouter, w http.ResponseWriter, req *http.Request) (PT, bool) {
	data, ok := r.body(w, req)
	if !ok {
		return nil, false
	}
	return h.decodeData(r, w, req, data)
}

func (h *srvResource[T, PT]) decodeData(r *srvRouter, w http.ResponseWriter, req *http.Request, data []byte) (PT, bool) {
	res, err := r.model.decode(data)
	if err != nil {
		r.fail(w, req, http.StatusBadRequest, "structure", err.Error())
		return nil, false
	}
	x, ok := res.(PT)
	if !ok {
		r.fail(w, req, http.StatusBadRequest, "invalid", "resourceType "+res.ResourceType()+" does not match "+h.typ, "resourceType")
		return nil, false
	}
	if issues := srvValidate(x); len(issues) > 0 {
		r.write(w, http.StatusUnprocessableEntity, r.model.outcome(issues))
		return nil, false
	}
	if rx, ok := any(x).(Resource); ok && r.cfg.check != nil {
		issues := r.cfg.check(rx)
		for _, i := range issues {
			if i.Severity == "error" || i.Severity == "fatal" {
				r.write(w, http.StatusUnprocessableEntity, r.model.outcome(issues))
				return nil, false
			}
		}
	}
	return x, true
}

func (h *srvResource[T, PT]) query(r *srvRouter, w http.ResponseWriter, req *http.Request, values url.Values) (*ServerQuery, bool) {
	_, lenient := srvPrefer(req)
	q, err := ServerParseQuery(values, h.params, r.model.params, lenient)
	if err != nil {
		r.failErr(w, req, err)
		return nil, false
	}
	return q, true
}

func (h *srvResource[T, PT]) serveCreate(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		x, ok := h.decodeBody(r, w, req)
		if !ok {
			return
		}
		cr := CreateRequest[T]{Resource: (*T)(x), HTTP: req}
		if ine := req.Header.Get("If-None-Exist"); ine != "" {
			values, err := url.ParseQuery(strings.TrimPrefix(ine, "?"))
			if err != nil {
				r.fail(w, req, http.StatusBadRequest, "invalid", "malformed If-None-Exist")
				return
			}
			if cr.IfNoneExist, ok = h.query(r, w, req, values); !ok {
				return
			}
		}
		out, saved, err := h.create(req.Context(), cr)
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if out == nil {
			out = x
		}
		status := http.StatusCreated
		if saved == Existing {
			status = http.StatusOK
		}
		h.respond(r, w, req, status, out, true)
	}
}

func (h *srvResource[T, PT]) serveUpdate(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		x, ok := h.decodeBody(r, w, req)
		if !ok {
			return
		}
		h.doUpdate(r, w, req, x, req.Header.Get("If-Match"))
	}
}

func (h *srvResource[T, PT]) doUpdate(r *srvRouter, w http.ResponseWriter, req *http.Request, x PT, ifMatch string) {
	ur := UpdateRequest[T]{ID: req.PathValue("id"), Resource: (*T)(x), HTTP: req}
	if ifMatch != "" {
		ur.IfMatch = srvVersionOf(ifMatch)
	}
	id, _, _ := x.srvMeta()
	if ur.ID != "" {
		if id == "" {
			r.fail(w, req, http.StatusBadRequest, "invalid", "the resource has no id", h.typ+".id")
			return
		}
		if id != ur.ID {
			r.fail(w, req, http.StatusBadRequest, "invalid", "the resource id "+id+" does not match the URL's "+ur.ID, h.typ+".id")
			return
		}
	} else {
		var ok bool
		if ur.Conditional, ok = h.query(r, w, req, req.URL.Query()); !ok {
			return
		}
		if len(ur.Conditional.Params) == 0 {
			r.fail(w, req, http.StatusBadRequest, "invalid", "conditional update without search parameters")
			return
		}
	}
	out, saved, err := h.update(req.Context(), ur)
	if err != nil {
		r.failErr(w, req, err)
		return
	}
	if out == nil {
		out = x
	}
	status := http.StatusOK
	if saved == Created {
		status = http.StatusCreated
	}
	h.respond(r, w, req, status, out, saved == Created)
}

func (h *srvResource[T, PT]) servePatch(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		data, ok := r.body(w, req, "application/json-patch+json")
		if !ok {
			return
		}
		id := req.PathValue("id")
		if h.patch != nil {
			out, err := h.patch(req.Context(), PatchRequest{ID: id, Patch: data, ContentType: "application/json-patch+json",
				IfMatch: srvVersionOf(req.Header.Get("If-Match")), HTTP: req})
			if err != nil {
				r.failErr(w, req, err)
				return
			}
			h.respond(r, w, req, http.StatusOK, out, false)
			return
		}
		cur, err := h.read(req.Context(), ReadRequest{ID: id, HTTP: req})
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if cur == nil {
			r.fail(w, req, http.StatusNotFound, "not-found", h.typ+"/"+id+" is not known")
			return
		}
		_, version, _ := cur.srvMeta()
		if im := req.Header.Get("If-Match"); im != "" && srvVersionOf(im) != version {
			r.fail(w, req, http.StatusPreconditionFailed, "conflict", "version "+srvVersionOf(im)+" is not the current version")
			return
		}
		doc, err := cur.MarshalJSON()
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		patched, err := ServerApplyPatch(doc, data)
		if err != nil {
			var pe srvPatchError
			if errors.As(err, &pe) {
				r.fail(w, req, http.StatusUnprocessableEntity, "processing", err.Error())
			} else {
				r.fail(w, req, http.StatusBadRequest, "invalid", "the patch is not valid JSON")
			}
			return
		}
		x, ok := h.decodeData(r, w, req, patched)
		if !ok {
			return
		}
		ifMatch := ""
		if version != "" {
			ifMatch = `W/"` + version + `"`
		}
		h.doUpdate(r, w, req, x, ifMatch)
	}
}

func (h *srvResource[T, PT]) serveDelete(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		dr := DeleteRequest{ID: req.PathValue("id"), HTTP: req}
		if dr.ID == "" {
			var ok bool
			if dr.Conditional, ok = h.query(r, w, req, req.URL.Query()); !ok {
				return
			}
			if len(dr.Conditional.Params) == 0 {
				r.fail(w, req, http.StatusBadRequest, "invalid", "conditional delete without search parameters")
				return
			}
		}
		if err := h.delete(req.Context(), dr); err != nil {
			r.failErr(w, req, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (h *srvResource[T, PT]) serveHistory(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		values := req.URL.Query()
		hr := HistoryRequest{ID: req.PathValue("id"), Since: values.Get("_since"), At: values.Get("_at"),
			Count: -1, Cursor: values.Get("_cursor"), HTTP: req}
		for k := range values {
			switch k {
			case "_since", "_at", "_count", "_cursor", "_format", "_pretty", "_list", "_sort":
			default:
				if _, lenient := srvPrefer(req); !lenient {
					r.fail(w, req, http.StatusBadRequest, "invalid", "unknown history parameter "+k, k)
					return
				}
			}
		}
		if c := values.Get("_count"); c != "" {
			n, err := strconv.Atoi(c)
			if err != nil || n < 0 {
				r.fail(w, req, http.StatusBadRequest, "invalid", "_count is not a non-negative integer", "_count")
				return
			}
			hr.Count = min(n, r.cfg.maxCount)
		}
		for _, p := range []string{"_since", "_at"} {
			if v := values.Get(p); v != "" {
				if _, _, err := ServerDateRange(v); err != nil {
					r.fail(w, req, http.StatusBadRequest, "invalid", p+": "+err.Error(), p)
					return
				}
			}
		}
		page, err := h.history(req.Context(), hr)
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if page == nil {
			page = &HistoryPage[T]{}
		}
		base := r.base(req)
		b := &srvBundle{Type: "history", Total: page.Total}
		b.Links = append(b.Links, [2]string{"self", srvSelfLink(base, req.URL.Path, values)})
		if page.Next != "" {
			v := url.Values{}
			for k, vs := range values {
				v[k] = vs
			}
			v.Set("_cursor", page.Next)
			b.Links = append(b.Links, [2]string{"next", base + req.URL.Path + "?" + v.Encode()})
		}
		for _, e := range page.Entries {
			be := srvBundleEntry{HasRequest: true, HasResponse: true, Method: e.Method, LastModified: e.LastModified}
			id, version := e.ID, e.VersionID
			if e.Resource != nil {
				x := PT(e.Resource)
				be.Resource = x
				rid, rv, lu := x.srvMeta()
				if id == "" {
					id = rid
				}
				if version == "" {
					version = rv
				}
				if be.LastModified == "" {
					be.LastModified = lu
				}
			}
			be.FullURL = base + "/" + h.typ + "/" + id
			be.URL = h.typ + "/" + id
			if be.Method == "" {
				be.Method = "PUT"
			}
			if be.Method == "POST" {
				be.URL = h.typ
			}
			switch be.Method {
			case "DELETE":
				be.Status = "204 No Content"
			case "POST":
				be.Status = "201 Created"
			default:
				be.Status = "200 OK"
			}
			if version != "" {
				be.ETag = `W/"` + version + `"`
			}
			b.Entries = append(b.Entries, be)
		}
		r.write(w, http.StatusOK, r.model.bundle(b))
	}
}

func (h *srvResource[T, PT]) serveSearch(r *srvRouter) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		values, ok := r.searchValues(w, req)
		if !ok {
			return
		}
		q, ok := h.query(r, w, req, values)
		if !ok {
			return
		}
		var notes []ServerIssue
		if q.Count > r.cfg.maxCount {
			notes = append(notes, ServerIssue{Severity: "information", Code: "informational",
				Diagnostics: "_count lowered to " + strconv.Itoa(r.cfg.maxCount), Expression: []string{"_count"}})
			q.Count = r.cfg.maxCount
		}
		view := srvView{summary: q.Summary, elements: q.Elements}
		page, err := h.search(req.Context(), ServerSearchRequest{Query: q, HTTP: req})
		if err != nil {
			r.failErr(w, req, err)
			return
		}
		if page == nil {
			page = &ServerSearchPage[T]{}
		}
		base := r.base(req)
		b := &srvBundle{Type: "searchset", Total: page.Total}
		if page.Total == nil && page.Next == "" && q.Cursor == "" && q.Summary != "count" {
			n := len(page.Resources)
			b.Total = &n
		}
		self := url.Values{}
		for k, vs := range values {
			if k != "_format" {
				self[k] = vs
			}
		}
		b.Links = append(b.Links, [2]string{"self", srvSelfLink(base, "/"+h.typ, self)})
		if page.Next != "" && q.Summary != "count" {
			b.Links = append(b.Links, [2]string{"next", srvNextLink(base, h.typ, self, page.Next)})
		}
		if q.Summary != "count" {
			for _, res := range page.Resources {
				x := PT(res)
				id, _, _ := x.srvMeta()
				b.Entries = append(b.Entries, srvBundleEntry{FullURL: base + "/" + h.typ + "/" + id, Resource: r.view(x, view), Mode: "match"})
			}
			for _, res := range page.Included {
				e := srvBundleEntry{Resource: r.view(res, view), Mode: "include"}
				if m, ok := res.(srvMeta); ok {
					id, _, _ := m.srvMeta()
					e.FullURL = base + "/" + res.ResourceType() + "/" + id
				}
				b.Entries = append(b.Entries, e)
			}
		}
		if len(q.Ignored) > 0 || len(notes) > 0 {
			issues := notes
			for _, msg := range q.Ignored {
				issues = append(issues, ServerIssue{Severity: "warning", Code: "not-supported", Diagnostics: msg + " (ignored)"})
			}
			b.Entries = append(b.Entries, srvBundleEntry{Resource: r.model.outcome(issues), Mode: "outcome"})
		}
		r.write(w, http.StatusOK, r.model.bundle(b))
	}
}

// ServerCursor and ServerParseCursor encode an offset as an opaque cursor, for services
// that page by offset.
func ServerCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o" + strconv.Itoa(offset)))
}

// ServerParseCursor reads a cursor made by ServerCursor ("" is offset 0).
func ServerParseCursor(c string) (int, bool) {
	if c == "" {
		return 0, true
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || b[0] != 'o' {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[1:]))
	return n, err == nil && n >= 0
}
