package runtime

import (
	"cmp"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------------------------------
// Equality and comparison (FHIRPath §6.1, §6.2). Each takes the two operand collections and
// returns {} when either is empty.

// fpEq is = on items compared with Go == (strings, booleans, integers, codes, identity of
// elements). Collections of different sizes are not equal.
func fpEq[T comparable](a, b []T) []bool {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	if len(a) != len(b) {
		return []bool{false}
	}
	for i := range a {
		if !fpEqItem(a[i], b[i]) {
			return []bool{false}
		}
	}
	return []bool{true}
}

// fpEqItem is = on two items: values boxed with their FHIR type compare by value alone
// (a FHIR boolean false equals the literal false), and items Go cannot compare are unequal.
func fpEqItem[T comparable](a, b T) (eq bool) {
	if _, boxed := any((*T)(nil)).(*any); !boxed {
		return a == b // typed items: no boxing, no allocation
	}
	x, y := any(a), any(b)
	if v, ok := x.(fpValue); ok {
		x = v.V
	}
	if v, ok := y.(fpValue); ok {
		y = v.V
	}
	defer func() {
		if recover() != nil {
			eq = false
		}
	}()
	return x == y
}

// fpEquiv is ~ on items compared with Go ==, except strings which are compared ignoring
// case and normalising white space. Empty collections are equivalent.
func fpEquiv[T comparable](a, b []T) []bool {
	if len(a) != len(b) {
		return []bool{false}
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && fpEquivItem(x, y) {
				used[j] = true
				continue outer
			}
		}
		return []bool{false}
	}
	return []bool{true}
}

func fpEquivItem[T comparable](x, y T) bool {
	if xs, ok := any(x).(string); ok {
		return fpNormString(xs) == fpNormString(any(y).(string))
	}
	return x == y
}

func fpNormString(s string) string {
	return strings.ToLower(strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " "))
}

// fpNeg negates an equality result: != is not(=), !~ is not(~).
func fpNeg(c []bool) []bool {
	if len(c) == 0 {
		return nil
	}
	return []bool{!c[0]}
}

// fpDecimal parses decimal text; malformed text is an error.
func fpDecimal[T ~string](d T) float64 {
	f, err := strconv.ParseFloat(string(d), 64)
	if err != nil {
		fpFail("bad decimal %q", string(d))
	}
	return f
}

// fpFloats converts decimal texts to float64.
func fpFloats[T ~string](in []T) []float64 { return fpConv(in, fpDecimal[T]) }

// fpIntFloats converts integers to float64.
func fpIntFloats(in []int64) []float64 {
	return fpConv(in, func(i int64) float64 { return float64(i) })
}

// fpCompare is < <= > >= on ordered singletons (strings, integers, floats).
func fpCompare[T cmp.Ordered](a, b []T, op string) []bool {
	x, okx := fpSingle(a, op)
	y, oky := fpSingle(b, op)
	if !okx || !oky {
		return nil
	}
	return []bool{fpCmpResult(cmp.Compare(x, y), op)}
}

func fpCmpResult(c int, op string) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "=":
		return c == 0
	}
	return c != 0
}

// ---------------------------------------------------------------------------------------
// Dates and times: kept as their FHIR text; compared component by component up to the
// smaller precision, the result being {} when they are equal that far and their precisions
// differ (§6.1.1, §6.2).

type fpPartialTime struct {
	v    [6]float64 // year, month, day, hour, minute, second (with fraction)
	prec int        // number of components given
}

