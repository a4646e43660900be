package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// source is the content of one input file, with a line index (built once, on first use)
// to turn byte offsets into positions.
type source struct {
	name string
	data string // a view of the file's bytes; they are never changed after newSource

	once  sync.Once
	lines []int // byte offsets of line starts; lines[0] == 0
}

// newSource takes ownership of b. A UTF-8 byte order mark is blanked out (offsets stay
// those of the file), since neither gjson nor encoding/json accept one.
func newSource(name string, b []byte) *source {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b[0], b[1], b[2] = ' ', ' ', ' '
	}
	return &source{name: name, data: unsafe.String(unsafe.SliceData(b), len(b))}
}

func (s *source) buildLines() {
	n := strings.Count(s.data, "\n")
	lines := make([]int, 1, n+1)
	for i := 0; ; {
		j := strings.IndexByte(s.data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		lines = append(lines, i)
	}
	s.lines = lines
}

// pos returns the position of the byte at off.
func (s *source) pos(off int) diag.Pos {
	s.once.Do(s.buildLines)
	if off < 0 {
		off = 0
	}
	if off > len(s.data) {
		off = len(s.data)
	}
	// The line is the last line start <= off.
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	return diag.Pos{File: s.name, Offset: off, Line: i + 1, Col: off - s.lines[i] + 1}
}

// filePos is the position of a whole file (no line).
func filePos(name string) diag.Pos { return diag.Pos{File: name} }

// syntaxError finds where data stops being valid JSON, for a file gjson rejected. It
// returns the offset of the offending byte (len(data) when the input ends too early) and
// encoding/json's reason.
func syntaxError(data []byte) (int, string) {
	var v json.RawMessage
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := int(se.Offset)
		// Offset counts the bytes read, the offending one included, except at the end of
		// the input, where nothing offends.
		if off > 0 && off <= len(data) && !strings.HasPrefix(se.Error(), "unexpected end") {
			off--
		}
		return off, se.Error()
	case err != nil:
		return 0, err.Error()
	}
	// encoding/json accepts what gjson rejected: point at the end of the first value.
	return len(bytes.TrimRight(data, " \t\r\n")), "not a single JSON value"
}

// sameJSON reports whether two JSON texts are equal once insignificant white space is
// removed.
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, []byte(a)) != nil || json.Compact(&cb, []byte(b)) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// describe names a JSON value's type (and a short form of the value) for messages.
func describe(v gjson.Result) string {
	switch v.Type {
	case gjson.String:
		s := v.Str
		if len(s) > 40 {
			s = s[:37] + "..."
		}
		return "string " + strconv.Quote(s)
	case gjson.Number:
		return "number " + v.Raw
	case gjson.True, gjson.False:
		return "boolean " + v.Raw
	case gjson.Null:
		return "null"
	case gjson.JSON:
		if v.IsArray() {
			return "an array"
		}
		return "an object"
	}
	return "nothing"
}

// invalidUTF8 returns the offset of the first byte of data that is not valid UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}
