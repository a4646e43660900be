package support

import "unicode/utf8"

// Format checks for FHIR primitive values, called from generated Validate methods. Each
// checker follows the regex of the FHIR R4/R5 primitive type definitions plus the rules
// their text states (real calendar dates, a UTC offset whenever a time is given, JSON's
// "no empty or whitespace-only values"). They are hand-written scanners: no regexp, no
// allocation, and a failure comes with a short constant reason that does not repeat the
// value.
//
// Where R4 and R5 differ the checkers accept the union, except where the prose of both
// versions is stricter than a regex (code: single spaces only; dateTime: offset required
// with a time and not allowed without one).

// primitiveKind names a FHIR primitive type for checkPrimitive.
type primitiveKind uint8

const (
	primBoolean primitiveKind = iota + 1
	primInteger
	primInteger64
	primUnsignedInt
	primPositiveInt
	primDecimal
	primString
	primMarkdown
	primCode
	primID
	primURI
	primURL
	primCanonical
	primOID
	primUUID
	primBase64Binary
	primDate
	primDateTime
	primInstant
	primTime
	primXHTML
)

// String returns the FHIR type name.
func (k primitiveKind) String() string {
	switch k {
	case primBoolean:
		return "boolean"
	case primInteger:
		return "integer"
	case primInteger64:
		return "integer64"
	case primUnsignedInt:
		return "unsignedInt"
	case primPositiveInt:
		return "positiveInt"
	case primDecimal:
		return "decimal"
	case primString:
		return "string"
	case primMarkdown:
		return "markdown"
	case primCode:
		return "code"
	case primID:
		return "id"
	case primURI:
		return "uri"
	case primURL:
		return "url"
	case primCanonical:
		return "canonical"
	case primOID:
		return "oid"
	case primUUID:
		return "uuid"
	case primBase64Binary:
		return "base64Binary"
	case primDate:
		return "date"
	case primDateTime:
		return "dateTime"
	case primInstant:
		return "instant"
	case primTime:
		return "time"
	case primXHTML:
		return "xhtml"
	}
	return "unknown primitive"
}

// checkPrimitive checks s as the text of a value of the given kind. Numbers and booleans
// are checked as their literal text (the XML / string form); values the decoder already
// parsed into int32 need only checkUnsignedInt or checkPositiveInt. checkPrimitive does
// not look for control characters: see checkStringChars.
func checkPrimitive(kind primitiveKind, s string) (ok bool, reason string) {
	switch kind {
	case primBoolean:
		return checkBooleanText(s)
	case primInteger:
		return checkIntegerText(s)
	case primInteger64:
		return checkInteger64Text(s)
	case primUnsignedInt:
		return checkUnsignedIntText(s)
	case primPositiveInt:
		return checkPositiveIntText(s)
	case primDecimal:
		return checkDecimal(s)
	case primString:
		return checkString(s)
	case primMarkdown:
		return checkMarkdown(s)
	case primCode:
		return checkCode(s)
	case primID:
		return checkID(s)
	case primURI:
		return checkURI(s)
	case primURL:
		return checkURL(s)
	case primCanonical:
		return checkCanonical(s)
	case primOID:
		return checkOID(s)
	case primUUID:
		return checkUUID(s)
	case primBase64Binary:
		return checkBase64Binary(s)
	case primDate:
		return checkDate(s)
	case primDateTime:
		return checkDateTime(s)
	case primInstant:
		return checkInstant(s)
	case primTime:
		return checkTime(s)
	case primXHTML:
		return checkXHTML(s)
	}
	return false, "unknown primitive type"
}

const (
	reasonEmpty          = "empty value"
	reasonWhitespaceOnly = "value is whitespace only"
	maxStringChars       = 1024 * 1024
)

// isSpace reports ASCII whitespace, the \s of the (Java) regexes in the FHIR definitions.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			return false
		}
	}
	return true
}

// --- strings ---

