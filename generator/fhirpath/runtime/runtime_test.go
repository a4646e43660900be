package runtime

import (
	"fmt"
	"testing"
)

// Three-valued logic tables of FHIRPath §6.5 (E is empty).
func TestLogicTables(t *testing.T) {
	vals := []fpTri{fpTrue, fpFalse, fpEmpty}
	name := map[fpTri]string{fpTrue: "T", fpFalse: "F", fpEmpty: "E"}
	want := map[string]string{
		"and":     "TFE FFF EFE",
		"or":      "TTT TFE TEE",
		"xor":     "FTE TFE EEE",
		"implies": "TFE TTT TEE",
	}
	ops := map[string]func(a, b fpTri) fpTri{"and": fpAnd, "or": fpOr, "xor": fpXor, "implies": fpImplies}
	for op, f := range ops {
		got := ""
		for i, a := range vals {
			if i > 0 {
				got += " "
			}
			for _, b := range vals {
				got += name[f(a, b)]
			}
		}
		if got != want[op] {
			t.Errorf("%s: got %s, want %s", op, got, want[op])
		}
	}
}

func TestEquality(t *testing.T) {
	for _, c := range []struct {
		got  []bool
		want string
	}{
		{fpEq([]string{"a"}, []string{"a"}), "[true]"},
		{fpEq([]string{"a"}, []string{"A"}), "[false]"},
		{fpEquiv([]string{"a  B"}, []string{"A b"}), "[true]"},
		{fpEq([]string{}, []string{"a"}), "[]"},
		{fpEquiv([]string{}, []string{}), "[true]"},
		{fpEq([]string{"a", "b"}, []string{"a"}), "[false]"},
		{fpDateEq([]string{"2012-01-01"}, []string{"2012-01-01"}), "[true]"},
		{fpDateEq([]string{"2012-01"}, []string{"2012-01-01"}), "[]"},
		{fpDateCompare([]string{"2012-01-01"}, []string{"2013"}, "<"), "[true]"},
		{fpDateCompare([]string{"2012-01"}, []string{"2012"}, "<"), "[]"},
		{fpDateCompare([]string{"2012-01-01T10:00:00+01:00"}, []string{"2012-01-01T09:30:00Z"}, "<"), "[true]"},
		{fpCompare([]int64{1}, []int64{2}, "<="), "[true]"},
		{fpEq(fpFloats([]string{"1.0"}), fpFloats([]string{"1"})), "[true]"},
		{fpIn([]string{"b"}, []string{"a", "b"}), "[true]"},
		{fpIn([]string{}, []string{"a"}), "[]"},
	} {
		if got := fmt.Sprint(c.got); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}

func TestFunctions(t *testing.T) {
	if got := fmt.Sprint(fpSubstring([]string{"abcdef"}, []int64{1}, []int64{2}, true)); got != "[bc]" {
		t.Errorf("substring = %s", got)
	}
	if got := fmt.Sprint(fpLowBoundary([]string{"2014"}, "date")); got != "[2014-01-01]" {
		t.Errorf("lowBoundary = %s", got)
	}
	if got := fmt.Sprint(fpHighBoundary([]string{"2014-02"}, "date")); got != "[2014-02-28]" {
		t.Errorf("highBoundary = %s", got)
	}
	if got := fpRefType("http://x/fhir/Patient/1/_history/2"); got != "Patient" {
		t.Errorf("refType = %s", got)
	}
	if got := fmt.Sprint(fpUnion([]string{"a", "b"}, []string{"b", "c"})); got != "[a b c]" {
		t.Errorf("union = %s", got)
	}
	var err error
	func() {
		defer fpRecover(&err)
		fpBoolTri([]bool{true, false})
	}()
	if err == nil {
		t.Errorf("singleton evaluation of two booleans did not fail")
	}
}
