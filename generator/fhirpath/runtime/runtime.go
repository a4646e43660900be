// Package runtime is the support code of FHIRPath expressions compiled to Go by
// generator/fhirpath (see fhirpath.Compiler). It is a real package so it can be built and
// tested on its own; the generator copies its files (tests excluded) into the generated
// package, rewriting the package clause (emit.CopyPackage).
//
// It knows nothing of the generated FHIR types: it works on typed Go slices ([]T) of
// pointers to generated structs, interfaces, and the Go values of primitives (string,
// bool, int64, and the generated Decimal type, whose underlying type is string).
//
// All identifiers but FHIRPathEnv are unexported (prefixed fp) so that copying the files
// adds nothing to the generated package's API.
package runtime

import (
	"fmt"
)

// FHIRPathEnv is the evaluation environment of compiled FHIRPath expressions. The zero
// value (or nil) is usable: %resource is then the context resource given to the compiled
// function, resolve() only infers the type of a reference from its text, memberOf() is
// empty (unknown) and htmlChecks() is true.
type FHIRPathEnv struct {
	// Resource and RootResource are %resource and %rootResource (a generated Resource),
	// when they differ from the compiled function's context.
	Resource, RootResource any
	// Resolve returns the resource a reference ("Patient/1", "#contained", a canonical)
	// points to, or nil.
	Resolve func(ref string) any
	// MemberOf tells whether code (of system, "" when unknown) is in the ValueSet;
	// known is false when the ValueSet cannot be evaluated.
	MemberOf func(system, code, valueSet string) (member, known bool)
	// HTMLChecks validates the XHTML of a narrative div (htmlChecks()).
	HTMLChecks func(div string) bool
	// Trace receives the trace() calls.
	Trace func(name string, items int)
}

// fpError is an evaluation error (a singleton expected and several items found, a bad
// regular expression, ...). Compiled functions panic with it and recover it into their
// error result.
type fpError struct{ msg string }

func (e fpError) Error() string { return "fhirpath: " + e.msg }

func fpFail(format string, args ...any) { panic(fpError{fmt.Sprintf(format, args...)}) }

// fpRecover turns an fpError panic into *err; other panics go on.
func fpRecover(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(fpError); ok {
			*err = e
			return
		}
		panic(r)
	}
}

// fpValue is a primitive in a heterogeneous collection (one whose items have different Go
// types, such as the result of children()), tagged with its FHIR type name ("string",
// "canonical", "System.Integer"). V is a string, bool, int64 or decimal text (string).
type fpValue struct {
	Type string
	V    any
}

// fpUnwrap returns the items of in that are T, or fpValues holding a T.
func fpUnwrap[T any](in []any) []T {
	var out []T
	for _, x := range in {
		switch v := x.(type) {
		case T:
			out = append(out, v)
		case fpValue:
			if t, ok := v.V.(T); ok {
				out = append(out, t)
			}
		}
	}
	return out
}

// fpUnwrapType returns the primitive items of in whose FHIR type is one of types.
func fpUnwrapType[T any](in []any, types ...string) []T {
	var out []T
	for _, x := range in {
		if v, ok := x.(fpValue); ok {
			for _, t := range types {
				if v.Type == t {
					if tv, ok := v.V.(T); ok {
						out = append(out, tv)
					}
					break
				}
			}
		}
	}
	return out
}

// fpBox returns the items of in as a heterogeneous collection, tagging primitives.
func fpBox[T any](in []T, fhirType string) []any {
	out := make([]any, 0, len(in))
	for _, x := range in {
		out = append(out, fpValue{fhirType, x})
	}
	return out
}

// fpUp returns the items of in (pointers, interfaces) as a heterogeneous collection.
func fpUp[T any](in []T) []any {
	out := make([]any, 0, len(in))
	for _, x := range in {
		out = append(out, x)
	}
	return out
}

// fpConv converts each item of in with f.
func fpConv[T, U any](in []T, f func(T) U) []U {
	if len(in) == 0 {
		return nil
	}
	out := make([]U, 0, len(in))
	for _, x := range in {
		out = append(out, f(x))
	}
	return out
}

// fpOne returns a collection of one item.
func fpOne[T any](x T) []T { return []T{x} }

// fpSingle returns the only item of in, or ok false when in is empty; several items are an
// error (singleton evaluation of collections).
func fpSingle[T any](in []T, what string) (T, bool) {
	var zero T
	switch len(in) {
	case 0:
		return zero, false
	case 1:
		return in[0], true
	}
	fpFail("%s: expected a single item, got %d", what, len(in))
	return zero, false
}

// fpFlat calls f for each item, which appends the item's children to out.
func fpFlat[T, U any](in []T, f func(x T, out []U) []U) []U {
	var out []U
	for _, x := range in {
		out = f(x, out)
	}
	return out
}

// fpIndex is the indexer in[i].
func fpIndex[T any](in []T, i []int64) []T {
	n, ok := fpSingle(i, "index")
	if !ok || n < 0 || n >= int64(len(in)) {
		return nil
	}
	return in[n : n+1]
}