// fpParseDateTime parses a date, dateTime, instant or time ("T10:00" or "10:00"); time-zone
// offsets are applied so values with zones compare in UTC.
func fpParseDateTime(s string) (fpPartialTime, bool) {
	var p fpPartialTime
	s = strings.TrimPrefix(s, "@")
	date, tm, hasT := strings.Cut(s, "T")
	isTime := false
	if !hasT && strings.Contains(s, ":") {
		date, tm, hasT, isTime = "", s, true, true
	}
	if date == "" && hasT {
		isTime = true
	}
	i := 0
	if !isTime {
		for _, part := range strings.Split(date, "-") {
			if i >= 3 {
				return p, false
			}
			n, err := strconv.Atoi(part)
			if err != nil {
				return p, false
			}
			p.v[i] = float64(n)
			i++
		}
	} else {
		i = 3
	}
	zone := 0.0
	hasZone := false
	if hasT && tm != "" {
		if k := strings.IndexAny(tm, "Z+-"); k >= 0 {
			z := tm[k:]
			tm = tm[:k]
			hasZone = true
			if z != "Z" && len(z) == 6 {
				h, _ := strconv.Atoi(z[1:3])
				m, _ := strconv.Atoi(z[4:6])
				zone = float64(h*60 + m)
				if z[0] == '-' {
					zone = -zone
				}
			}
		}
		for _, part := range strings.Split(tm, ":") {
			if i >= 6 {
				return p, false
			}
			f, err := strconv.ParseFloat(part, 64)
			if err != nil {
				return p, false
			}
			p.v[i] = f
			i++
		}
	}
	p.prec = i
	if isTime {
		p.prec = i // compare hour.. components only; year..day stay 0
	}
	if hasZone && zone != 0 && p.prec >= 5 {
		// shift to UTC in minutes, carrying into hours and days approximately by
		// normalising through a minute count within the day.
		mins := p.v[3]*60 + p.v[4] - zone
		dayShift := math.Floor(mins / (24 * 60))
		mins -= dayShift * 24 * 60
		p.v[3] = math.Floor(mins / 60)
		p.v[4] = mins - p.v[3]*60
		if dayShift != 0 && p.prec >= 3 {
			p.v[2] += dayShift // good enough for ordering within a month
		}
	}
	return p, true
}

// fpDateCmp compares two date/time texts: c is the comparison, ok false when they are
// not comparable (unparseable, or equal up to a differing precision).
func fpDateCmp(a, b string) (c int, ok bool) {
	x, okx := fpParseDateTime(a)
	y, oky := fpParseDateTime(b)
	if !okx || !oky {
		return 0, false
	}
	n := min(x.prec, y.prec)
	for i := 0; i < n; i++ {
		if c := cmp.Compare(x.v[i], y.v[i]); c != 0 {
			return c, true
		}
	}
	if x.prec != y.prec {
		// seconds and milliseconds are one precision in FHIRPath
		if !(min(x.prec, y.prec) >= 6) {
			return 0, false
		}
	}
	return 0, true
}

// fpDateCompare is < <= > >= = != on date/time singletons.
func fpDateCompare[T ~string](a, b []T, op string) []bool {
	x, okx := fpSingle(a, op)
	y, oky := fpSingle(b, op)
	if !okx || !oky {
		return nil
	}
	c, ok := fpDateCmp(string(x), string(y))
	if !ok {
		return nil
	}
	return []bool{fpCmpResult(c, op)}
}

// fpDateEq is = on date/time collections.
func fpDateEq[T ~string](a, b []T) []bool {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	if len(a) != len(b) {
		return []bool{false}
	}
	for i := range a {
		c, ok := fpDateCmp(string(a[i]), string(b[i]))
		if !ok {
			return nil
		}
		if c != 0 {
			return []bool{false}
		}
	}
	return []bool{true}
}

// fpDecEq is = on decimal collections (compared numerically: 1.0 = 1).
func fpDecEq(a, b []float64) []bool { return fpEq(a, b) }

// fpLowBoundary and fpHighBoundary are lowBoundary() and highBoundary() of a date, dateTime
// or time text (the first or last instant of its precision), and of decimal text (half a
// unit of the last digit below or above).
func fpLowBoundary[T ~string](in []T, kind string) []T  { return fpBoundary(in, kind, false) }
func fpHighBoundary[T ~string](in []T, kind string) []T { return fpBoundary(in, kind, true) }

func fpBoundary[T ~string](in []T, kind string, high bool) []T {
	x, ok := fpSingle(in, "fpBoundary")
	if !ok {
		return nil
	}
	s := string(x)
	switch kind {
	case "decimal":
		f := fpDecimal(s)
		digits := 0
		if i := strings.IndexByte(s, '.'); i >= 0 {
			digits = len(s) - i - 1
		}
		half := 0.5 * math.Pow(10, -float64(digits))
		if high {
			f += half
		} else {
			f -= half
		}
		return []T{T(strconv.FormatFloat(f, 'f', digits+1, 64))}
	case "date", "dateTime", "instant":
		date, tm, _ := strings.Cut(s, "T")
		parts := strings.Split(date, "-")
		lowDate := []string{"", "01", "01"}
		if high {
			lowDate = []string{"", "12", ""}
		}
		for i := len(parts); i < 3; i++ {
			parts = append(parts, lowDate[i])
		}
		if high && parts[2] == "" {
			y, _ := strconv.Atoi(parts[0])
			m, _ := strconv.Atoi(parts[1])
			parts[2] = strconv.Itoa(fpDaysIn(y, m))
		}
		out := strings.Join(parts, "-")
		if kind == "date" {
			return []T{T(out)}
		}
		return []T{T(out + "T" + fpTimeBoundary(tm, high))}
	case "time":
		return []T{T(fpTimeBoundary(strings.TrimPrefix(s, "T"), high))}
	}
	return in
}

