package syntax

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type tokKind int

const (
	tokEOF       tokKind = iota
	tokError             // lexical error: errPos, errMsg
	tokIdent             // IDENTIFIER (keywords included; the parser tells them apart)
	tokDelimited         // `delimited identifier`; val is decoded
	tokString            // 'string'; val is decoded
	tokNumber            // 12 or 1.5
	tokLong              // 12L
	tokDate              // @2015-02-04
	tokDateTime          // @2015-02-04T14:34
	tokTime              // @T14:34
	tokVariable          // $this, $index, $total; val is the name without '$'
	tokPunct             // operators and punctuation; text is the symbol
)

type token struct {
	kind             tokKind
	pos, end         int
	text             string // source text src[pos:end]
	val              string // decoded value (strings, delimited identifiers, variables)
	date, time, zone string // parts of date and time literals
	errPos           int
	errMsg           string
}

// describe names the token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of expression"
	case tokIdent:
		if reserved[t.text] {
			return fmt.Sprintf("keyword %q", t.text)
		}
		return fmt.Sprintf("identifier %q", t.text)
	case tokDelimited:
		return "identifier " + t.text
	case tokString:
		return "string " + abbreviate(t.text)
	case tokNumber, tokLong:
		return "number " + t.text
	case tokDate, tokDateTime, tokTime:
		return "date/time " + t.text
	case tokVariable:
		return t.text
	case tokPunct:
		return "'" + t.text + "'"
	}
	return "error"
}

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

type lexer struct {
	src  string
	pos  int
	done bool // an error token was produced; keep returning it
	last token
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func (l *lexer) errorf(start, at int, format string, args ...any) token {
	l.done = true
	l.last = token{kind: tokError, pos: start, end: start, errPos: at, errMsg: fmt.Sprintf(format, args...)}
	return l.last
}

// next returns the next token.
func (l *lexer) next() token {
	if l.done {
		return l.last
	}
	if t, ok := l.skipSpace(); !ok {
		return t
	}
	src := l.src
	start := l.pos
	if start >= len(src) {
		return token{kind: tokEOF, pos: start, end: start}
	}
	c := src[start]
	switch {
	case isLetter(c):
		j := start + 1
		for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
			j++
		}
		return l.tok(tokIdent, j)
	case isDigit(c):
		j := start + 1
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
			j += 2
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			return l.tok(tokNumber, j)
		}
		if j < len(src) && src[j] == 'L' {
			return l.tok(tokLong, j+1)
		}
		return l.tok(tokNumber, j)
	case c == '\'' || c == '`':
		val, end, ok := l.quoted(c)
		if !ok {
			return l.last
		}
		kind := tokString
		if c == '`' {
			kind = tokDelimited
		}
		t := l.tok(kind, end)
		t.val = val
		return t
	case c == '$':
		j := start + 1
		for j < len(src) && (isLetter(src[j]) || isDigit(src[j])) {
			j++
		}
		switch name := src[start+1 : j]; name {
		case "this", "index", "total":
			t := l.tok(tokVariable, j)
			t.val = name
			return t
		case "":
			return l.errorf(start, start, "'$' must be followed by this, index or total")
		default:
			return l.errorf(start, start, "unknown special variable $%s (want $this, $index or $total)", name)
		}
	case c == '@':
		return l.dateTime()
	}
	// Punctuation and operators.
	if start+1 < len(src) {
		switch src[start : start+2] {
		case "!=", "!~", "<=", ">=":
			return l.tok(tokPunct, start+2)
		}
	}
	switch c {
	case '(', ')', '[', ']', '{', '}', ',', '.', '%', '+', '-', '*', '/', '&', '|', '=', '~', '<', '>':
		return l.tok(tokPunct, start+1)
	case '!':
		return l.errorf(start, start, "'!' must be followed by '=' or '~'")
	case '"':
		return l.errorf(start, start, "unexpected '\"': string literals are written with single quotes, delimited identifiers with backticks")
	}
	r, _ := utf8.DecodeRuneInString(src[start:])
	if r == utf8.RuneError {
		return l.errorf(start, start, "unexpected byte 0x%02x", c)
	}
	return l.errorf(start, start, "unexpected character %q", r)
}

