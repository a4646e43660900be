// Package ir turns loaded FHIR definitions into the model the emitters read: resolved
// types, snapshots, choice types, content references, bindings with their value-set
// expansions, and every Go name. Emitters make up no names and read no JSON.
package ir

import (
	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/load"
)

// Model is what the emitters generate from.
type Model struct {
	FHIRVersion string
	// Types are the struct types (resources, datatypes, backbones), sorted by Go name.
	Types []*Type
	// Resources are the resource types among Types, sorted by FHIR type name.
	Resources []*Type
	// Enums are the code types of required bindings, sorted by Go name.
	Enums []*Enum
	// Choices are the interfaces of choice elements, sorted by Go name.
	Choices []*Choice
	// PrimitiveVariants are the wrappers of primitive types used as choice variants,
	// sorted by Go name.
	PrimitiveVariants []*PrimitiveVariant
	// DefinedResources are the names of every concrete resource type the inputs define,
	// generated or not (a --resources run keeps the others as RawResource), sorted.
	DefinedResources []string
	// Element is the FHIR Element type: the "_x" half of every primitive.
	Element *Type
	// SearchParams are the SearchParameters that apply to a generated resource, sorted by
	// base resource type, then code. Each resource's own list is Type.SearchParams.
	SearchParams []*SearchParam
	// Profiles are the constraint StructureDefinitions generated as profile validators
	// (Config.Profiles), sorted by URL.
	Profiles []*Profile
	// Stats counts what was generated and passed over, for the report.
	Stats Stats

	expand func(canonical string) ([]Code, string, string)

	lookups *lookups // see Type, Primitive
}

// Stats counts definitions for the generation report.
type Stats struct {
	Resources, Datatypes, Backbones, Enums, Choices int
	PassedOver                                      map[string]int // kind → count
}

// TypeKind says what a struct type stands for.
type TypeKind int

// Kinds of struct types.
const (
	ResourceType TypeKind = iota
	DatatypeType
	BackboneType
)

// Type is a generated struct.
type Type struct {
	Name     string // Go name
	FHIRName string // "BulkDataExport", "Meta", or the path of a backbone ("BulkDataExport.output")
	Kind     TypeKind
	URL      string // canonical of the StructureDefinition (of the owner, for backbones)
	Doc      string
	Pos      diag.Pos
	Source   string // file the definition came from
	Fields   []*Field
	Owner    *Type // the resource or datatype a backbone belongs to
	// Abstract datatypes (Element) are generated because primitives need them.
	Abstract bool
	// SearchParams are the SearchParameters of a resource (its own and those of
	// Resource/DomainResource), sorted by code.
	SearchParams []*SearchParam
	// Base is the FHIR type this resource derives from ("DomainResource", "Resource").
	Base string
	// RootConstraints are the invariants of a resource or datatype as a whole (dom-*,
	// per-1, ...): its root element's, plus those of its bases' root elements that it does
	// not list itself (custom resources often omit the dom-* rules they inherit).
	RootConstraints []*Constraint
}

// Constraint is one invariant (ElementDefinition.constraint) as the emitters read it.
type Constraint struct {
	Key        string // "dom-3", "bde-1"
	Severity   string // "error" | "warning"
	Human      string
	Expression string   // FHIRPath; "" when the definition gives none
	Expr       Parsed   // Expression parsed (once per distinct text in a build)
	Pos        diag.Pos // the constraint object
	ExprPos    diag.Pos // the expression string value (its opening quote)
	Source     string   // canonical of the StructureDefinition that declares it
	// FromPackage: the constraint was read from a FHIR package, not a loose file.
	FromPackage bool
}

// FieldKind says how a field is represented.
type FieldKind int

// Kinds of fields.
const (
	PrimitiveField FieldKind = iota
	ComplexField             // a datatype or backbone struct
	ResourceField            // the Resource interface (contained, Bundle.entry.resource)
	ChoiceField              // a choice interface
)

// Field is one element of a type.
type Field struct {
	Name     string // Go name
	JSONName string // JSON member name; for choices, the stem ("value")
	Path     string // FHIR path ("BulkDataExport.status")
	Doc      string
	Pos      diag.Pos
	Min      int
	Max      int // -1 for "*"
	Array    bool
	Kind     FieldKind
	Prim     *Primitive // PrimitiveField
	Type     *Type      // ComplexField
	Choice   *Choice    // ChoiceField
	Enum     *Enum      // PrimitiveField with a required binding to an expandable ValueSet
	// ExtName is the Go name of the sibling field holding the "_x" half ("" when the
	// primitive is a System type that cannot carry extensions, like Element.id).
	ExtName string
	Binding *Binding
	// Constraints are the element's invariants, as its definition lists them.
	Constraints []*Constraint
	// Summary: the element is part of the _summary=true view (isSummary).
	Summary bool
	// ReferenceTargets are the targetProfile canonicals of the element's Reference types,
	// as written (nil when none names a target).
	ReferenceTargets []string
}