// checkString checks a FHIR string: at least one non-whitespace character (FHIR JSON
// allows no empty or whitespace-only values) and at most 1,048,576 characters.
func checkString(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if allSpace(s) {
		return false, reasonWhitespaceOnly
	}
	if len(s) > maxStringChars && utf8.RuneCountInString(s) > maxStringChars {
		return false, "string longer than 1,048,576 characters"
	}
	return true, ""
}

// checkMarkdown checks a FHIR markdown value: like string but without a length limit.
func checkMarkdown(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if allSpace(s) {
		return false, reasonWhitespaceOnly
	}
	return true, ""
}

// checkXHTML only checks that narrative is present; its XHTML rules are not checked here.
func checkXHTML(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if allSpace(s) {
		return false, reasonWhitespaceOnly
	}
	return true, ""
}

// checkStringChars checks that s is valid UTF-8 without control characters other than
// tab, CR and LF, which FHIR says strings SHOULD NOT contain. It is separate from the
// format checks so the caller decides whether this is an error or a warning.
func checkStringChars(s string) (bool, string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false, "control character other than tab, CR or LF"
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return false, "invalid UTF-8"
		}
		i += n
	}
	return true, ""
}

// validUTF8NoControl reports whether checkStringChars accepts s.
func validUTF8NoControl(s string) bool {
	ok, _ := checkStringChars(s)
	return ok
}

// checkCode checks a FHIR code: no leading or trailing whitespace and no whitespace other
// than single spaces between the words. (The R4 regex [^\s]+(\s[^\s]+)* would also take a
// single tab or newline; the prose of R4 and R5, and the R5 regex, allow only spaces.)
func checkCode(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if isSpace(s[0]) {
		if allSpace(s) {
			return false, reasonWhitespaceOnly
		}
		return false, "code has leading whitespace"
	}
	if isSpace(s[len(s)-1]) {
		return false, "code has trailing whitespace"
	}
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if !isSpace(c) {
			continue
		}
		if c != ' ' {
			return false, "code has whitespace other than single spaces"
		}
		if s[i+1] == ' ' || isSpace(s[i+1]) {
			return false, "code has consecutive whitespace"
		}
	}
	return true, ""
}

// checkID checks a FHIR id: 1 to 64 of A-Z a-z 0-9 '-' '.'.
func checkID(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '.') {
			return false, "id may contain only letters, digits, '-' and '.'"
		}
	}
	if len(s) > 64 {
		return false, "id longer than 64 characters"
	}
	return true, ""
}

// --- URIs ---

// checkURI checks a FHIR uri: non-empty, no whitespace (regex \S*). URIs may be relative,
// so no scheme is required.
func checkURI(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			return false, "uri contains whitespace"
		}
	}
	return true, ""
}

// checkURL checks a FHIR url; the definitions give it the same regex as uri.
func checkURL(s string) (bool, string) {
	if ok, reason := checkURI(s); !ok {
		if reason != reasonEmpty {
			reason = "url contains whitespace"
		}
		return false, reason
	}
	return true, ""
}

// checkCanonical checks a FHIR canonical: a uri, optionally followed by |version, with
// neither part empty and at most one '|'.
func checkCanonical(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	bar := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isSpace(c) {
			return false, "canonical contains whitespace"
		}
		if c == '|' {
			if bar >= 0 {
				return false, "canonical has more than one '|'"
			}
			bar = i
		}
	}
	switch {
	case bar == 0:
		return false, "canonical has a version but no url"
	case bar == len(s)-1:
		return false, "canonical has an empty version after '|'"
	}
	return true, ""
}

