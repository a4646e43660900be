package support

import (
	"strconv"
	"unicode/utf8"
)

// fhirEncoder is implemented by every generated complex type: it appends the value as a
// JSON object.
type fhirEncoder interface {
	encodeFHIR(e *encoder)
}

// choiceValue is implemented by every variant of a choice element ([x]): it writes the
// member named name+TypeSuffix (and, for primitives, its "_" sibling).
type choiceValue interface {
	encodeChoice(e *encoder, name string)
}

// encoder appends FHIR JSON to buf. Separators are derived from the last byte written, so
// nested writers keep no state, and empty objects and arrays are taken back after the
// fact, so no `{}` or `[]` is ever emitted.
type encoder struct {
	buf []byte
}

func (e *encoder) sep() {
	if n := len(e.buf); n > 0 {
		if c := e.buf[n-1]; c != '{' && c != '[' {
			e.buf = append(e.buf, ',')
		}
	}
}

// key writes a member name; names come from definitions and need no escaping.
func (e *encoder) key(name string) {
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '"', ':')
}

// emptyTail reports whether the last value written is an empty object.
func (e *encoder) emptyTail() bool {
	n := len(e.buf)
	return n >= 2 && e.buf[n-2] == '{' && e.buf[n-1] == '}'
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// needsWork reports whether any of the 8 bytes in x is a control character, '"', '\\' or
// not ASCII (SWAR: eight bytes per step; false positives only send a chunk to the slow path).
func needsWork(x uint64) bool {
	ctl := (x - lsb*0x20) & ^x & msb
	q := x ^ (lsb * '"')
	quote := (q - lsb) & ^q & msb
	bs := x ^ (lsb * '\\')
	back := (bs - lsb) & ^bs & msb
	return (ctl | quote | back | x&msb) != 0
}

func load64(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// safeByte marks the bytes a JSON string holds as they are: printable ASCII but '"'
// and '\\'.
var safeByte = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainString reports whether s needs no escaping: eight bytes per step, the last (partial)
// step overlapping the previous one when s is long enough.
func plainString(s string) bool {
	n := len(s)
	if n < 8 {
		for i := 0; i < n; i++ {
			if !safeByte[s[i]] {
				return false
			}
		}
		return true
	}
	last := word(s[n-8:]) // the last eight bytes, read before s is consumed
	for len(s) >= 8 {
		if needsWork(word(s)) {
			return false
		}
		s = s[8:]
	}
	return len(s) == 0 || !needsWork(last)
}

// word reads the first eight bytes of s, little-endian; with len(s) >= 8 checked by the
// caller the compiler proves every index in range and emits one load.
func word(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendString appends s as a JSON string without HTML escaping (FHIR narrative keeps
// its `<` and `>`). Invalid UTF-8 becomes U+FFFD.
func appendString(buf []byte, s string) []byte {
	if plainString(s) {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	return appendEscaped(buf, s)
}

// appendEscaped is appendString for a string with something to escape or non-ASCII text.
func appendEscaped(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && !needsWork(load64(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, s[start:i]...)
				buf = append(buf, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"', '\\':
			buf = append(buf, '\\', c)
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

const hexDigits = "0123456789abcdef"

// openResource starts a resource object with resourceType first, as FHIR JSON requires.
func (e *encoder) openResource(resourceType string) {
	e.buf = append(e.buf, `{"resourceType":"`...)
	e.buf = append(e.buf, resourceType...)
	e.buf = append(e.buf, '"')
}

func encString[S ~string](e *encoder, name string, v S) {
	if v == "" {
		return
	}
	e.key(name)
	e.buf = appendString(e.buf, string(v))
}

func encDecimal(e *encoder, name string, v Decimal) {
	if v == "" {
		return
	}
	e.key(name)
	e.buf = append(e.buf, v...)
}

func encBool(e *encoder, name string, v *bool) {
	if v == nil {
		return
	}
	e.key(name)
	e.buf = strconv.AppendBool(e.buf, *v)
}

func encInt32(e *encoder, name string, v *int32) {
	if v == nil {
		return
	}
	e.key(name)
	e.buf = strconv.AppendInt(e.buf, int64(*v), 10)
}

// encInt64 writes an integer64 as a JSON string, as FHIR R5 requires.
func encInt64(e *encoder, name string, v *int64) {
	if v == nil {
		return
	}
	e.key(name)
	e.buf = append(e.buf, '"')
	e.buf = strconv.AppendInt(e.buf, *v, 10)
	e.buf = append(e.buf, '"')
}

// encObject writes a complex value; an object that comes out empty is taken back.
func encObject[T any, PT interface {
	*T
	fhirEncoder
}](e *encoder, name string, v PT) {
	if v == nil {
		return
	}
	mark := len(e.buf)
	e.key(name)
	v.encodeFHIR(e)
	if e.emptyTail() {
		e.buf = e.buf[:mark]
	}
}

// encObjects writes an array of complex values, leaving out items that come out empty.
func encObjects[T any, PT interface {
	*T
	fhirEncoder
}](e *encoder, name string, vs []T) {
	if len(vs) == 0 {
		return
	}
	mark := len(e.buf)
	e.key(name)
	e.buf = append(e.buf, '[')
	for i := range vs {
		item := len(e.buf)
		e.sep()
		PT(&vs[i]).encodeFHIR(e)
		if e.emptyTail() {
			e.buf = e.buf[:item]
		}
	}
	if e.buf[len(e.buf)-1] == '[' {
		e.buf = e.buf[:mark]
		return
	}
	e.buf = append(e.buf, ']')
}

// arrayLen is the length of a primitive array written with its "_" sibling: the longer of
// the two, so both come out aligned by index.
func arrayLen(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// encPrimitives writes the value half of a primitive array: null where a value is absent,
// nothing at all when every value is absent.
func encPrimitives[V any](e *encoder, name string, vs []V, n int, present func(V) bool, write func([]byte, V) []byte) {
	some := false
	for _, v := range vs {
		if present(v) {
			some = true
			break
		}
	}
	if !some {
		return
	}
	e.key(name)
	e.buf = append(e.buf, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if i < len(vs) && present(vs[i]) {
			e.buf = write(e.buf, vs[i])
		} else {
			e.buf = append(e.buf, "null"...)
		}
	}
	e.buf = append(e.buf, ']')
}

func encStrings[S ~string](e *encoder, name string, vs []S, other int) {
	encPrimitives(e, name, vs, arrayLen(len(vs), other),
		func(v S) bool { return v != "" },
		func(b []byte, v S) []byte { return appendString(b, string(v)) })
}

func encDecimals(e *encoder, name string, vs []Decimal, other int) {
	encPrimitives(e, name, vs, arrayLen(len(vs), other),
		func(v Decimal) bool { return v != "" },
		func(b []byte, v Decimal) []byte { return append(b, v...) })
}

func encBools(e *encoder, name string, vs []*bool, other int) {
	encPrimitives(e, name, vs, arrayLen(len(vs), other),
		func(v *bool) bool { return v != nil },
		func(b []byte, v *bool) []byte { return strconv.AppendBool(b, *v) })
}

func encInt32s(e *encoder, name string, vs []*int32, other int) {
	encPrimitives(e, name, vs, arrayLen(len(vs), other),
		func(v *int32) bool { return v != nil },
		func(b []byte, v *int32) []byte { return strconv.AppendInt(b, int64(*v), 10) })
}

func encInt64s(e *encoder, name string, vs []*int64, other int) {
	encPrimitives(e, name, vs, arrayLen(len(vs), other),
		func(v *int64) bool { return v != nil },
		func(b []byte, v *int64) []byte {
			b = append(b, '"')
			b = strconv.AppendInt(b, *v, 10)
			return append(b, '"')
		})
}

// encExts writes the "_" half of a primitive array: null where an item has no id or
// extension, nothing when none has.
func encExts[T any, PT interface {
	*T
	fhirEncoder
}](e *encoder, name string, exts []PT, other int) {
	if len(exts) == 0 {
		return
	}
	n := arrayLen(len(exts), other)
	mark := len(e.buf)
	e.key(name)
	e.buf = append(e.buf, '[')
	some := false
	for i := 0; i < n; i++ {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if i < len(exts) && exts[i] != nil {
			item := len(e.buf)
			exts[i].encodeFHIR(e)
			if !e.emptyTail() {
				some = true
				continue
			}
			e.buf = e.buf[:item]
		}
		e.buf = append(e.buf, "null"...)
	}
	if !some {
		e.buf = e.buf[:mark]
		return
	}
	e.buf = append(e.buf, ']')
}

// encChoice writes the one variant of a choice element, if any.
func encChoice(e *encoder, name string, v choiceValue) {
	if v != nil {
		v.encodeChoice(e, name)
	}
}

// encVariant writes a complex variant of a choice element as name+suffix.
func encVariant[T any, PT interface {
	*T
	fhirEncoder
}](e *encoder, name, suffix string, v PT) {
	if v == nil {
		return
	}
	mark := len(e.buf)
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, suffix...)
	e.buf = append(e.buf, '"', ':')
	v.encodeFHIR(e)
	if e.emptyTail() {
		e.buf = e.buf[:mark]
	}
}

// encResource writes a Resource-typed element (contained, Bundle.entry.resource, ...).
func encResource(e *encoder, name string, r Resource) {
	if r == nil {
		return
	}
	e.key(name)
	r.encodeFHIR(e)
}

func encResources(e *encoder, name string, rs []Resource) {
	if len(rs) == 0 {
		return
	}
	mark := len(e.buf)
	e.key(name)
	e.buf = append(e.buf, '[')
	for _, r := range rs {
		if r != nil {
			e.sep()
			r.encodeFHIR(e)
		}
	}
	if e.buf[len(e.buf)-1] == '[' {
		e.buf = e.buf[:mark]
		return
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) open()  { e.buf = append(e.buf, '{') }
func (e *encoder) close() { e.buf = append(e.buf, '}') }

// variantKey writes the member name prefix+name+suffix ("valueString", "_valueString").
func (e *encoder) variantKey(prefix, name, suffix string) {
	e.sep()
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, prefix...)
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, suffix...)
	e.buf = append(e.buf, '"', ':')
}

// encVariantExt writes the "_" half of a primitive choice variant.
func encVariantExt[T any, PT interface {
	*T
	fhirEncoder
}](e *encoder, name, suffix string, ext PT) {
	if ext == nil {
		return
	}
	mark := len(e.buf)
	e.variantKey("_", name, suffix)
	ext.encodeFHIR(e)
	if e.emptyTail() {
		e.buf = e.buf[:mark]
	}
}

func encVariantString(e *encoder, name, suffix string, v string) {
	if v != "" {
		e.variantKey("", name, suffix)
		e.buf = appendString(e.buf, v)
	}
}

func encVariantDecimal(e *encoder, name, suffix string, v Decimal) {
	if v != "" {
		e.variantKey("", name, suffix)
		e.buf = append(e.buf, v...)
	}
}

func encVariantBool(e *encoder, name, suffix string, v *bool) {
	if v != nil {
		e.variantKey("", name, suffix)
		e.buf = strconv.AppendBool(e.buf, *v)
	}
}

func encVariantInt32(e *encoder, name, suffix string, v *int32) {
	if v != nil {
		e.variantKey("", name, suffix)
		e.buf = strconv.AppendInt(e.buf, int64(*v), 10)
	}
}

func encVariantInt64(e *encoder, name, suffix string, v *int64) {
	if v != nil {
		e.variantKey("", name, suffix)
		e.buf = append(e.buf, '"')
		e.buf = strconv.AppendInt(e.buf, *v, 10)
		e.buf = append(e.buf, '"')
	}
}
