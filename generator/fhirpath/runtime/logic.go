package runtime

// fpTri is a FHIRPath Boolean under singleton evaluation: empty, false or true.
type fpTri int8

// Values of fpTri.
const (
	fpEmpty fpTri = iota
	fpFalse
	fpTrue
)

func fpTriOf(b bool) fpTri {
	if b {
		return fpTrue
	}
	return fpFalse
}

// fpColl returns the collection of a tri-state: {}, {false} or {true}.
func (t fpTri) fpColl() []bool {
	switch t {
	case fpFalse:
		return []bool{false}
	case fpTrue:
		return []bool{true}
	}
	return nil
}

// fpBoolTri evaluates a Boolean collection as a singleton.
func fpBoolTri(c []bool) fpTri {
	b, ok := fpSingle(c, "boolean")
	if !ok {
		return fpEmpty
	}
	return fpTriOf(b)
}

// fpExistTri evaluates a non-Boolean collection where a Boolean is expected: a single item
// is true, an empty collection empty (FHIRPath §"Singleton Evaluation of Collections").
func fpExistTri[T any](c []T) fpTri {
	if _, ok := fpSingle(c, "boolean"); !ok {
		return fpEmpty
	}
	return fpTrue
}

// fpAnyTri evaluates a heterogeneous collection as a Boolean.
func fpAnyTri(c []any) fpTri {
	x, ok := fpSingle(c, "boolean")
	if !ok {
		return fpEmpty
	}
	if v, ok := x.(fpValue); ok {
		if b, ok := v.V.(bool); ok {
			return fpTriOf(b)
		}
	}
	return fpTrue
}

func fpAnd(a, b fpTri) fpTri {
	switch {
	case a == fpFalse || b == fpFalse:
		return fpFalse
	case a == fpTrue && b == fpTrue:
		return fpTrue
	}
	return fpEmpty
}

// fpOr is the dual of fpAnd (De Morgan): a or b = not(not a and not b), empty included.
func fpOr(a, b fpTri) fpTri { return fpNot(fpAnd(fpNot(a), fpNot(b))) }

func fpXor(a, b fpTri) fpTri {
	if a == fpEmpty || b == fpEmpty {
		return fpEmpty
	}
	return fpTriOf(a != b)
}

func fpImplies(a, b fpTri) fpTri {
	switch {
	case a == fpFalse:
		return fpTrue
	case a == fpTrue:
		return b
	case b == fpTrue:
		return fpTrue
	}
	return fpEmpty
}

func fpNot(a fpTri) fpTri {
	switch a {
	case fpTrue:
		return fpFalse
	case fpFalse:
		return fpTrue
	}
	return fpEmpty
}

// fpAllTrue and friends are allTrue(), allFalse(), anyTrue(), anyFalse().
func fpAllTrue(c []bool) []bool {
	for _, b := range c {
		if !b {
			return []bool{false}
		}
	}
	return []bool{true}
}

func fpAllFalse(c []bool) []bool {
	for _, b := range c {
		if b {
			return []bool{false}
		}
	}
	return []bool{true}
}

func fpAnyTrue(c []bool) []bool {
	for _, b := range c {
		if b {
			return []bool{true}
		}
	}
	return []bool{false}
}

func fpAnyFalse(c []bool) []bool {
	for _, b := range c {
		if !b {
			return []bool{true}
		}
	}
	return []bool{false}
}

// fpIif is iif(): the criterion is a tri-state, the branches are already evaluated
// lazily by the caller through functions.
func fpIif[T any](c fpTri, then func() []T, els func() []T) []T {
	if c == fpTrue {
		return then()
	}
	if els == nil {
		return nil
	}
	return els()
}
