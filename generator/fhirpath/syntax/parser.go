package syntax

import (
	"fmt"
	"strings"
)

// SyntaxError is a lexical or syntax error in a FHIRPath expression.
type SyntaxError struct {
	Offset int // byte offset in the expression
	Line   int // 1-based line of Offset (expressions may span lines)
	Col    int // 1-based column of Offset in its line, counted in bytes
	Msg    string
}

// Error returns "at offset N: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg)
}

// maxDepth bounds the nesting of parentheses, arguments, indexers and prefix operators.
const maxDepth = 500

// Parse parses a FHIRPath expression. Errors are *SyntaxError with the byte offset in expr.
//
// The grammar is the one of FHIRPath N1 (with the long literal 123L of FHIRPath 3.0):
//
//   - Precedence, highest first: '.' invocation, '[]' indexer, unary '+' '-', then
//     '*' '/' div mod, then '+' '-' '&', then is as, then '|', then '<' '>' '<=' '>=', then
//     '=' '~' '!=' '!~', then in contains, then and, then or xor, then implies. All binary
//     operators are left-associative.
//   - The right side of is/as is a qualified type name. Its parts are taken greedily, except
//     one followed by '(': `x as Quantity.exists()` is `(x as Quantity).exists()`, as in the
//     ANTLR grammar, where operators after is/as apply to the whole type expression.
//   - Identifiers are [A-Za-z_][A-Za-z0-9_]* or `delimited`. The words true, false, and,
//     or, xor, implies, div and mod are reserved and must be delimited to be used as names
//     (e.g. text.`div`); as, is, in and contains are names where a name is expected (as in
//     the grammar: x.as(T), x.contains('a')). The calendar unit words (year ... milliseconds)
//     are only keywords right after a number (4 days); elsewhere they are ordinary names,
//     which the ANTLR grammar, where they are tokens, does not allow.
//   - Escapes in strings and delimited identifiers: \' \" \` \\ \/ \f \n \r \t \uXXXX; a
//     backslash followed by anything else is an error. A UTF-16 surrogate pair written as
//     two \u escapes decodes to one character; a lone surrogate to U+FFFD.
//   - Date and time literals are lexed as in the ANTLR grammar (the longest prefix that is a
//     complete literal) and then range-checked: @2015-13 is a syntax error at the month,
//     @2015-02-30 at the day, @T24:00 at the hour (offsets point at the bad component).
//     A time zone is only allowed after the time of a date-time (@2015-02-04T10:00Z).
//   - There are no negative literals: -1 is a Unary minus applied to the Number 1, and it
//     applies after invocation: -1.abs() is -(1.abs()).
//   - White space is space, tab, CR and LF; // line comments and /* block */ comments are
//     skipped.
//   - Nesting (parentheses, argument lists, indexers, prefix operators) deeper than 500
//     levels is reported as an error rather than risking the stack.
func Parse(expr string) (Node, error) {
	p := &parser{lex: lexer{src: expr}}
	n, err := p.parse()
	if err != nil {
		return nil, err
	}
	return n, nil
}

type parser struct {
	lex   lexer
	buf   []token // lookahead
	depth int
}

// bail is panicked with to unwind on the first error.
type bail struct{ err *SyntaxError }

func (p *parser) parse() (n Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			n, err = nil, b.err
		}
	}()
	n = p.expr(0)
	if t := p.peek(0); t.kind != tokEOF {
		p.unexpected(t, "operator or end of expression")
	}
	return n, nil
}

func (p *parser) failAt(off int, format string, args ...any) {
	line, col := 1, 1
	for _, c := range []byte(p.lex.src[:min(off, len(p.lex.src))]) {
		if col++; c == '\n' {
			line, col = line+1, 1
		}
	}
	panic(bail{&SyntaxError{Offset: off, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}})
}

// peek returns the k-th token ahead without consuming it. A lexical error is reported when
// it is peeked at position 0 (consumed), not earlier.
func (p *parser) peek(k int) token {
	for len(p.buf) <= k {
		p.buf = append(p.buf, p.lex.next())
	}
	t := p.buf[k]
	if k == 0 && t.kind == tokError {
		p.failAt(t.errPos, "%s", t.errMsg)
	}
	return t
}

func (p *parser) next() token {
	t := p.peek(0)
	p.buf = p.buf[1:]
	return t
}

