// Package server is a FHIR R4 server built only on what fhirgen generates (the fhir
// package beside it: types, JSON, validators, search-index extractors and the router)
// over a store.Store, with the Bulk Data $export operation on top.
package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

// Service implements the generated per-resource interfaces (PatientReader,
// ObservationSearcher, ...) over a Store. Every write stamps meta.versionId and
// meta.lastUpdated and writes the resource's search index in the same transaction.
type Service struct {
	Store store.Store
	// MaxCount caps _count (default 1000); DefaultCount is the page size without it (50).
	MaxCount, DefaultCount int
}

// resource is what the generic helpers need of a generated resource type.
type resource[T any] interface {
	*T
	fhir.Resource
	UnmarshalJSON([]byte) error
}

// stamp returns pointers to the id and meta of a resource of the served types.
func stamp(r fhir.Resource) (*string, **fhir.Meta) {
	switch x := r.(type) {
	case *fhir.Patient:
		return &x.ID, &x.Meta
	case *fhir.Observation:
		return &x.ID, &x.Meta
	case *fhir.Encounter:
		return &x.ID, &x.Meta
	case *fhir.Condition:
		return &x.ID, &x.Meta
	case *fhir.Group:
		return &x.ID, &x.Meta
	case *fhir.BulkDataExport:
		return &x.ID, &x.Meta
	case *fhir.DeviceReading:
		return &x.ID, &x.Meta
	}
	panic("server: no id/meta for " + r.ResourceType())
}

// NewID returns a random FHIR id (32 hex digits).
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Instant formats t as a FHIR instant with milliseconds.
func Instant(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// build returns the store callback that stamps r with its new version and indexes it.
func build(r fhir.Resource, id string) func(int64, time.Time) ([]byte, []store.IndexEntry, error) {
	return func(version int64, at time.Time) ([]byte, []store.IndexEntry, error) {
		idp, meta := stamp(r)
		*idp = id
		if *meta == nil {
			*meta = &fhir.Meta{}
		}
		(*meta).VersionID = strconv.FormatInt(version, 10)
		(*meta).LastUpdated = Instant(at)
		data, err := r.MarshalJSON()
		if err != nil {
			return nil, nil, err
		}
		return data, Index(r), nil
	}
}

// Index converts the generated search index of r to store entries. _id and
// _lastUpdated are columns of the resource table and are not repeated.
func Index(r fhir.Resource) []store.IndexEntry {
	entries := fhir.ExtractSearchIndex(r)
	out := make([]store.IndexEntry, 0, len(entries))
	for _, e := range entries {
		if e.Param == "_id" || e.Param == "_lastUpdated" {
			continue
		}
		ie := store.IndexEntry{Param: e.Param, Kind: e.Type, System: e.System, Code: e.Code, Value: e.Value, Folded: e.Folded}
		switch e.Type {
		case "date":
			ie.Lo, ie.Hi = bound(e.Start, minMillis), bound(e.End, maxMillis)
		case "reference":
			ie.Value, ie.RefType, ie.RefID = e.Reference, e.ResourceType, e.ID
			if ie.Value == "" {
				ie.Value = e.URL
			}
			if ie.Value == "" {
				continue // identifier-only reference: not searchable here
			}
		case "token":
			if e.Code == "" {
				continue // a CodeableConcept with text only
			}
		case "number", "quantity":
			f, err := strconv.ParseFloat(e.Value, 64)
			if err != nil {
				continue // a Range: not indexed by this server
			}
			ie.Number = f
		}
		out = append(out, ie)
	}
	return out
}

const (
	minMillis = -62135596800000 // 0001-01-01
	maxMillis = 253402300799999 // 9999-12-31T23:59:59.999
)

func bound(instant string, open int64) int64 {
	if instant == "" {
		return open
	}
	t, err := time.Parse(time.RFC3339Nano, instant)
	if err != nil {
		return open
	}
	return t.UnixMilli()
}

// decode turns a stored version into its generated type.
func decode[T any, PT resource[T]](r store.Resource) (*T, error) {
	var x T
	if err := PT(&x).UnmarshalJSON(r.Data); err != nil {
		return nil, fmt.Errorf("stored %s/%s version %d does not decode: %w", r.Type, r.ID, r.Version, err)
	}
	return &x, nil
}

func storeErr(typ, id string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fhir.NotFoundError(typ + "/" + id + " is not known")
	case errors.Is(err, store.ErrVersionConflict):
		return fhir.PreconditionFailedError(err.Error())
	case errors.Is(err, store.ErrExists):
		return fhir.ConflictError(err.Error())
	}
	return err
}

