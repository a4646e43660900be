package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

// Exporter runs FHIR Bulk Data $export (Bulk Data Access IG 2.0): kick-off, status
// polling, cancellation and NDJSON file serving. Each job is a BulkDataExport resource in
// the store: its status moves accepted → active → completed (or error, or cancelled), and
// once completed its JSON is the manifest the status URL answers with.
type Exporter struct {
	Store   store.Store
	Dir     string // where NDJSON files are written, one directory per job
	BaseURL string // absolute base of the server, for the status and file URLs
	Types   []string
	// Compartment maps each type to the parameters that put it in a Patient's compartment
	// ("{def}" for Patient itself), read from the Patient CompartmentDefinition.
	Compartment map[string][]string
	// MaxFileBytes splits a type's output into several files (default 64 MiB).
	MaxFileBytes int64
	// MaxExportBytes fails a job whose output grows past it (0: no limit).
	MaxExportBytes int64
	// TTL is how long a finished job's files are kept (default 24h).
	TTL time.Duration
	// RetryAfter is the Retry-After of a 202 poll answer (default 1s).
	RetryAfter time.Duration
	Log        *slog.Logger

	once     sync.Once
	wake     chan struct{}
	mu       sync.Mutex
	progress map[string]string             // job id → X-Progress
	running  map[string]context.CancelFunc // job id → cancel of the running job
}

func (e *Exporter) init() {
	e.once.Do(func() {
		e.wake = make(chan struct{}, 1)
		e.progress = map[string]string{}
		e.running = map[string]context.CancelFunc{}
		if e.MaxFileBytes <= 0 {
			e.MaxFileBytes = 64 << 20
		}
		if e.TTL <= 0 {
			e.TTL = 24 * time.Hour
		}
		if e.RetryAfter <= 0 {
			e.RetryAfter = time.Second
		}
		if e.Log == nil {
			e.Log = slog.Default()
		}
	})
}

// CompartmentFrom reads the resource types and parameters of a CompartmentDefinition.
func CompartmentFrom(cd *fhir.CompartmentDefinition) map[string][]string {
	out := map[string][]string{}
	for _, r := range cd.Resource {
		if len(r.Param) > 0 {
			out[string(r.Code)] = r.Param
		}
	}
	return out
}

// Register adds the $export routes to mux.
func (e *Exporter) Register(mux *http.ServeMux) {
	e.init()
	for _, m := range []string{"GET", "POST"} {
		mux.HandleFunc(m+" /$export", e.kickoff("system"))
		mux.HandleFunc(m+" /Patient/$export", e.kickoff("patient"))
		mux.HandleFunc(m+" /Group/{id}/$export", e.kickoff("group"))
	}
	mux.HandleFunc("GET /bulkstatus/{id}", e.status)
	mux.HandleFunc("DELETE /bulkstatus/{id}", e.cancel)
	mux.HandleFunc("GET /bulkfiles/{id}/{name}", e.file)
}

// WriteOutcome answers status with an OperationOutcome of one issue.
func WriteOutcome(w http.ResponseWriter, status int, code, msg string) {
	oo := &fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{Severity: "error", Code: fhir.IssueType(code), Diagnostics: msg}}}
	data, _ := oo.MarshalJSON()
	w.Header().Set("Content-Type", "application/fhir+json")
	w.WriteHeader(status)
	w.Write(data)
}

var outputFormats = []string{"", "application/fhir+ndjson", "application/ndjson", "ndjson"}

// exportParams are the parameters of a kick-off, kept in the job's request URL.
type exportParams struct {
	level string // system, patient, group
	group string
	types []string
	since time.Time
}

