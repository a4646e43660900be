package runtime

// Collection functions of FHIRPath §5.1-5.4 over typed slices. Items are compared with Go
// ==: pointers to generated structs compare by identity (the same element), primitives by
// value.

func fpExists[T any](in []T) []bool { return []bool{len(in) > 0} }

func fpEmptyFn[T any](in []T) []bool { return []bool{len(in) == 0} }

func fpCount[T any](in []T) []int64 { return []int64{int64(len(in))} }

// fpWhere keeps the items for which crit is true.
func fpWhere[T any](in []T, crit func(x T, i int) fpTri) []T {
	var out []T
	for i, x := range in {
		if crit(x, i) == fpTrue {
			out = append(out, x)
		}
	}
	return out
}

// fpExistsWhere is exists(crit).
func fpExistsWhere[T any](in []T, crit func(x T, i int) fpTri) []bool {
	for i, x := range in {
		if crit(x, i) == fpTrue {
			return []bool{true}
		}
	}
	return []bool{false}
}

// fpAll is all(crit): true for an empty input.
func fpAll[T any](in []T, crit func(x T, i int) fpTri) []bool {
	for i, x := range in {
		if crit(x, i) != fpTrue {
			return []bool{false}
		}
	}
	return []bool{true}
}

// fpSelect is select(proj): the projections concatenated.
func fpSelect[T, U any](in []T, proj func(x T, i int) []U) []U {
	var out []U
	for i, x := range in {
		out = append(out, proj(x, i)...)
	}
	return out
}

// fpRepeat is repeat(proj): the projections, recursively, without repeating items.
func fpRepeat[T comparable](in []T, proj func(x T) []T) []T {
	var out []T
	seen := map[T]bool{}
	queue := in
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for _, y := range proj(x) {
			if !seen[y] {
				seen[y] = true
				out = append(out, y)
				queue = append(queue, y)
			}
		}
	}
	return out
}

func fpFirst[T any](in []T) []T {
	if len(in) == 0 {
		return nil
	}
	return in[:1]
}

func fpLast[T any](in []T) []T {
	if len(in) == 0 {
		return nil
	}
	return in[len(in)-1:]
}

func fpTail[T any](in []T) []T {
	if len(in) <= 1 {
		return nil
	}
	return in[1:]
}

func fpSingleFn[T any](in []T) []T {
	if len(in) > 1 {
		fpFail("single(): %d items", len(in))
	}
	return in
}

func fpSkip[T any](in []T, n []int64) []T {
	k, ok := fpSingle(n, "skip")
	if !ok {
		return nil
	}
	if k <= 0 {
		return in
	}
	if k >= int64(len(in)) {
		return nil
	}
	return in[k:]
}

func fpTake[T any](in []T, n []int64) []T {
	k, ok := fpSingle(n, "take")
	if !ok || k <= 0 {
		return nil
	}
	if k >= int64(len(in)) {
		return in
	}
	return in[:k]
}

