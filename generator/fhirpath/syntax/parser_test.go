package syntax

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// sexpr prints a tree in a fully explicit prefix form, so the tests can check its shape:
//
//	(op left right)      binary operator          (- x)        unary minus
//	(is x ns.T)          type expression           ([] t i)     indexer
//	(. t name)           member                    (. t f(a, b)) call on t;  f(a, b) root call
//	id  `id`             identifier (delimited)    $this  (. t $this)
//	%name  %`name`  %'name'                        external constants
//	str:"go-quoted value"  num:1.5  dec:1.5  long:5L  date:2015  datetime:2015|14:34|Z
//	time:14:34  qty:4|'mg'  qty:4|days/cal  {}  true  false
func sexpr(n Node) string {
	switch n := n.(type) {
	case *Empty:
		return "{}"
	case *Boolean:
		return fmt.Sprint(n.Value)
	case *String:
		return fmt.Sprintf("str:%q", n.Value)
	case *Number:
		if n.IsDecimal {
			return "dec:" + n.Text
		}
		return "num:" + n.Text
	case *Long:
		return "long:" + n.Text
	case *Date:
		return "date:" + n.Date
	case *DateTime:
		return "datetime:" + n.Date + "|" + n.Time + "|" + n.Zone
	case *Time:
		return "time:" + n.Time
	case *Quantity:
		s := "qty:" + n.Value + "|" + n.Unit
		if n.IsDecimal {
			s += "/dec"
		}
		if n.Calendar {
			s += "/cal"
		}
		return s
	case *Identifier:
		if n.Delimited {
			return "`" + n.Name + "`"
		}
		return n.Name
	case *Member:
		name := n.Name
		if n.Delimited {
			name = "`" + name + "`"
		}
		return "(. " + sexpr(n.Target) + " " + name + ")"
	case *Call:
		var args []string
		for _, a := range n.Args {
			args = append(args, sexpr(a))
		}
		name := n.Name
		if n.Delimited {
			name = "`" + name + "`"
		}
		call := name + "(" + strings.Join(args, ", ") + ")"
		if n.Target == nil {
			return call
		}
		return "(. " + sexpr(n.Target) + " " + call + ")"
	case *Variable:
		if n.Target == nil {
			return "$" + n.Name
		}
		return "(. " + sexpr(n.Target) + " $" + n.Name + ")"
	case *ExternalConstant:
		switch n.Form {
		case ConstDelimited:
			return "%`" + n.Name + "`"
		case ConstString:
			return "%'" + n.Name + "'"
		}
		return "%" + n.Name
	case *Index:
		return "([] " + sexpr(n.Target) + " " + sexpr(n.Index) + ")"
	case *Unary:
		return "(" + string(n.Op) + " " + sexpr(n.Operand) + ")"
	case *Binary:
		return "(" + string(n.Op) + " " + sexpr(n.Left) + " " + sexpr(n.Right) + ")"
	case *TypeExpr:
		return "(" + string(n.Op) + " " + sexpr(n.Expr) + " " + sexpr(n.Type) + ")"
	case *TypeSpecifier:
		if n.Namespace != "" {
			return n.Namespace + "." + n.Name
		}
		return n.Name
	}
	return fmt.Sprintf("?%T", n)
}