// checkOID checks a FHIR oid: urn:oid:[0-2](\.(0|[1-9][0-9]*))+.
func checkOID(s string) (bool, string) {
	const prefix = "urn:oid:"
	if s == "" {
		return false, reasonEmpty
	}
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return false, "oid must start with urn:oid:"
	}
	p := s[len(prefix):]
	if p == "" {
		return false, "oid has no arcs"
	}
	if p[0] < '0' || p[0] > '2' {
		return false, "oid must start with arc 0, 1 or 2"
	}
	if len(p) == 1 {
		return false, "oid needs at least two arcs"
	}
	i := 1
	for i < len(p) {
		if p[i] != '.' {
			if isDigit(p[i]) {
				return false, "oid must start with arc 0, 1 or 2"
			}
			return false, "oid may contain only digits and dots"
		}
		i++
		start := i
		for i < len(p) && isDigit(p[i]) {
			i++
		}
		switch {
		case i == start:
			if i < len(p) && p[i] != '.' {
				return false, "oid may contain only digits and dots"
			}
			return false, "oid has an empty arc"
		case p[start] == '0' && i-start > 1:
			return false, "oid arc has a leading zero"
		}
	}
	return true, ""
}

// checkUUID checks a FHIR uuid: urn:uuid: and lowercase 8-4-4-4-12 hex digits (the
// definitions' regex allows lowercase only, as RFC 4122 asks for output).
func checkUUID(s string) (bool, string) {
	const prefix = "urn:uuid:"
	if s == "" {
		return false, reasonEmpty
	}
	if len(s) < len(prefix) || s[:len(prefix)] != prefix {
		return false, "uuid must start with urn:uuid:"
	}
	u := s[len(prefix):]
	if len(u) != 36 {
		return false, "uuid must have 32 hex digits in groups 8-4-4-4-12"
	}
	upper := false
	for i := 0; i < len(u); i++ {
		c := u[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false, "uuid must have 32 hex digits in groups 8-4-4-4-12"
			}
			continue
		}
		switch {
		case isDigit(c) || c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return false, "uuid must have 32 hex digits in groups 8-4-4-4-12"
		}
	}
	if upper {
		return false, "uuid hex digits must be lowercase"
	}
	return true, ""
}

// --- numbers and booleans (as text) ---

// checkBooleanText checks the text of a FHIR boolean: true or false.
func checkBooleanText(s string) (bool, string) {
	if s == "true" || s == "false" {
		return true, ""
	}
	if s == "" {
		return false, reasonEmpty
	}
	return false, "boolean must be true or false"
}

// checkDecimal checks a FHIR decimal's text, which is the JSON number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func checkDecimal(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	i := 0
	if s[0] == '-' {
		i++
	}
	switch {
	case i == len(s) || !isDigit(s[i]):
		if i < len(s) && s[i] == '.' {
			return false, "decimal needs a digit before the point"
		}
		return false, "decimal must start with a digit or '-'"
	case s[i] == '0':
		i++
		if i < len(s) && isDigit(s[i]) {
			return false, "decimal has a leading zero"
		}
	default:
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false, "decimal needs digits after the point"
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false, "decimal exponent needs digits"
		}
	}
	if i != len(s) {
		return false, "decimal has unexpected characters"
	}
	return true, ""
}

// scanIntText checks s as an optionally signed run of digits without leading zeros and
// returns its magnitude; plus and minus say which signs are allowed. More than 19
// digits is out of range for every FHIR integer type, so the magnitude never overflows.
func scanIntText(s string, plus, minus bool) (neg bool, mag uint64, reason string) {
	if s == "" {
		return false, 0, reasonEmpty
	}
	i := 0
	switch s[0] {
	case '+':
		if !plus {
			return false, 0, "integer must not have a '+' sign"
		}
		i++
	case '-':
		if !minus {
			return false, 0, "integer must not be negative"
		}
		neg = true
		i++
	}
	if i == len(s) {
		return false, 0, "integer needs digits"
	}
	if s[i] == '0' && len(s)-i > 1 {
		return false, 0, "integer has a leading zero"
	}
	if len(s)-i > 19 {
		for ; i < len(s); i++ {
			if !isDigit(s[i]) {
				return false, 0, "integer may contain only digits"
			}
		}
		return false, 0, "integer out of range"
	}
	for ; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) {
			return false, 0, "integer may contain only digits"
		}
		mag = mag*10 + uint64(c-'0')
	}
	return neg, mag, ""
}

