package syntax

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that errors are *SyntaxError with an offset
// inside the input, and that the canonical form of whatever parses parses back to an equal
// tree that prints the same.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	for _, c := range errorCases {
		f.Add(c.in)
	}
	f.Add("Bundle.entry.resource.ofType(Patient).name.where(use = 'official' and period.start <= now()).given.first() | %resource.`div`")
	f.Add("(x as Quantity).value.exists() implies (x is FHIR.Quantity xor -1.5 'mg' ~ 4 days)")
	f.Fuzz(func(t *testing.T, expr string) {
		n, err := Parse(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q): error %T is not a *SyntaxError", expr, err)
			}
			if se.Offset < 0 || se.Offset > len(expr) || se.Line < 1 || se.Col < 1 {
				t.Fatalf("Parse(%q): bad position in %v (line %d col %d)", expr, err, se.Line, se.Col)
			}
			return
		}
		s := n.String()
		m, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) prints %q, which does not parse: %v", expr, s, err)
		}
		if !Equal(n, m) {
			t.Fatalf("Parse(%q) prints %q, which parses to another tree:\n%s\n%s", expr, s, sexpr(n), sexpr(m))
		}
		if s2 := m.String(); s2 != s {
			t.Fatalf("Parse(%q) prints %q, which prints %q", expr, s, s2)
		}
		Walk(n, func(x Node) bool {
			if x.Pos() < 0 || x.Pos() > len(expr) {
				t.Fatalf("Parse(%q): %T at offset %d outside the input", expr, x, x.Pos())
			}
			return true
		})
	})
}
