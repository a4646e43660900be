package ir

import "sort"

// lookups index a Model once it is built, so that the emitters and the FHIRPath checker
// ask the model instead of each keeping its own maps.
type lookups struct {
	types map[string]*Type      // by FHIR name, backbones by path
	prims map[string]*Primitive // by FHIR name, the primitives the fields use
	owned map[*Type][]*Type     // top-level type -> its backbones, in model order
}

// index builds the lookups; Build calls it once the set of types is final.
func (m *Model) index() {
	x := &lookups{types: map[string]*Type{}, prims: map[string]*Primitive{}, owned: map[*Type][]*Type{}}
	for _, t := range m.Types {
		x.types[t.FHIRName] = t
		if t.Kind == BackboneType {
			x.owned[t.Owner] = append(x.owned[t.Owner], t)
		}
		for _, f := range t.Fields {
			if f.Prim != nil && !f.Prim.System {
				x.prims[f.Prim.FHIRName] = f.Prim
			}
			if f.Choice == nil {
				continue
			}
			for _, v := range f.Choice.Variants {
				if v.Prim != nil {
					x.prims[v.Prim.Prim.FHIRName] = v.Prim.Prim
				}
			}
		}
	}
	m.lookups = x
}

// Type returns the generated struct type of a FHIR type name ("Meta", "Patient") or
// backbone path ("Patient.contact"), or nil.
func (m *Model) Type(fhirName string) *Type {
	if m.lookups == nil {
		return nil
	}
	return m.lookups.types[fhirName]
}

// Backbones returns the backbone types a top-level type owns, in model order: the
// types generated in its file.
func (m *Model) Backbones(t *Type) []*Type {
	if m.lookups == nil {
		return nil
	}
	return m.lookups.owned[t]
}

// TopLevel returns the types that are not backbones, in model order: one generated file
// each.
func (m *Model) TopLevel() []*Type {
	var out []*Type
	for _, t := range m.Types {
		if t.Kind != BackboneType {
			out = append(out, t)
		}
	}
	return out
}

// Resource returns the generated resource type of that name, or nil.
func (m *Model) Resource(name string) *Type {
	if t := m.Type(name); t != nil && t.Kind == ResourceType {
		return t
	}
	return nil
}

// Primitive returns the primitive type of that FHIR name ("string", "dateTime") when a
// generated field uses it, or nil.
func (m *Model) Primitive(fhirName string) *Primitive {
	if m.lookups == nil {
		return nil
	}
	return m.lookups.prims[fhirName]
}

// IsDefinedResource reports whether the inputs define a concrete resource type of that
// name, generated or not.
func (m *Model) IsDefinedResource(name string) bool {
	i := sort.SearchStrings(m.DefinedResources, name)
	return i < len(m.DefinedResources) && m.DefinedResources[i] == name
}

// Field returns the field of t with that JSON name (the stem for choices: "value"), or
// nil.
func (t *Type) Field(jsonName string) *Field {
	if t == nil {
		return nil
	}
	for _, f := range t.Fields {
		if f.JSONName == jsonName {
			return f
		}
	}
	return nil
}