func fpTimeBoundary(tm string, high bool) string {
	zone := ""
	if k := strings.IndexAny(tm, "Z+-"); k >= 0 {
		tm, zone = tm[:k], tm[k:]
	}
	parts := []string{}
	if tm != "" {
		parts = strings.Split(tm, ":")
	}
	fill := []string{"00", "00", "00.000"}
	if high {
		fill = []string{"23", "59", "59.999"}
	}
	for i := len(parts); i < 3; i++ {
		parts = append(parts, fill[i])
	}
	if !strings.Contains(parts[2], ".") {
		if high {
			parts[2] += ".999"
		} else {
			parts[2] += ".000"
		}
	}
	if zone == "" {
		if high {
			zone = "-12:00"
		} else {
			zone = "+14:00"
		}
	}
	return strings.Join(parts, ":") + zone
}

func fpDaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// ---------------------------------------------------------------------------------------
// Strings (§5.6). The input and arguments are singletons; {} in gives {} out.

func fpStr1[T ~string](in []T, what string) (string, bool) {
	x, ok := fpSingle(in, what)
	return string(x), ok
}

// fpStrPred applies a predicate of the input string and one string argument.
func fpStrPred[T, U ~string](in []T, arg []U, what string, f func(s, a string) bool) []bool {
	s, ok := fpStr1(in, what)
	a, oka := fpStr1(arg, what)
	if !ok || !oka {
		return nil
	}
	return []bool{f(s, a)}
}

var fpRegexps sync.Map // pattern -> *regexp.Regexp

func fpRegexp(pattern string) *regexp.Regexp {
	if re, ok := fpRegexps.Load(pattern); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		fpFail("bad regular expression %q: %v", pattern, err)
	}
	fpRegexps.Store(pattern, re)
	return re
}

func fpMatches(s, pattern string) bool { return fpRegexp("(?s)" + pattern).MatchString(s) }

func fpMatchesFull(s, pattern string) bool {
	return fpRegexp("(?s)^(?:" + pattern + ")$").MatchString(s)
}

// fpStr3 returns the single strings of a function's target and its two arguments; ok is
// false when any is empty.
func fpStr3[T, U ~string](in []T, a, b []U, fn string) (string, string, string, bool) {
	s, ok := fpStr1(in, fn)
	x, okx := fpStr1(a, fn)
	y, oky := fpStr1(b, fn)
	return s, x, y, ok && okx && oky
}

// fpReplaceMatches is replaceMatches(regex, substitution).
func fpReplaceMatches[T, U ~string](in []T, re, sub []U) []string {
	s, r, w, ok := fpStr3(in, re, sub, "replaceMatches")
	if !ok {
		return nil
	}
	return []string{fpRegexp(r).ReplaceAllString(s, w)}
}

// fpReplace is replace(pattern, substitution).
func fpReplace[T, U ~string](in []T, pat, sub []U) []string {
	s, p, w, ok := fpStr3(in, pat, sub, "replace")
	if !ok {
		return nil
	}
	return []string{strings.ReplaceAll(s, p, w)}
}

// fpStrMap applies a string function to the singleton input.
func fpStrMap[T ~string](in []T, what string, f func(string) string) []string {
	s, ok := fpStr1(in, what)
	if !ok {
		return nil
	}
	return []string{f(s)}
}

func fpLength[T ~string](in []T) []int64 {
	s, ok := fpStr1(in, "length")
	if !ok {
		return nil
	}
	return []int64{int64(len([]rune(s)))}
}

func fpIndexOf[T, U ~string](in []T, sub []U) []int64 {
	s, ok := fpStr1(in, "indexOf")
	a, oka := fpStr1(sub, "indexOf")
	if !ok || !oka {
		return nil
	}
	i := strings.Index(s, a)
	if i < 0 {
		return []int64{-1}
	}
	return []int64{int64(len([]rune(s[:i])))}
}

// fpSubstring is substring(start [, length]); length nil when not given.
func fpSubstring[T ~string](in []T, start []int64, length []int64, hasLength bool) []string {
	s, ok := fpStr1(in, "substring")
	st, oks := fpSingle(start, "substring")
	if !ok || !oks {
		return nil
	}
	count := int64(utf8.RuneCountInString(s))
	if st < 0 || st >= count {
		return nil
	}
	end := count
	if hasLength {
		n, ok := fpSingle(length, "substring")
		if !ok {
			return nil
		}
		if st+n < end {
			end = max(st, st+n)
		}
	}
	return []string{s[fpRuneOffset(s, st):fpRuneOffset(s, end)]}
}

