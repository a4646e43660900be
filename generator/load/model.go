// Package load finds FHIR definitions in the inputs (bundles, single resources, directories,
// FHIR packages as directories or .tgz) and reads them into FHIR-shaped structs that keep the
// byte position of everything, so later stages can report `file:line:col`.
//
// The loader invents no Go names and drops nothing silently: every file or resource it passes
// over is reported as a note of a stable kind.
package load

import "github.com/fhirgen/fhirgen/generator/diag"

// Definitions is everything the inputs define that fhirgen uses. Every slice is sorted by
// canonical URL (then version), whatever the order of files, bundle entries or inputs.
type Definitions struct {
	Structures   []*StructureDefinition
	SearchParams []*SearchParameter
	ValueSets    []*ValueSet
	CodeSystems  []*CodeSystem
	// FHIRVersion is the version the inputs state (package.json "fhirVersions", or the
	// definitions' fhirVersion when they all agree); empty when none is stated.
	FHIRVersion string

	// index maps canonical URLs to definitions for the *ByURL lookups; Load builds it,
	// Reindex rebuilds it after the slices are changed.
	index *defIndex
}

// StructureDefinition is a FHIR StructureDefinition.
type StructureDefinition struct {
	Pos            diag.Pos // position of the resource object
	ID             string
	URL            string
	Version        string
	Name           string
	Title          string
	Status         string
	Kind           string // primitive-type | complex-type | resource | logical
	Abstract       bool
	Type           string
	BaseDefinition string
	Derivation     string // specialization | constraint | "" (base types)
	FHIRVersion    string
	Description    string
	Snapshot       []*ElementDefinition // nil when the definition has no snapshot
	Differential   []*ElementDefinition // nil when the definition has no differential
	// FromPackage is set for a definition read from a FHIR package rather than from the
	// user's own files: what is wrong in it is the publisher's, so some faults (an
	// ill-formed invariant) are warnings there and errors in the user's definitions.
	FromPackage bool
}

// Subject returns "StructureDefinition/<id or name>" for diagnostics.
func (s *StructureDefinition) Subject() string {
	return "StructureDefinition/" + firstNonEmpty(s.ID, s.Name, s.URL)
}

// ElementDefinition is one element of a snapshot or differential.
type ElementDefinition struct {
	Pos              diag.Pos // position of the element object
	ID               string
	Path             string
	SliceName        string
	Short            string
	Definition       string
	Comment          string
	Min              int
	MinSet           bool
	Max              string // "*", "0", "1", ...; "" when absent
	Base             *ElementBase
	Types            []*TypeRef
	ContentReference string
	ContentRefPos    diag.Pos
	Binding          *Binding
	Constraints      []*Constraint
	IsModifier       bool
	IsSummary        bool
}

// ElementBase is ElementDefinition.base.
type ElementBase struct {
	Path string
	Min  int
	Max  string
}

// TypeRef is one ElementDefinition.type entry.
type TypeRef struct {
	Pos  diag.Pos
	Code string // as written: "string", "Reference", "http://hl7.org/fhirpath/System.String"
	// FHIRType is the value of the structuredefinition-fhir-type extension on the type
	// (valueUrl or valueUri), e.g. "string" or "id" for Element.id; empty when absent.
	FHIRType       string
	Profiles       []string
	TargetProfiles []string
}

// Binding is ElementDefinition.binding.
type Binding struct {
	Pos         diag.Pos
	Strength    string
	ValueSet    string // canonical, possibly "url|version"
	Description string
	// Name is the elementdefinition-bindingName extension value, when present.
	Name string
}

// Constraint is one ElementDefinition.constraint.
type Constraint struct {
	Pos        diag.Pos
	Key        string
	Severity   string
	Human      string
	Expression string
	ExprPos    diag.Pos // position of the expression string value (its opening quote)
	XPath      string
	Source     string
	// FromPackage: the constraint was read from a FHIR package (see StructureDefinition).
	FromPackage bool
}

// SearchParameter is a FHIR SearchParameter.
type SearchParameter struct {
	Pos         diag.Pos
	ID          string
	URL         string
	Version     string
	Name        string
	Code        string
	Type        string
	Description string
	Base        []string
	Target      []string
	Expression  string
	ExprPos     diag.Pos
	XPath       string
	Modifiers   []string
	Comparators []string
	Components  []*SearchComponent
}

// Subject returns "SearchParameter/<id or name>" for diagnostics.
func (s *SearchParameter) Subject() string {
	return "SearchParameter/" + firstNonEmpty(s.ID, s.Name, s.URL)
}

// SearchComponent is one SearchParameter.component.
type SearchComponent struct {
	Pos        diag.Pos
	Definition string
	Expression string
	ExprPos    diag.Pos // position of the expression string value (its opening quote)
}

// ValueSet is a FHIR ValueSet.
type ValueSet struct {
	Pos         diag.Pos
	ID          string
	URL         string
	Version     string
	Name        string
	Title       string
	Description string
	Compose     *Compose
	// Expansion holds expansion.contains flattened in order, when the ValueSet carries one.
	Expansion []*ExpansionConcept
}

// Subject returns "ValueSet/<id or name>" for diagnostics.
func (v *ValueSet) Subject() string { return "ValueSet/" + firstNonEmpty(v.ID, v.Name, v.URL) }

// Compose is ValueSet.compose.
type Compose struct {
	Include []*ConceptSet
	Exclude []*ConceptSet
}

// ConceptSet is one compose.include or compose.exclude entry.
type ConceptSet struct {
	Pos       diag.Pos
	System    string
	Version   string
	Concepts  []*ConceptRef
	Filters   []*Filter
	ValueSets []string
}

// ConceptRef is compose.include.concept.
type ConceptRef struct {
	Code    string
	Display string
}

// Filter is compose.include.filter.
type Filter struct {
	Property string
	Op       string
	Value    string
}

// ExpansionConcept is one expansion.contains entry (nested contains flattened).
type ExpansionConcept struct {
	System  string
	Code    string
	Display string
	// Abstract and Inactive are the entry's flags: an abstract entry only groups the
	// entries nested in it and cannot be used as a code.
	Abstract bool
	Inactive bool
}

// CodeSystem is a FHIR CodeSystem.
type CodeSystem struct {
	Pos              diag.Pos
	ID               string
	URL              string
	Version          string
	Name             string
	Title            string
	Description      string
	Content          string
	CaseSensitive    bool
	HierarchyMeaning string
	// ValueSet is CodeSystem.valueSet: the ValueSet of all codes of this system.
	ValueSet string
	Concepts []*Concept
}

// Subject returns "CodeSystem/<id or name>" for diagnostics.
func (c *CodeSystem) Subject() string { return "CodeSystem/" + firstNonEmpty(c.ID, c.Name, c.URL) }

// Concept is a CodeSystem concept, with its children.
type Concept struct {
	Code       string
	Display    string
	Definition string
	Concepts   []*Concept
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
