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
	// Packages are the FHIR packages read, the inputs and the dependencies they brought,
	// sorted by name (then version).
	Packages []*PackageInfo

	// index maps canonical URLs to definitions for the *ByURL lookups; Load builds it,
	// Reindex rebuilds it after the slices are changed.
	index *defIndex
}

// PackageInfo describes one FHIR package Load read.
type PackageInfo struct {
	Name    string // package.json "name"
	Version string // package.json "version"
	// FHIRVersions is package.json "fhirVersions" (or "fhir-version-list").
	FHIRVersions []string
	// Dependency is set when the package was read only because another package needs it,
	// not because it was named as an input.
	Dependency bool
	// NeededBy are the packages ("name#version") whose dependencies it satisfies, sorted.
	NeededBy []string
	// Source is the package directory or .tgz it was read from, as diagnostics name it.
	Source string
	// MappedFrom is the dependency ("name#version", as a package.json states it) that a
	// packageMap entry made this package; several are ", "-separated; "" when none.
	MappedFrom string
}

// ID returns "name#version".
func (p *PackageInfo) ID() string { return p.Name + "#" + p.Version }

// Canonical holds what every definition resource has: its position and the metadata of
// a canonical resource.
//
// The `fhir` tag of a field names the JSON member the parser reads into it (see
// rparser.fill); a tag option says how: "url" for the resource's url, "max" for a
// maximum cardinality, "pos" for the position of the member's value (of the object
// itself when the name is empty).
type Canonical struct {
	Pos         diag.Pos `fhir:",pos"` // position of the resource object
	ID          string   `fhir:"id"`
	URL         string   `fhir:"url,url"`
	Version     string   `fhir:"version"`
	Name        string   `fhir:"name"`
	Title       string   `fhir:"title"`
	Status      string   `fhir:"status"`
	Description string   `fhir:"description"`
}

// subject returns "<resourceType>/<id or name or url>" for diagnostics.
func (c *Canonical) subject(resourceType string) string {
	return resourceType + "/" + firstNonEmpty(c.ID, c.Name, c.URL)
}

// StructureDefinition is a FHIR StructureDefinition.
type StructureDefinition struct {
	Canonical
	Kind           string               `fhir:"kind"` // primitive-type | complex-type | resource | logical
	Abstract       bool                 `fhir:"abstract"`
	Type           string               `fhir:"type"`
	BaseDefinition string               `fhir:"baseDefinition"`
	Derivation     string               `fhir:"derivation"` // specialization | constraint | "" (base types)
	FHIRVersion    string               `fhir:"fhirVersion"`
	Snapshot       []*ElementDefinition // nil when the definition has no snapshot
	Differential   []*ElementDefinition // nil when the definition has no differential
	// FromPackage is set for a definition read from a FHIR package rather than from the
	// user's own files: what is wrong in it is the publisher's, so some faults (an
	// ill-formed invariant) are warnings there and errors in the user's definitions.
	FromPackage bool
	// Package is the package the definition was read from, as "name#version"; "" for a
	// definition of a file or directory that is not a package.
	Package string
	// Dependency is set when that package was read only as a dependency of another
	// package, not named as an input.
	Dependency bool
}

// Subject returns "StructureDefinition/<id or name>" for diagnostics.
func (s *StructureDefinition) Subject() string {
	return s.subject("StructureDefinition")
}

// ElementDefinition is one element of a snapshot or differential.
type ElementDefinition struct {
	Pos              diag.Pos `fhir:",pos"` // position of the element object
	ID               string   `fhir:"id"`
	Path             string
	SliceName        string `fhir:"sliceName"`
	Short            string `fhir:"short"`
	Definition       string `fhir:"definition"`
	Comment          string `fhir:"comment"`
	Min              int
	MinSet           bool
	Max              string `fhir:"max,max"` // "*", "0", "1", ...; "" when absent
	Base             *ElementBase
	Types            []*TypeRef
	ContentReference string   `fhir:"contentReference"`
	ContentRefPos    diag.Pos `fhir:"contentReference,pos"`
	Binding          *Binding
	Constraints      []*Constraint
	IsModifier       bool `fhir:"isModifier"`
	IsSummary        bool `fhir:"isSummary"`
	MustSupport      bool `fhir:"mustSupport"`
	// Fixed and Pattern are the fixed[x] and pattern[x] values (nil when absent).
	Fixed, Pattern *Value
	Slicing        *Slicing
}

// Value is a fixed[x] or pattern[x] value of an element definition.
type Value struct {
	Pos  diag.Pos // the value (after the member name)
	Type string   // the FHIR type of the [x] suffix, as in the member name: "Uri", "CodeableConcept"
	JSON string   // the value's JSON text
}

// Slicing is ElementDefinition.slicing.
type Slicing struct {
	Pos            diag.Pos `fhir:",pos"`
	Discriminators []*Discriminator
	Description    string `fhir:"description"`
	Ordered        bool   `fhir:"ordered"`
	Rules          string `fhir:"rules"` // closed | open | openAtEnd
}

// Discriminator is one ElementDefinition.slicing.discriminator.
type Discriminator struct {
	Pos  diag.Pos `fhir:",pos"`
	Type string   `fhir:"type"` // value | exists | pattern | type | profile
	Path string   `fhir:"path"`
}

// ElementBase is ElementDefinition.base.
type ElementBase struct {
	Path string `fhir:"path"`
	Min  int    `fhir:"min"`
	Max  string `fhir:"max,max"`
}

