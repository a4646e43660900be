// Package syntax parses FHIRPath expressions (http://hl7.org/fhirpath/N1/, plus the long
// integer literal of FHIRPath 3.0 / R5) into an abstract syntax tree.
//
// The parser follows the ANTLR grammar of the specification and its operator precedence
// table. Every node carries the byte offset of its start in the parsed text, so later
// stages (type checking, compilation to Go) can report precise positions. Parentheses are
// not kept in the tree: they only shape it. Each node's String method prints the
// expression back in a canonical form with parentheses only where precedence needs them;
// parsing that text again yields an equal tree (see Equal).
//
// Choices where the grammar is silent or where this parser is stricter or looser than the
// ANTLR grammar are documented on Parse.
package syntax

import (
	"strings"
)

// Node is a node of a FHIRPath syntax tree. The concrete types are the pointer types of this
// package: *Empty, *Boolean, *String, *Number, *Long, *Date, *DateTime, *Time, *Quantity,
// *Identifier, *Member, *Call, *Variable, *ExternalConstant, *Index, *Unary, *Binary,
// *TypeExpr and *TypeSpecifier.
type Node interface {
	// Pos is the byte offset in the parsed expression where the node's text starts (for
	// `a.b` and `a + b` that is the start of `a`).
	Pos() int
	// String prints the node as FHIRPath in canonical form.
	String() string
	node()
}

// ----------------------------------------------------------------------------------------
// Literals

// Empty is the empty collection literal `{}`.
type Empty struct {
	Offset int
}

// Boolean is `true` or `false`.
type Boolean struct {
	Offset int
	Value  bool
}

// String is a string literal such as 'abc'.
type String struct {
	Offset int
	Value  string // decoded: escapes (\' \" \` \\ \/ \f \n \r \t \uXXXX) replaced
	Text   string // source text including the quotes; String() prints it when set
}

// Number is an integer or decimal literal such as 12 or 0.5. FHIRPath has no negative
// literals: -1 is a Unary minus applied to the Number 1.
type Number struct {
	Offset    int
	Text      string // digits as written, e.g. "007" or "1.50"
	IsDecimal bool   // the literal has a fractional part (a '.')
}

// Long is a long integer literal such as 123L (FHIRPath 3.0 / R5).
type Long struct {
	Offset int
	Text   string // as written, including the trailing 'L', e.g. "123L"
}

// Digits returns the literal without its 'L' suffix.
func (n *Long) Digits() string { return strings.TrimSuffix(n.Text, "L") }

// Date is a date literal: @YYYY, @YYYY-MM or @YYYY-MM-DD.
type Date struct {
	Offset int
	Text   string // as written, including '@', e.g. "@2015-02-04"
	Date   string // the date part, e.g. "2015-02-04"
}

// DateTime is a date-time literal: a date followed by 'T' and an optional time and
// time-zone offset, e.g. @2015T, @2015-02-04T14:34:28.123+09:00.
type DateTime struct {
	Offset int
	Text   string // as written, including '@'
	Date   string // "2015-02-04"
	Time   string // "14:34:28.123"; "" for a partial date-time such as @2015-02T
	Zone   string // "Z", "+09:00", "-05:00" or ""
}

// Time is a time-of-day literal such as @T14:34 (no time zone is allowed).
type Time struct {
	Offset int
	Text   string // as written, including "@T", e.g. "@T14:34"
	Time   string // "14:34"
}

// Quantity is a number followed by a unit: a quoted UCUM unit such as 4 'mg' or a calendar
// duration keyword such as 4 days.
type Quantity struct {
	Offset    int
	Value     string // number as written, e.g. "4" or "2.5"
	IsDecimal bool   // Value has a fractional part
	Unit      string // decoded unit: "mg", or the keyword as written: "days"
	Calendar  bool   // unit is a calendar keyword (year(s) ... millisecond(s)), not a UCUM string
	UnitText  string // unit as written: "'mg'" (with quotes) or "days"; printed when set
}

// CalendarUnits maps each calendar duration keyword allowed after a number to its singular
// form: "years" -> "year", "year" -> "year", ...
var CalendarUnits = map[string]string{
	"year": "year", "years": "year",
	"month": "month", "months": "month",
	"week": "week", "weeks": "week",
	"day": "day", "days": "day",
	"hour": "hour", "hours": "hour",
	"minute": "minute", "minutes": "minute",
	"second": "second", "seconds": "second",
	"millisecond": "millisecond", "milliseconds": "millisecond",
}

// ----------------------------------------------------------------------------------------
// Names and invocations

