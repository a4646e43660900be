package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/fhirgen/fhirgen/bench/r4"
	"github.com/google/fhir/go/fhirversion"
	"github.com/google/fhir/go/jsonformat"
	"google.golang.org/protobuf/proto"
)

// peer is one way of reading (and, when encode is set, writing) FHIR JSON in Go.
type peer struct {
	name   string
	decode func(d doc) (any, error)
	// encode writes a value decode returned; nil for a peer that only reads (json.Valid).
	encode func(v any) ([]byte, error)
	// clone, when set, copies a decoded value: encode changes the value it is given, so each
	// timed encode gets a fresh copy made with the timer stopped.
	clone func(v any) any
}

var (
	googleOnce sync.Once
	googleDec  *jsonformat.Unmarshaller
	googleEnc  *jsonformat.Marshaller
	googleErr  error
)

// googleCodec returns google/fhir's R4 unmarshaller (validating, times in UTC) and its
// compact marshaller, made once.
func googleCodec() (*jsonformat.Unmarshaller, *jsonformat.Marshaller, error) {
	googleOnce.Do(func() {
		googleDec, googleErr = jsonformat.NewUnmarshaller("UTC", fhirversion.R4)
		if googleErr == nil {
			googleEnc, googleErr = jsonformat.NewMarshaller(false, "", "", fhirversion.R4)
		}
	})
	return googleDec, googleEnc, googleErr
}

// peers are the libraries compared, in the order the benchmarks run them.
var peers = []peer{
	{
		name:   "fhirgen",
		decode: func(d doc) (any, error) { return r4.UnmarshalResource(d.data) },
		encode: func(v any) ([]byte, error) { return r4.Marshal(v.(r4.Resource)) },
	},
	{
		// samply's structs are chosen by resourceType when the corpus is loaded (its
		// package has no polymorphic decoder), so the timed part is json.Unmarshal alone.
		name:   "samply",
		decode: func(d doc) (any, error) { return samplyDecode(d.resourceType, d.data) },
		encode: func(v any) ([]byte, error) { return json.Marshal(v) },
	},
	{
		// google/fhir's Unmarshal returns the R4 ContainedResource holding the resource;
		// Marshal takes the same message.
		name: "google",
		decode: func(d doc) (any, error) {
			u, _, err := googleCodec()
			if err != nil {
				return nil, err
			}
			return u.Unmarshal(d.data)
		},
		encode: func(v any) ([]byte, error) {
			_, m, err := googleCodec()
			if err != nil {
				return nil, err
			}
			return m.Marshal(v.(proto.Message))
		},
		// Marshal changes the message it writes in most files (a second Marshal of the same
		// message differs or fails: "invalid DateTime precision" for a primitive that has
		// only extensions).
		clone: func(v any) any { return proto.Clone(v.(proto.Message)) },
	},
	{
		name: "map",
		decode: func(d doc) (any, error) {
			dec := json.NewDecoder(bytes.NewReader(d.data))
			dec.UseNumber()
			var v any
			err := dec.Decode(&v)
			return v, err
		},
		encode: func(v any) ([]byte, error) { return json.Marshal(v) },
	},
	{
		name: "valid",
		decode: func(d doc) (any, error) {
			if !json.Valid(d.data) {
				return nil, errors.New("invalid JSON")
			}
			return nil, nil
		},
	},
}

// prepared is a peer's share of the corpus: the files it decodes, what it decoded them to,
// and the files it cannot decode (left out of its figures).
type prepared struct {
	docs   []doc
	values []any
	bytes  int64
	failed []string // "file: error"
}

var (
	preparedMu sync.Mutex
	preparedBy = map[string]*prepared{}
)

// safeDecode runs p.decode, turning a panic into an error.
func safeDecode(p peer, d doc) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return p.decode(d)
}

// prepare decodes the corpus once with p, once per process. A peer that cannot decode a
// file is measured without it; the count is printed.
func prepare(tb testing.TB, p peer) *prepared {
	tb.Helper()
	docs := loadCorpus(tb)
	preparedMu.Lock()
	defer preparedMu.Unlock()
	if pr := preparedBy[p.name]; pr != nil {
		return pr
	}
	pr := &prepared{}
	for _, d := range docs {
		v, err := safeDecode(p, d)
		if err != nil {
			pr.failed = append(pr.failed, d.name+": "+firstLine(err.Error()))
			continue
		}
		pr.docs = append(pr.docs, d)
		pr.values = append(pr.values, v)
		pr.bytes += int64(len(d.data))
	}
	if len(pr.failed) > 0 {
		fmt.Printf("# %s cannot decode %d of %d files; they are left out of its figures (first: %s)\n",
			p.name, len(pr.failed), len(docs), pr.failed[0])
	}
	preparedBy[p.name] = pr
	return pr
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