// Binding is a field's terminology binding.
type Binding struct {
	Strength string
	ValueSet string // canonical as written
	// Expansion is nil when the ValueSet cannot be expanded from the inputs.
	Expansion []Code
	Reason    string // why Expansion is nil
	// Terminology, when Expansion is nil, is the code system of a ValueSet that is the whole
	// of one of the terminologies the validators check by grammar or table without a
	// terminology server (BuiltinTerminologies): urn:ietf:bcp:47, urn:ietf:bcp:13,
	// http://unitsofmeasure.org, urn:iso:std:iso:4217, urn:iso:std:iso:3166.
	Terminology string
	// Also are codes the element's own definition allows beside the ValueSet's
	// (BindingAllowances).
	Also []string
}

// BindingAllowances are codes an element's definition allows beside those of its bound
// ValueSet, by element path. CapabilityStatement.format is bound (required) to the MIME
// types, and its definition says: "'xml', 'json' and 'ttl' are allowed, which describe
// the simple encodings described in the specification (and imply appropriate bundle
// support). Otherwise, mime types are legal here." (R4, R4B and R5 alike.)
var BindingAllowances = map[string][]string{
	"CapabilityStatement.format": {"xml", "json", "ttl"},
}

// Checkable reports whether the binding's codes can be checked: the ValueSet has an
// expansion or is a built-in terminology.
func (b *Binding) Checkable() bool { return b.Expansion != nil || b.Terminology != "" }

// BuiltinTerminologies are the code systems whose codes the generated validators check
// by grammar or table (templates/support/terminology.go), mapped to the support function.
var BuiltinTerminologies = map[string]string{
	"urn:ietf:bcp:47":           "checkLanguageTag",
	"urn:ietf:bcp:13":           "checkMimeType",
	"http://unitsofmeasure.org": "checkUCUM",
	"urn:iso:std:iso:4217":      "checkCurrency",
	"urn:iso:std:iso:3166":      "checkCountry",
}

// JSONKind is how a primitive is written in JSON.
type JSONKind int

// JSON kinds of primitives.
const (
	JSONString  JSONKind = iota // string, code, uri, date, ...
	JSONBool                    // boolean
	JSONInt32                   // integer, positiveInt, unsignedInt
	JSONInt64                   // integer64, written as a JSON string
	JSONDecimal                 // decimal, kept as literal text
)

// Primitive is a FHIR primitive type (or a FHIRPath System type).
type Primitive struct {
	FHIRName string // "string", "dateTime", "System.String"
	JSON     JSONKind
	System   bool // a System.* type: no "_x" sibling
}

// Choice is the interface of a choice element ([x]).
type Choice struct {
	Name     string // Go interface name ("ExtensionValue")
	Marker   string // unexported marker method ("isExtensionValue")
	Path     string // "Extension.value[x]"
	Doc      string
	Variants []*Variant
}

// Variant is one allowed type of a choice.
type Variant struct {
	TypeCode string // FHIR type code ("Quantity", "string")
	Suffix   string // JSON member suffix ("Quantity", "String")
	Type     *Type  // complex variant
	Prim     *PrimitiveVariant
}

// GoType returns the Go type name of the variant (a pointer is implied).
func (v *Variant) GoType() string {
	if v.Type != nil {
		return v.Type.Name
	}
	return v.Prim.Name
}

// PrimitiveVariant is the wrapper struct of a primitive used in choices ("StringValue").
type PrimitiveVariant struct {
	Name string
	Prim *Primitive
}

// Enum is the Go string type of a required binding on a code element.
type Enum struct {
	Name     string
	ValueSet string // canonical URL
	VSName   string
	Doc      string
	Codes    []Code
}

// Code is one code of an expansion.
type Code struct {
	System  string
	Code    string
	Display string
	Const   string // Go constant name, for enums
}

type (
	loadConceptRef = load.ConceptRef
	loadFilter     = load.Filter
	loadConcept    = load.Concept
)

// Pos0 is the position of diagnostics that concern the run rather than one definition.
var Pos0 = diag.Pos{}

// SearchParam is a SearchParameter that applies to at least one generated resource.
type SearchParam struct {
	URL         string
	Code        string
	Name        string
	Type        string // number | date | string | token | reference | composite | quantity | uri | special
	Description string
	// Expression is the FHIRPath expression; empty for parameters without one (they are
	// reported and not indexed).
	Expression  string
	Expr        Parsed // Expression parsed
	XPath       string
	Base        []string // as written
	Target      []string
	Modifiers   []string
	Comparators []string
	Components  []*SearchComponent
	Pos         diag.Pos
	ExprPos     diag.Pos
	Subject     string // "SearchParameter/<id>" for diagnostics
	// Resources are the generated resource types the parameter applies to, sorted by name.
	Resources []*Type
}

// SearchComponent is one component of a composite SearchParameter.
type SearchComponent struct {
	Definition string       // canonical of the component's SearchParameter
	Param      *SearchParam // nil when the inputs do not define it (reported as a warning)
	Expression string       // relative to each item of the composite's expression
	Expr       Parsed       // Expression parsed
	Pos        diag.Pos
}

// Parsed is a FHIRPath expression of the definitions after parsing: ir.Build parses each
// distinct expression text once, and every stage after it reads the tree from here.
type Parsed struct {
	// Node is the syntax tree; nil when the text is empty or does not parse.
	Node syntax.Node
	// Err is the *syntax.SyntaxError of a text that does not parse.
	Err error
}
