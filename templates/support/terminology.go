package support

import "strings"

// Terminologies every FHIR server meets, checked without a terminology server: their
// code systems are grammars or published tables, not CodeSystem resources in the FHIR
// packages. Each check returns whether s is a code of the terminology and, when it is
// not, why (for the message). Tables: terminology_data.go.

// checkLanguageTag checks a BCP 47 language tag against the RFC 5646 grammar
// (Language-Tag: langtag, privateuse or grandfathered; case-insensitive), with no
// repeated variant or extension singleton (RFC 5646 §2.2.5, §2.2.6). The registry of
// subtags is not consulted: "xx-XX" is well-formed.
func checkLanguageTag(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	lower := strings.ToLower(s)
	if bcp47Grandfathered[lower] {
		return true, ""
	}
	parts := strings.Split(lower, "-")
	for _, p := range parts {
		if p == "" || len(p) > 8 || !isAlnumASCII(p) {
			return false, "language tag " + s + " has an empty, overlong or non-alphanumeric subtag"
		}
	}
	if parts[0] == "x" {
		return privateUse(s, parts[1:])
	}
	i := 0
	// language: 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
	if !isAlphaASCII(parts[0]) || len(parts[0]) < 2 {
		return false, "language tag " + s + " does not start with a language subtag of 2 to 8 letters"
	}
	i++
	if len(parts[0]) <= 3 {
		for k := 0; k < 3 && i < len(parts) && len(parts[i]) == 3 && isAlphaASCII(parts[i]); k++ {
			i++ // extlang
		}
	}
	if i < len(parts) && len(parts[i]) == 4 && isAlphaASCII(parts[i]) {
		i++ // script
	}
	if i < len(parts) && (len(parts[i]) == 2 && isAlphaASCII(parts[i]) || len(parts[i]) == 3 && isDigitsASCII(parts[i])) {
		i++ // region
	}
	variants := map[string]bool{}
	for i < len(parts) && (len(parts[i]) >= 5 || len(parts[i]) == 4 && parts[i][0] >= '0' && parts[i][0] <= '9') {
		if variants[parts[i]] {
			return false, "language tag " + s + " repeats the variant " + parts[i]
		}
		variants[parts[i]] = true
		i++
	}
	singletons := map[string]bool{}
	for i < len(parts) && len(parts[i]) == 1 && parts[i] != "x" {
		if singletons[parts[i]] {
			return false, "language tag " + s + " repeats the extension " + parts[i]
		}
		singletons[parts[i]] = true
		i++
		n := 0
		for i < len(parts) && len(parts[i]) >= 2 {
			i++
			n++
		}
		if n == 0 {
			return false, "language tag " + s + " has an extension without subtags"
		}
	}
	if i < len(parts) && parts[i] == "x" {
		return privateUse(s, parts[i+1:])
	}
	if i < len(parts) {
		return false, "language tag " + s + " has a subtag out of place: " + parts[i]
	}
	return true, ""
}

func privateUse(s string, rest []string) (bool, string) {
	if len(rest) == 0 {
		return false, "language tag " + s + " has a private-use x without subtags"
	}
	return true, ""
}

// bcp47Grandfathered are RFC 5646's grandfathered tags (irregular and regular), lower case.
var bcp47Grandfathered = map[string]bool{
	"en-gb-oed": true, "i-ami": true, "i-bnn": true, "i-default": true, "i-enochian": true,
	"i-hak": true, "i-klingon": true, "i-lux": true, "i-mingo": true, "i-navajo": true,
	"i-pwn": true, "i-tao": true, "i-tay": true, "i-tsu": true, "sgn-be-fr": true,
	"sgn-be-nl": true, "sgn-ch-de": true, "art-lojban": true, "cel-gaulish": true,
	"no-bok": true, "no-nyn": true, "zh-guoyu": true, "zh-hakka": true, "zh-min": true,
	"zh-min-nan": true, "zh-xiang": true,
}

func isAlphaASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isDigitsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isAlnumASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'z') {
			return false
		}
	}
	return true
}

// mimeTopLevel are the top-level media types registered under RFC 6838 §4.2 (and RFC
// 8081 font, RFC 9695 haptics).
var mimeTopLevel = map[string]bool{
	"application": true, "audio": true, "example": true, "font": true, "haptics": true,
	"image": true, "message": true, "model": true, "multipart": true, "text": true, "video": true,
}

// checkMimeType checks a BCP 13 media type: type "/" subtype (RFC 6838 §4.2
// restricted-names, the type one of the registered top-level types), optionally
// followed by parameters (RFC 2045 §5.1: ";" token "=" token or quoted-string, with
// optional white space around ";").
func checkMimeType(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	mt, params, _ := strings.Cut(s, ";")
	mt = strings.TrimRight(mt, " \t")
	typ, sub, ok := strings.Cut(mt, "/")
	if !ok {
		return false, "media type " + s + " has no '/' between type and subtype"
	}
	if !restrictedName(typ) || !restrictedName(sub) {
		return false, "media type " + s + ": type and subtype are 1 to 127 letters, digits and !#$&-^_.+, starting with a letter or digit"
	}
	if !mimeTopLevel[strings.ToLower(typ)] {
		return false, "media type " + s + ": " + typ + " is not a registered top-level type"
	}
	if params == "" && strings.HasSuffix(s, ";") {
		return false, "media type " + s + " ends with ';'"
	}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		p = strings.Trim(p, " \t")
		name, val, ok := strings.Cut(p, "=")
		if !ok || !mimeToken(name) || !(mimeToken(val) || len(val) >= 2 && val[0] == '"' && val[len(val)-1] == '"') {
			return false, "media type " + s + " has a malformed parameter " + p
		}
	}
	return true, ""
}