// Identifier is a name at the root of an expression (or of an argument): a type name such as
// `Patient` or an element of the input collection such as `name` in `name.given`. A
// function call at the root is a *Call with a nil Target instead.
type Identifier struct {
	Offset    int
	Name      string // decoded; without backticks
	Delimited bool   // written with backticks, e.g. `div`
}

// Member is a member access (path navigation) `Target.Name`.
type Member struct {
	Offset     int // start of Target
	Target     Node
	Name       string
	Delimited  bool // Name was written with backticks
	NameOffset int
}

// Call is a function invocation: `Target.Name(Args...)`, or `Name(Args...)` at the root
// when Target is nil. Arguments are kept as expressions whatever the function, so the
// type argument of ofType(T), is(T) and as(T) is an *Identifier (or a *Member chain for a
// qualified name such as FHIR.Quantity) for the checker to interpret.
type Call struct {
	Offset     int  // start of Target, or of Name when Target is nil
	Target     Node // nil for a call at the root
	Name       string
	Delimited  bool // Name was written with backticks
	NameOffset int
	Args       []Node
}

// Variable is one of the special invocations $this, $index and $total. Name is without
// the '$'. The grammar also allows them after a '.', as in `a.$this`; Target is then set
// (it is nil in all ordinary uses).
type Variable struct {
	Offset     int
	Target     Node
	Name       string // "this", "index" or "total"
	NameOffset int
}

// ConstForm is how an external constant's name is written.
type ConstForm int

// Forms of an external constant name.
const (
	ConstPlain     ConstForm = iota // %resource
	ConstDelimited                  // %`vs-name`
	ConstString                     // %'vs-name'
)

// ExternalConstant is an environment variable such as %resource, %context, %ucum,
// %`vs-administrative-gender` or %'us-zip'.
type ExternalConstant struct {
	Offset int
	Name   string // decoded, without '%', quotes or backticks
	Form   ConstForm
}

// Index is the indexer `Target[Index]`.
type Index struct {
	Offset int // start of Target
	Target Node
	Index  Node
}

// ----------------------------------------------------------------------------------------
// Operators

// Op is a FHIRPath operator, spelled as in the language.
type Op string

// Operators.
const (
	OpMul      Op = "*"
	OpDiv      Op = "/"
	OpIntDiv   Op = "div"
	OpMod      Op = "mod"
	OpAdd      Op = "+"
	OpSub      Op = "-"
	OpConcat   Op = "&"
	OpIs       Op = "is"
	OpAs       Op = "as"
	OpUnion    Op = "|"
	OpLt       Op = "<"
	OpGt       Op = ">"
	OpLe       Op = "<="
	OpGe       Op = ">="
	OpEq       Op = "="
	OpEquiv    Op = "~"
	OpNe       Op = "!="
	OpNotEquiv Op = "!~"
	OpIn       Op = "in"
	OpContains Op = "contains"
	OpAnd      Op = "and"
	OpOr       Op = "or"
	OpXor      Op = "xor"
	OpImplies  Op = "implies"
	// Unary (polarity) operators reuse OpAdd and OpSub.
)

// Precedence levels, higher binds tighter (FHIRPath N1 §"Operator precedence").
const (
	PrecImplies        = 1  // implies
	PrecOr             = 2  // or xor
	PrecAnd            = 3  // and
	PrecMembership     = 4  // in contains
	PrecEquality       = 5  // = ~ != !~
	PrecInequality     = 6  // < > <= >=
	PrecUnion          = 7  // |
	PrecType           = 8  // is as
	PrecAdditive       = 9  // + - &
	PrecMultiplicative = 10 // * / div mod
	PrecPolarity       = 11 // unary + -
	PrecIndexer        = 12 // a[i]
	PrecInvocation     = 13 // a.b a.f()
	PrecAtom           = 14 // literals, identifiers, root calls, variables, constants
)

// Precedence returns the precedence level of a binary (or type) operator, 0 if op is not
// one.
func (op Op) Precedence() int {
	switch op {
	case OpMul, OpDiv, OpIntDiv, OpMod:
		return PrecMultiplicative
	case OpAdd, OpSub, OpConcat:
		return PrecAdditive
	case OpIs, OpAs:
		return PrecType
	case OpUnion:
		return PrecUnion
	case OpLt, OpGt, OpLe, OpGe:
		return PrecInequality
	case OpEq, OpEquiv, OpNe, OpNotEquiv:
		return PrecEquality
	case OpIn, OpContains:
		return PrecMembership
	case OpAnd:
		return PrecAnd
	case OpOr, OpXor:
		return PrecOr
	case OpImplies:
		return PrecImplies
	}
	return 0
}

