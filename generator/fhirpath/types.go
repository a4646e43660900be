package fhirpath

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fhirgen/fhirgen/generator/ir"
)

// Kind says what a FHIRPath type stands for.
type Kind int

// Kinds of types.
const (
	KStruct   Kind = iota // a generated struct: datatype, backbone element or resource type
	KResource             // any resource (the generated Resource interface)
	KPrim                 // a FHIR primitive type (string, code, dateTime, ...)
	KSystem               // a FHIRPath System type (Boolean, String, Integer, Decimal, Date, ...)
)

// Type is the type of the items of a collection.
type Type struct {
	Kind   Kind
	Def    *ir.Type      // KStruct
	Prim   *ir.Primitive // KPrim
	System string        // KSystem: Boolean, String, Integer, Long, Decimal, Date, DateTime, Time
}

// Name returns the FHIR type name ("Patient", "Patient.contact", "string", "Resource") or
// "System.X".
func (t *Type) Name() string {
	switch t.Kind {
	case KStruct:
		return t.Def.FHIRName
	case KResource:
		return "Resource"
	case KPrim:
		return t.Prim.FHIRName
	}
	return "System." + t.System
}

// Typed is the static type of a collection: the types its items may have and whether it
// holds at most one item.
type Typed struct {
	Types  []*Type
	Single bool
	// Choice is set when the items are the values of one choice element: the Go items are
	// then of the choice interface type.
	Choice *ir.Choice
}

// String prints the type as "T", "collection of T" or "(A | B)".
func (t *Typed) String() string {
	var names []string
	for _, x := range t.Types {
		names = append(names, x.Name())
	}
	s := strings.Join(names, " | ")
	if len(names) == 0 {
		s = "empty"
	} else if len(names) > 1 {
		s = "(" + s + ")"
	}
	if !t.Single {
		s = "collection of " + s
	}
	return s
}

// Has reports whether one of the item types is named name.
func (t *Typed) Has(name string) bool {
	for _, x := range t.Types {
		if x.Name() == name {
			return true
		}
	}
	return false
}

// IsBoolean reports whether the items are Booleans.
func (t *Typed) IsBoolean() bool {
	return len(t.Types) > 0 && allTypes(t.Types, func(x *Type) bool { return goType(x) == "bool" })
}

func anyTypes(ts []*Type, f func(*Type) bool) bool {
	for _, t := range ts {
		if f(t) {
			return true
		}
	}
	return false
}

func allTypes(ts []*Type, f func(*Type) bool) bool {
	for _, t := range ts {
		if !f(t) {
			return false
		}
	}
	return true
}

// ErrorKind classifies check errors.
type ErrorKind int

// Kinds of check errors.
const (
	// ErrInvalid is an expression that does not type-check: an unknown element, function or
	// type, or arguments of the wrong type.
	ErrInvalid ErrorKind = iota
	// ErrRootMismatch is an expression whose root type names (Patient in Patient.name) all
	// differ from the context type: it is empty wherever it is used. Callers report it as a
	// warning (an ill-formed definition, such as R4's SearchParameter example-extension).
	ErrRootMismatch
	// ErrUnknownType is an is/as/ofType naming a type the model does not define (such as
	// an R4B resource in an R4 package): the test is compiled as false. Callers report it
	// as a warning.
	ErrUnknownType
	// ErrUnknownElement is a path naming an element its type does not have (R4's cid-0
	// navigates ChargeItemDefinition.name, which does not exist): per FHIRPath it selects
	// nothing, so it is compiled as empty. Callers report it as a warning.
	ErrUnknownElement
	// ErrUnsupported is valid FHIRPath that the compiler does not translate.
	ErrUnsupported
	// ErrNoElement is a path naming an element that no type its focus may have has, where
	// the focus is not only FHIR structures (a choice, a resource of any type): an error,
	// as ErrInvalid, that callers may tell apart (a search branch written for another
	// resource).
	ErrNoElement
)

// CheckError is a type error in an expression, at a byte offset of its text.
type CheckError struct {
	Offset int
	Kind   ErrorKind
	Msg    string
}

// Error returns "at offset N: msg".
func (e *CheckError) Error() string { return fmt.Sprintf("at offset %d: %s", e.Offset, e.Msg) }

// IsWarning reports whether err is a *CheckError of a kind callers report as a warning,
// the function still compiled: ErrRootMismatch, ErrUnknownType, ErrUnknownElement.
func IsWarning(err error) bool {
	var ce *CheckError
	if !errors.As(err, &ce) {
		return false
	}
	switch ce.Kind {
	case ErrRootMismatch, ErrUnknownType, ErrUnknownElement:
		return true
	}
	return false
}