func (e *Exporter) kickoff(level string) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		if !strings.Contains(req.Header.Get("Prefer"), "respond-async") {
			WriteOutcome(w, 400, "invalid", "$export needs the header Prefer: respond-async")
			return
		}
		values, err := kickoffValues(req)
		if err != nil {
			WriteOutcome(w, 400, "invalid", err.Error())
			return
		}
		p, err := e.parse(level, req.PathValue("id"), values)
		if err != nil {
			WriteOutcome(w, 400, "invalid", err.Error())
			return
		}
		if p.level == "group" {
			g, err := e.Store.Read(req.Context(), "Group", p.group)
			if err != nil || g.Deleted {
				WriteOutcome(w, 404, "not-found", "Group/"+p.group+" is not known")
				return
			}
		}
		job := &fhir.BulkDataExport{
			Status:              fhir.AsyncJobStatusAccepted,
			RequestTime:         Instant(time.Now()),
			Request:             e.requestURL(p),
			RequiresAccessToken: fhir.Bool(false),
		}
		id := NewID()
		if _, err := e.Store.Write(req.Context(), store.Write{Type: "BulkDataExport", ID: id, CreateOnly: true, Method: "POST", Build: build(job, id)}); err != nil {
			e.Log.Error("export kick-off", "err", err)
			WriteOutcome(w, 500, "exception", "the export job could not be stored")
			return
		}
		e.Log.Info("export accepted", "job", id, "request", job.Request)
		select {
		case e.wake <- struct{}{}:
		default:
		}
		w.Header().Set("Content-Location", e.BaseURL+"/bulkstatus/"+id)
		WriteOutcomeInfo(w, http.StatusAccepted, "export "+id+" accepted")
	}
}

// WriteOutcomeInfo answers status with an informational OperationOutcome.
func WriteOutcomeInfo(w http.ResponseWriter, status int, msg string) {
	oo := &fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{Severity: "information", Code: "informational", Diagnostics: msg}}}
	data, _ := oo.MarshalJSON()
	w.Header().Set("Content-Type", "application/fhir+json")
	w.WriteHeader(status)
	w.Write(data)
}

// kickoffValues reads the parameters of a GET query or of a POST Parameters resource.
func kickoffValues(req *http.Request) (url.Values, error) {
	if req.Method == http.MethodGet {
		return req.URL.Query(), nil
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	out := url.Values{}
	if len(strings.TrimSpace(string(body))) == 0 {
		return out, nil
	}
	var ps fhir.Parameters
	if err := ps.UnmarshalJSON(body); err != nil {
		return nil, fmt.Errorf("the $export body is not a Parameters resource: %v", err)
	}
	for _, p := range ps.Parameter {
		switch v := p.Value.(type) {
		case *fhir.StringValue:
			out.Add(p.Name, v.Value)
		case *fhir.InstantValue:
			out.Add(p.Name, v.Value)
		case *fhir.CodeValue:
			out.Add(p.Name, v.Value)
		default:
			return nil, fmt.Errorf("$export parameter %s: this server takes valueString, valueCode or valueInstant", p.Name)
		}
	}
	return out, nil
}

func (e *Exporter) parse(level, group string, values url.Values) (exportParams, error) {
	p := exportParams{level: level, group: group}
	allowed := e.Types
	if level != "system" {
		allowed = nil
		for _, t := range e.Types {
			if _, ok := e.Compartment[t]; ok {
				allowed = append(allowed, t)
			}
		}
	}
	for k, vs := range values {
		switch k {
		case "_outputFormat":
			if len(vs) != 1 || !slices.Contains(outputFormats, vs[0]) {
				return p, fmt.Errorf("_outputFormat %q is not supported: use application/fhir+ndjson", strings.Join(vs, ","))
			}
		case "_since":
			t, err := time.Parse(time.RFC3339Nano, vs[0])
			if err != nil || len(vs) != 1 {
				return p, fmt.Errorf("_since %q is not a FHIR instant", strings.Join(vs, ","))
			}
			p.since = t
		case "_type":
			for _, v := range vs {
				for _, t := range strings.Split(v, ",") {
					if !slices.Contains(allowed, t) {
						return p, fmt.Errorf("_type %s cannot be exported at the %s level: this server exports %s", t, level, strings.Join(allowed, ", "))
					}
					if !slices.Contains(p.types, t) {
						p.types = append(p.types, t)
					}
				}
			}
		default:
			return p, fmt.Errorf("$export parameter %s is not supported by this server", k)
		}
	}
	if len(p.types) == 0 {
		p.types = allowed
	}
	return p, nil
}

func (e *Exporter) requestURL(p exportParams) string {
	path := "/$export"
	switch p.level {
	case "patient":
		path = "/Patient/$export"
	case "group":
		path = "/Group/" + p.group + "/$export"
	}
	v := url.Values{}
	v.Set("_type", strings.Join(p.types, ","))
	if !p.since.IsZero() {
		v.Set("_since", Instant(p.since))
	}
	return e.BaseURL + path + "?" + v.Encode()
}

// paramsOf reads back the parameters of a job from its request URL.
func (e *Exporter) paramsOf(job *fhir.BulkDataExport) (exportParams, error) {
	u, err := url.Parse(job.Request)
	if err != nil {
		return exportParams{}, err
	}
	path := strings.TrimPrefix(u.Path, mustPath(e.BaseURL))
	level, group := "system", ""
	switch {
	case path == "/Patient/$export":
		level = "patient"
	case strings.HasPrefix(path, "/Group/"):
		level, group = "group", strings.TrimSuffix(strings.TrimPrefix(path, "/Group/"), "/$export")
	}
	return e.parse(level, group, u.Query())
}

func mustPath(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, "/")
}