func validID(typ, id string) error {
	if !store.ValidID(id) {
		return fhir.NewServerError(400, "invalid", fmt.Sprintf("%q is not a FHIR id ([A-Za-z0-9-.]{1,64})", id))
	}
	return nil
}

func read[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.ReadRequest) (*T, error) {
	if err := validID(typ, req.ID); err != nil {
		return nil, err
	}
	r, err := s.Store.Read(ctx, typ, req.ID)
	if err != nil {
		return nil, storeErr(typ, req.ID, err)
	}
	if r.Deleted {
		return nil, fhir.GoneError(typ + "/" + req.ID + " was deleted")
	}
	return decode[T, PT](r)
}

func vread[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.VReadRequest) (*T, error) {
	v, err := strconv.ParseInt(req.VersionID, 10, 64)
	if err != nil || v < 1 {
		return nil, fhir.NotFoundError(typ + "/" + req.ID + " has no version " + req.VersionID)
	}
	r, err := s.Store.ReadVersion(ctx, typ, req.ID, v)
	if err != nil {
		return nil, storeErr(typ, req.ID, err)
	}
	if r.Deleted {
		return nil, fhir.GoneError(typ + "/" + req.ID + " version " + req.VersionID + " is a deletion")
	}
	return decode[T, PT](r)
}

func create[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.CreateRequest[T]) (*T, fhir.Saved, error) {
	if req.IfNoneExist != nil {
		page, err := s.search(ctx, typ, req.IfNoneExist, 2)
		if err != nil {
			return nil, fhir.Existing, err
		}
		switch len(page.Resources) {
		case 1:
			x, err := decode[T, PT](page.Resources[0])
			return x, fhir.Existing, err
		case 2:
			return nil, fhir.Existing, fhir.PreconditionFailedError("If-None-Exist matches more than one " + typ)
		}
	}
	res := PT(req.Resource)
	id := NewID()
	out, err := s.Store.Write(ctx, store.Write{Type: typ, ID: id, CreateOnly: true, Method: "POST", Build: build(res, id)})
	if err != nil {
		return nil, fhir.Existing, storeErr(typ, id, err)
	}
	_ = out
	return req.Resource, fhir.Created, nil
}

func update[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.UpdateRequest[T]) (*T, fhir.Saved, error) {
	res := PT(req.Resource)
	id := req.ID
	if req.Conditional != nil {
		page, err := s.search(ctx, typ, req.Conditional, 2)
		if err != nil {
			return nil, fhir.Existing, err
		}
		switch len(page.Resources) {
		case 0:
			idp, _ := stamp(res)
			if id = *idp; id == "" {
				id = NewID()
			}
		case 1:
			id = page.Resources[0].ID
		default:
			return nil, fhir.Existing, fhir.PreconditionFailedError("the conditional update matches more than one " + typ)
		}
	}
	if err := validID(typ, id); err != nil {
		return nil, fhir.Existing, err
	}
	if idp, _ := stamp(res); *idp != "" && *idp != id {
		return nil, fhir.Existing, fhir.NewServerError(400, "invalid", fmt.Sprintf("the resource's id %q is not the id of the URL %q", *idp, id))
	}
	w := store.Write{Type: typ, ID: id, Method: "PUT", Build: build(res, id)}
	if req.IfMatch != "" {
		v, err := strconv.ParseInt(req.IfMatch, 10, 64)
		if err != nil || v < 1 {
			return nil, fhir.Existing, fhir.PreconditionFailedError("If-Match " + req.IfMatch + " is not a version of " + typ + "/" + id)
		}
		w.IfMatch = v
	}
	out, err := s.Store.Write(ctx, w)
	if err != nil {
		return nil, fhir.Existing, storeErr(typ, id, err)
	}
	return req.Resource, fhir.Saved(out[0].Version == 1 || isRecreate(ctx, s, typ, id, out[0].Version)), nil
}

