package load

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// How the parser reads a definition into the structs of model.go: a member of a JSON
// object goes to the struct field whose `fhir` tag names it (see Canonical), read as the
// field's Go type says; the members that need more (nested objects, extensions) have a
// reader in shapes. One function, fill, walks every object.

// shape is how fill reads into one struct type.
type shape struct {
	fields  map[string][]member // by JSON member name; "" for the object itself
	readers map[string]reader   // the members that are not plain fields
}

// member is how fill reads one JSON member into a struct field.
type member struct {
	index []int  // the field, for reflect.Value.FieldByIndex
	how   string // the tag option: "", "url", "max" or "pos"
}

// reader reads member f into x, a pointer to the struct being filled.
type reader func(p *rparser, x any, f gjson.Result)

// on makes a reader from a function of the struct it fills.
func on[T any](read func(p *rparser, x *T, f gjson.Result)) reader {
	return func(p *rparser, x any, f gjson.Result) { read(p, x.(*T), f) }
}

// shapes are the structs the parser fills, worked out once; read-only. The parser reaches
// them through rparser.shapes (a reader calling fill would otherwise make an
// initialization cycle).
var shapes = makeShapes(map[reflect.Type]map[string]reader{
	reflect.TypeFor[StructureDefinition](): {
		"snapshot": on(func(p *rparser, sd *StructureDefinition, f gjson.Result) {
			sd.Snapshot = p.elements(f, "snapshot")
		}),
		"differential": on(func(p *rparser, sd *StructureDefinition, f gjson.Result) {
			sd.Differential = p.elements(f, "differential")
		}),
	},
	reflect.TypeFor[ElementDefinition](): {
		"min": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			ed.Min, ed.MinSet = p.integer(f, "min")
		}),
		"base": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			p.object(f, "base", func(o gjson.Result) {
				ed.Base = &ElementBase{}
				p.fill(o, ed.Base)
			})
		}),
		"type": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			p.objects(f, "type", func(o gjson.Result) { ed.Types = append(ed.Types, p.typeRef(o)) })
		}),
		"binding": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			p.object(f, "binding", func(o gjson.Result) {
				ed.Binding = &Binding{}
				p.fill(o, ed.Binding)
			})
		}),
		"constraint": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			ed.Constraints = fillEach[Constraint](p, f, "constraint")
		}),
		"slicing": on(func(p *rparser, ed *ElementDefinition, f gjson.Result) {
			p.object(f, "slicing", func(o gjson.Result) {
				ed.Slicing = &Slicing{}
				p.fill(o, ed.Slicing)
			})
		}),
	},
	reflect.TypeFor[Slicing](): {
		"discriminator": on(func(p *rparser, s *Slicing, f gjson.Result) {
			s.Discriminators = fillEach[Discriminator](p, f, "discriminator")
		}),
	},
	reflect.TypeFor[TypeRef](): {
		"extension": on(func(p *rparser, tr *TypeRef, f gjson.Result) {
			p.extensions(f, func(url string, ext gjson.Result) {
				if url == extFHIRType {
					tr.FHIRType = p.extString(ext, "valueUrl", "valueUri")
				}
			})
		}),
	},
	reflect.TypeFor[Binding](): {
		"extension": on(func(p *rparser, b *Binding, f gjson.Result) {
			p.extensions(f, func(url string, ext gjson.Result) {
				if url == extBindingName {
					b.Name = p.extString(ext, "valueString")
				}
			})
		}),
	},
	reflect.TypeFor[SearchParameter](): {
		"component": on(func(p *rparser, sp *SearchParameter, f gjson.Result) {
			sp.Components = fillEach[SearchComponent](p, f, "component")
		}),
	},
	reflect.TypeFor[ValueSet](): {
		"compose": on(func(p *rparser, vs *ValueSet, f gjson.Result) {
			p.object(f, "compose", func(o gjson.Result) {
				vs.Compose = &Compose{}
				p.fill(o, vs.Compose)
			})
		}),
		"expansion": on(func(p *rparser, vs *ValueSet, f gjson.Result) {
			p.object(f, "expansion", func(o gjson.Result) {
				vs.Expansion = []*ExpansionConcept{}
				p.contains(o, &vs.Expansion)
			})
		}),
	},
	reflect.TypeFor[Compose](): {
		"include": on(func(p *rparser, c *Compose, f gjson.Result) { c.Include = fillEach[ConceptSet](p, f, "include") }),
		"exclude": on(func(p *rparser, c *Compose, f gjson.Result) { c.Exclude = fillEach[ConceptSet](p, f, "exclude") }),
	},
	reflect.TypeFor[ConceptSet](): {
		"concept": on(func(p *rparser, cs *ConceptSet, f gjson.Result) { cs.Concepts = fillEach[ConceptRef](p, f, "concept") }),
		"filter":  on(func(p *rparser, cs *ConceptSet, f gjson.Result) { cs.Filters = fillEach[Filter](p, f, "filter") }),
	},
	reflect.TypeFor[CodeSystem](): {
		"concept": on(func(p *rparser, cs *CodeSystem, f gjson.Result) { cs.Concepts = fillEach[Concept](p, f, "concept") }),
	},
	reflect.TypeFor[Concept](): {
		"concept": on(func(p *rparser, c *Concept, f gjson.Result) { c.Concepts = fillEach[Concept](p, f, "concept") }),
	},
}, StructureDefinition{}, ElementBase{}, Constraint{}, Discriminator{}, SearchComponent{}, ConceptRef{}, Filter{}, ExpansionConcept{})

