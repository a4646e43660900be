package plan

import (
	"strings"

	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/naming"
)

// Validate is the plan of the validators.
type Validate struct {
	// Files are the validator files, one per top-level type, in the model's order.
	Files []*ValidateFile
	// ValueSets maps the canonical of every bound ValueSet to the name of its membership
	// function (valVSAdministrativeGender), named from the URL, not from first use.
	ValueSets map[string]string
	// Invariants are the compiled invariant functions, in the order they were planned.
	Invariants []*Invariant
	// BindingsChecked and BindingsNotCheckable count the required bindings of the
	// fields planned (the coverage note's figures).
	BindingsChecked, BindingsNotCheckable int
	// BindingsWeakChecked counts the extensible and preferred bindings checked (a code
	// outside them is a warning or an information issue); those whose ValueSet the
	// inputs cannot expand are not counted or reported.
	BindingsWeakChecked int
}

// ValueSetFunc returns the name of the membership function of the ValueSet url: the one
// planned for it (ValueSets), or, for a ValueSet bound nowhere the plan looked, one hashed
// from the URL (still stable).
func (v *Validate) ValueSetFunc(url string) string {
	if n, ok := v.ValueSets[url]; ok {
		return n
	}
	return "valVS_" + naming.Hash(url)
}

// ValidateFile is one validator file: a top-level type and its backbones.
type ValidateFile struct {
	Name   string // validate_<type>.gen.go
	Source string // the definition the types come from (for the file header)
	Types  []*TypeChecks
}

// TypeChecks are the checks of one type, field by field.
type TypeChecks struct {
	Type   *ir.Type
	Fields []*FieldChecks // one per field of Type, in its order
	// Root holds the root constraints of a resource or datatype (dom-*, per-1), on an
	// element of the type's own path; nil for a backbone.
	Root *FieldChecks
}

// FieldChecks are the constraints checked on one field.
type FieldChecks struct {
	Field  *ir.Field
	Checks []*Check // the field's constraints with an expression, each key+expression once
	// Binding is how the field's required binding is checked.
	Binding BindingCheck
	// Format, when not "", is the FHIR primitive whose format the value is checked
	// against instead of the field's own type: "id" for a resource's id, which R4's
	// definitions type as System.String (and R4B's and R5's as System.String with the
	// fhir-type id) while the spec makes it an id (resource.html#id).
	Format string
}

// BindingCheck is how a field's required binding is checked, or why it is not.
type BindingCheck int

// How a required binding is checked.
const (
	NoBinding       BindingCheck = iota // no required binding
	EnumBinding                         // a code with an enum type: its Known method
	ValueSetBinding                     // a string code: the ValueSet's membership function
	CodingBinding                       // a Coding or CodeableConcept: the codes' membership
	// NotExpanded is a required binding whose ValueSet has no expansion in the inputs:
	// not checkable (the IR warned: binding-not-expandable).
	NotExpanded
	// OtherType is a required binding on an element of a type other than code, Coding and
	// CodeableConcept (a Quantity, a string): not checkable.
	OtherType
	// ChoiceElement is a required binding on a choice element (value[x]): not checkable.
	ChoiceElement
)

// Checked reports whether the binding is checked.
func (b BindingCheck) Checked() bool {
	return b == EnumBinding || b == ValueSetBinding || b == CodingBinding
}

// bindingCheck decides how fl's binding is checked: a required one, or an extensible or
// preferred one whose ValueSet has an expansion (else NoBinding).
func bindingCheck(fl *ir.Field) BindingCheck {
	if fl.Binding == nil {
		return NoBinding
	}
	if s := fl.Binding.Strength; s == "extensible" || s == "preferred" {
		switch {
		case !fl.Binding.Checkable():
		case fl.Kind == ir.PrimitiveField && fl.Prim.JSON == ir.JSONString:
			return ValueSetBinding
		case fl.Kind == ir.ComplexField && (fl.Type.FHIRName == "Coding" || fl.Type.FHIRName == "CodeableConcept"):
			return CodingBinding
		}
		return NoBinding
	}
	if fl.Binding.Strength != "required" {
		return NoBinding
	}
	switch fl.Kind {
	case ir.PrimitiveField:
		switch {
		case fl.Enum != nil:
			return EnumBinding
		case fl.Binding.Checkable() && fl.Prim.JSON == ir.JSONString:
			return ValueSetBinding
		}
		return NotExpanded
	case ir.ComplexField:
		switch {
		case fl.Type.FHIRName != "Coding" && fl.Type.FHIRName != "CodeableConcept":
			return OtherType
		case !fl.Binding.Checkable():
			return NotExpanded
		}
		return CodingBinding
	case ir.ChoiceField:
		return ChoiceElement
	}
	return NoBinding
}

// Check is one constraint of a field and how it is checked.
type Check struct {
	Constraint *ir.Constraint
	// Native is "ele-1" or "ext-1" for the constraints checked by hand-written code,
	// "xhtml-rules" or "xhtml-content" for htmlChecks() on a narrative div (txt-2, "The
	// narrative SHALL have some non-whitespace content", is the content rule; txt-1 and
	// any other the element, attribute and entity rules); "" for the ones compiled from
	// FHIRPath.
	Native string
	// Invariant is the compiled function of a non-native check; nil when the field's
	// path is no FHIRPath context of the model (ContextErr says why).
	Invariant  *Invariant
	ContextErr error
	// Guard are the fields of the item the check is evaluated only when one of them is
	// present (it holds when they are all empty: see guard); nil for no guard.
	Guard []*ir.Field
}