// isRecreate reports whether the version before v was a deletion (an update that brings a
// resource back creates it anew: 201).
func isRecreate(ctx context.Context, s *Service, typ, id string, v int64) bool {
	prev, err := s.Store.ReadVersion(ctx, typ, id, v-1)
	return err == nil && prev.Deleted
}

func remove(ctx context.Context, s *Service, typ string, req fhir.DeleteRequest) error {
	id := req.ID
	if req.Conditional != nil {
		page, err := s.search(ctx, typ, req.Conditional, 2)
		if err != nil {
			return err
		}
		switch len(page.Resources) {
		case 0:
			return nil
		case 1:
			id = page.Resources[0].ID
		default:
			return fhir.PreconditionFailedError("the conditional delete matches more than one " + typ)
		}
	}
	if err := validID(typ, id); err != nil {
		return err
	}
	_, err := s.Store.Write(ctx, store.Write{Type: typ, ID: id, Delete: true})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleting what is not there succeeds (FHIR: 200/204)
	}
	return storeErr(typ, id, err)
}

func history[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.HistoryRequest) (*fhir.HistoryPage[T], error) {
	if req.Since != "" || req.At != "" {
		return nil, fhir.NotImplementedError("_since and _at are not supported on history")
	}
	if req.ID != "" {
		if err := validID(typ, req.ID); err != nil {
			return nil, err
		}
	}
	offset, ok := fhir.ServerParseCursor(req.Cursor)
	if !ok {
		return nil, fhir.BadRequestError("_cursor is not a cursor of this server")
	}
	count := s.count(req.Count)
	rs, total, err := s.Store.History(ctx, typ, req.ID, offset, count)
	if err != nil {
		return nil, err
	}
	if req.ID != "" && total == 0 {
		return nil, fhir.NotFoundError(typ + "/" + req.ID + " is not known")
	}
	page := &fhir.HistoryPage[T]{Total: &total}
	for _, r := range rs {
		e := fhir.HistoryEntry[T]{ID: r.ID, VersionID: strconv.FormatInt(r.Version, 10), Method: r.Method, LastModified: Instant(r.LastUpdated)}
		if !r.Deleted {
			if e.Resource, err = decode[T, PT](r); err != nil {
				return nil, err
			}
		}
		page.Entries = append(page.Entries, e)
	}
	if offset+len(rs) < total {
		page.Next = fhir.ServerCursor(offset + len(rs))
	}
	return page, nil
}

func (s *Service) count(n int) int {
	def, max := s.DefaultCount, s.MaxCount
	if def <= 0 {
		def = 50
	}
	if max <= 0 {
		max = 1000
	}
	switch {
	case n < 0:
		return def
	case n > max:
		return max
	}
	return n
}

func search[T any, PT resource[T]](ctx context.Context, s *Service, typ string, req fhir.ServerSearchRequest) (*fhir.ServerSearchPage[T], error) {
	q := req.Query
	offset, ok := fhir.ServerParseCursor(q.Cursor)
	if !ok {
		return nil, fhir.BadRequestError("_cursor is not a cursor of this server")
	}
	sq, err := Query(typ, q)
	if err != nil {
		return nil, err
	}
	sq.Offset, sq.Count = offset, s.count(q.Count)
	page, err := s.Store.Search(ctx, sq)
	if err != nil {
		return nil, err
	}
	out := &fhir.ServerSearchPage[T]{}
	if page.Total >= 0 {
		out.Total = &page.Total
	}
	for _, r := range page.Resources {
		x, err := decode[T, PT](r)
		if err != nil {
			return nil, err
		}
		out.Resources = append(out.Resources, x)
	}
	if page.More {
		out.Next = fhir.ServerCursor(offset + len(page.Resources))
	}
	return out, nil
}

