// Package store is the storage of the bulk export server: versioned FHIR resources with
// history and tombstones, and a search index written in the same transaction as the
// resource. It knows nothing of the generated FHIR package: resources are JSON bytes,
// index entries and queries are plain structs, so one Store serves any generated model.
//
// Two implementations share one SQL core: OpenSQLite (modernc.org/sqlite, pure Go, one
// file) and OpenPostgres (github.com/jackc/pgx/v5).
package store

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Errors a Store returns; test with errors.Is.
var (
	ErrNotFound = errors.New("store: resource not found")
	// ErrVersionConflict: the If-Match version is not the current one.
	ErrVersionConflict = errors.New("store: version conflict")
	// ErrExists: a create-only write found the resource already there.
	ErrExists = errors.New("store: resource exists")
)

// Store keeps versioned resources and their search index.
type Store interface {
	// Write applies the writes in one transaction, all or nothing, and returns the new
	// version of each.
	Write(ctx context.Context, ws ...Write) ([]Resource, error)
	// Read returns the current version (Deleted set for a tombstone) or ErrNotFound.
	Read(ctx context.Context, typ, id string) (Resource, error)
	// ReadVersion returns one version or ErrNotFound.
	ReadVersion(ctx context.Context, typ, id string, version int64) (Resource, error)
	// History returns versions newest first: of one resource (id set) or of a type, and
	// the total count.
	History(ctx context.Context, typ, id string, offset, count int) ([]Resource, int, error)
	// Search answers a query from the index.
	Search(ctx context.Context, q Query) (Page, error)
	// Explain returns the database's query plan for the query Search would run.
	Explain(ctx context.Context, q Query) (string, error)
	// Scan streams the current resources a scan selects (not deleted, or only the
	// tombstones with ScanQuery.Deleted), ordered by id.
	Scan(ctx context.Context, s ScanQuery, fn func(Resource) error) error
	// Close releases the database.
	Close() error
}

// Resource is one stored version of a resource.
type Resource struct {
	Type, ID    string
	Version     int64
	LastUpdated time.Time // UTC, millisecond precision
	Deleted     bool
	Method      string // POST, PUT or DELETE (history)
	Data        []byte // the resource's JSON; nil for a tombstone
}

// Write is one change. Build is called inside the transaction with the version and time
// the new version gets; it returns the resource's JSON and its index entries.
type Write struct {
	Type, ID string
	// IfMatch, when not zero, is the version the current one must be (ErrVersionConflict).
	IfMatch int64
	// CreateOnly fails with ErrExists when a current (not deleted) version exists.
	CreateOnly bool
	// Delete writes a tombstone (Build is not called); deleting a missing resource is
	// ErrNotFound, deleting a tombstone changes nothing.
	Delete bool
	Method string // POST or PUT, recorded in history
	Build  func(version int64, lastUpdated time.Time) ([]byte, []IndexEntry, error)
}

// IndexEntry is one search-index value of a resource (the generated SearchEntry, flat).
type IndexEntry struct {
	Param string
	Kind  string // token, string, date, reference, uri, number, quantity
	// token: System, Code. string: Value, Folded. uri: Value. reference: Value (as
	// written), RefType, RefID. quantity/number: Number, System, Code.
	System, Code, Value, Folded string
	RefType, RefID              string
	// date: the inclusive range in Unix milliseconds.
	Lo, Hi int64
	Number float64
}

// Query is a search on one resource type: filters are ANDed.
type Query struct {
	Type    string
	Filters []Filter
	Sort    []Sort
	Offset  int
	Count   int  // page size
	Total   bool // count all matches
	OnlyCnt bool // _summary=count: count, no resources
}

// Filter is one search parameter occurrence; its values are ORed.
type Filter struct {
	Param    string // "_id" and "_lastUpdated" are answered from the resource table
	Kind     string // token, string, date, reference, uri, number, quantity
	Modifier string // "", not, exact, contains, missing, below, or a resource type
	Values   []Value
}

// Value is one value of a Filter.
type Value struct {
	Prefix    string // eq ne gt lt ge le sa eb ap (date, number, quantity)
	System    string
	Code      string
	HasSystem bool
	Text      string // string, uri, reference as written
	Folded    string // string: Text folded as the index folds it (the generated SearchFold)
	// date: [Start, End) in Unix milliseconds; number/quantity: [Low, High).
	Start, End int64
	Low, High  float64
	RefType    string
	RefID      string
	Missing    bool
}

// Sort is one _sort key: _id, _lastUpdated, or a date or string parameter.
type Sort struct {
	Param string
	Kind  string
	Desc  bool
}

// Page is one page of search results.
type Page struct {
	Resources []Resource
	Total     int // -1 when not counted
	More      bool
}

// ScanQuery selects resources for an export.
type ScanQuery struct {
	Type  string
	Since time.Time // only resources updated after it (zero: all)
	// Compartment, when set, keeps only resources in the Patient compartment: Patients
	// themselves (Params empty) or resources referring to a Patient through Params.
	Compartment *Compartment
	// Deleted selects the tombstones instead (Data nil), for an export's deleted[].
	Deleted bool
}

// Compartment restricts a scan to the compartments of some patients.
type Compartment struct {
	Params []string // reference parameters of the type that link it to a Patient
	Group  string   // "" for every Patient, else the Patients that are members of Group/<id>
}

// ValidID reports whether id is a FHIR id: [A-Za-z0-9\-\.]{1,64}.
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// upperBound returns the smallest string greater than every string with the prefix p
// (byte order), or "" when there is none.
func upperBound(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// likeEscape escapes % _ and \ for LIKE ... ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