// Unary is a polarity expression `+Operand` or `-Operand` (Op is OpAdd or OpSub).
type Unary struct {
	Offset  int // offset of the operator
	Op      Op
	Operand Node
}

// Binary is a binary operator expression `Left Op Right`. All binary operators are
// left-associative. The type operators is/as are a *TypeExpr instead.
type Binary struct {
	Offset   int // start of Left
	Op       Op
	OpOffset int
	Left     Node
	Right    Node
}

// TypeExpr is `Expr is Type` or `Expr as Type` (Op is OpIs or OpAs).
type TypeExpr struct {
	Offset   int // start of Expr
	Op       Op
	OpOffset int
	Expr     Node
	Type     *TypeSpecifier
}

// TypeSpecifier is the (possibly qualified) type name on the right of is/as, such as
// Quantity, FHIR.Quantity or System.String.
type TypeSpecifier struct {
	Offset    int
	Namespace string // "" when unqualified; for a name of more than two parts, all but the last joined with "."
	Name      string
}

// ----------------------------------------------------------------------------------------
// Pos and node

// Pos implements Node.
func (n *Empty) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Boolean) Pos() int { return n.Offset }

// Pos implements Node.
func (n *String) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Number) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Long) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Date) Pos() int { return n.Offset }

// Pos implements Node.
func (n *DateTime) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Time) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Quantity) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Identifier) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Member) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Call) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Variable) Pos() int { return n.Offset }

// Pos implements Node.
func (n *ExternalConstant) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Index) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Unary) Pos() int { return n.Offset }

// Pos implements Node.
func (n *Binary) Pos() int { return n.Offset }

// Pos implements Node.
func (n *TypeExpr) Pos() int { return n.Offset }

// Pos implements Node.
func (n *TypeSpecifier) Pos() int { return n.Offset }

func (*Empty) node()            {}
func (*Boolean) node()          {}
func (*String) node()           {}
func (*Number) node()           {}
func (*Long) node()             {}
func (*Date) node()             {}
func (*DateTime) node()         {}
func (*Time) node()             {}
func (*Quantity) node()         {}
func (*Identifier) node()       {}
func (*Member) node()           {}
func (*Call) node()             {}
func (*Variable) node()         {}
func (*ExternalConstant) node() {}
func (*Index) node()            {}
func (*Unary) node()            {}
func (*Binary) node()           {}
func (*TypeExpr) node()         {}
func (*TypeSpecifier) node()    {}

// Precedence returns the precedence level of the node as an expression: PrecAtom for
// literals, identifiers, root calls, variables and constants, PrecInvocation for members
// and calls on a target, and so on down to PrecImplies.
func Precedence(n Node) int {
	switch n := n.(type) {
	case *Member:
		return PrecInvocation
	case *Call:
		if n.Target != nil {
			return PrecInvocation
		}
	case *Variable:
		if n.Target != nil {
			return PrecInvocation
		}
	case *Index:
		return PrecIndexer
	case *Unary:
		return PrecPolarity
	case *Binary:
		return n.Op.Precedence()
	case *TypeExpr:
		return PrecType
	}
	return PrecAtom
}

// ----------------------------------------------------------------------------------------
// Walk

// Walk traverses the tree rooted at n in depth-first pre-order: it calls fn(n) and, if that
// returns true, walks n's children in source order (a *TypeExpr's *TypeSpecifier
// included). Nil nodes are skipped.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || isNilNode(n) {
		return
	}
	if !fn(n) {
		return
	}
	switch n := n.(type) {
	case *Member:
		Walk(n.Target, fn)
	case *Call:
		Walk(n.Target, fn)
		for _, a := range n.Args {
			Walk(a, fn)
		}
	case *Variable:
		Walk(n.Target, fn)
	case *Index:
		Walk(n.Target, fn)
		Walk(n.Index, fn)
	case *Unary:
		Walk(n.Operand, fn)
	case *Binary:
		Walk(n.Left, fn)
		Walk(n.Right, fn)
	case *TypeExpr:
		Walk(n.Expr, fn)
		if n.Type != nil {
			Walk(n.Type, fn)
		}
	}
}

// isNilNode reports whether n is a typed nil pointer.
func isNilNode(n Node) bool {
	switch n := n.(type) {
	case *Empty:
		return n == nil
	case *Boolean:
		return n == nil
	case *String:
		return n == nil
	case *Number:
		return n == nil
	case *Long:
		return n == nil
	case *Date:
		return n == nil
	case *DateTime:
		return n == nil
	case *Time:
		return n == nil
	case *Quantity:
		return n == nil
	case *Identifier:
		return n == nil
	case *Member:
		return n == nil
	case *Call:
		return n == nil
	case *Variable:
		return n == nil
	case *ExternalConstant:
		return n == nil
	case *Index:
		return n == nil
	case *Unary:
		return n == nil
	case *Binary:
		return n == nil
	case *TypeExpr:
		return n == nil
	case *TypeSpecifier:
		return n == nil
	}
	return false
}

