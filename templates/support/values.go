package support

import (
	"encoding/json"
	"strconv"
)

// Decimal is a FHIR decimal kept as its literal JSON text, so precision survives a round
// trip ("1.50" stays "1.50"). The empty string means absent.
type Decimal string

// Float64 parses the decimal; precision beyond float64 is lost in the result only.
func (d Decimal) Float64() (float64, error) { return strconv.ParseFloat(string(d), 64) }

// String returns the literal text.
func (d Decimal) String() string { return string(d) }

// DecimalOf returns the shortest decimal text that represents f.
func DecimalOf(f float64) Decimal { return Decimal(strconv.FormatFloat(f, 'f', -1, 64)) }

// Resource is implemented by every generated resource type and by RawResource.
type Resource interface {
	// ResourceType returns the FHIR resource type name, such as "Patient".
	ResourceType() string
	json.Marshaler
	encodeFHIR(e *encoder)
}

// fhirResource is a Resource the decoder can fill.
type fhirResource interface {
	Resource
	decodeFHIR(d *decoder) error
}

// RawResource holds a resource whose type is not generated in this package (for example a
// contained resource of another type): its JSON is kept as read and written back unchanged.
type RawResource struct {
	// Type is the resource's resourceType.
	Type string
	// JSON is the resource object exactly as it was read.
	JSON []byte
}

// ResourceType returns Type.
func (r *RawResource) ResourceType() string { return r.Type }

// MarshalJSON returns the JSON as read.
func (r *RawResource) MarshalJSON() ([]byte, error) { return r.JSON, nil }

func (r *RawResource) encodeFHIR(e *encoder) { e.buf = append(e.buf, r.JSON...) }

// Marshal encodes a resource or any generated value as FHIR JSON. Unlike json.Marshal it
// does not escape '<', '>' and '&' (encoding/json re-escapes the output of MarshalJSON).
func Marshal(v json.Marshaler) ([]byte, error) { return v.MarshalJSON() }

// Bool returns a pointer to b, for optional boolean elements.
func Bool(b bool) *bool { return &b }

// Int32 returns a pointer to i, for optional integer elements.
func Int32(i int32) *int32 { return &i }

// Int64 returns a pointer to i, for optional integer64 elements.
func Int64(i int64) *int64 { return &i }
