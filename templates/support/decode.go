// Package support is the hand-written, model-independent runtime that fhirgen copies into
// every generated package (with the package clause rewritten), so generated code imports
// only the standard library. It is a real package here so that it is compiled, vetted and
// tested where it is written.
//
// The decoder is a one-pass pull scanner over the input bytes: generated UnmarshalJSON
// methods ask it for the next key and decode each value straight into the struct field, with
// no reflection and no intermediate tree.
package support

import (
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// DefaultMaxDepth is the nesting depth (objects and arrays) a decode accepts when
// DecodeOptions.MaxDepth is zero.
const DefaultMaxDepth = 100

// DecodeOptions sets the limits of a decode. The zero value is ready to use.
type DecodeOptions struct {
	// MaxDepth bounds the nesting of JSON objects and arrays; 0 means DefaultMaxDepth.
	MaxDepth int
}

// DecodeError is a structural fault in FHIR JSON: malformed JSON, an unknown element, a
// wrong JSON type, two variants of one choice, an empty string, object or array, a null
// outside a primitive array, a resourceType that does not fit. Path is a FHIRPath-style
// location such as "BulkDataExport.output[1].url"; Offset is the byte offset in the input.
type DecodeError struct {
	Path   string
	Offset int
	Msg    string
}

// Error implements error.
func (e *DecodeError) Error() string {
	if e.Path == "" {
		return "fhir: " + e.Msg + " (at byte " + strconv.Itoa(e.Offset) + ")"
	}
	return "fhir: " + e.Path + ": " + e.Msg + " (at byte " + strconv.Itoa(e.Offset) + ")"
}

// inField prefixes the error path with an element name (decode errors travel up the call
// stack and each level adds its segment, so the happy path builds no paths at all).
func inField(err error, name string) error {
	if de, ok := err.(*DecodeError); ok {
		switch {
		case de.Path == "":
			de.Path = name
		case de.Path[0] == '[':
			de.Path = name + de.Path
		default:
			de.Path = name + "." + de.Path
		}
	}
	return err
}

// inIndex prefixes the error path with an array index.
func inIndex(err error, i int) error {
	if de, ok := err.(*DecodeError); ok {
		idx := "[" + strconv.Itoa(i) + "]"
		if de.Path == "" || de.Path[0] == '[' {
			de.Path = idx + de.Path
		} else {
			de.Path = idx + "." + de.Path
		}
	}
	return err
}

// fhirDecoder is implemented by every generated complex type.
type fhirDecoder interface {
	decodeFHIR(d *decoder) error
}

// resourceFactory returns a new, empty resource of the named type, or nil when the type is
// not generated in this package.
type resourceFactory func(resourceType string) fhirResource

type decoder struct {
	data []byte
	// src is one copy of data, made on the first string decoded: every string value
	// without escapes is a substring of it, not an allocation of its own. A decoded value
	// thus keeps the copy of its input alive (never the caller's buffer).
	src string
	// buf is the scratch buffer of escapedString.
	buf      []byte
	pos      int
	depth    int
	maxDepth int
	// newResource builds the resources of this package for Resource-typed elements.
	newResource resourceFactory
	// first is set by openObject/openArray and cleared by the first key/more call, so
	// empty objects and arrays are recognised.
	first bool
}

func newDecoder(data []byte, opts DecodeOptions, f resourceFactory) decoder {
	max := opts.MaxDepth
	if max <= 0 {
		max = DefaultMaxDepth
	}
	d := decoder{data: data, maxDepth: max, newResource: f}
	// A UTF-8 byte order mark may start the text (RFC 8259 §8.1 lets a parser ignore
	// it); nothing else but white space may come before the value.
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		d.pos = 3
	}
	return d
}

func (d *decoder) errorf(msg string) error {
	return &DecodeError{Offset: d.pos, Msg: msg}
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case '\n':
			d.pos++
			// the indentation of pretty-printed JSON, eight spaces at a time
			for d.pos+8 <= len(d.data) && binary.LittleEndian.Uint64(d.data[d.pos:]) == swarOnes*' ' {
				d.pos += 8
			}
		case ' ', '\t', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte without consuming it (0 at end of input).
func (d *decoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

func kindOf(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case 0:
		return "end of input"
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return "number"
		}
		return "invalid character " + strconv.QuoteRune(rune(c))
	}
}

func (d *decoder) expected(what string) error {
	return d.errorf("expected " + what + ", found " + kindOf(d.peek()))
}

// end checks that only white space follows the top-level value.
func (d *decoder) end() error {
	if d.peek() != 0 {
		return d.errorf("unexpected data after the top-level value")
	}
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.errorf("nesting deeper than " + strconv.Itoa(d.maxDepth))
	}
	return nil
}