// ----------------------------------------------------------------------------------------
// Equal

// Equal reports whether two trees are the same apart from positions: same node types,
// operators, names (and whether they were delimited), literal values and literal texts.
func Equal(a, b Node) bool {
	an, bn := a == nil || isNilNode(a), b == nil || isNilNode(b)
	if an || bn {
		return an == bn
	}
	switch x := a.(type) {
	case *Empty:
		_, ok := b.(*Empty)
		return ok
	case *Boolean:
		y, ok := b.(*Boolean)
		return ok && x.Value == y.Value
	case *String:
		y, ok := b.(*String)
		return ok && x.Value == y.Value && x.Text == y.Text
	case *Number:
		y, ok := b.(*Number)
		return ok && x.Text == y.Text && x.IsDecimal == y.IsDecimal
	case *Long:
		y, ok := b.(*Long)
		return ok && x.Text == y.Text
	case *Date:
		y, ok := b.(*Date)
		return ok && x.Text == y.Text && x.Date == y.Date
	case *DateTime:
		y, ok := b.(*DateTime)
		return ok && x.Text == y.Text && x.Date == y.Date && x.Time == y.Time && x.Zone == y.Zone
	case *Time:
		y, ok := b.(*Time)
		return ok && x.Text == y.Text && x.Time == y.Time
	case *Quantity:
		y, ok := b.(*Quantity)
		return ok && x.Value == y.Value && x.IsDecimal == y.IsDecimal && x.Unit == y.Unit &&
			x.Calendar == y.Calendar && x.UnitText == y.UnitText
	case *Identifier:
		y, ok := b.(*Identifier)
		return ok && x.Name == y.Name && x.Delimited == y.Delimited
	case *Member:
		y, ok := b.(*Member)
		return ok && x.Name == y.Name && x.Delimited == y.Delimited && Equal(x.Target, y.Target)
	case *Call:
		y, ok := b.(*Call)
		if !ok || x.Name != y.Name || x.Delimited != y.Delimited || len(x.Args) != len(y.Args) ||
			!Equal(x.Target, y.Target) {
			return false
		}
		for i := range x.Args {
			if !Equal(x.Args[i], y.Args[i]) {
				return false
			}
		}
		return true
	case *Variable:
		y, ok := b.(*Variable)
		return ok && x.Name == y.Name && Equal(x.Target, y.Target)
	case *ExternalConstant:
		y, ok := b.(*ExternalConstant)
		return ok && x.Name == y.Name && x.Form == y.Form
	case *Index:
		y, ok := b.(*Index)
		return ok && Equal(x.Target, y.Target) && Equal(x.Index, y.Index)
	case *Unary:
		y, ok := b.(*Unary)
		return ok && x.Op == y.Op && Equal(x.Operand, y.Operand)
	case *Binary:
		y, ok := b.(*Binary)
		return ok && x.Op == y.Op && Equal(x.Left, y.Left) && Equal(x.Right, y.Right)
	case *TypeExpr:
		y, ok := b.(*TypeExpr)
		return ok && x.Op == y.Op && Equal(x.Expr, y.Expr) && Equal(x.Type, y.Type)
	case *TypeSpecifier:
		y, ok := b.(*TypeSpecifier)
		return ok && x.Namespace == y.Namespace && x.Name == y.Name
	}
	return false
}

// AsTypeSpecifier interprets an argument of ofType(T), is(T) or as(T) — parsed as an
// ordinary expression — as a type name: an *Identifier gives an unqualified name, a
// *Member chain of identifiers such as FHIR.Quantity a qualified one. It returns false for
// any other expression.
func AsTypeSpecifier(n Node) (*TypeSpecifier, bool) {
	var parts []string
	for {
		switch x := n.(type) {
		case *Identifier:
			parts = append(parts, x.Name)
			ts := &TypeSpecifier{Offset: x.Offset, Name: parts[0]}
			for i := len(parts) - 1; i >= 1; i-- {
				if ts.Namespace != "" {
					ts.Namespace += "."
				}
				ts.Namespace += parts[i]
			}
			return ts, true
		case *Member:
			parts = append(parts, x.Name)
			n = x.Target
		default:
			return nil, false
		}
	}
}