// TypeRef is one ElementDefinition.type entry.
type TypeRef struct {
	Pos  diag.Pos `fhir:",pos"`
	Code string   `fhir:"code"` // as written: "string", "Reference", "http://hl7.org/fhirpath/System.String"
	// FHIRType is the value of the structuredefinition-fhir-type extension on the type
	// (valueUrl or valueUri), e.g. "string" or "id" for Element.id; empty when absent.
	FHIRType       string
	Profiles       []string `fhir:"profile"`
	TargetProfiles []string `fhir:"targetProfile"`
}

// Binding is ElementDefinition.binding.
type Binding struct {
	Pos         diag.Pos `fhir:",pos"`
	Strength    string   `fhir:"strength"`
	ValueSet    string   `fhir:"valueSet"` // canonical, possibly "url|version"
	Description string   `fhir:"description"`
	// Name is the elementdefinition-bindingName extension value, when present.
	Name string
}

// Constraint is one ElementDefinition.constraint.
type Constraint struct {
	Pos        diag.Pos `fhir:",pos"` // position of the constraint object
	Key        string   `fhir:"key"`
	Severity   string   `fhir:"severity"`
	Human      string   `fhir:"human"`
	Expression string   `fhir:"expression"`
	ExprPos    diag.Pos `fhir:"expression,pos"` // position of the expression string value (its opening quote)
	XPath      string   `fhir:"xpath"`
	Source     string   `fhir:"source"`
	// FromPackage: the constraint was read from a FHIR package (see StructureDefinition).
	FromPackage bool
}

// SearchParameter is a FHIR SearchParameter.
type SearchParameter struct {
	Canonical
	Code        string   `fhir:"code"`
	Type        string   `fhir:"type"`
	Base        []string `fhir:"base"`
	Target      []string `fhir:"target"`
	Expression  string   `fhir:"expression"`
	ExprPos     diag.Pos `fhir:"expression,pos"`
	XPath       string   `fhir:"xpath"`
	Modifiers   []string `fhir:"modifier"`
	Comparators []string `fhir:"comparator"`
	Components  []*SearchComponent
	// Package is the package the definition was read from, as "name#version"; "" for a
	// definition of a file or directory that is not a package.
	Package string
	// Dependency is set when that package was read only as a dependency of another
	// package, not named as an input.
	Dependency bool
}

// Subject returns "SearchParameter/<id or name>" for diagnostics.
func (s *SearchParameter) Subject() string {
	return s.subject("SearchParameter")
}

// SearchComponent is one SearchParameter.component.
type SearchComponent struct {
	Pos        diag.Pos `fhir:",pos"` // position of the component object
	Definition string   `fhir:"definition"`
	Expression string   `fhir:"expression"`
	ExprPos    diag.Pos `fhir:"expression,pos"` // position of the expression string value (its opening quote)
}

// ValueSet is a FHIR ValueSet.
type ValueSet struct {
	Canonical
	Compose *Compose
	// Expansion holds expansion.contains flattened in order, when the ValueSet carries one.
	Expansion []*ExpansionConcept
	// Package is the package the definition was read from, as "name#version"; "" for a
	// definition of a file or directory that is not a package.
	Package string
	// Dependency is set when that package was read only as a dependency of another
	// package, not named as an input.
	Dependency bool
}

// Subject returns "ValueSet/<id or name>" for diagnostics.
func (v *ValueSet) Subject() string { return v.subject("ValueSet") }

// Compose is ValueSet.compose.
type Compose struct {
	Include []*ConceptSet
	Exclude []*ConceptSet
}

// ConceptSet is one compose.include or compose.exclude entry.
type ConceptSet struct {
	Pos       diag.Pos `fhir:",pos"`
	System    string   `fhir:"system"`
	Version   string   `fhir:"version"`
	Concepts  []*ConceptRef
	Filters   []*Filter
	ValueSets []string `fhir:"valueSet"`
}

// ConceptRef is compose.include.concept.
type ConceptRef struct {
	Code    string `fhir:"code"`
	Display string `fhir:"display"`
}

// Filter is compose.include.filter.
type Filter struct {
	Property string `fhir:"property"`
	Op       string `fhir:"op"`
	Value    string `fhir:"value"`
}

// ExpansionConcept is one expansion.contains entry (nested contains flattened).
type ExpansionConcept struct {
	System  string `fhir:"system"`
	Code    string `fhir:"code"`
	Display string `fhir:"display"`
	// Abstract and Inactive are the entry's flags: an abstract entry only groups the
	// entries nested in it and cannot be used as a code.
	Abstract bool `fhir:"abstract"`
	Inactive bool `fhir:"inactive"`
}

// CodeSystem is a FHIR CodeSystem.
type CodeSystem struct {
	Canonical
	Content          string `fhir:"content"`
	CaseSensitive    bool   `fhir:"caseSensitive"`
	HierarchyMeaning string `fhir:"hierarchyMeaning"`
	// ValueSet is CodeSystem.valueSet: the ValueSet of all codes of this system.
	ValueSet string `fhir:"valueSet"`
	Concepts []*Concept
	// Package is the package the definition was read from, as "name#version"; "" for a
	// definition of a file or directory that is not a package.
	Package string
	// Dependency is set when that package was read only as a dependency of another
	// package, not named as an input.
	Dependency bool
}

// Subject returns "CodeSystem/<id or name>" for diagnostics.
func (c *CodeSystem) Subject() string { return c.subject("CodeSystem") }

// Concept is a CodeSystem concept, with its children.
type Concept struct {
	Code       string `fhir:"code"`
	Display    string `fhir:"display"`
	Definition string `fhir:"definition"`
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