func (p *parser) isPunct(k int, s string) bool {
	t := p.peekRaw(k)
	return t.kind == tokPunct && t.text == s
}

// peekRaw is peek without reporting lexical errors (for lookahead decisions).
func (p *parser) peekRaw(k int) token {
	for len(p.buf) <= k {
		p.buf = append(p.buf, p.lex.next())
	}
	return p.buf[k]
}

func (p *parser) unexpected(t token, want string) {
	p.failAt(t.pos, "expected %s, found %s", want, t.describe())
}

func (p *parser) expect(s string, want string) token {
	t := p.peek(0)
	if t.kind != tokPunct || t.text != s {
		p.unexpected(t, want)
	}
	return p.next()
}

func (p *parser) enter(off int) {
	p.depth++
	if p.depth > maxDepth {
		p.failAt(off, "expression nested more than %d levels deep", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// binaryOp returns the operator the token stands for in operator position.
func binaryOp(t token) (Op, bool) {
	switch t.kind {
	case tokPunct:
		switch op := Op(t.text); op {
		case OpMul, OpDiv, OpAdd, OpSub, OpConcat, OpUnion, OpLt, OpGt, OpLe, OpGe,
			OpEq, OpEquiv, OpNe, OpNotEquiv:
			return op, true
		}
	case tokIdent:
		switch op := Op(t.text); op {
		case OpIntDiv, OpMod, OpIs, OpAs, OpIn, OpContains, OpAnd, OpOr, OpXor, OpImplies:
			return op, true
		}
	}
	return "", false
}

// expr parses an expression whose operators all have precedence >= minPrec (precedence
// climbing, mirroring the ANTLR left-recursive rule).
func (p *parser) expr(minPrec int) Node {
	t := p.peek(0)
	p.enter(t.pos)
	defer p.leave()
	var left Node
	if t.kind == tokPunct && (t.text == "+" || t.text == "-") {
		p.next()
		operand := p.expr(PrecPolarity)
		left = &Unary{Offset: t.pos, Op: Op(t.text), Operand: operand}
	} else {
		left = p.term()
	}
	for {
		t := p.peek(0)
		if t.kind == tokPunct && t.text == "." {
			p.next()
			left = p.invocation(left)
			continue
		}
		if t.kind == tokPunct && t.text == "[" {
			p.next()
			p.enter(t.pos)
			idx := p.expr(0)
			p.leave()
			p.expect("]", "']' closing the indexer")
			left = &Index{Offset: left.Pos(), Target: left, Index: idx}
			continue
		}
		op, ok := binaryOp(t)
		if !ok {
			return left
		}
		prec := op.Precedence()
		if prec < minPrec {
			return left
		}
		p.next()
		if op == OpIs || op == OpAs {
			left = &TypeExpr{Offset: left.Pos(), Op: op, OpOffset: t.pos, Expr: left, Type: p.typeSpecifier(op)}
			continue
		}
		right := p.expr(prec + 1)
		left = &Binary{Offset: left.Pos(), Op: op, OpOffset: t.pos, Left: left, Right: right}
	}
}

// identifier reports whether t can be an identifier (IDENTIFIER, DELIMITEDIDENTIFIER or one
// of the words as, contains, in, is) and returns its decoded name.
func identifier(t token) (name string, delimited, ok bool) {
	switch t.kind {
	case tokDelimited:
		return t.val, true, true
	case tokIdent:
		if reserved[t.text] {
			return "", false, false
		}
		return t.text, false, true
	}
	return "", false, false
}

// term parses a literal, an invocation at the root, an external constant or a
// parenthesized expression.
func (p *parser) term() Node {
	t := p.peek(0)
	switch t.kind {
	case tokPunct:
		switch t.text {
		case "(":
			p.next()
			n := p.expr(0)
			p.expect(")", "')'")
			return n
		case "{":
			p.next()
			p.expect("}", "'}' (the empty collection is written {})")
			return &Empty{Offset: t.pos}
		case "%":
			p.next()
			c := p.peek(0)
			if c.kind == tokString {
				p.next()
				return &ExternalConstant{Offset: t.pos, Name: c.val, Form: ConstString}
			}
			name, delimited, ok := identifier(c)
			if !ok {
				p.unexpected(c, "constant name after '%'")
			}
			p.next()
			form := ConstPlain
			if delimited {
				form = ConstDelimited
			}
			return &ExternalConstant{Offset: t.pos, Name: name, Form: form}
		}
	case tokString:
		p.next()
		return &String{Offset: t.pos, Value: t.val, Text: t.text}
	case tokNumber:
		p.next()
		decimal := false
		for i := 0; i < len(t.text); i++ {
			if t.text[i] == '.' {
				decimal = true
			}
		}
		u := p.peekRaw(0)
		if u.kind == tokString {
			p.next()
			return &Quantity{Offset: t.pos, Value: t.text, IsDecimal: decimal, Unit: u.val, UnitText: u.text}
		}
		if u.kind == tokIdent && CalendarUnits[u.text] != "" {
			p.next()
			return &Quantity{Offset: t.pos, Value: t.text, IsDecimal: decimal, Unit: u.text, Calendar: true, UnitText: u.text}
		}
		return &Number{Offset: t.pos, Text: t.text, IsDecimal: decimal}
	case tokLong:
		p.next()
		return &Long{Offset: t.pos, Text: t.text}
	case tokDate:
		p.next()
		return &Date{Offset: t.pos, Text: t.text, Date: t.date}
	case tokDateTime:
		p.next()
		return &DateTime{Offset: t.pos, Text: t.text, Date: t.date, Time: t.time, Zone: t.zone}
	case tokTime:
		p.next()
		return &Time{Offset: t.pos, Text: t.text, Time: t.time}
	case tokVariable:
		p.next()
		return &Variable{Offset: t.pos, Name: t.val, NameOffset: t.pos}
	case tokIdent:
		switch t.text {
		case "true", "false":
			p.next()
			return &Boolean{Offset: t.pos, Value: t.text == "true"}
		}
	}
	name, delimited, ok := identifier(t)
	if !ok {
		p.unexpected(t, "expression")
	}
	p.next()
	if p.isPunct(0, "(") {
		args := p.args()
		return &Call{Offset: t.pos, Name: name, Delimited: delimited, NameOffset: t.pos, Args: args}
	}
	return &Identifier{Offset: t.pos, Name: name, Delimited: delimited}
}

// invocation parses what follows a '.' applied to target.
func (p *parser) invocation(target Node) Node {
	t := p.peek(0)
	if t.kind == tokVariable {
		p.next()
		return &Variable{Offset: target.Pos(), Target: target, Name: t.val, NameOffset: t.pos}
	}
	name, delimited, ok := identifier(t)
	if !ok {
		want := "member or function name after '.'"
		if t.kind == tokIdent && reserved[t.text] {
			want += " (reserved words must be delimited: `" + t.text + "`)"
		}
		p.unexpected(t, want)
	}
	p.next()
	if p.isPunct(0, "(") {
		args := p.args()
		return &Call{Offset: target.Pos(), Target: target, Name: name, Delimited: delimited, NameOffset: t.pos, Args: args}
	}
	return &Member{Offset: target.Pos(), Target: target, Name: name, Delimited: delimited, NameOffset: t.pos}
}

// args parses '(' paramList? ')'.
func (p *parser) args() []Node {
	open := p.next()
	p.enter(open.pos)
	defer p.leave()
	args := []Node{}
	if p.isPunct(0, ")") {
		p.next()
		return args
	}
	for {
		args = append(args, p.expr(0))
		t := p.peek(0)
		if t.kind == tokPunct && t.text == "," {
			p.next()
			continue
		}
		p.expect(")", "',' or ')' in the argument list")
		return args
	}
}

// typeSpecifier parses the qualified type name after is/as.
func (p *parser) typeSpecifier(op Op) *TypeSpecifier {
	t := p.peek(0)
	name, _, ok := identifier(t)
	if !ok {
		p.unexpected(t, fmt.Sprintf("type name after '%s'", op))
	}
	p.next()
	parts := []string{name}
	for p.isPunct(0, ".") {
		n, _, ok := identifier(p.peekRaw(1))
		if !ok || p.isPunct(2, "(") {
			break
		}
		p.next()
		p.next()
		parts = append(parts, n)
	}
	ts := &TypeSpecifier{Offset: t.pos, Name: parts[len(parts)-1]}
	ts.Namespace = strings.Join(parts[:len(parts)-1], ".")
	return ts
}
