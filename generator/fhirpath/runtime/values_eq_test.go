package runtime

import "testing"

// A FHIR boolean boxed with its type equals the literal of the same value: the
// `Patient.deceased != false` search expression found this against fhirpath.js.
func TestEqBoxedValues(t *testing.T) {
	got := fpEq([]any{fpValue{Type: "boolean", V: false}}, []any{false})
	if len(got) != 1 || !got[0] {
		t.Fatalf("boxed false = false: %v", got)
	}
	got = fpEq([]any{fpValue{Type: "boolean", V: true}}, []any{fpValue{Type: "System.Boolean", V: false}})
	if len(got) != 1 || got[0] {
		t.Fatalf("true = false: %v", got)
	}
	if got := fpEq([]any{[]int{1}}, []any{[]int{1}}); len(got) != 1 || got[0] {
		t.Fatalf("uncomparable items: %v", got)
	}
	if n := testing.AllocsPerRun(100, func() { fpEq([]string{"a"}, []string{"a"}) }); n > 1 {
		t.Fatalf("typed = allocates %v", n)
	}
}