// checkIntegerText checks the text of a FHIR integer: R4's -?([0]|([1-9][0-9]*)) or R5's
// [0]|[-+]?[1-9][0-9]*, within the 32-bit signed range.
func checkIntegerText(s string) (bool, string) {
	neg, mag, reason := scanIntText(s, true, true)
	switch {
	case reason != "":
		return false, reason
	case s == "+0":
		return false, "integer must not have a '+' sign"
	case !neg && mag > 1<<31-1 || neg && mag > 1<<31:
		return false, "integer out of 32-bit range"
	}
	return true, ""
}

// checkInteger64Text checks the text of an R5 integer64 ([0]|[-+]?[1-9][0-9]*, which FHIR
// JSON carries as a string), within the 64-bit signed range.
func checkInteger64Text(s string) (bool, string) {
	neg, mag, reason := scanIntText(s, true, true)
	switch {
	case reason != "":
		return false, reason
	case mag == 0 && len(s) > 1:
		return false, "integer64 zero must not have a sign"
	case !neg && mag > 1<<63-1 || neg && mag > 1<<63:
		return false, "integer64 out of 64-bit range"
	}
	return true, ""
}

// checkUnsignedIntText checks the text of a FHIR unsignedInt: [0]|([1-9][0-9]*) up to
// 2,147,483,647.
func checkUnsignedIntText(s string) (bool, string) {
	_, mag, reason := scanIntText(s, false, false)
	switch {
	case reason != "":
		return false, reason
	case mag > 1<<31-1:
		return false, "unsignedInt out of range (0 to 2147483647)"
	}
	return true, ""
}

// checkPositiveIntText checks the text of a FHIR positiveInt: +?[1-9][0-9]* up to
// 2,147,483,647.
func checkPositiveIntText(s string) (bool, string) {
	_, mag, reason := scanIntText(s, true, false)
	switch {
	case reason != "":
		return false, reason
	case mag == 0:
		return false, "positiveInt must be at least 1"
	case mag > 1<<31-1:
		return false, "positiveInt out of range (1 to 2147483647)"
	}
	return true, ""
}

// checkUnsignedInt checks a decoded unsignedInt (the JSON decoder already keeps the value
// in int32 range).
func checkUnsignedInt(v int32) (bool, string) {
	if v < 0 {
		return false, "unsignedInt must not be negative"
	}
	return true, ""
}

// checkPositiveInt checks a decoded positiveInt.
func checkPositiveInt(v int32) (bool, string) {
	if v < 1 {
		return false, "positiveInt must be at least 1"
	}
	return true, ""
}

// --- base64Binary ---