// parseCases are valid expressions with their expected shape (sexpr) and, where it differs
// from the input, their canonical String() form (canon; "" means the same as the input).
var parseCases = []struct {
	in, want, canon string
}{
	// Precedence, from the table in the specification (highest first): . [] unary
	// * / div mod, + - &, is as, |, < > <= >=, = ~ != !~, in contains, and, xor or, implies.
	{"a | b = c", "(= (| a b) c)", ""},
	{"(a | b) = c", "(= (| a b) c)", "a | b = c"},
	{"a = b | c", "(= a (| b c))", ""},
	{"a | (b = c)", "(| a (= b c))", ""},
	{"1 + 2 * 3", "(+ num:1 (* num:2 num:3))", ""},
	{"(1 + 2) * 3", "(* (+ num:1 num:2) num:3)", ""},
	{"1 * 2 + 3", "(+ (* num:1 num:2) num:3)", ""},
	{"-1.abs()", "(- (. num:1 abs()))", ""},
	{"-(1.abs())", "(- (. num:1 abs()))", "-1.abs()"},
	{"(-1).abs()", "(. (- num:1) abs())", ""},
	{"-a * b", "(* (- a) b)", ""},
	{"a * -b", "(* a (- b))", ""},
	{"-(a * b)", "(- (* a b))", ""},
	{"- -a", "(- (- a))", "--a"},
	{"+a", "(+ a)", ""},
	{"a - -1", "(- a (- num:1))", ""},
	{"-a.b[0]", "(- ([] (. a b) num:0))", ""},
	{"a[0].b", "(. ([] a num:0) b)", ""},
	{"a.b[c.d = 1].e", "(. ([] (. a b) (= (. c d) num:1)) e)", ""},
	{"a implies b or c", "(implies a (or b c))", ""},
	{"a or b implies c", "(implies (or a b) c)", ""},
	{"a implies b implies c", "(implies (implies a b) c)", ""},
	{"a implies (b implies c)", "(implies a (implies b c))", ""},
	{"a and b or c and d", "(or (and a b) (and c d))", ""},
	{"a or b xor c", "(xor (or a b) c)", ""},
	{"a xor b or c", "(or (xor a b) c)", ""},
	{"a or (b xor c)", "(or a (xor b c))", ""},
	{"a in b and c contains d", "(and (in a b) (contains c d))", ""},
	{"a = b in c", "(in (= a b) c)", ""},
	{"a in b = c", "(in a (= b c))", ""},
	{"a < b = c >= d", "(= (< a b) (>= c d))", ""},
	{"a != b ~ c !~ d", "(!~ (~ (!= a b) c) d)", ""},
	{"a <= b | c", "(<= a (| b c))", ""},
	{"a - b - c", "(- (- a b) c)", ""},
	{"a - (b - c)", "(- a (- b c))", ""},
	{"a * b div c mod d / e", "(/ (mod (div (* a b) c) d) e)", ""},
	{"a & b + c - d", "(- (+ (& a b) c) d)", ""},
	{"a + b & c", "(& (+ a b) c)", ""},
	{"x is Quantity and y", "(and (is x Quantity) y)", ""},
	{"x is FHIR.Quantity", "(is x FHIR.Quantity)", ""},
	{"x as System.String", "(as x System.String)", ""},
	{"a + b is T", "(is (+ a b) T)", ""},
	{"a | b is T", "(| a (is b T))", ""},
	{"a is T | b", "(| (is a T) b)", ""},
	{"(a | b) is T", "(is (| a b) T)", ""},
	{"a is T is U", "(is (is a T) U)", ""},
	{"a is T = true", "(= (is a T) true)", ""},
	{"-a is T", "(is (- a) T)", ""},
	// After is/as the operators that follow apply to the whole type expression (as in the
	// ANTLR grammar); a qualified name stops before a function call.
	{"x as Quantity.exists()", "(. (as x Quantity) exists())", "(x as Quantity).exists()"},
	{"(x as Quantity).unit", "(. (as x Quantity) unit)", ""},
	{"x as FHIR.Quantity.value", "(as x FHIR.Quantity.value)", ""},
	{"x is T[0]", "([] (is x T) num:0)", "(x is T)[0]"},
	{"(Observation.value as Quantity) | (Observation.value as SampledData)",
		"(| (as (. Observation value) Quantity) (as (. Observation value) SampledData))",
		"Observation.value as Quantity | Observation.value as SampledData"},

	// Invocations.
	{"Patient.name.where(use = 'official').given.first()",
		`(. (. (. (. Patient name) where((= use str:"official"))) given) first())`, ""},
	{"exists()", "exists()", ""},
	{"iif(a, b, c)", "iif(a, b, c)", ""},
	{"a.substring(1, 2)", "(. a substring(num:1, num:2))", ""},
	{"f ( a , b )", "f(a, b)", "f(a, b)"},
	{"Observation.value.as(Quantity).unit", "(. (. (. Observation value) as(Quantity)) unit)", ""},
	{"value.ofType(FHIR.Quantity)", "(. value ofType((. FHIR Quantity)))", ""},
	{"x.is(Quantity)", "(. x is(Quantity))", ""},
	{"is(Quantity)", "is(Quantity)", ""},
	{"as(Quantity)", "as(Quantity)", ""},
	{"name.contains('a')", `(. name contains(str:"a"))`, ""},
	{"a.in", "(. a in)", ""},
	{"in and contains", "(and in contains)", ""},
	{"a.is", "(. a is)", ""},
	{"birthDate.year", "(. birthDate year)", ""},
	{"day", "day", ""},
	{"1.abs()", "(. num:1 abs())", ""},
	{"1.5.abs()", "(. dec:1.5 abs())", ""},
	{"Bundle.entry[0].resource", "(. ([] (. Bundle entry) num:0) resource)", ""},
	{"a[b[0]]", "([] a ([] b num:0))", ""},
	{"(a.b)[0]", "([] (. a b) num:0)", "a.b[0]"},

	// Variables and external constants.
	{"$this", "$this", ""},
	{"where($this > 0)", "where((> $this num:0))", ""},
	{"select($index)", "select($index)", ""},
	{"aggregate($total + $this, 0)", "aggregate((+ $total $this), num:0)", ""},
	{"$this.given", "(. $this given)", ""},
	{"x.$this", "(. x $this)", ""},
	{"%resource", "%resource", ""},
	{"%context.id", "(. %context id)", ""},
	{"%ucum", "%ucum", ""},
	{"%rootResource", "%rootResource", ""},
	{"%sct", "%sct", ""},
	{"%`vs-administrative-gender`", "%`vs-administrative-gender`", ""},
	{"%'us-zip'", "%'us-zip'", ""},
	{"% resource", "%resource", "%resource"},
	{"%`ext-x`.url", "(. %`ext-x` url)", ""},

	// Literals.
	{"{}", "{}", ""},
	{"{ }", "{}", "{}"},
	{"true", "true", ""},
	{"false and true", "(and false true)", ""},
	{"'abc'", `str:"abc"`, ""},
	{"''", `str:""`, ""},
	{`'a\'b\"c\` + "`" + `d\\e\/f\fg\nh\ri\tj\u00e9k'`, `str:"a'b\"c` + "`" + `d\\e/f\fg\nh\ri\tjék"`, ""},
	{`'\uD83D\uDE00'`, `str:"😀"`, ""},
	{`'\uDE00'`, `str:"�"`, ""},
	{"'multi\nline'", `str:"multi\nline"`, ""},
	{"'unicode é ✓'", `str:"unicode é ✓"`, ""},
	{"0", "num:0", ""},
	{"007", "num:007", ""},
	{"1.50", "dec:1.50", ""},
	{"123L", "long:123L", ""},
	{"4 'mg'", "qty:4|mg", ""},
	{"1.5 'mg'", "qty:1.5|mg/dec", ""},
	{"3 '[in_i]'", "qty:3|[in_i]", ""},
	{"4 days", "qty:4|days/cal", ""},
	{"1 year", "qty:1|year/cal", ""},
	{"2 weeks + 1 month", "(+ qty:2|weeks/cal qty:1|month/cal)", ""},
	{"5 milliseconds", "qty:5|milliseconds/cal", ""},
	{"1 hour < 61 minutes", "(< qty:1|hour/cal qty:61|minutes/cal)", ""},
	{"30 seconds", "qty:30|seconds/cal", ""},
	{"1 'a'", "qty:1|a", ""},
	{"-5 'mg'", "(- qty:5|mg)", ""},
	{"4 'mg'.value", "(. qty:4|mg value)", ""},
	{"@2015", "date:2015", ""},
	{"@2015-02", "date:2015-02", ""},
	{"@2015-02-04", "date:2015-02-04", ""},
	{"@2012-02-29", "date:2012-02-29", ""},
	{"@2000-02-29", "date:2000-02-29", ""},
	{"@2015T", "datetime:2015||", ""},
	{"@2015-02T", "datetime:2015-02||", ""},
	{"@2015-02-04T", "datetime:2015-02-04||", ""},
	{"@2015-02-04T14", "datetime:2015-02-04|14|", ""},
	{"@2015-02-04T14:34", "datetime:2015-02-04|14:34|", ""},
	{"@2015-02-04T14:34:28", "datetime:2015-02-04|14:34:28|", ""},
	{"@2015-02-04T14:34:28.123+09:00", "datetime:2015-02-04|14:34:28.123|+09:00", ""},
	{"@2015-02-04T14:34:28Z", "datetime:2015-02-04|14:34:28|Z", ""},
	{"@2015-02-04T23:59:59.999-05:00", "datetime:2015-02-04|23:59:59.999|-05:00", ""},
	{"@2015T.year()", "(. datetime:2015|| year())", ""},
	{"@T14", "time:14", ""},
	{"@T14:34", "time:14:34", ""},
	{"@T14:34:28.123", "time:14:34:28.123", ""},
	{"@T00:00:00", "time:00:00:00", ""},
	// The longest complete literal is taken, as by the ANTLR lexer.
	{"@2015-02-04-1", "(- date:2015-02-04 num:1)", "@2015-02-04 - 1"},
	{"@2015-02-04 - 1 day", "(- date:2015-02-04 qty:1|day/cal)", ""},
	{"@T14:34:28.abs()", "(. time:14:34:28 abs())", ""},

	// Identifiers.
	{"Patient", "Patient", ""},
	{"_a1", "_a1", ""},
	{"`given name`", "`given name`", ""},
	{"text.`div`", "(. text `div`)", ""},
	{"`Patient`.name", "(. `Patient` name)", ""},
	{"a.`where`(b)", "(. a `where`(b))", ""},
	{"`a\\`b`", "`a`b`", ""},
	{"x as `Quantity`", "(as x Quantity)", "x as Quantity"},

	// White space and comments.
	{"a // comment\n + b", "(+ a b)", "a + b"},
	{"a /* x */ + /* y */ b", "(+ a b)", "a + b"},
	{"2 + 2 // trailing", "(+ num:2 num:2)", "2 + 2"},
	{"/* leading */ a", "a", "a"},
	{"a\r\n\t.b", "(. a b)", "a.b"},
	{"a / b", "(/ a b)", ""},
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		n, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := sexpr(n); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
		}
		canon := c.canon
		if canon == "" {
			canon = c.in
		}
		if got := n.String(); got != canon {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, canon)
		}
	}
}