func (e *Exporter) load(ctx context.Context, id string) (*fhir.BulkDataExport, store.Resource, error) {
	if !store.ValidID(id) {
		return nil, store.Resource{}, store.ErrNotFound
	}
	r, err := e.Store.Read(ctx, "BulkDataExport", id)
	if err != nil {
		return nil, r, err
	}
	if r.Deleted {
		return nil, r, store.ErrNotFound
	}
	job, err := decode[fhir.BulkDataExport](r)
	return job, r, err
}

func (e *Exporter) status(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	job, _, err := e.load(req.Context(), id)
	if err != nil {
		WriteOutcome(w, 404, "not-found", "export "+id+" is not known")
		return
	}
	switch job.Status {
	case fhir.AsyncJobStatusAccepted, fhir.AsyncJobStatusActive:
		e.mu.Lock()
		prog := e.progress[id]
		e.mu.Unlock()
		if prog == "" {
			prog = string(job.Status)
		}
		w.Header().Set("X-Progress", prog)
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(e.RetryAfter/time.Second))))
		w.WriteHeader(http.StatusAccepted)
	case fhir.AsyncJobStatusCompleted:
		data, _ := job.MarshalJSON()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Expires", time.Now().Add(e.TTL).UTC().Format(http.TimeFormat))
		w.Write(data)
	case fhir.AsyncJobStatusError:
		msg := "the export failed"
		if len(job.Error) > 0 {
			msg += "; the OperationOutcome is at " + job.Error[0].URL
		}
		WriteOutcome(w, 500, "exception", msg)
	default: // cancelled
		WriteOutcome(w, 404, "not-found", "export "+id+" was cancelled")
	}
}

func (e *Exporter) cancel(w http.ResponseWriter, req *http.Request) {
	id := req.PathValue("id")
	for {
		job, r, err := e.load(req.Context(), id)
		if err != nil || job.Status == fhir.AsyncJobStatusCancelled {
			WriteOutcome(w, 404, "not-found", "export "+id+" is not known or already cancelled")
			return
		}
		job.Status = fhir.AsyncJobStatusCancelled
		_, err = e.Store.Write(req.Context(), store.Write{Type: "BulkDataExport", ID: id, IfMatch: r.Version, Method: "PUT", Build: build(job, id)})
		if errors.Is(err, store.ErrVersionConflict) {
			continue // the worker moved it on: look again
		}
		if err != nil {
			WriteOutcome(w, 500, "exception", "the export could not be cancelled")
			return
		}
		break
	}
	e.mu.Lock()
	if stop := e.running[id]; stop != nil {
		stop()
	}
	e.mu.Unlock()
	os.RemoveAll(filepath.Join(e.Dir, id))
	e.Log.Info("export cancelled", "job", id)
	WriteOutcomeInfo(w, http.StatusAccepted, "export "+id+" cancelled")
}

func (e *Exporter) file(w http.ResponseWriter, req *http.Request) {
	id, name := req.PathValue("id"), req.PathValue("name")
	if !store.ValidID(id) || !store.ValidID(strings.TrimSuffix(name, ".ndjson")) || !strings.HasSuffix(name, ".ndjson") {
		WriteOutcome(w, 404, "not-found", "no such export file")
		return
	}
	f, err := os.Open(filepath.Join(e.Dir, id, name))
	if err != nil {
		WriteOutcome(w, 404, "not-found", "no such export file")
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/fhir+ndjson")
	if st, err := f.Stat(); err == nil {
		w.Header().Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	}
	io.Copy(w, f) // streamed: the file is never held in memory
}

// Run executes jobs until ctx ends. At start, a job left active by a stopped server is
// run again from the beginning (its files are rewritten, its transactionTime renewed).
func (e *Exporter) Run(ctx context.Context) {
	e.init()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	lastSweep := time.Time{}
	for {
		if time.Since(lastSweep) > time.Minute/4 {
			e.sweep(ctx)
			lastSweep = time.Now()
		}
		for ctx.Err() == nil {
			id, ok := e.next(ctx)
			if !ok {
				break
			}
			e.run(ctx, id)
		}
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-tick.C:
		}
	}
}