// base64Alphabet is isBase64 as a table (1 for the alphabet, else 0).
var base64Alphabet = func() (t [256]uint8) {
	for c := range 256 {
		if isBase64(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || isDigit(c) || c == '+' || c == '/'
}

// checkBase64Binary checks FHIR base64Binary: groups of four base64 characters, with
// whitespace allowed between groups (R4 regex (\s*([0-9a-zA-Z\+/=]){4}\s*)+) and '='
// only as padding: "xx==" or "xxx=" in the last group.
func checkBase64Binary(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	groups := 0
	padded := false
	i := 0
	for {
		// The common case, runs of alphabet characters, by table lookups: eight at a
		// time, then four.
		t := &base64Alphabet
		for !padded && i+8 <= len(s) && t[s[i]]&t[s[i+1]]&t[s[i+2]]&t[s[i+3]]&t[s[i+4]]&t[s[i+5]]&t[s[i+6]]&t[s[i+7]] != 0 {
			i += 8
			groups += 2
		}
		for !padded && i+4 <= len(s) && t[s[i]]&t[s[i+1]]&t[s[i+2]]&t[s[i+3]] != 0 {
			i += 4
			groups++
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		if padded {
			return false, "base64 has data after '=' padding"
		}
		var q [4]byte
		for k := 0; k < 4; k++ {
			if i == len(s) {
				return false, "base64 length is not a multiple of 4"
			}
			c := s[i]
			if isSpace(c) {
				return false, "base64 has whitespace inside a group of four"
			}
			if c != '=' && !isBase64(c) {
				return false, "base64 has a character outside A-Z a-z 0-9 + / ="
			}
			q[k] = c
			i++
		}
		switch {
		case q[0] == '=' || q[1] == '=' || q[2] == '=' && q[3] != '=':
			return false, "base64 '=' padding in the wrong place"
		case q[3] == '=':
			padded = true
		}
		groups++
	}
	if groups == 0 {
		return false, reasonWhitespaceOnly
	}
	return true, ""
}

// --- dates and times ---

const (
	temporalDate = iota
	temporalDateTime
	temporalInstant
)

// checkDate checks a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD, a real calendar date in
// years 0001-9999, with no time or offset.
func checkDate(s string) (bool, string) { return checkTemporal(s, temporalDate) }

// checkDateTime checks a FHIR dateTime: a date form, or YYYY-MM-DDThh:mm:ss(.s+) with an
// offset (Z or ±hh:mm up to ±14:00), which is required with a time and not allowed
// without one. Hours run 00-23 and seconds 00-60 (leap second), as the regex says.
func checkDateTime(s string) (bool, string) { return checkTemporal(s, temporalDateTime) }

// checkInstant checks a FHIR instant: a full date and time with seconds and an offset.
func checkInstant(s string) (bool, string) { return checkTemporal(s, temporalInstant) }

// checkTime checks a FHIR time: hh:mm:ss(.s+), no offset.
func checkTime(s string) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	n, reason := scanClock(s)
	if reason != "" {
		return false, reason
	}
	if n < len(s) {
		switch s[n] {
		case 'Z', 'z', '+', '-':
			return false, "time must not have a timezone"
		}
		return false, "unexpected characters after the time"
	}
	return true, ""
}

// digits2 parses s[i:i+2] as two decimal digits.
func digits2(s string, i int) (int, bool) {
	if i+2 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) {
		return 0, false
	}
	return int(s[i]-'0')*10 + int(s[i+1]-'0'), true
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(m, y int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// noSuchDay names a day past the end of its month (days 29-31 only).
func noSuchDay(m, d int) string {
	switch m {
	case 2:
		switch d {
		case 29:
			return "February 29 does not exist in a non-leap year"
		case 30:
			return "February 30 does not exist"
		}
		return "February 31 does not exist"
	case 4:
		return "April 31 does not exist"
	case 6:
		return "June 31 does not exist"
	case 9:
		return "September 31 does not exist"
	}
	return "November 31 does not exist"
}

func checkTemporal(s string, mode int) (bool, string) {
	if s == "" {
		return false, reasonEmpty
	}
	if len(s) < 4 || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false, "year must have four digits"
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	if y == 0 {
		return false, "year 0000 is not allowed"
	}
	if len(s) == 4 {
		return needFull(mode)
	}
	if s[4] != '-' {
		return false, afterDatePart(s[4], "year", mode)
	}
	m, ok := digits2(s, 5)
	if !ok || len(s) > 7 && isDigit(s[7]) {
		return false, "month must have two digits"
	}
	if m < 1 || m > 12 {
		return false, "month must be 01-12"
	}
	if len(s) == 7 {
		return needFull(mode)
	}
	if s[7] != '-' {
		return false, afterDatePart(s[7], "month", mode)
	}
	d, ok := digits2(s, 8)
	if !ok || len(s) > 10 && isDigit(s[10]) {
		return false, "day must have two digits"
	}
	if d < 1 || d > 31 {
		return false, "day must be 01-31"
	}
	if d > daysIn(m, y) {
		return false, noSuchDay(m, d)
	}
	if len(s) == 10 {
		if mode == temporalInstant {
			return false, "instant needs a time with seconds and a timezone"
		}
		return true, ""
	}
	switch {
	case mode == temporalDate:
		switch s[10] {
		case 'T', 't':
			return false, "date must not have a time"
		case 'Z', '+', '-':
			return false, "date must not have a timezone"
		}
		return false, "unexpected characters after the date"
	case s[10] == 't':
		return false, "date and time must be separated by an uppercase T"
	case s[10] == 'Z' || s[10] == '+' || s[10] == '-':
		return false, "timezone without a time"
	case s[10] != 'T':
		return false, "date and time must be separated by T"
	}
	n, reason := scanClock(s[11:])
	if reason != "" {
		return false, reason
	}
	return checkOffset(s[11+n:])
}

// needFull is the verdict on a partial date (year or year-month) that ends the value.
func needFull(mode int) (bool, string) {
	if mode == temporalInstant {
		return false, "instant needs a full date, time and timezone"
	}
	return true, ""
}

// afterDatePart explains an unexpected byte c after the year or month.
func afterDatePart(c byte, part string, mode int) string {
	switch {
	case isDigit(c):
		if part == "year" {
			return "year must have four digits"
		}
		return "month must have two digits"
	case mode == temporalDate && (c == 'T' || c == 't'):
		return "date must not have a time"
	case c == 'T' || c == 't':
		return "a time needs a full date"
	case c == 'Z' || c == '+':
		if mode == temporalDate {
			return "date must not have a timezone"
		}
		return "timezone without a time"
	}
	if part == "year" {
		return "expected '-' after the year"
	}
	return "expected '-' after the month"
}

// scanClock reads hh:mm:ss(.s+) at the start of s and returns its length.
func scanClock(s string) (int, string) {
	h, ok := digits2(s, 0)
	if !ok || len(s) > 2 && isDigit(s[2]) {
		return 0, "hour must have two digits"
	}
	if h > 23 {
		if h == 24 {
			return 0, "hour must be 00-23 (24:00 is not allowed)"
		}
		return 0, "hour must be 00-23"
	}
	if len(s) == 2 || s[2] == 'Z' || s[2] == '+' {
		return 0, "time needs minutes and seconds"
	}
	if s[2] != ':' {
		return 0, "expected ':' after the hour"
	}
	mi, ok := digits2(s, 3)
	if !ok || len(s) > 5 && isDigit(s[5]) {
		return 0, "minute must have two digits"
	}
	if mi > 59 {
		return 0, "minute must be 00-59"
	}
	if len(s) == 5 || s[5] != ':' {
		if len(s) == 5 || s[5] == 'Z' || s[5] == '+' || s[5] == '-' {
			return 0, "time needs seconds"
		}
		return 0, "expected ':' after the minutes"
	}
	sec, ok := digits2(s, 6)
	if !ok || len(s) > 8 && isDigit(s[8]) {
		return 0, "second must have two digits"
	}
	if sec > 60 {
		return 0, "second must be 00-60"
	}
	n := 8
	if n < len(s) && s[n] == '.' {
		n++
		start := n
		for n < len(s) && isDigit(s[n]) {
			n++
		}
		if n == start {
			return 0, "fractional seconds need at least one digit"
		}
	}
	return n, ""
}

// checkOffset checks what follows the time of a dateTime or instant: Z or ±hh:mm within
// ±14:00, and nothing more.
func checkOffset(s string) (bool, string) {
	if s == "" {
		return false, "time without a timezone"
	}
	switch s[0] {
	case 'Z':
		if len(s) == 1 {
			return true, ""
		}
		return false, "unexpected characters after the timezone"
	case 'z':
		return false, "timezone Z must be uppercase"
	case '+', '-':
	default:
		return false, "expected a timezone (Z or ±hh:mm)"
	}
	h, ok := digits2(s, 1)
	if !ok || len(s) < 6 || s[3] != ':' {
		return false, "timezone offset must be ±hh:mm"
	}
	m, ok := digits2(s, 4)
	if !ok {
		return false, "timezone offset must be ±hh:mm"
	}
	if len(s) > 6 {
		return false, "unexpected characters after the timezone"
	}
	if m > 59 {
		return false, "timezone minutes must be 00-59"
	}
	if h > 14 || h == 14 && m != 0 {
		return false, "timezone offset beyond ±14:00"
	}
	return true, ""
}