// fpRuneOffset returns the byte offset of the k-th character of s (len(s) past the last).
func fpRuneOffset(s string, k int64) int {
	n := int64(0)
	for i := range s {
		if n == k {
			return i
		}
		n++
	}
	return len(s)
}

// fpToInteger converts a string singleton to an integer ({} when it is not one).
func fpToInteger[T ~string](in []T) []int64 {
	s, ok := fpStr1(in, "toInteger")
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil
	}
	return []int64{n}
}

func fpBoolToInteger(in []bool) []int64 {
	b, ok := fpSingle(in, "toInteger")
	if !ok {
		return nil
	}
	if b {
		return []int64{1}
	}
	return []int64{0}
}

// fpToString converts a primitive singleton to its string form.
func fpToString[T any](in []T) []string {
	x, ok := fpSingle(in, "toString")
	if !ok {
		return nil
	}
	var v any = x
	if fv, ok := v.(fpValue); ok {
		v = fv.V
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case bool:
		return []string{strconv.FormatBool(v)}
	case int64:
		return []string{strconv.FormatInt(v, 10)}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case *bool: // the values of a choice's primitive variants
		if v != nil {
			return []string{strconv.FormatBool(*v)}
		}
		return nil
	case *int32:
		if v != nil {
			return []string{strconv.FormatInt(int64(*v), 10)}
		}
		return nil
	case *int64:
		if v != nil {
			return []string{strconv.FormatInt(*v, 10)}
		}
		return nil
	case interface{ String() string }:
		return []string{v.String()}
	}
	return nil
}

// fpConcat is &: {} operands count as ”.
func fpConcat[T, U ~string](a []T, b []U) []string {
	x, _ := fpStr1(a, "&")
	y, _ := fpStr1(b, "&")
	return []string{x + y}
}

// fpStrAdd is + on strings.
func fpStrAdd[T, U ~string](a []T, b []U) []string {
	x, okx := fpStr1(a, "+")
	y, oky := fpStr1(b, "+")
	if !okx || !oky {
		return nil
	}
	return []string{x + y}
}

// fpArith is + - * on integers or floats; div and mod on integers.
func fpArith[T int64 | float64](a, b []T, op string) []T {
	x, okx := fpSingle(a, op)
	y, oky := fpSingle(b, op)
	if !okx || !oky {
		return nil
	}
	switch op {
	case "+":
		return []T{x + y}
	case "-":
		return []T{x - y}
	case "*":
		return []T{x * y}
	case "/":
		if y == 0 {
			return nil
		}
		return []T{x / y}
	case "div":
		if y == 0 {
			return nil
		}
		return []T{T(math.Trunc(float64(x) / float64(y)))}
	case "mod":
		if y == 0 {
			return nil
		}
		return []T{T(math.Mod(float64(x), float64(y)))}
	}
	return nil
}

// fpRefType returns the resource type a reference points to from its text: "Patient/1",
// "http://x/fhir/Patient/1/_history/2" -> "Patient"; "" when unknown (contained "#id",
// urn:uuid:...).
func fpRefType(ref string) string {
	if i := strings.Index(ref, "/_history/"); i >= 0 {
		ref = ref[:i]
	}
	parts := strings.Split(ref, "/")
	if len(parts) < 2 {
		return ""
	}
	t := parts[len(parts)-2]
	if t == "" || t[0] < 'A' || t[0] > 'Z' {
		return ""
	}
	return t
}

// fpMemberOf is memberOf(valueSet) through env.MemberOf.
func fpMemberOf(env *FHIRPathEnv, system, code, vs string) []bool {
	if env == nil || env.MemberOf == nil || code == "" {
		return nil
	}
	m, known := env.MemberOf(system, code, vs)
	if !known {
		return nil
	}
	return []bool{m}
}

// fpHTMLChecks is htmlChecks() through env.HTMLChecks (true when none is set).
func fpHTMLChecks[T ~string](env *FHIRPathEnv, in []T) []bool {
	s, ok := fpStr1(in, "htmlChecks")
	if !ok {
		return nil
	}
	if env == nil || env.HTMLChecks == nil {
		return []bool{true}
	}
	return []bool{env.HTMLChecks(s)}
}