// next finds the oldest job waiting to run (accepted, or active after a restart).
func (e *Exporter) next(ctx context.Context) (string, bool) {
	q := store.Query{Type: "BulkDataExport", Count: 1, Sort: []store.Sort{{Param: "_lastUpdated"}},
		Filters: []store.Filter{{Param: "status", Kind: "token", Values: []store.Value{{Code: "accepted"}, {Code: "active"}}}}}
	page, err := e.Store.Search(ctx, q)
	if err != nil || len(page.Resources) == 0 {
		if err != nil && ctx.Err() == nil {
			e.Log.Error("export queue", "err", err)
		}
		return "", false
	}
	return page.Resources[0].ID, true
}

// sweep removes the files and records of finished jobs older than the TTL.
func (e *Exporter) sweep(ctx context.Context) {
	q := store.Query{Type: "BulkDataExport", Count: 100,
		Filters: []store.Filter{
			{Param: "status", Kind: "token", Values: []store.Value{{Code: "completed"}, {Code: "error"}, {Code: "cancelled"}}},
			{Param: "_lastUpdated", Kind: "date", Values: []store.Value{{Prefix: "lt", Start: time.Now().Add(-e.TTL).UnixMilli()}}},
		}}
	page, err := e.Store.Search(ctx, q)
	if err != nil {
		return
	}
	for _, r := range page.Resources {
		os.RemoveAll(filepath.Join(e.Dir, r.ID))
		if _, err := e.Store.Write(ctx, store.Write{Type: "BulkDataExport", ID: r.ID, Delete: true}); err == nil {
			e.Log.Info("export expired", "job", r.ID)
		}
	}
}

func (e *Exporter) setProgress(id, p string) {
	e.mu.Lock()
	if p == "" {
		delete(e.progress, id)
	} else {
		e.progress[id] = p
	}
	e.mu.Unlock()
}

// errCancelled stops a job that was cancelled while it ran.
var errCancelled = errors.New("export cancelled")

// run executes one job; its record is updated with If-Match, so a cancellation made
// meanwhile is never overwritten.
func (e *Exporter) run(parent context.Context, id string) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	e.mu.Lock()
	e.running[id] = cancel
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.running, id)
		e.mu.Unlock()
		e.setProgress(id, "")
	}()

	job, r, err := e.load(ctx, id)
	if err != nil {
		return
	}
	if job.Status == fhir.AsyncJobStatusActive {
		e.Log.Warn("export resumed after a restart: running it again", "job", id)
	}
	job.Status = fhir.AsyncJobStatusActive
	job.TransactionTime = Instant(time.Now())
	job.Output, job.Deleted, job.Error = nil, nil, nil
	version, err := e.save(ctx, job, r.Version)
	if err != nil {
		return
	}
	dir := filepath.Join(e.Dir, id)
	os.RemoveAll(dir)
	start := time.Now()
	err = e.export(ctx, job, dir)
	if errors.Is(err, errCancelled) || parent.Err() != nil {
		if parent.Err() != nil {
			e.Log.Info("export interrupted by shutdown; it resumes at the next start", "job", id)
		}
		return // cancelled: the cancel handler owns the record; shutdown: stays active
	}
	if err != nil {
		e.Log.Error("export failed", "job", id, "err", err)
		os.RemoveAll(dir)
		job.Output, job.Deleted = nil, nil
		job.Status = fhir.AsyncJobStatusError
		job.Error = nil
		if url, werr := e.writeError(dir, id, err); werr == nil {
			job.Error = []fhir.BulkDataExportError{{Type: "OperationOutcome", URL: url}}
		}
	} else {
		job.Status = fhir.AsyncJobStatusCompleted
		e.Log.Info("export completed", "job", id, "files", len(job.Output), "took", time.Since(start).Round(time.Millisecond))
	}
	e.save(ctx, job, version)
}

// save writes the job record if it is still at version; a cancelled job is left alone.
func (e *Exporter) save(ctx context.Context, job *fhir.BulkDataExport, version int64) (int64, error) {
	out, err := e.Store.Write(ctx, store.Write{Type: "BulkDataExport", ID: job.ID, IfMatch: version, Method: "PUT", Build: build(job, job.ID)})
	if err != nil {
		return 0, err
	}
	return out[0].Version, nil
}

