package fhirpath

// Exported for the external tests (package fhirpath_test).
var (
	// KnownInvalid lists published constraints and SearchParameters that do not type-check
	// (see knownInvalid).
	KnownInvalid = knownInvalid
	// KnownBad lists published constraint expressions that do not parse (see knownBad).
	KnownBad = knownBad
)
