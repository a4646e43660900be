package support

import (
	"strconv"
	"strings"
)

// Validation runtime, called from the generated Validate methods. Generated code collects
// issues into a []Issue passed down and returned by value; each Expression is built
// relative to the value being checked and prefixed on the way back up (valAt...), so a
// valid value allocates nothing: no path is built unless an issue is found.

// Issue is one finding of Validate, shaped like an OperationOutcome.issue.
type Issue struct {
	// Severity is "error", "warning" or "information" (OperationOutcome issue-severity).
	Severity string
	// Code is an OperationOutcome issue-type code: "required" (missing required element),
	// "structure" (too many items), "value" (primitive format or range), "code-invalid"
	// (a code outside a binding: an error for a required one, a warning for an
	// extensible one, information for a preferred one), "invariant" (constraint),
	// "invalid" (reference target type).
	Code string
	// Expression is the FHIRPath location with indices, such as
	// "BulkDataExport.output[0].url" or "Observation.value.ofType(Quantity)".
	Expression string
	// Message says what is wrong; for invariants it starts with the constraint's key.
	Message string
	// Element is, for an issue of a profile, the id of the profile's element, with slice
	// names ("Patient.identifier:ihi"); Profile is the profile's canonical URL.
	Element, Profile string
}

// String returns "severity code expression: message".
func (i Issue) String() string {
	return i.Severity + " " + i.Code + " " + i.Expression + ": " + i.Message
}

// ValidationError is the error of Validate: every issue found, warnings included.
type ValidationError struct {
	Issues []Issue
}

// Error lists the issues, one per line after the first.
func (e *ValidationError) Error() string {
	var b strings.Builder
	n := 0
	for _, i := range e.Issues {
		if i.Severity == valSevError {
			n++
		}
	}
	b.WriteString("validation failed: ")
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" error")
	} else {
		b.WriteString(" errors")
	}
	for _, i := range e.Issues {
		b.WriteString("\n\t")
		b.WriteString(i.String())
	}
	return b.String()
}

// HasErrors reports whether any issue has severity error.
func (e *ValidationError) HasErrors() bool { return valHasError(e.Issues) }

// Issue severities.
const (
	valSevError       = "error"
	valSevWarning     = "warning"
	valSevInformation = "information"
)

// Issue codes.
const (
	valCodeRequired    = "required"
	valCodeStructure   = "structure"
	valCodeValue       = "value"
	valCodeCodeInvalid = "code-invalid"
	valCodeInvariant   = "invariant"
	valCodeInvalid     = "invalid"
)

// valCtx is passed down the generated checks by value.
type valCtx struct {
	// all is false when only error-severity issues are wanted (Validate's first pass on a
	// valid value skips the warnings, so that warnings cost no allocation).
	all bool
	// res is the resource being checked (%resource of the invariants).
	res Resource
	// root is %rootResource: the container of a contained resource, else res itself.
	root Resource
	// contained is set while descending into a contained element.
	contained bool
}

// inContained marks the descent into a contained resource.
func (c valCtx) inContained() valCtx {
	c.contained = true
	return c
}

// enter starts checking resource r: it becomes %resource, and %rootResource unless r is
// contained (Bundle entries and Parameters resources are roots of their own).
func (c valCtx) enter(r Resource) valCtx {
	if !c.contained || c.root == nil {
		c.root = r
	}
	c.contained = false
	c.res = r
	return c
}

// valValidator is implemented by every generated type.
type valValidator interface {
	valIssues(c valCtx, out []Issue) []Issue
}

func valHasError(issues []Issue) bool {
	for _, i := range issues {
		if i.Severity == valSevError {
			return true
		}
	}
	return false
}

// valValidate is the body of the generated Validate methods.
func valValidate(v valValidator, root string) error {
	if !valHasError(v.valIssues(valCtx{}, nil)) {
		return nil
	}
	return &ValidationError{Issues: valValidateAll(v, root)}
}

// valValidateAll is the body of the generated ValidateAll methods.
func valValidateAll(v valValidator, root string) []Issue {
	out := v.valIssues(valCtx{all: true}, nil)
	return valAt(out, 0, root)
}

// valAt prefixes the Expression of out[n:] with seg.
func valAt(out []Issue, n int, seg string) []Issue {
	for i := n; i < len(out); i++ {
		if out[i].Expression == "" {
			out[i].Expression = seg
		} else {
			out[i].Expression = seg + "." + out[i].Expression
		}
	}
	return out
}

// valAtIndex prefixes the Expression of out[n:] with seg[index].
func valAtIndex(out []Issue, n int, seg string, index int) []Issue {
	if n == len(out) {
		return out
	}
	return valAt(out, n, seg+"["+strconv.Itoa(index)+"]")
}

// valAtType prefixes the Expression of out[n:] with seg.ofType(typ) (a choice variant).
func valAtType(out []Issue, n int, seg, typ string) []Issue {
	if n == len(out) {
		return out
	}
	return valAt(out, n, seg+".ofType("+typ+")")
}

// valAtResource prefixes the Expression of out[n:] with seg[index].ofType(typ), or
// seg.ofType(typ) when index is negative (a resource element).
func valAtResource(out []Issue, n int, seg string, index int, typ string) []Issue {
	if n == len(out) {
		return out
	}
	if index >= 0 {
		seg += "[" + strconv.Itoa(index) + "]"
	}
	return valAt(out, n, seg+".ofType("+typ+")")
}

