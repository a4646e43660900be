package support

import (
	"strings"
	"unicode/utf8"
)

// xhtmlScan is the fast path of the narrative checks: one pass over the div, allocating
// nothing, that recognises the common case — a well-formed <div> in the XHTML namespace
// using only the allowed elements and attributes, no prefixes, comments, CDATA,
// processing instructions or DOCTYPE, only XML's entities and numeric character
// references, images only from inside the resource. clean is true only when the div is
// such a narrative, and then valXHTMLRules has nothing to report; content says whether it
// has text other than white space or an image with a src (txt-2). Anything else
// (clean false) goes to the encoding/xml path, which says what is wrong.
func xhtmlScan(s string) (clean, content bool) {
	var stack [64]string // open elements; deeper narratives take the slow path
	depth := 0
	i := 0
	rootDone := false
	for i < len(s) {
		c := s[i]
		switch {
		case c == '<':
			if i+1 >= len(s) {
				return false, false
			}
			if s[i+1] == '/' { // end tag
				j := i + 2
				n := xhtmlNameEnd(s, j)
				if n == j || depth == 0 || s[j:n] != stack[depth-1] {
					return false, false
				}
				for n < len(s) && xhtmlSpace(s[n]) {
					n++
				}
				if n >= len(s) || s[n] != '>' {
					return false, false
				}
				depth--
				if depth == 0 {
					rootDone = true
				}
				i = n + 1
				continue
			}
			// start tag
			j := i + 1
			n := xhtmlNameEnd(s, j)
			if n == j || rootDone || depth == len(stack) {
				return false, false // markup other than a tag (<!, <?), a second root, too deep
			}
			name := s[j:n]
			if !xhtmlElements[name] || depth == 0 && name != "div" {
				return false, false
			}
			var seen [16]string
			nseen := 0
			xmlns := false
			k := n
			for {
				sp := k
				for k < len(s) && xhtmlSpace(s[k]) {
					k++
				}
				if k >= len(s) {
					return false, false
				}
				if s[k] == '>' || s[k] == '/' {
					break
				}
				if k == sp {
					return false, false // attributes need white space before them
				}
				an := xhtmlNameEnd(s, k)
				if an == k {
					return false, false
				}
				attr := s[k:an]
				for q := 0; q < nseen; q++ {
					if seen[q] == attr {
						return false, false // a duplicate: the slow path says so
					}
				}
				if nseen == len(seen) {
					return false, false
				}
				seen[nseen] = attr
				nseen++
				k = an
				for k < len(s) && xhtmlSpace(s[k]) {
					k++
				}
				if k >= len(s) || s[k] != '=' {
					return false, false
				}
				k++
				for k < len(s) && xhtmlSpace(s[k]) {
					k++
				}
				if k >= len(s) || s[k] != '"' && s[k] != '\'' {
					return false, false
				}
				quote := s[k]
				end := strings.IndexByte(s[k+1:], quote)
				if end < 0 {
					return false, false
				}
				val := s[k+1 : k+1+end]
				k += end + 2
				if !xhtmlCleanText(val) {
					return false, false
				}
				switch {
				case attr == "xmlns":
					if depth != 0 || val != xhtmlNamespace {
						return false, false
					}
					xmlns = true
				case !xhtmlAttributes[attr]:
					return false, false
				case attr == "href" || attr == "src" || attr == "longdesc" || attr == "cite":
					v := strings.TrimSpace(val)
					if len(v) >= 11 && strings.EqualFold(v[:11], "javascript:") {
						return false, false
					}
					if attr == "src" && name == "img" {
						if !strings.HasPrefix(v, "#") && !(len(v) >= 5 && strings.EqualFold(v[:5], "data:")) {
							return false, false // a warning: the slow path words it
						}
						if val != "" {
							content = true
						}
					}
				}
			}
			if depth == 0 && !xmlns {
				return false, false
			}
			if s[k] == '/' {
				if k+1 >= len(s) || s[k+1] != '>' {
					return false, false
				}
				i = k + 2
				if depth == 0 {
					rootDone = true
				}
				continue
			}
			stack[depth] = name
			depth++
			i = k + 1
		case c == '&':
			n, space, ok := xhtmlEntity(s, i)
			if !ok || depth == 0 {
				return false, false
			}
			if !space {
				content = true
			}
			i = n
		default:
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '>' && (depth == 0 || i >= 2 && s[i-2:i] == "]]") {
				return false, false
			}
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
					return false, false
				}
				if depth == 0 {
					return false, false
				}
				content = true
				i += size
				continue
			}
			if !xhtmlSpace(c) {
				if depth == 0 {
					return false, false // text outside the div
				}
				content = true
			}
			i++
		}
	}
	return depth == 0 && rootDone, content
}

func xhtmlSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// xhtmlNameEnd returns the end of the name at s[i:]: letters and digits, then also '-',
// '_' and '.' (no ':': a prefixed name takes the slow path).
func xhtmlNameEnd(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > i && (c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			j++
			continue
		}
		break
	}
	return j
}

// xhtmlEntity reads the entity or character reference at s[i] ('&'): XML's five and
// numeric references only. space says whether it stands for white space.
func xhtmlEntity(s string, i int) (end int, space, ok bool) {
	semi := strings.IndexByte(s[i:], ';')
	if semi < 2 || semi > 12 {
		return 0, false, false
	}
	ref := s[i+1 : i+semi]
	end = i + semi + 1
	switch ref {
	case "lt", "gt", "amp", "quot", "apos":
		return end, false, true
	}
	if ref[0] != '#' || len(ref) < 2 {
		return 0, false, false
	}
	var r rune
	if ref[1] == 'x' {
		if len(ref) < 3 {
			return 0, false, false
		}
		for _, c := range ref[2:] {
			switch {
			case c >= '0' && c <= '9':
				r = r<<4 | (c - '0')
			case c >= 'a' && c <= 'f':
				r = r<<4 | (c - 'a' + 10)
			case c >= 'A' && c <= 'F':
				r = r<<4 | (c - 'A' + 10)
			default:
				return 0, false, false
			}
		}
	} else {
		for _, c := range ref[1:] {
			if c < '0' || c > '9' {
				return 0, false, false
			}
			r = r*10 + (c - '0')
		}
	}
	// XML's Char production
	if !(r == 0x9 || r == 0xA || r == 0xD || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
		return 0, false, false
	}
	return end, r == ' ' || r == '\t' || r == '\n' || r == '\r', true
}

// xhtmlCleanText reports whether an attribute value holds no '<', only allowed references
// and only XML characters.
func xhtmlCleanText(v string) bool {
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case c == '<':
			return false
		case c == '&':
			n, _, ok := xhtmlEntity(v, i)
			if !ok {
				return false
			}
			i = n
			continue
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(v[i:])
			if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
				return false
			}
			i += size
			continue
		}
		i++
	}
	return true
}