// fpDistinct removes repeated items, keeping the first.
func fpDistinct[T comparable](in []T) []T {
	var out []T
	seen := make(map[T]bool, len(in))
	for _, x := range in {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func fpIsDistinct[T comparable](in []T) []bool {
	return []bool{len(fpDistinct(in)) == len(in)}
}

// fpUnion is the | operator and union(): both collections without repeated items.
func fpUnion[T comparable](a, b []T) []T {
	if len(b) == 0 {
		return fpDistinct(a)
	}
	return fpDistinct(append(append([]T(nil), a...), b...))
}

// fpCombine is combine(): both collections, repeated items kept.
func fpCombine[T any](a, b []T) []T { return append(append([]T(nil), a...), b...) }

func fpIntersect[T comparable](a, b []T) []T {
	in := make(map[T]bool, len(b))
	for _, y := range b {
		in[y] = true
	}
	var out []T
	for _, x := range fpDistinct(a) {
		if in[x] {
			out = append(out, x)
		}
	}
	return out
}

func fpExclude[T comparable](a, b []T) []T {
	in := make(map[T]bool, len(b))
	for _, y := range b {
		in[y] = true
	}
	var out []T
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

func fpSubsetOf[T comparable](a, b []T) []bool {
	return []bool{len(fpIntersect(a, b)) == len(fpDistinct(a))}
}

// fpIn is `a in b`: empty when a is empty, an error when a has several items.
func fpIn[T comparable](a, b []T) []bool {
	x, ok := fpSingle(a, "in")
	if !ok {
		return nil
	}
	for _, y := range b {
		if fpEqItem(x, y) {
			return []bool{true}
		}
	}
	return []bool{false}
}

// fpTrace reports the collection to env.Trace and returns it.
func fpTrace[T any](env *FHIRPathEnv, name string, in []T) []T {
	if env != nil && env.Trace != nil {
		env.Trace(name, len(in))
	}
	return in
}

// fpDescend appends the descendants of x to out (descendants()): its children, then theirs,
// breadth first, children appending the children of one item.
func fpDescend(out []any, x any, children func(x any, out []any) []any) []any {
	start := len(out)
	out = children(x, out)
	for i := start; i < len(out); i++ {
		out = children(out[i], out)
	}
	return out
}

// Appending the values of fields (navigation): absent values (nil pointers, empty strings)
// are left out; the items of arrays of structs are pointers into the array.

func fpAddPtr[T any](out []*T, p *T) []*T {
	if p != nil {
		out = append(out, p)
	}
	return out
}

func fpAddElems[T any](out []*T, s []T) []*T {
	for i := range s {
		out = append(out, &s[i])
	}
	return out
}

func fpAddPtrAny[T any](out []any, p *T) []any {
	if p != nil {
		out = append(out, p)
	}
	return out
}

func fpAddElemsAny[T any](out []any, s []T) []any {
	for i := range s {
		out = append(out, &s[i])
	}
	return out
}

func fpAddStr[S ~string](out []string, s S) []string {
	if s != "" {
		out = append(out, string(s))
	}
	return out
}

func fpAddStrs[S ~string](out []string, s []S) []string {
	for _, x := range s {
		if x != "" {
			out = append(out, string(x))
		}
	}
	return out
}

// fpAddStrAny and fpAddStrsAny append strings tagged with their FHIR type.
func fpAddStrAny[S ~string](out []any, fhirType string, s S) []any {
	if s != "" {
		out = append(out, fpValue{fhirType, string(s)})
	}
	return out
}

func fpAddStrsAny[S ~string](out []any, fhirType string, s []S) []any {
	for _, x := range s {
		if x != "" {
			out = append(out, fpValue{fhirType, string(x)})
		}
	}
	return out
}

func fpAddBool(out []bool, p *bool) []bool {
	if p != nil {
		out = append(out, *p)
	}
	return out
}

func fpAddInt32(out []int64, p *int32) []int64 {
	if p != nil {
		out = append(out, int64(*p))
	}
	return out
}

func fpAddInt64(out []int64, p *int64) []int64 {
	if p != nil {
		out = append(out, *p)
	}
	return out
}

// fpAddText appends a non-empty text value (decimals) keeping its type.
func fpAddText[S ~string](out []S, s S) []S {
	if s != "" {
		out = append(out, s)
	}
	return out
}

// fpAddRes appends a non-nil interface value (a resource, a choice value) as a U.
func fpAddRes[T comparable, U any](out []U, x T) []U {
	var zero T
	if x != zero {
		out = append(out, any(x).(U))
	}
	return out
}

func fpAddRess[T comparable, U any](out []U, xs []T) []U {
	var zero T
	for _, x := range xs {
		if x != zero {
			out = append(out, any(x).(U))
		}
	}
	return out
}

// fpAddBox appends a choice value to a heterogeneous collection, primitives boxed by box.
func fpAddBox[T comparable](out []any, box func(T) any, x T) []any {
	var zero T
	if x != zero {
		if b := box(x); b != nil {
			out = append(out, b)
		}
	}
	return out
}

// fpIsRes is `is` on a resource: whether the single item is a resource of type name.
func fpIsRes[T interface{ ResourceType() string }](in []T, name string) []bool {
	x, ok := fpSingle(in, "is")
	if !ok {
		return nil
	}
	return []bool{x.ResourceType() == name}
}

// fpHoisted holds the value of a sub-expression hoisted out of an iteration: get computes
// it with f on first use. The result is capped so that an append by a consumer copies.
type fpHoisted[T any] struct {
	v    []T
	done bool
}

func (h *fpHoisted[T]) get(f func() []T) []T {
	if !h.done {
		h.v, h.done = f(), true
	}
	return h.v[:len(h.v):len(h.v)]
}