func (l *lexer) tok(kind tokKind, end int) token {
	t := token{kind: kind, pos: l.pos, end: end, text: l.src[l.pos:end]}
	l.pos = end
	return t
}

// skipSpace skips white space (space, tab, CR, LF) and comments. It returns an error token
// and false for an unterminated block comment.
func (l *lexer) skipSpace() (token, bool) {
	src := l.src
	for l.pos < len(src) {
		switch c := src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '/':
			j := l.pos + 2
			for j < len(src) && src[j] != '\n' && src[j] != '\r' {
				j++
			}
			l.pos = j
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*':
			k := strings.Index(src[l.pos+2:], "*/")
			if k < 0 {
				return l.errorf(l.pos, l.pos, "unterminated block comment"), false
			}
			l.pos += 2 + k + 2
		default:
			return token{}, true
		}
	}
	return token{}, true
}

// quoted scans a string literal or delimited identifier starting at l.pos with quote q and
// returns its decoded value and the offset after the closing quote.
func (l *lexer) quoted(q byte) (string, int, bool) {
	src := l.src
	start := l.pos
	what := "string literal"
	if q == '`' {
		what = "delimited identifier"
	}
	var b strings.Builder
	i := start + 1
	for {
		if i >= len(src) {
			l.errorf(start, start, "unterminated %s", what)
			return "", 0, false
		}
		c := src[i]
		if c == q {
			return b.String(), i + 1, true
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(src) {
			l.errorf(start, start, "unterminated %s", what)
			return "", 0, false
		}
		switch e := src[i+1]; e {
		case '\'', '"', '`', '\\', '/':
			b.WriteByte(e)
			i += 2
		case 'f', 'n', 'r', 't':
			b.WriteByte("\f\n\r\t"[strings.IndexByte("fnrt", e)])
			i += 2
		case 'u':
			r, ok := hex4(src, i+2)
			if !ok {
				l.errorf(start, i, "invalid unicode escape in %s: want \\u and 4 hex digits", what)
				return "", 0, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				// Combine a UTF-16 surrogate pair written as two escapes; a lone
				// surrogate decodes to U+FFFD.
				if r2, ok := hex4(src, i+2); ok && r < 0xDC00 && i+1 < len(src) && src[i] == '\\' && src[i+1] == 'u' {
					if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
						r = p
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			r, _ := utf8.DecodeRuneInString(src[i+1:])
			l.errorf(start, i, "invalid escape sequence \\%c in %s", r, what)
			return "", 0, false
		}
	}
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for k := i; k < i+4; k++ {
		c := s[k]
		if !isHex(c) {
			return 0, false
		}
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c >= 'a':
			d = c - 'a' + 10
		default:
			d = c - 'A' + 10
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func (l *lexer) digits(i, n int) bool {
	if i+n > len(l.src) {
		return false
	}
	for k := i; k < i+n; k++ {
		if !isDigit(l.src[k]) {
			return false
		}
	}
	return true
}

func (l *lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

// timeFormat scans HH(:MM(:SS(.fff)?)?)? at i and returns its end, or false if there are
// not even two digits.
func (l *lexer) timeFormat(i int) (int, bool) {
	if !l.digits(i, 2) {
		return i, false
	}
	j := i + 2
	if l.at(j) == ':' && l.digits(j+1, 2) {
		j += 3
		if l.at(j) == ':' && l.digits(j+1, 2) {
			j += 3
			if l.at(j) == '.' && l.digits(j+1, 1) {
				j += 2
				for isDigit(l.at(j)) {
					j++
				}
			}
		}
	}
	return j, true
}

// dateTime scans a date, date-time or time literal at '@'. Like the ANTLR lexer it takes the
// longest prefix that is a complete literal, so `@2015-02-04-1` is the date @2015-02-04
// followed by `-1`. The components are then range-checked (month 01-12, day valid for the
// month, hour 00-23, minute and second 00-59, zone offset up to 14:00).
func (l *lexer) dateTime() token {
	src := l.src
	start := l.pos
	i := start + 1
	if l.at(i) == 'T' {
		j, ok := l.timeFormat(i + 1)
		if !ok {
			return l.errorf(start, start, "invalid time literal: want @T followed by hh, hh:mm or hh:mm:ss")
		}
		if ok, off, msg := l.checkTime(i + 1); !ok {
			return l.errorf(start, off, "invalid time literal %s: %s", src[start:j], msg)
		}
		t := l.tok(tokTime, j)
		t.time = src[i+1 : j]
		return t
	}
	if !l.digits(i, 4) {
		return l.errorf(start, start, "invalid date literal: want '@' followed by a 4-digit year, or @T and a time")
	}
	j := i + 4
	if l.at(j) == '-' && l.digits(j+1, 2) {
		j += 3
		if l.at(j) == '-' && l.digits(j+1, 2) {
			j += 3
		}
	}
	date := src[i:j]
	if ok, off, msg := l.checkDate(i, date); !ok {
		end := j
		if l.at(end) == 'T' {
			end++
		}
		return l.errorf(start, off, "invalid date literal %s: %s", src[start:end], msg)
	}
	if l.at(j) != 'T' {
		t := l.tok(tokDate, j)
		t.date = date
		return t
	}
	k := j + 1
	var tm, zone string
	if e, ok := l.timeFormat(k); ok {
		tm = src[k:e]
		z := e
		switch c := l.at(z); {
		case c == 'Z':
			z++
		case (c == '+' || c == '-') && l.digits(z+1, 2) && l.at(z+3) == ':' && l.digits(z+4, 2):
			z += 6
		}
		zone = src[e:z]
		if ok, off, msg := l.checkTime(k); !ok {
			return l.errorf(start, off, "invalid date-time literal %s: %s", src[start:z], msg)
		}
		if len(zone) == 6 {
			h := atoi2(zone[1:3])
			m := atoi2(zone[4:6])
			if h > 14 || m > 59 || h == 14 && m > 0 {
				return l.errorf(start, e, "invalid date-time literal %s: time-zone offset %s out of range", src[start:z], zone)
			}
		}
		k = z
	}
	t := l.tok(tokDateTime, k)
	t.date, t.time, t.zone = date, tm, zone
	return t
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// checkDate range-checks the date part date that starts at offset i.
func (l *lexer) checkDate(i int, date string) (bool, int, string) {
	if len(date) < 7 {
		return true, 0, ""
	}
	year := atoi2(date[0:2])*100 + atoi2(date[2:4])
	month := atoi2(date[5:7])
	if month < 1 || month > 12 {
		return false, i + 5, fmt.Sprintf("month %s out of range", date[5:7])
	}
	if len(date) < 10 {
		return true, 0, ""
	}
	day := atoi2(date[8:10])
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month-1]
	if month == 2 && (year%4 == 0 && year%100 != 0 || year%400 == 0) {
		days = 29
	}
	if day < 1 || day > days {
		return false, i + 8, fmt.Sprintf("day %s out of range for %s", date[8:10], date[:7])
	}
	return true, 0, ""
}

// checkTime range-checks the time that starts at offset i (already scanned by timeFormat).
func (l *lexer) checkTime(i int) (bool, int, string) {
	if h := atoi2(l.src[i : i+2]); h > 23 {
		return false, i, fmt.Sprintf("hour %s out of range", l.src[i:i+2])
	}
	if l.at(i+2) == ':' && l.digits(i+3, 2) {
		if m := atoi2(l.src[i+3 : i+5]); m > 59 {
			return false, i + 3, fmt.Sprintf("minute %s out of range", l.src[i+3:i+5])
		}
		if l.at(i+5) == ':' && l.digits(i+6, 2) {
			if s := atoi2(l.src[i+6 : i+8]); s > 59 {
				return false, i + 6, fmt.Sprintf("second %s out of range", l.src[i+6:i+8])
			}
		}
	}
	return true, 0, ""
}
