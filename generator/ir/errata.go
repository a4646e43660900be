package ir

import (
	"strings"
)

// Erratum is a published constraint expression that contradicts its own human text, with
// the expression checked instead and where the correction comes from.
type Erratum struct {
	Key string // the constraint key ("que-12")
	// Published is the expression as published (compared with white space removed): the
	// correction applies only to this text, so a release that fixed it is left alone.
	Published string
	Corrected string
	// Source is where the corrected expression comes from: the later release that fixed
	// it, or the spec text that says what it means.
	Source string
}

// Errata returns the table of published constraint expressions that contradict their
// own human text. Generation checks the corrected expression instead and notes each
// use (kind constraint-erratum, listed by fhirgen -v). A wrong expression goes here, not
// into a special case of the FHIRPath compiler.
func Errata() []Erratum {
	return []Erratum{
		// An invariant holds only when it evaluates to true: these expressions are empty,
		// so fail, where the element they are about is absent, though the human text
		// constrains only a present one; the later releases guard them with exists().
		{
			Key:       "ref-1",
			Published: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))",
			Corrected: "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')))",
			Source: "R4 Reference ref-1 \"SHALL have a contained resource if a local reference is provided\" " +
				"is empty for a Reference without reference (identifier or display only); R5 (5.0.0) " +
				"guards it with reference.exists() implies",
		},
		{
			Key:       "ref-1",
			Published: "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')) or (reference='#' and %rootResource!=%resource)",
			Corrected: "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')) or (reference='#' and %rootResource!=%resource))",
			Source: "R4B Reference ref-1, empty for a Reference without reference; R5 (5.0.0) publishes " +
				"this expression",
		},
		{
			Key:       "bdl-8",
			Published: "fullUrl.contains('/_history/').not()",
			Corrected: "fullUrl.exists() implies fullUrl.contains('/_history/').not()",
			Source:    "R4 Bundle.entry bdl-8 \"fullUrl cannot be a version specific reference\" is empty for an entry without fullUrl; R4B (4.3.0) and R5 (5.0.0) publish this expression",
		},
		{
			Key:       "ras-2",
			Published: "probability is decimal implies (probability as decimal) <= 100",
			Corrected: "probability.exists($this is decimal) implies (probability as decimal) <= 100",
			Source:    "R4 RiskAssessment.prediction ras-2 \"Must be <= 100\" is empty without a probability; R4B (4.3.0) publishes this expression",
		},
		{
			Key:       "que-12",
			Published: "enableWhen.count() > 2 implies enableBehavior.exists()",
			Corrected: "enableWhen.count() > 1 implies enableBehavior.exists()",
			Source: "R4 Questionnaire.item que-12 says \"If there are more than one enableWhen, " +
				"enableBehavior must be specified\" (its xpath counts > 1 too); R4B (4.3.0) and R5 " +
				"(5.0.0) publish count() > 1",
		},
	}
}

// erratum returns the entry of the table correcting constraint key with expression
// expr, or nil.
func erratum(key, expr string) *Erratum {
	if expr == "" {
		return nil
	}
	e := squeeze(expr)
	for _, x := range Errata() {
		if x.Key == key && squeeze(x.Published) == e {
			return &x
		}
	}
	return nil
}

// squeeze removes the white space of a FHIRPath expression.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