// Context is where an expression is evaluated.
type Context struct {
	Model *ir.Model
	// Type is the type of the context item ($this at the root, %context).
	Type *Typed
	// GoType is the Go type of the compiled function's context parameter.
	GoType string
	// Resource is the type of %resource ("" when it can be any resource).
	Resource string
}

// abstractResources are the abstract resource types: a root name of one of them matches
// every resource.
var abstractResources = map[string]bool{
	"Resource": true, "DomainResource": true, "CanonicalResource": true, "MetadataResource": true,
}

// abstractElements are abstract datatypes not generated as structs: contexts of their
// constraints are typed as Element.
var abstractElements = map[string]bool{
	"Element": true, "BackboneElement": true, "DataType": true, "BackboneType": true,
	"PrimitiveType": true, "Base": true,
}

// model is the checker's view of an ir.Model: its lookups and type resolution.
type model struct {
	m *ir.Model
}

// isResourceName reports whether the inputs define a concrete resource type of that name.
func (x *model) isResourceName(name string) bool { return x.m.IsDefinedResource(name) }

func indexModel(m *ir.Model) *model { return &model{m: m} }

// systemTypes are the FHIRPath System types (Quantity is the FHIR Quantity struct).
var systemTypes = map[string]bool{
	"Boolean": true, "String": true, "Integer": true, "Long": true, "Decimal": true,
	"Date": true, "DateTime": true, "Time": true,
}

// lookupType resolves a type name as written in ofType/is/as or a context path.
func (x *model) lookupType(ns, name string) *Type {
	if ns == "System" || (ns == "" && systemTypes[name]) {
		if systemTypes[name] {
			return &Type{Kind: KSystem, System: name}
		}
		if name == "Quantity" {
			ns = ""
		} else {
			return nil
		}
	}
	if ns != "" && ns != "FHIR" {
		return nil
	}
	if t := x.m.Type(name); t != nil {
		return &Type{Kind: KStruct, Def: t}
	}
	if p := x.m.Primitive(name); p != nil {
		return &Type{Kind: KPrim, Prim: p}
	}
	if abstractResources[name] {
		return &Type{Kind: KResource}
	}
	if abstractElements[name] && x.m.Element != nil {
		return &Type{Kind: KStruct, Def: x.m.Element}
	}
	if isPrimName(name) {
		return &Type{Kind: KPrim, Prim: &ir.Primitive{FHIRName: name, JSON: primJSON(name)}}
	}
	return nil
}

func isPrimName(n string) bool {
	switch n {
	case "boolean", "integer", "integer64", "string", "decimal", "uri", "url", "canonical",
		"base64Binary", "instant", "date", "dateTime", "time", "code", "oid", "id", "markdown",
		"unsignedInt", "positiveInt", "uuid", "xhtml":
		return true
	}
	return false
}

func primJSON(n string) ir.JSONKind {
	switch n {
	case "boolean":
		return ir.JSONBool
	case "integer", "unsignedInt", "positiveInt":
		return ir.JSONInt32
	case "integer64":
		return ir.JSONInt64
	case "decimal":
		return ir.JSONDecimal
	}
	return ir.JSONString
}

// fieldTypes returns the item types of a field.
func fieldTypes(f *ir.Field) []*Type {
	switch f.Kind {
	case ir.PrimitiveField:
		if f.Prim.System {
			return []*Type{{Kind: KSystem, System: strings.TrimPrefix(f.Prim.FHIRName, "System.")}}
		}
		return []*Type{{Kind: KPrim, Prim: f.Prim}}
	case ir.ComplexField:
		return []*Type{{Kind: KStruct, Def: f.Type}}
	case ir.ResourceField:
		return []*Type{{Kind: KResource}}
	}
	var out []*Type
	for _, v := range f.Choice.Variants {
		out = append(out, variantType(v))
	}
	return out
}

func variantType(v *ir.Variant) *Type {
	if v.Type != nil {
		return &Type{Kind: KStruct, Def: v.Type}
	}
	return &Type{Kind: KPrim, Prim: v.Prim.Prim}
}

// addTypes appends the types of b not in a (by name).
func addTypes(a []*Type, b ...*Type) []*Type {
	for _, t := range b {
		dup := false
		for _, x := range a {
			if sameType(x, t) {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, t)
		}
	}
	return a
}

