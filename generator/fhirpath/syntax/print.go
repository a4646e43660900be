package syntax

import (
	"cmp"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The canonical form printed by String():
//   - binary, is and as operators are surrounded by single spaces: `a + b`, `x is FHIR.Quantity`;
//   - parentheses appear only where precedence or left-associativity needs them:
//     `(a | b) = c` prints as `a | b = c` ('|' binds tighter), while `a | (b = c)`,
//     `(a + b) * c` and `a - (b - c)` keep theirs; the target of `.` or `[]` is
//     parenthesized when it is an operator expression: `(-1).abs()`, `(x as Quantity).value`;
//   - arguments are separated by ", ";
//   - literals print their source text when they have one (Text, UnitText), otherwise a
//     canonical spelling of their value;
//   - names print with backticks when they were delimited in the source, or when they are
//     not a plain identifier or are a reserved word (`div`, `and`, `true`, ...).

func (n *Empty) String() string            { return format(n) }
func (n *Boolean) String() string          { return format(n) }
func (n *String) String() string           { return format(n) }
func (n *Number) String() string           { return format(n) }
func (n *Long) String() string             { return format(n) }
func (n *Date) String() string             { return format(n) }
func (n *DateTime) String() string         { return format(n) }
func (n *Time) String() string             { return format(n) }
func (n *Quantity) String() string         { return format(n) }
func (n *Identifier) String() string       { return format(n) }
func (n *Member) String() string           { return format(n) }
func (n *Call) String() string             { return format(n) }
func (n *Variable) String() string         { return format(n) }
func (n *ExternalConstant) String() string { return format(n) }
func (n *Index) String() string            { return format(n) }
func (n *Unary) String() string            { return format(n) }
func (n *Binary) String() string           { return format(n) }
func (n *TypeExpr) String() string         { return format(n) }
func (n *TypeSpecifier) String() string    { return format(n) }

func format(n Node) string {
	var b strings.Builder
	write(&b, n)
	return b.String()
}

// writeParen writes n, in parentheses if its precedence is below min.
func writeParen(b *strings.Builder, n Node, min int) {
	if Precedence(n) < min {
		b.WriteByte('(')
		write(b, n)
		b.WriteByte(')')
		return
	}
	write(b, n)
}

// write writes the canonical form of n; the target of '.' or '[]' is parenthesized unless
// it binds at least as tightly as an indexer.
func write(b *strings.Builder, n Node) {
	if n == nil || isNilNode(n) {
		b.WriteString("<nil>")
		return
	}
	switch n := n.(type) {
	case *Empty:
		b.WriteString("{}")
	case *Boolean:
		if n.Value {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case *String:
		if n.Text != "" {
			b.WriteString(n.Text)
		} else {
			quote(b, n.Value, '\'')
		}
	case *Number:
		b.WriteString(n.Text)
	case *Long:
		b.WriteString(n.Text)
	case *Date:
		b.WriteString(cmp.Or(n.Text, "@"+n.Date))
	case *DateTime:
		b.WriteString(cmp.Or(n.Text, "@"+n.Date+"T"+n.Time+n.Zone))
	case *Time:
		b.WriteString(cmp.Or(n.Text, "@T"+n.Time))
	case *Quantity:
		b.WriteString(n.Value)
		b.WriteByte(' ')
		switch {
		case n.UnitText != "":
			b.WriteString(n.UnitText)
		case n.Calendar:
			b.WriteString(n.Unit)
		default:
			quote(b, n.Unit, '\'')
		}
	case *Identifier:
		writeName(b, n.Name, n.Delimited)
	case *Member:
		writeParen(b, n.Target, PrecIndexer)
		b.WriteByte('.')
		writeName(b, n.Name, n.Delimited)
	case *Call:
		if n.Target != nil {
			writeParen(b, n.Target, PrecIndexer)
			b.WriteByte('.')
		}
		writeName(b, n.Name, n.Delimited)
		b.WriteByte('(')
		for i, a := range n.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			write(b, a)
		}
		b.WriteByte(')')
	case *Variable:
		if n.Target != nil {
			writeParen(b, n.Target, PrecIndexer)
			b.WriteByte('.')
		}
		b.WriteString("$" + n.Name)
	case *ExternalConstant:
		b.WriteByte('%')
		switch n.Form {
		case ConstString:
			quote(b, n.Name, '\'')
		case ConstDelimited:
			quote(b, n.Name, '`')
		default:
			writeName(b, n.Name, false)
		}
	case *Index:
		writeParen(b, n.Target, PrecIndexer)
		b.WriteByte('[')
		write(b, n.Index)
		b.WriteByte(']')
	case *Unary:
		b.WriteString(string(n.Op))
		writeParen(b, n.Operand, PrecPolarity)
	case *Binary:
		p := n.Op.Precedence()
		writeParen(b, n.Left, p)
		b.WriteByte(' ')
		b.WriteString(string(n.Op))
		b.WriteByte(' ')
		writeParen(b, n.Right, p+1)
	case *TypeExpr:
		writeParen(b, n.Expr, PrecType)
		b.WriteByte(' ')
		b.WriteString(string(n.Op))
		b.WriteByte(' ')
		write(b, n.Type)
	case *TypeSpecifier:
		if n.Namespace != "" {
			for _, part := range strings.Split(n.Namespace, ".") {
				writeName(b, part, false)
				b.WriteByte('.')
			}
		}
		writeName(b, n.Name, false)
	}
}

// reserved are the words that cannot be plain identifiers. (as, is, in and contains can.)
var reserved = map[string]bool{
	"true": true, "false": true,
	"and": true, "or": true, "xor": true, "implies": true,
	"div": true, "mod": true,
}

// IsPlainIdentifier reports whether s can be written without backticks: it matches
// [A-Za-z_][A-Za-z0-9_]* and is not a reserved word (true false and or xor implies div mod).
func IsPlainIdentifier(s string) bool {
	if s == "" || reserved[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isLetter(c) || (i > 0 && isDigit(c))) {
			return false
		}
	}
	return true
}

// writeName writes an identifier, with backticks if delimited or needed.
func writeName(b *strings.Builder, s string, delimited bool) {
	if !delimited && IsPlainIdentifier(s) {
		b.WriteString(s)
		return
	}
	quote(b, s, '`')
}

// quote writes s between q quotes with FHIRPath escapes: the quote itself, backslash and
// control characters are escaped; other characters, invalid UTF-8 bytes included, are
// written as they are.
func quote(b *strings.Builder, s string, q byte) {
	b.WriteByte(q)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteByte(s[i-1])
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
}