func restrictedName(s string) bool {
	if s == "" || len(s) > 127 || !isDigit(s[0]) && (s[0]|0x20 < 'a' || s[0]|0x20 > 'z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'z') && !strings.ContainsRune("!#$&-^_.+", rune(c)) {
			return false
		}
	}
	return true
}

// mimeToken is RFC 2045's token: printable ASCII but space and tspecials.
func mimeToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.ContainsRune(`()<>@,;:\"/[]?=`, rune(c)) {
			return false
		}
	}
	return true
}

// checkCurrency checks an ISO 4217 currency code (list one, case-sensitive: "EUR").
func checkCurrency(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if !termCurrencies[s] {
		return false, s + " is not an ISO 4217 currency code"
	}
	return true, ""
}

// checkCountry checks an ISO 3166-1 country code: alpha-2, alpha-3 or numeric.
func checkCountry(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if !termCountries[s] {
		return false, s + " is not an ISO 3166-1 country code"
	}
	return true, ""
}

// checkUCUM checks a UCUM unit expression (case-sensitive c/s syntax) against the UCUM
// grammar: terms of components joined by '.' and '/', a leading '/' allowed; a component
// is an annotation {…}, a factor (digits), a parenthesised term, or a simple unit — an
// atom, or a prefix and a metric atom — with an optional exponent and annotation.
func checkUCUM(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	p := ucumParser{s: s}
	if p.peek() == '/' {
		p.i++
	}
	if !p.term() || p.i != len(s) {
		if p.why == "" {
			p.why = "unexpected " + strings.TrimSpace(s[min(p.i, len(s)):])
		}
		return false, "UCUM unit " + s + ": " + p.why
	}
	return true, ""
}

type ucumParser struct {
	s   string
	i   int
	why string
}

func (p *ucumParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *ucumParser) term() bool {
	if !p.component() {
		return false
	}
	for p.peek() == '.' || p.peek() == '/' {
		p.i++
		if !p.component() {
			return false
		}
	}
	return true
}

func (p *ucumParser) component() bool {
	switch c := p.peek(); {
	case c == 0:
		p.why = "a unit is missing at the end"
		return false
	case c == '(':
		p.i++
		if !p.term() {
			return false
		}
		if p.peek() != ')' {
			p.why = "missing ')'"
			return false
		}
		p.i++
		return true
	case c == '{':
		return p.annotation()
	}
	// the simple unit with its exponent: up to the next '.', '/', '(', ')' or '{' outside
	// square brackets
	start := p.i
	depth := 0
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '[' {
			depth++
		} else if c == ']' {
			depth--
		} else if depth == 0 && (c == '.' || c == '/' || c == '(' || c == ')' || c == '{') {
			break
		}
		if c <= ' ' || c >= 0x7f {
			p.why = "a character outside printable ASCII"
			return false
		}
		p.i++
	}
	seg := p.s[start:p.i]
	if seg == "" {
		p.why = "a unit is missing"
		return false
	}
	if !ucumSimple(seg) {
		p.why = seg + " is not a UCUM unit"
		return false
	}
	if p.peek() == '{' {
		return p.annotation()
	}
	return true
}

func (p *ucumParser) annotation() bool {
	p.i++ // '{'
	for p.i < len(p.s) && p.s[p.i] != '}' {
		if c := p.s[p.i]; c < 0x20 || c >= 0x7f || c == '{' {
			p.why = "an annotation holds printable ASCII but '{' and '}'"
			return false
		}
		p.i++
	}
	if p.i >= len(p.s) {
		p.why = "missing '}'"
		return false
	}
	p.i++
	return true
}

// ucumSimple reports whether seg is a factor, or a simple unit (atom or prefix + metric
// atom) followed by an optional exponent (sign and digits).
func ucumSimple(seg string) bool {
	if isDigitsASCII(seg) {
		return true // a factor
	}
	// the exponent is the longest trailing run of digits with an optional sign before it
	// that leaves a unit; try the longest unit first (atoms may end in digits)
	for k := len(seg); k > 0; k-- {
		unit, exp := seg[:k], seg[k:]
		if exp != "" {
			e := exp
			if e[0] == '+' || e[0] == '-' {
				e = e[1:]
			}
			if e == "" || !isDigitsASCII(e) {
				continue
			}
		}
		if ucumUnit(unit) {
			return true
		}
	}
	return false
}

func ucumUnit(u string) bool {
	if ucumAtoms[u] || ucumMetric[u] {
		return true
	}
	for n := 1; n <= 2 && n < len(u); n++ {
		if ucumPrefixes[u[:n]] && ucumMetric[u[n:]] {
			return true
		}
	}
	return false
}