func (e *Exporter) writeError(dir, id string, cause error) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	oo := &fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{Severity: "error", Code: "exception", Diagnostics: cause.Error()}}}
	data, _ := oo.MarshalJSON()
	if err := os.WriteFile(filepath.Join(dir, "errors.ndjson"), append(data, '\n'), 0o644); err != nil {
		return "", err
	}
	return e.BaseURL + "/bulkfiles/" + id + "/errors.ndjson", nil
}

// export writes the NDJSON files of a job and fills its output[] and deleted[].
func (e *Exporter) export(ctx context.Context, job *fhir.BulkDataExport, dir string) error {
	p, err := e.paramsOf(job)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var total int64
	for i, typ := range p.types {
		e.setProgress(job.ID, fmt.Sprintf("exporting %s (%d of %d types)", typ, i+1, len(p.types)))
		sq := store.ScanQuery{Type: typ, Since: p.since}
		if p.level != "system" {
			params := e.Compartment[typ]
			if typ == "Patient" {
				params = nil
			}
			sq.Compartment = &store.Compartment{Params: params, Group: p.group}
		}
		w := &splitWriter{dir: dir, prefix: typ, max: e.MaxFileBytes}
		err := e.Store.Scan(ctx, sq, func(r store.Resource) error {
			if ctx.Err() != nil {
				return errCancelled
			}
			total += int64(len(r.Data)) + 1
			if e.MaxExportBytes > 0 && total > e.MaxExportBytes {
				return fmt.Errorf("the export is larger than this server's limit of %d bytes", e.MaxExportBytes)
			}
			return w.line(r.Data)
		})
		if cerr := w.close(); err == nil {
			err = cerr
		}
		if ctx.Err() != nil {
			return errCancelled
		}
		if err != nil {
			return err
		}
		for _, name := range w.files {
			job.Output = append(job.Output, fhir.BulkDataExportOutput{Type: fhir.ResourceType(typ), URL: e.BaseURL + "/bulkfiles/" + job.ID + "/" + name})
		}
		if !p.since.IsZero() && p.level == "system" {
			if err := e.exportDeleted(ctx, job, dir, typ, p.since); err != nil {
				return err
			}
		}
	}
	return nil
}

// exportDeleted lists the resources of typ deleted since the given time as Bundles of
// DELETE requests (the IG's deleted[]).
func (e *Exporter) exportDeleted(ctx context.Context, job *fhir.BulkDataExport, dir, typ string, since time.Time) error {
	w := &splitWriter{dir: dir, prefix: "deleted-" + typ, max: e.MaxFileBytes}
	err := e.Store.Scan(ctx, store.ScanQuery{Type: typ, Since: since, Deleted: true}, func(r store.Resource) error {
		b := &fhir.Bundle{Type: "transaction", Entry: []fhir.BundleEntry{{Request: &fhir.BundleEntryRequest{Method: "DELETE", URL: typ + "/" + r.ID}}}}
		data, err := b.MarshalJSON()
		if err != nil {
			return err
		}
		return w.line(data)
	})
	if cerr := w.close(); err == nil {
		err = cerr
	}
	for _, name := range w.files {
		job.Deleted = append(job.Deleted, fhir.BulkDataExportDeleted{Type: "Bundle", URL: e.BaseURL + "/bulkfiles/" + job.ID + "/" + name})
	}
	return err
}

// splitWriter writes NDJSON lines to prefix-1.ndjson, prefix-2.ndjson, ..., starting a
// new file once one reaches max bytes; no file is made for no lines.
type splitWriter struct {
	dir, prefix string
	max         int64
	files       []string
	f           *os.File
	bw          *bufio.Writer
	n           int64
}

func (s *splitWriter) line(data []byte) error {
	if s.f != nil && s.n >= s.max {
		if err := s.close(); err != nil {
			return err
		}
	}
	if s.f == nil {
		name := fmt.Sprintf("%s-%d.ndjson", s.prefix, len(s.files)+1)
		f, err := os.Create(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		s.f, s.bw, s.n = f, bufio.NewWriterSize(f, 256<<10), 0
		s.files = append(s.files, name)
	}
	s.bw.Write(data)
	s.n += int64(len(data)) + 1
	return s.bw.WriteByte('\n')
}

func (s *splitWriter) close() error {
	if s.f == nil {
		return nil
	}
	err := s.bw.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f, s.bw = nil, nil
	return err
}