// valResource checks a resource held in a Resource element (contained,
// Bundle.entry.resource, ...). A RawResource (a type not generated) is not checked.
func valResource(c valCtx, r Resource, out []Issue) []Issue {
	v, ok := r.(valValidator)
	if !ok {
		return out
	}
	return v.valIssues(c, out)
}

func valAdd(out []Issue, severity, code, expr, msg string) []Issue {
	return append(out, Issue{Severity: severity, Code: code, Expression: expr, Message: msg})
}

// valMissing reports a required element with fewer than min items.
func valMissing(out []Issue, expr string, min, found int) []Issue {
	msg := "missing required element"
	if min > 1 || found > 0 {
		msg = "at least " + strconv.Itoa(min) + " items required, found " + strconv.Itoa(found)
	}
	return valAdd(out, valSevError, valCodeRequired, expr, msg)
}

// valTooMany reports an element with more than max items.
func valTooMany(out []Issue, expr string, max, found int) []Issue {
	return valAdd(out, valSevError, valCodeStructure, expr,
		"at most "+strconv.Itoa(max)+" items allowed, found "+strconv.Itoa(found))
}

// valFormat checks s as a value of kind and reports a malformed value.
func valFormat(out []Issue, kind primitiveKind, s, expr string) []Issue {
	if ok, reason := checkPrimitive(kind, s); !ok {
		return valBadValue(out, kind, expr, reason)
	}
	return out
}

func valBadValue(out []Issue, kind primitiveKind, expr, reason string) []Issue {
	return valAdd(out, valSevError, valCodeValue, expr, "invalid "+kind.String()+": "+reason)
}

// valPositiveInt and valUnsignedInt check decoded integers.
func valPositiveInt(out []Issue, v *int32, expr string) []Issue {
	if v != nil {
		if ok, reason := checkPositiveInt(*v); !ok {
			return valBadValue(out, primPositiveInt, expr, reason)
		}
	}
	return out
}

func valUnsignedInt(out []Issue, v *int32, expr string) []Issue {
	if v != nil {
		if ok, reason := checkUnsignedInt(*v); !ok {
			return valBadValue(out, primUnsignedInt, expr, reason)
		}
	}
	return out
}

// valBindingSeverity is the severity of a code outside a binding of strength: an error
// for a required binding, a warning for an extensible one, information for a preferred
// one (as the reference validator reports them).
func valBindingSeverity(strength string) string {
	switch strength {
	case "extensible":
		return valSevWarning
	case "preferred":
		return valSevInformation
	}
	return valSevError
}

// valNotInValueSet reports a code outside a binding of strength (required, extensible or
// preferred).
func valNotInValueSet(out []Issue, strength, expr, system, code, valueSet string) []Issue {
	what := strconv.Quote(code)
	if system != "" {
		what = system + "#" + code
	}
	return valAdd(out, valBindingSeverity(strength), valCodeCodeInvalid, expr,
		"code "+what+" is not in the "+strength+" ValueSet "+valueSet)
}

// valNoCodingInValueSet reports a CodeableConcept none of whose codings is in a binding
// of strength.
func valNoCodingInValueSet(out []Issue, strength, expr, valueSet string) []Issue {
	return valAdd(out, valBindingSeverity(strength), valCodeCodeInvalid, expr,
		"no coding is in the "+strength+" ValueSet "+valueSet)
}

// valNoCode reports an element under a required binding that has no code (a value with
// only extensions, such as a data-absent-reason): it has no code from the ValueSet.
func valNoCode(out []Issue, expr, valueSet string) []Issue {
	return valAdd(out, valSevError, valCodeCodeInvalid, expr,
		"no code from the required ValueSet "+valueSet+": the element has no code")
}

// valInvariant reports a failed constraint; msg starts with the constraint's key.
func valInvariant(out []Issue, severity, expr, msg string) []Issue {
	return valAdd(out, severity, valCodeInvariant, expr, msg)
}

// valInvariantError reports a constraint whose evaluation failed.
func valInvariantError(out []Issue, expr, key string, err error) []Issue {
	return valAdd(out, valSevWarning, valCodeInvariant, expr, key+": could not be evaluated: "+err.Error())
}

// valRefType returns the resource type of a relative literal reference ("Patient/123",
// "Patient/123/_history/2"), or "" when ref is not of that form (absolute, a fragment,
// a canonical, a urn).
func valRefType(ref string) string {
	slash := strings.IndexByte(ref, '/')
	if slash <= 0 {
		return ""
	}
	t := ref[:slash]
	if t[0] < 'A' || t[0] > 'Z' {
		return ""
	}
	for i := 1; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return ""
		}
	}
	rest := ref[slash+1:]
	if rest == "" {
		return ""
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		if !strings.HasPrefix(rest[i:], "/_history/") || len(rest) == i+len("/_history/") {
			return ""
		}
		rest = rest[:i]
	}
	if ok, _ := checkID(rest); !ok {
		return ""
	}
	return t
}

// valBadReference reports a reference to a resource type the element does not allow.
func valBadReference(out []Issue, expr, typ, allowed string) []Issue {
	return valAdd(out, valSevError, valCodeInvalid, expr,
		"reference to a "+typ+" where only "+allowed+" is allowed")
}