func sameType(a, b *Type) bool { return a.Kind == b.Kind && a.Name() == b.Name() }

// goType returns the Go type of items of type t in compiled code.
func goType(t *Type) string {
	switch t.Kind {
	case KStruct:
		return "*" + t.Def.Name
	case KResource:
		return "Resource"
	case KPrim:
		switch t.Prim.JSON {
		case ir.JSONBool:
			return "bool"
		case ir.JSONInt32, ir.JSONInt64:
			return "int64"
		case ir.JSONDecimal:
			return "Decimal"
		}
		return "string"
	}
	switch t.System {
	case "Boolean":
		return "bool"
	case "Integer", "Long":
		return "int64"
	case "Decimal":
		return "Decimal"
	}
	return "string"
}

// elemType returns the Go item type of a collection of type t.
func elemType(t *Typed) string {
	if t.Choice != nil {
		return t.Choice.Name
	}
	if len(t.Types) == 0 {
		return "any"
	}
	g := goType(t.Types[0])
	same, res := true, true
	for _, x := range t.Types {
		if goType(x) != g {
			same = false
		}
		if !isResource(x) {
			res = false
		}
	}
	switch {
	case same:
		return g
	case res:
		return "Resource"
	}
	return "any"
}

func isResource(t *Type) bool {
	return t.Kind == KResource || t.Kind == KStruct && t.Def.Kind == ir.ResourceType
}

func isPrimitive(t *Type) bool { return t.Kind == KPrim || t.Kind == KSystem }

// dateKind returns "date", "dateTime", "instant" or "time" for date and time types, "".
func dateKind(t *Type) string {
	switch t.Name() {
	case "date", "System.Date":
		return "date"
	case "dateTime", "System.DateTime":
		return "dateTime"
	case "instant":
		return "instant"
	case "time", "System.Time":
		return "time"
	}
	return ""
}

func isDecimal(t *Type) bool { return goType(t) == "Decimal" }
func isInteger(t *Type) bool { return isPrimitive(t) && goType(t) == "int64" }

// ContextFor returns the context of expressions evaluated on the elements at a FHIR path:
// a type name ("Patient", "Quantity", "Resource" for any resource) or an element path
// ("Patient.contact", "Observation.value[x]", "Patient.birthDate").
func ContextFor(m *ir.Model, path string) (*Context, error) {
	x := indexModel(m)
	parts := strings.Split(path, ".")
	root := x.lookupType("", parts[0])
	if root == nil {
		return nil, fmt.Errorf("unknown type %s", parts[0])
	}
	res := ""
	if root.Kind == KStruct && root.Def.Kind == ir.ResourceType {
		res = root.Def.FHIRName
	}
	t := &Typed{Types: []*Type{root}, Single: true}
	for i := 1; i < len(parts); i++ {
		if d := m.Type(strings.Join(parts[:i+1], ".")); d != nil {
			t = &Typed{Types: []*Type{{Kind: KStruct, Def: d}}, Single: true}
			continue
		}
		name := strings.TrimSuffix(parts[i], "[x]")
		var f *ir.Field
		switch {
		case len(t.Types) == 1 && t.Types[0].Kind == KStruct:
			f = t.Types[0].Def.Field(name)
		case len(t.Types) == 1 && t.Types[0].Kind == KResource:
			for _, r := range m.Resources {
				if f = r.Field(name); f != nil {
					break
				}
			}
		default:
			// a choice constrained by a profile (Observation.value[x].code): the element
			// of the variant that has it
			for _, vt := range t.Types {
				if vt.Kind == KStruct {
					if f = vt.Def.Field(name); f != nil {
						break
					}
				}
			}
		}
		if f == nil && allTypes(t.Types, isPrimitive) && m.Element != nil {
			f = m.Element.Field(name) // string.extension
		}
		if f == nil && i == 1 && (abstractElements[parts[0]] || abstractResources[parts[0]]) {
			// an element of an abstract type (BackboneElement.modifierExtension): the
			// same element of any type that has it
			for _, d := range m.Types {
				if f = d.Field(name); f != nil {
					break
				}
			}
		}
		if f == nil {
			return nil, fmt.Errorf("%s: no element %s on %s", path, name, t.Types[0].Name())
		}
		t = &Typed{Types: fieldTypes(f), Single: true}
		if f.Choice != nil {
			t.Choice = f.Choice
		}
	}
	return &Context{Model: m, Type: t, GoType: elemType(t), Resource: res}, nil
}