// Invariant is one compiled invariant function. Checks with the same context (Go type
// and resource) and expression share it.
type Invariant struct {
	// Name is valInv + the context's Go type + the constraint key (+ In + the resource
	// when the type is not the resource's own), with a hash of the key on a clash.
	Name    string
	Context *fhirpath.Context
	// Constraint is the first constraint planned with this function.
	Constraint *ir.Constraint
	// Key is the context Go type, resource and expression, NUL-separated.
	Key string
}

// validatePlanner holds the state of the validate passes.
type validatePlanner struct {
	m     *ir.Model
	v     *Validate
	byKey map[string]*Invariant
	taken map[string]bool
	o     Options
}

func planValidate(m *ir.Model, o Options) *Validate {
	p := &validatePlanner{m: m, o: o, v: &Validate{}, byKey: map[string]*Invariant{}, taken: map[string]bool{}}
	p.valueSets()
	for _, t := range m.TopLevel() {
		f := &ValidateFile{Name: "validate_" + naming.Snake(t.Name) + ".gen.go", Source: t.Source}
		for _, tt := range append([]*ir.Type{t}, m.Backbones(t)...) {
			f.Types = append(f.Types, p.typeChecks(tt))
		}
		p.v.Files = append(p.v.Files, f)
	}
	return p.v
}

// valueSets names the membership function of every bound ValueSet from its URL.
func (p *validatePlanner) valueSets() {
	var urls []string
	for _, t := range p.m.Types {
		for _, fl := range t.Fields {
			if fl.Binding != nil && fl.Binding.ValueSet != "" {
				urls = append(urls, fl.Binding.ValueSet)
			}
		}
	}
	p.v.ValueSets = naming.Stable("valVS", urls, func(u string) string {
		u, _, _ = strings.Cut(u, "|")
		return u[strings.LastIndexByte(u, '/')+1:]
	})
}

// typeChecks plans the checks of t's fields, then of its root constraints.
func (p *validatePlanner) typeChecks(t *ir.Type) *TypeChecks {
	tc := &TypeChecks{Type: t}
	for _, fl := range t.Fields {
		fc := p.fieldChecks(fl)
		if t.Kind == ir.ResourceType && fl.JSONName == "id" && fl.Kind == ir.PrimitiveField && !fl.Array &&
			fl.Prim.FHIRName != "id" {
			fc.Format = "id"
		}
		tc.Fields = append(tc.Fields, fc)
	}
	if t.Kind != ir.BackboneType {
		root := &ir.Field{Path: t.FHIRName, Kind: ir.ComplexField, Type: t, Constraints: p.o.RootConstraints(t)}
		tc.Root = p.fieldChecks(root)
	}
	return tc
}

// fieldChecks plans the constraints of fl: each key and expression once, ele-1 and ext-1
// natively, the others as compiled functions on the context of fl's path.
func (p *validatePlanner) fieldChecks(fl *ir.Field) *FieldChecks {
	fc := &FieldChecks{Field: fl, Binding: bindingCheck(fl)}
	switch {
	case fc.Binding.Checked() && fl.Binding.Strength != "required":
		p.v.BindingsWeakChecked++
	case fc.Binding.Checked():
		p.v.BindingsChecked++
	case fc.Binding != NoBinding:
		p.v.BindingsNotCheckable++
	}
	seen := map[string]bool{}
	for _, c := range fl.Constraints {
		if c.Expression == "" || seen[c.Key+"\x00"+c.Expression] {
			continue
		}
		seen[c.Key+"\x00"+c.Expression] = true
		k := &Check{Constraint: c}
		e := strings.Join(strings.Fields(c.Expression), "")
		switch {
		case strings.Contains(e, "hasValue()or(children().count()>id.count())"):
			k.Native = "ele-1"
		case e == "extension.exists()!=value.exists()":
			k.Native = "ext-1"
		case e == "htmlChecks()" && fl.Kind == ir.PrimitiveField && fl.Prim.FHIRName == "xhtml" && c.Key == "txt-2":
			k.Native = "xhtml-content"
		case e == "htmlChecks()" && fl.Kind == ir.PrimitiveField && fl.Prim.FHIRName == "xhtml":
			k.Native = "xhtml-rules"
		default:
			k.Invariant, k.ContextErr = p.invariant(fl, c)
			k.Guard = guard(fl, c)
		}
		fc.Checks = append(fc.Checks, k)
	}
	return fc
}

// invariant returns the function compiling c on fl's path, shared with the checks
// planned before it with the same context and expression. It is named from stable FHIR
// keys: the context's Go type, the constraint key and, for a datatype compiled within a
// resource (%resource), that resource: valInvBulkDataExportDom3,
// valInvReferenceRef1InPatient. A second, different expression that would get the same
// name (a key reused with another expression on the same type) gets a suffix hashed from
// the expression.
func (p *validatePlanner) invariant(fl *ir.Field, c *ir.Constraint) (*Invariant, error) {
	ctx, err := fhirpath.ContextFor(p.m, fl.Path)
	if err != nil {
		return nil, err
	}
	key := ctx.GoType + "\x00" + ctx.Resource + "\x00" + c.Expression
	if inv, ok := p.byKey[key]; ok {
		return inv, nil
	}
	name := "valInv" + naming.Part(ctx.GoType) + naming.Part(c.Key)
	if ctx.Resource != "" && !strings.HasPrefix(naming.Part(ctx.GoType), ctx.Resource) {
		name += "In" + ctx.Resource
	}
	if p.taken[name] {
		name += "_" + naming.Hash(key)
	}
	p.taken[name] = true
	inv := &Invariant{Name: name, Context: ctx, Constraint: c, Key: key}
	p.byKey[key] = inv
	p.v.Invariants = append(p.v.Invariants, inv)
	return inv, nil
}