// TestRoundTrip checks that the canonical form parses back to an equal tree and prints the
// same.
func TestRoundTrip(t *testing.T) {
	for _, c := range parseCases {
		n, err := Parse(c.in)
		if err != nil {
			continue // reported by TestParse
		}
		s := n.String()
		m, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q) -> %q: %v", c.in, s, err)
			continue
		}
		if !Equal(n, m) {
			t.Errorf("Parse(%q) -> %q -> %s, want %s", c.in, s, sexpr(m), sexpr(n))
		}
		if s2 := m.String(); s2 != s {
			t.Errorf("Parse(%q) -> %q -> %q", c.in, s, s2)
		}
	}
}

// TestStringBuilt checks String() on trees built by hand (no source texts, names that need
// backticks, precedence).
func TestStringBuilt(t *testing.T) {
	id := func(s string) Node { return &Identifier{Name: s} }
	cases := []struct {
		n    Node
		want string
	}{
		{&String{Value: "it's\n\\"}, `'it\'s\n\\'`},
		{&Identifier{Name: "div"}, "`div`"},
		{&Identifier{Name: "given name"}, "`given name`"},
		{&Identifier{Name: "as"}, "as"},
		{&Member{Target: id("a"), Name: "1x"}, "a.`1x`"},
		{&ExternalConstant{Name: "vs-x", Form: ConstDelimited}, "%`vs-x`"},
		{&ExternalConstant{Name: "us-zip", Form: ConstString}, "%'us-zip'"},
		{&Quantity{Value: "4", Unit: "mg"}, "4 'mg'"},
		{&Quantity{Value: "4", Unit: "days", Calendar: true}, "4 days"},
		{&Date{Date: "2015-02"}, "@2015-02"},
		{&DateTime{Date: "2015", Time: "10:00", Zone: "Z"}, "@2015T10:00Z"},
		{&Time{Time: "10:00"}, "@T10:00"},
		{&Binary{Op: OpMul, Left: &Binary{Op: OpAdd, Left: id("a"), Right: id("b")}, Right: id("c")}, "(a + b) * c"},
		{&Binary{Op: OpSub, Left: id("a"), Right: &Binary{Op: OpSub, Left: id("b"), Right: id("c")}}, "a - (b - c)"},
		{&Binary{Op: OpAnd, Left: &TypeExpr{Op: OpIs, Expr: id("x"), Type: &TypeSpecifier{Namespace: "FHIR", Name: "Quantity"}}, Right: id("y")}, "x is FHIR.Quantity and y"},
		{&Member{Target: &TypeExpr{Op: OpAs, Expr: id("x"), Type: &TypeSpecifier{Name: "Quantity"}}, Name: "unit"}, "(x as Quantity).unit"},
		{&Unary{Op: OpSub, Operand: &Binary{Op: OpMul, Left: id("a"), Right: id("b")}}, "-(a * b)"},
		{&Call{Target: &Unary{Op: OpSub, Operand: &Number{Text: "1"}}, Name: "abs", Args: []Node{}}, "(-1).abs()"},
		{&Index{Target: &Binary{Op: OpUnion, Left: id("a"), Right: id("b")}, Index: &Number{Text: "0"}}, "(a | b)[0]"},
	}
	for _, c := range cases {
		if got := c.n.String(); got != c.want {
			t.Errorf("%s: String() = %q, want %q", sexpr(c.n), got, c.want)
		}
	}
}