// openObject consumes '{'. An empty object is a fault in FHIR JSON.
func (d *decoder) openObject() error {
	if d.peek() != '{' {
		return d.expected("object")
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	if d.peek() == '}' {
		return d.errorf("empty object")
	}
	d.first = true
	return nil
}

// key returns the next key of the current object, or nil at its closing brace (which it
// consumes). The returned slice aliases the input; keys with escapes are decoded.
func (d *decoder) key() ([]byte, error) {
	c := d.peek()
	if !d.first {
		switch c {
		case '}':
			d.pos++
			d.depth--
			return nil, nil
		case ',':
			d.pos++
			c = d.peek()
		default:
			return nil, d.errorf("expected ',' or '}' after object member")
		}
	}
	d.first = false
	if c != '"' {
		return nil, d.errorf("expected object key")
	}
	at := d.pos
	k, err := d.rawString()
	if err != nil {
		return nil, err
	}
	if len(k) != d.pos-at-2 {
		k = append([]byte(nil), k...) // unescaped into d.buf, which the value may reuse
	}
	if d.peek() != ':' {
		return nil, d.errorf("expected ':' after object key")
	}
	d.pos++
	return k, nil
}

// openArray consumes '['. An empty array is a fault in FHIR JSON.
func (d *decoder) openArray() error {
	if d.peek() != '[' {
		return d.expected("array")
	}
	if err := d.enter(); err != nil {
		return err
	}
	d.pos++
	if d.peek() == ']' {
		return d.errorf("empty array")
	}
	d.first = true
	return nil
}

// more reports whether the current array has another item, consuming the separating comma
// or the closing bracket.
func (d *decoder) more() (bool, error) {
	c := d.peek()
	if d.first {
		d.first = false
		return true, nil
	}
	switch c {
	case ']':
		d.pos++
		d.depth--
		return false, nil
	case ',':
		d.pos++
		return true, nil
	}
	return false, d.errorf("expected ',' or ']' in array")
}

// isNull consumes a null literal if one is next.
func (d *decoder) isNull() (bool, error) {
	if d.peek() != 'n' {
		return false, nil
	}
	if d.pos+4 <= len(d.data) && string(d.data[d.pos:d.pos+4]) == "null" {
		d.pos += 4
		return true, nil
	}
	return false, d.errorf("invalid literal")
}

// rawString reads a JSON string at pos (which must be '"') and returns its decoded bytes.
// Without escapes the result aliases the input.
func (d *decoder) rawString() ([]byte, error) {
	start := d.pos + 1
	i := start
	ascii := true
	for i < len(d.data) {
		// Eight bytes at a time while none is '"', '\\', a control character or (until
		// one has been seen) a byte of a multi-byte character.
		if i+8 <= len(d.data) {
			x := binary.LittleEndian.Uint64(d.data[i:])
			m := swarSpecial(x)
			if ascii {
				m |= x & swarHigh
			}
			if m == 0 {
				i += 8
				continue
			}
		}
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			s := d.data[start:i]
			if !ascii && !utf8.Valid(s) {
				d.pos = start
				return nil, d.errorf("invalid UTF-8 in string")
			}
			return s, nil
		case c == '\\':
			return d.escapedString(start)
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		case c >= 0x80:
			ascii = false
		}
		i++
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

const (
	swarOnes = 0x0101010101010101
	swarHigh = 0x8080808080808080
)

// swarSpecial is non-zero when one of the eight bytes of x is '"', '\\' or below 0x20
// (bit tricks on a word: a byte b is zero when (b-1) & ^b has its top bit set).
func swarSpecial(x uint64) uint64 {
	q := x ^ (swarOnes * '"')
	b := x ^ (swarOnes * '\\')
	return ((q-swarOnes)&^q | (b-swarOnes)&^b | (x-swarOnes*0x20)&^x) & swarHigh
}

// escapedString unescapes the string starting at start into d.buf, whose capacity is kept
// for the next one: the result is valid until the next string is read.
func (d *decoder) escapedString(start int) ([]byte, error) {
	out := d.buf[:0]
	defer func() { d.buf = out[:0] }()
	i := start
	for i < len(d.data) {
		// Runs of plain bytes are copied eight at a time.
		run := i
		for i+8 <= len(d.data) && swarSpecial(binary.LittleEndian.Uint64(d.data[i:])) == 0 {
			i += 8
		}
		if i > run {
			out = append(out, d.data[run:i]...)
		}
		if i >= len(d.data) {
			break
		}
		c := d.data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			if !utf8.Valid(out) {
				d.pos = start
				return nil, d.errorf("invalid UTF-8 in string")
			}
			return out, nil
		case c < 0x20:
			d.pos = i
			return nil, d.errorf("control character in string")
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(d.data) {
			break
		}
		e := d.data[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(d.data, i)
			if !ok {
				d.pos = i
				return nil, d.errorf("invalid \\u escape")
			}
			i += 4
			if utf16Surrogate(r) {
				r2, ok2 := rune(-1), false
				if i+6 <= len(d.data) && d.data[i] == '\\' && d.data[i+1] == 'u' {
					r2, ok2 = hex4(d.data, i+2)
				}
				if ok2 && r >= 0xD800 && r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			d.pos = i - 1
			return nil, d.errorf("invalid escape in string")
		}
	}
	d.pos = len(d.data)
	return nil, d.errorf("unterminated string")
}

func utf16Surrogate(r rune) bool { return r >= 0xD800 && r < 0xE000 }

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// stringValue reads a non-empty JSON string.
func (d *decoder) stringValue() (string, error) {
	if d.peek() != '"' {
		return "", d.expected("string")
	}
	at := d.pos
	b, err := d.rawString()
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		d.pos = at
		return "", d.errorf("empty string")
	}
	if len(b) != d.pos-at-2 {
		return string(b), nil // unescaped: a new buffer (escapes are longer than their text)
	}
	return d.text(at+1, len(b)), nil
}

// text returns data[start:start+n] as a string, a substring of the one copy of data.
func (d *decoder) text(start, n int) string {
	if d.src == "" {
		d.src = string(d.data)
	}
	return d.src[start : start+n]
}

// decimalValue reads a JSON number as its literal text.
func (d *decoder) decimalValue() (Decimal, error) {
	b, err := d.numberText()
	if err != nil {
		return "", err
	}
	return Decimal(d.text(d.pos-len(b), len(b))), nil
}

// numberText reads a JSON number and returns its literal text, checked against the JSON
// number grammar.
func (d *decoder) numberText() ([]byte, error) {
	c := d.peek()
	start := d.pos
	if c != '-' && (c < '0' || c > '9') {
		return nil, d.expected("number")
	}
	i := start
	if d.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.data) && d.data[i] >= '0' && d.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(d.data) && d.data[i] == '0' {
		i++
	} else if digits() == 0 {
		d.pos = i
		return nil, d.errorf("invalid number")
	}
	if i < len(d.data) && d.data[i] == '.' {
		i++
		if digits() == 0 {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	if i < len(d.data) && (d.data[i] == 'e' || d.data[i] == 'E') {
		i++
		if i < len(d.data) && (d.data[i] == '+' || d.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			d.pos = i
			return nil, d.errorf("invalid number")
		}
	}
	d.pos = i
	return d.data[start:i], nil
}

func (d *decoder) boolValue() (bool, error) {
	d.peek()
	if d.pos+4 <= len(d.data) && string(d.data[d.pos:d.pos+4]) == "true" {
		d.pos += 4
		return true, nil
	}
	if d.pos+5 <= len(d.data) && string(d.data[d.pos:d.pos+5]) == "false" {
		d.pos += 5
		return false, nil
	}
	return false, d.expected("boolean")
}

func parseInt(b []byte, bits int) (int64, bool) {
	v, err := strconv.ParseInt(string(b), 10, bits)
	return v, err == nil
}

// skip consumes one JSON value of any kind, checking its syntax and depth.
func (d *decoder) skip() error {
	switch c := d.peek(); {
	case c == '{':
		if err := d.enter(); err != nil {
			return err
		}
		d.pos++
		if d.peek() == '}' {
			d.pos++
			d.depth--
			return nil
		}
		d.first = true
		for {
			k, err := d.key()
			if err != nil {
				return err
			}
			if k == nil {
				return nil
			}
			if err := d.skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := d.enter(); err != nil {
			return err
		}
		d.pos++
		if d.peek() == ']' {
			d.pos++
			d.depth--
			return nil
		}
		d.first = true
		for {
			ok, err := d.more()
			if err != nil {
				return err
			}
			if !ok {
				return nil
			}
			if err := d.skip(); err != nil {
				return err
			}
		}
	case c == '"':
		_, err := d.rawString()
		return err
	case c == 't' || c == 'f':
		_, err := d.boolValue()
		return err
	case c == 'n':
		ok, err := d.isNull()
		if !ok && err == nil {
			err = d.errorf("invalid literal")
		}
		return err
	default:
		_, err := d.numberText()
		return err
	}
}

// unknown reports an element the definition does not have.
func (d *decoder) unknown(key []byte) error {
	return d.errorf("unknown element " + strconv.Quote(string(key)))
}

// duplicate reports a second occurrence of an element in one object.
func (d *decoder) duplicate() error {
	return d.errorf("element appears more than once")
}