// search runs a parsed query for conditional interactions.
func (s *Service) search(ctx context.Context, typ string, q *fhir.ServerQuery, count int) (store.Page, error) {
	sq, err := Query(typ, q)
	if err != nil {
		return store.Page{}, err
	}
	sq.Count = count
	return s.Store.Search(ctx, sq)
}

// Query translates the router's parsed search into a store query; what this server
// cannot answer is a 400 naming the parameter.
func Query(typ string, q *fhir.ServerQuery) (store.Query, error) {
	sq := store.Query{Type: typ, Total: q.Total == "accurate" || q.Total == "estimate", OnlyCnt: q.Summary == "count"}
	if len(q.Include) > 0 || len(q.RevInclude) > 0 {
		return sq, fhir.BadRequestError("_include and _revinclude are not supported by this server")
	}
	for _, p := range q.Params {
		if len(p.Chain) > 0 {
			return sq, fhir.BadRequestError("search parameter " + p.Code + ": chained searches are not supported by this server")
		}
		f := store.Filter{Param: p.Code, Kind: p.Type, Modifier: p.Modifier}
		for _, v := range p.Values {
			sv := store.Value{Prefix: v.Prefix, System: v.System, Code: v.Code, HasSystem: v.HasSystem, Text: v.Raw,
				Low: v.Low, High: v.High, RefType: v.RefType, RefID: v.RefID, Missing: v.Missing}
			if p.Type == "string" {
				sv.Folded = fhir.SearchFold(v.Raw)
			}
			if p.Type == "date" {
				sv.Start, sv.End = v.Start.UnixMilli(), v.End.UnixMilli()
			}
			if p.Type == "reference" && v.URL != "" {
				sv.Text = v.URL
			}
			f.Values = append(f.Values, sv)
		}
		sq.Filters = append(sq.Filters, f)
	}
	for _, srt := range q.Sort {
		kind := ""
		for _, d := range fhir.SearchParameters(typ) {
			if d.Code == srt.Code {
				kind = d.Type
			}
		}
		if srt.Code != "_id" && srt.Code != "_lastUpdated" && kind != "date" && kind != "string" {
			return sq, fhir.BadRequestError("_sort=" + srt.Code + " is not supported: sort on _id, _lastUpdated, a date or a string parameter")
		}
		sq.Sort = append(sq.Sort, store.Sort{Param: srt.Code, Kind: kind, Desc: srt.Desc})
	}
	for _, f := range sq.Filters {
		if f.Param != "_id" && f.Param != "_lastUpdated" && !indexed(f.Kind) {
			return sq, fhir.BadRequestError("search parameter " + f.Param + ": " + f.Kind + " parameters are not supported by this server")
		}
	}
	return sq, nil
}

// ServerSearchParams lists the search parameters this server answers for a type, so
// that GET /metadata advertises only those: _id, _lastUpdated and every parameter the
// search index holds (one the extractor indexes, of a kind the store queries).
func (s *Service) ServerSearchParams(resourceType string) []string {
	codes := []string{"_id", "_lastUpdated"}
	for _, p := range fhir.SearchParameters(resourceType) {
		if p.Indexed && indexed(p.Type) && p.Code != "_id" && p.Code != "_lastUpdated" {
			codes = append(codes, p.Code)
		}
	}
	return codes
}

func indexed(kind string) bool {
	return strings.Contains(" token string date reference uri number quantity ", " "+kind+" ")
}