var errorCases = []struct {
	in     string
	offset int
	msg    string // substring of the message
}{
	{"", 0, "expected expression, found end of expression"},
	{"'abc", 0, "unterminated string literal"},
	{"a = 'abc", 4, "unterminated string literal"},
	{"`abc", 0, "unterminated delimited identifier"},
	{"a..b", 2, "expected member or function name after '.', found '.'"},
	{"a.", 2, "found end of expression"},
	{"(1", 2, "expected ')', found end of expression"},
	{"(1 + 2))", 7, "expected operator or end of expression, found ')'"},
	{"a +", 3, "expected expression"},
	{"a b", 2, `found identifier "b"`},
	{")", 0, "expected expression, found ')'"},
	{"f(a,)", 4, "expected expression, found ')'"},
	{"f(a", 3, "',' or ')'"},
	{"f(a b)", 4, "',' or ')'"},
	{"a[1", 3, "']'"},
	{"a[]", 2, "expected expression"},
	{"{1}", 1, "'}'"},
	{"a is", 4, "type name after 'is'"},
	{"a as 1", 5, "type name after 'as'"},
	{"a is FHIR.", 10, "expected member or function name after '.', found end of expression"},
	{"%", 1, "constant name after '%'"},
	{"%1", 1, "constant name after '%'"},
	{"$foo", 0, "unknown special variable $foo"},
	{"$", 0, "'$' must be followed by"},
	{`'\q'`, 1, `invalid escape sequence \q`},
	{`'\u12'`, 1, "invalid unicode escape"},
	{`'abc\`, 0, "unterminated string literal"},
	{"/* abc", 0, "unterminated block comment"},
	{"a /* abc", 2, "unterminated block comment"},
	{"a.div", 2, "reserved words must be delimited"},
	{"a.true", 2, "reserved words must be delimited"},
	{"div", 0, `found keyword "div"`},
	{"and", 0, `found keyword "and"`},
	{"a = = b", 4, "expected expression, found '='"},
	{`"x"`, 0, "single quotes"},
	{"a ! b", 2, "'!' must be followed by '=' or '~'"},
	{"a # b", 2, "unexpected character '#'"},
	{"a é", 2, "unexpected character 'é'"},
	{"@", 0, "invalid date literal"},
	{"@201", 0, "invalid date literal"},
	{"@T1", 0, "invalid time literal"},
	{"@2015-13", 6, "month 13 out of range"},
	{"@2015-00-01", 6, "month 00 out of range"},
	{"@2015-02-29", 9, "day 29 out of range for 2015-02"},
	{"@1900-02-29", 9, "day 29 out of range"},
	{"@2015-04-31", 9, "day 31 out of range"},
	{"@2015-01-01T24:00", 12, "hour 24 out of range"},
	{"@2015-01-01T10:60", 15, "minute 60 out of range"},
	{"@T10:00:60", 8, "second 60 out of range"},
	{"@T24", 2, "hour 24 out of range"},
	{"@2015-02-04T10:00+15:00", 17, "time-zone offset +15:00 out of range"},
	{"@2015-02-04Z", 11, `found identifier "Z"`},
	{"@T10:00Z", 7, `found identifier "Z"`},
	{"1 'mg' 'g'", 7, "found string 'g'"},
	{"123L.5", 5, "found number 5"},
	{"a is T(x)", 6, "found '('"},
}

func TestParseErrors(t *testing.T) {
	for _, c := range errorCases {
		n, err := Parse(c.in)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want an error", c.in, sexpr(n))
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): error %T is not a *SyntaxError", c.in, err)
			continue
		}
		if se.Offset != c.offset || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Parse(%q): %v; want offset %d and a message containing %q", c.in, err, c.offset, c.msg)
		}
		if want := fmt.Sprintf("at offset %d: %s", se.Offset, se.Msg); err.Error() != want {
			t.Errorf("Parse(%q): Error() = %q, want %q", c.in, err.Error(), want)
		}
		if se.Line != 1 || se.Col != se.Offset+1 {
			t.Errorf("Parse(%q): line %d col %d, want 1 and %d", c.in, se.Line, se.Col, se.Offset+1)
		}
	}
}

func TestErrorLineCol(t *testing.T) {
	_, err := Parse("a\n  .. b")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("want a *SyntaxError, got %v", err)
	}
	if se.Offset != 5 || se.Line != 2 || se.Col != 4 {
		t.Errorf("got offset %d line %d col %d, want 5, 2, 4", se.Offset, se.Line, se.Col)
	}
}

func TestNestingLimit(t *testing.T) {
	deep := strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("Parse(2000 parentheses): %v, want a nesting error", err)
	}
	ok := strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100)
	if _, err := Parse(ok); err != nil {
		t.Errorf("Parse(100 parentheses): %v", err)
	}
	long := "a" + strings.Repeat(" + a", 10000) + strings.Repeat(".b", 10000)
	if _, err := Parse(long); err != nil {
		t.Errorf("Parse(long flat expression): %v", err)
	}
}

func TestPositions(t *testing.T) {
	//          0         1         2         3
	//          0123456789012345678901234567890123456789
	const in = "Patient.name.where(use = 'official')[0]"
	n, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	idx := n.(*Index)
	call := idx.Target.(*Call)
	member := call.Target.(*Member)
	root := member.Target.(*Identifier)
	bin := call.Args[0].(*Binary)
	str := bin.Right.(*String)
	num := idx.Index.(*Number)
	checks := []struct {
		what      string
		got, want int
	}{
		{"index", idx.Pos(), 0},
		{"call", call.Pos(), 0},
		{"call name", call.NameOffset, 13},
		{"member", member.Pos(), 0},
		{"member name", member.NameOffset, 8},
		{"root", root.Pos(), 0},
		{"binary", bin.Pos(), 19},
		{"binary op", bin.OpOffset, 23},
		{"use", bin.Left.Pos(), 19},
		{"string", str.Pos(), 25},
		{"index number", num.Pos(), 37},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: Pos %d, want %d", c.what, c.got, c.want)
		}
	}

	n, err = Parse("-x.y is FHIR.Quantity")
	if err != nil {
		t.Fatal(err)
	}
	te := n.(*TypeExpr)
	if te.Pos() != 0 || te.OpOffset != 5 || te.Type.Pos() != 8 {
		t.Errorf("type expression positions %d %d %d, want 0 5 8", te.Pos(), te.OpOffset, te.Type.Pos())
	}
	u := te.Expr.(*Unary)
	if u.Pos() != 0 || u.Operand.Pos() != 1 || u.Operand.(*Member).NameOffset != 3 {
		t.Errorf("unary positions %d %d", u.Pos(), u.Operand.Pos())
	}

	n, err = Parse("  (a + b) * %resource.c")
	if err != nil {
		t.Fatal(err)
	}
	mul := n.(*Binary)
	if mul.Pos() != 3 || mul.OpOffset != 10 || mul.Right.Pos() != 12 || mul.Right.(*Member).NameOffset != 22 {
		t.Errorf("positions %d %d %d", mul.Pos(), mul.OpOffset, mul.Right.Pos())
	}
}

func TestWalk(t *testing.T) {
	n, err := Parse("a.f(b + 1, x is T)[0]")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Walk(n, func(n Node) bool {
		got = append(got, fmt.Sprintf("%T@%d", n, n.Pos()))
		return true
	})
	want := "*syntax.Index@0 *syntax.Call@0 *syntax.Identifier@0 *syntax.Binary@4 *syntax.Identifier@4 " +
		"*syntax.Number@8 *syntax.TypeExpr@11 *syntax.Identifier@11 *syntax.TypeSpecifier@16 *syntax.Number@19"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("Walk order:\n got %s\nwant %s", s, want)
	}

	// Returning false skips the children.
	got = got[:0]
	Walk(n, func(n Node) bool {
		got = append(got, fmt.Sprintf("%T", n))
		_, isCall := n.(*Call)
		return !isCall
	})
	if s := strings.Join(got, " "); s != "*syntax.Index *syntax.Call *syntax.Number" {
		t.Errorf("Walk with pruning: %s", s)
	}

	Walk(nil, func(Node) bool { t.Error("called for nil"); return true })
	var nilCall *Call
	Walk(nilCall, func(Node) bool { t.Error("called for typed nil"); return true })
}

func TestEqual(t *testing.T) {
	a, _ := Parse("a.where(b = 1)")
	b, _ := Parse("  a . where ( b=1 )")
	c, _ := Parse("a.where(b = 2)")
	d, _ := Parse("a.`where`(b = 1)")
	if !Equal(a, b) {
		t.Error("trees differing only in positions are not Equal")
	}
	if Equal(a, c) || Equal(a, d) || Equal(a, nil) || !Equal(nil, nil) {
		t.Error("Equal is too lax")
	}
}

func TestPrecedence(t *testing.T) {
	// The binary operator levels follow the table of the specification.
	levels := [][]Op{
		{OpImplies},
		{OpOr, OpXor},
		{OpAnd},
		{OpIn, OpContains},
		{OpEq, OpEquiv, OpNe, OpNotEquiv},
		{OpLt, OpGt, OpLe, OpGe},
		{OpUnion},
		{OpIs, OpAs},
		{OpAdd, OpSub, OpConcat},
		{OpMul, OpDiv, OpIntDiv, OpMod},
	}
	for i, ops := range levels {
		for _, op := range ops {
			if op.Precedence() != i+1 {
				t.Errorf("%s: precedence %d, want %d", op, op.Precedence(), i+1)
			}
		}
	}
	if Op("??").Precedence() != 0 {
		t.Error("unknown operator has a precedence")
	}
}

func TestAsTypeSpecifier(t *testing.T) {
	for in, want := range map[string]string{
		"ofType(Quantity)":           "Quantity",
		"ofType(FHIR.Quantity)":      "FHIR.Quantity",
		"ofType(System.`String`)":    "System.String",
		"ofType(a.b.c)":              "a.b.c",
		"ofType(Quantity.exists())":  "",
		"ofType('Quantity')":         "",
		"ofType(%resource.Quantity)": "",
	} {
		n, err := Parse(in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", in, err)
		}
		arg := n.(*Call).Args[0]
		ts, ok := AsTypeSpecifier(arg)
		got := ""
		if ok {
			got = sexpr(ts)
			if ts.Pos() != arg.Pos() {
				t.Errorf("%s: type position %d, want %d", in, ts.Pos(), arg.Pos())
			}
		}
		if got != want {
			t.Errorf("AsTypeSpecifier(%s) = %q, want %q", in, got, want)
		}
	}
}
