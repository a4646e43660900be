// Package naming computes every Go identifier fhirgen emits from FHIR names: it splits on
// case changes, digits and punctuation, title-cases the words and applies whole-word
// initialisms (valueUri → ValueURI, identifier → Identifier).
package naming

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultInitialisms are the words written in capitals by default.
var DefaultInitialisms = []string{"ID", "URL", "URI", "HTTP", "JSON", "XML", "HTML", "UUID", "OID"}

// Namer turns FHIR names into Go identifiers.
type Namer struct {
	initialisms map[string]string // lower-case word → spelling
}

// New returns a Namer with the default initialisms plus extra ones.
func New(extra []string) *Namer {
	n := &Namer{initialisms: map[string]string{}}
	for _, w := range append(append([]string(nil), DefaultInitialisms...), extra...) {
		n.initialisms[strings.ToLower(w)] = w
	}
	return n
}

// Words splits a FHIR name into words: on case changes (lower→Upper, and the last capital
// of a run followed by lower case: "HTTPVerb" → HTTP Verb), between letters and digits, and
// on any character that is not a letter or digit ("-", "_", ".", "[x]", spaces, ...).
func Words(s string) []string {
	s = strings.ReplaceAll(s, "[x]", "")
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush()
			continue
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			switch {
			case unicode.IsUpper(r) && unicode.IsLower(prev):
				flush()
			case unicode.IsUpper(r) && unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
				flush()
			case unicode.IsDigit(r) && !unicode.IsDigit(prev):
				flush() // value1 → Value 1
			case unicode.IsUpper(r) && unicode.IsDigit(prev):
				flush() // 2Step → 2 Step; "2nd" stays one word
			}
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// Go returns the exported Go identifier for a FHIR name. A name that would start with a
// digit gets the prefix "N"; an empty result is "X".
func (n *Namer) Go(s string) string {
	var b strings.Builder
	for _, w := range Words(s) {
		if sp, ok := n.initialisms[strings.ToLower(w)]; ok {
			b.WriteString(sp)
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[size:])
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if r, _ := utf8.DecodeRuneInString(out); unicode.IsDigit(r) {
		out = "N" + out
	}
	return out
}

// symbolWords spells codes made of operators, for enum constants ("<=" → "LessOrEqual").
var symbolWords = map[string]string{
	"<": "Less", "<=": "LessOrEqual", ">": "Greater", ">=": "GreaterOrEqual",
	"=": "Equal", "!=": "NotEqual", "+": "Plus", "-": "Minus", "*": "Star", "/": "Slash",
	"%": "Percent", "~": "Tilde", "!": "Not", "&": "And", "|": "Or", "[": "LeftBracket",
	"]": "RightBracket", "(": "LeftParen", ")": "RightParen", "{": "LeftBrace", "}": "RightBrace",
	"@": "At", "#": "Hash", "$": "Dollar", "^": "Caret", "?": "Question", ".": "Dot",
	",": "Comma", ":": "Colon", ";": "Semicolon", "'": "Quote", "\"": "DoubleQuote",
}

// Code returns the Go spelling of a code for an enum constant suffix: its words title-cased,
// or, for codes made only of symbols, the symbols spelled out.
func (n *Namer) Code(code string) string {
	if len(Words(code)) == 0 {
		if w, ok := symbolWords[code]; ok {
			return w
		}
		var b strings.Builder
		for _, r := range code {
			if w, ok := symbolWords[string(r)]; ok {
				b.WriteString(w)
			} else {
				fmt.Fprintf(&b, "U%04X", r) // an unnamed symbol by its code point: "`" → "U0060"
			}
		}
		if b.Len() == 0 {
			return "Empty"
		}
		return b.String()
	}
	g := n.Go(code)
	if g[0] == 'N' && code != "" && code[0] >= '0' && code[0] <= '9' {
		return g[1:] // a constant suffix may start with a digit: TypeName + "1"
	}
	return g
}

// Snake returns the snake_case file stem for a Go name ("BulkDataExport" →
// "bulk_data_export"), guarded so that go/build never reads a GOOS, GOARCH or "test" suffix
// as a build constraint ("…_windows" → "…_windows_").
func Snake(goName string) string {
	words := Words(goName)
	for i, w := range words {
		words[i] = strings.ToLower(w)
	}
	s := strings.Join(words, "_")
	if s == "" {
		s = "x"
	}
	parts := strings.Split(s, "_")
	last := parts[len(parts)-1]
	if knownOS[last] || knownArch[last] || last == "test" {
		s += "_"
	}
	return s
}

var knownOS = setOf("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
	"linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos")

var knownArch = setOf("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips",
	"mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
	"riscv64", "s390", "s390x", "sparc", "sparc64", "wasm")

func setOf(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return m
}

// Suggest returns the candidate closest to name when it is close enough to be a likely
// misspelling (an edit distance, ignoring case, of at most a third of name's length, and
// at least 2), for "did you mean" hints; "" when none is.
func Suggest(name string, candidates []string) string {
	best, bestD := "", -1
	limit := max(2, len(name)/3)
	lname := strings.ToLower(name)
	for _, c := range candidates {
		d := editDistance(lname, strings.ToLower(c))
		if d <= limit && (bestD < 0 || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Part turns a FHIR key (a constraint key such as "dom-3", a SearchParameter or ValueSet
// id such as "clinical-code") into an identifier fragment: letters and digits kept, each
// run of other characters starting a new capitalised word ("dom-3" → "Dom3",
// "clinical-code" → "ClinicalCode").
func Part(key string) string {
	var b strings.Builder
	up := true
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// Stable names a set of things from stable keys rather than counters: key k gets
// prefix+Part(label(k)); when several keys give the same name, each of them gets a
// suffix from a hash of its key instead. The result depends only on the set of keys, not
// on their order, and adding a key renames nothing outside its own collision.
func Stable(prefix string, keys []string, label func(string) string) map[string]string {
	byName := map[string][]string{}
	for _, k := range keys {
		n := prefix + Part(label(k))
		if !contains(byName[n], k) {
			byName[n] = append(byName[n], k)
		}
	}
	out := make(map[string]string, len(keys))
	for n, ks := range byName {
		if len(ks) == 1 {
			out[ks[0]] = n
			continue
		}
		for _, k := range ks {
			out[k] = n + "_" + Hash(k)
		}
	}
	return out
}

// Hash is a short, stable hex digest of s (FNV-1a, 32 bits), for names that must differ.
func Hash(s string) string {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	const hex = "0123456789abcdef"
	var b [8]byte
	for i := 7; i >= 0; i-- {
		b[i] = hex[h&15]
		h >>= 4
	}
	return string(b[:])
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