// makeShapes returns the shapes of the structs with readers and of the plain ones.
func makeShapes(readers map[reflect.Type]map[string]reader, plain ...any) map[reflect.Type]*shape {
	out := map[reflect.Type]*shape{}
	for _, x := range plain {
		readers[reflect.TypeOf(x)] = readers[reflect.TypeOf(x)]
	}
	for t, rs := range readers {
		sh := &shape{fields: map[string][]member{}, readers: rs}
		for _, f := range reflect.VisibleFields(t) {
			if tag, ok := f.Tag.Lookup("fhir"); ok {
				name, how, _ := strings.Cut(tag, ",")
				sh.fields[name] = append(sh.fields[name], member{index: f.Index, how: how})
			}
		}
		out[t] = sh
	}
	return out
}

// fill reads the members of the JSON object v into the struct dst points to (see shape).
// Members the struct has no field or reader for are ignored.
func (p *rparser) fill(v gjson.Result, dst any) {
	rv := reflect.ValueOf(dst).Elem()
	sh := p.shapes[rv.Type()]
	if sh == nil {
		panic("load: no shape for " + rv.Type().String())
	}
	for _, m := range sh.fields[""] {
		p.set(rv.FieldByIndex(m.index), m.how, "", v)
	}
	v.ForEach(func(k, f gjson.Result) bool {
		if read, ok := sh.readers[k.Str]; ok {
			read(p, dst, f)
			return true
		}
		for _, m := range sh.fields[k.Str] {
			p.set(rv.FieldByIndex(m.index), m.how, k.Str, f)
		}
		if ed, ok := dst.(*ElementDefinition); ok {
			p.choiceValue(ed, k.Str, f)
		}
		return true
	})
}

// choiceValue reads fixed[x] and pattern[x] members of an element definition.
func (p *rparser) choiceValue(ed *ElementDefinition, name string, f gjson.Result) {
	for _, c := range [...]struct {
		prefix string
		dst    **Value
	}{{"fixed", &ed.Fixed}, {"pattern", &ed.Pattern}} {
		typ, ok := strings.CutPrefix(name, c.prefix)
		if !ok || typ == "" || typ[0] < 'A' || typ[0] > 'Z' {
			continue
		}
		if *c.dst != nil {
			p.errf(f.Index, KindWrongType, "%s: two %s[x] values (also %s%s)", p.fieldName(name), c.prefix, c.prefix, (*c.dst).Type)
			return
		}
		*c.dst = &Value{Pos: p.src.pos(f.Index), Type: typ, JSON: f.Raw}
	}
}

// set reads the member name with value f into the field fv.
func (p *rparser) set(fv reflect.Value, how, name string, f gjson.Result) {
	switch {
	case how == "pos":
		*fv.Addr().Interface().(*diag.Pos) = p.src.pos(f.Index)
	case how == "url":
		fv.SetString(p.url(f))
	case how == "max":
		fv.SetString(p.max(f, name))
	case fv.Kind() == reflect.String:
		fv.SetString(p.str(f, name))
	case fv.Kind() == reflect.Bool:
		fv.SetBool(p.boolean(f, name))
	case fv.Kind() == reflect.Int:
		n, _ := p.integer(f, name)
		fv.SetInt(int64(n))
	case fv.Type() == reflect.TypeFor[[]string]():
		*fv.Addr().Interface().(*[]string) = p.strings(f, name)
	default:
		panic("load: no reader for the " + fv.Type().String() + " of member " + name)
	}
}

// fillEach reads each object of the array v, the member field, into a new T (see fill).
func fillEach[T any](p *rparser, v gjson.Result, field string) []*T {
	var out []*T
	p.objects(v, field, func(o gjson.Result) {
		t := new(T)
		p.fill(o, t)
		out = append(out, t)
	})
	return out
}

// fillRoot reads a definition resource into a new T (see fill).
func fillRoot[T any](p *rparser, v gjson.Result) *T {
	t := new(T)
	p.fill(v, t)
	return t
}

// elements reads snapshot or differential. It returns nil only when v is not an object.
func (p *rparser) elements(v gjson.Result, field string) []*ElementDefinition {
	out := []*ElementDefinition{}
	ok := p.object(v, field, func(o gjson.Result) {
		i := 0
		p.member(o, "element", func(e gjson.Result) {
			out = append(out, p.element(e, field, i))
			i++
		})
	})
	if !ok {
		return nil
	}
	return out
}

func (p *rparser) element(e gjson.Result, list string, i int) *ElementDefinition {
	ed := &ElementDefinition{}
	oldBase := p.base
	p.base = len(p.at)
	defer func() { p.base, p.elem = oldBase, "" }()

	switch pr := e.Get("path"); {
	case pr.Type == gjson.String && pr.Str != "":
		ed.Path = p.intern(pr.Str)
		p.elem = ed.Path
	default:
		p.elem = fmt.Sprintf("%s.element[%d]", list, i)
		switch {
		case !pr.Exists():
			p.errf(e.Index, KindMissingField, "element has no path")
		case pr.Type == gjson.String:
			p.errf(pr.Index, KindInvalidValue, "path: empty")
		default:
			p.wrong(pr, "path", "a string")
		}
	}
	p.fill(e, ed)
	return ed
}

func (p *rparser) typeRef(o gjson.Result) *TypeRef {
	tr := &TypeRef{}
	p.fill(o, tr)
	if !o.Get("code").Exists() {
		p.errf(o.Index, KindMissingField, "%s: type has no code", p.fieldName(""))
	}
	return tr
}

// contains appends the entries of the contains member of o (an expansion or an entry) to
// out, each before the entries nested in it.
func (p *rparser) contains(o gjson.Result, out *[]*ExpansionConcept) {
	p.member(o, "contains", func(e gjson.Result) {
		c := &ExpansionConcept{}
		*out = append(*out, c)
		p.fill(e, c)
		p.contains(e, out)
	})
}
