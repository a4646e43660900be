package support

import (
	"bytes"
	"net/url"
	"strings"
)

// srvShape is what the router knows of a resource type's elements for _summary and
// _elements: the JSON member names of its summary elements (isSummary), of its mandatory
// ones (min ≥ 1), and the stems of its choice elements ("value" for value[x]). Choice
// elements are listed by every variant's member name ("valueQuantity").
type srvShape struct {
	summary, mandatory, choices []string
}

// srvSubsetted is the meta.tag a server puts on a resource it returns in part.
const srvSubsetted = `{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue","code":"SUBSETTED","display":"subsetted"}`

// srvView is a _summary/_elements request: the elements a response keeps.
type srvView struct {
	summary  string   // true | text | data | false | count | ""
	elements []string // _elements, without a "Type." prefix
}

func (v srvView) whole() bool {
	return (v.summary == "" || v.summary == "false") && len(v.elements) == 0
}

// srvViewOf reads _summary and _elements from a read or vread's query. _summary=count is
// for searches only.
func srvViewOf(values url.Values) (srvView, *ServerQueryError) {
	var v srvView
	for _, s := range values["_summary"] {
		switch s {
		case "true", "text", "data", "false":
			v.summary = s
		default:
			return v, &ServerQueryError{Param: "_summary", Msg: "must be true, text, data or false on a read"}
		}
	}
	for _, s := range values["_elements"] {
		v.elements = append(v.elements, srvSplitElements(s)...)
	}
	return v, nil
}

func srvSplitElements(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		e = strings.TrimSpace(e)
		if i := strings.IndexByte(e, '.'); i >= 0 && srvIsTypeName(e) {
			e = e[i+1:] // "Patient.name" → "name"
		}
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// srvMember is one top-level member of a JSON object, as raw bytes.
type srvMember struct {
	key string
	val []byte
}

// srvMembers splits a JSON object into its members.
func srvMembers(data []byte) ([]srvMember, bool) {
	d := newDecoder(data, DecodeOptions{}, nil)
	if d.peek() != '{' {
		return nil, false
	}
	if err := d.enter(); err != nil {
		return nil, false
	}
	d.pos++
	if d.peek() == '}' {
		return nil, true
	}
	d.first = true
	var out []srvMember
	for {
		k, err := d.key()
		if err != nil {
			return nil, false
		}
		if k == nil {
			return out, true
		}
		d.ws()
		start := d.pos
		if err := d.skip(); err != nil {
			return nil, false
		}
		out = append(out, srvMember{key: string(k), val: data[start:d.pos]})
	}
}

func srvJoin(ms []srvMember) []byte {
	n := 2
	for _, m := range ms {
		n += len(m.key) + len(m.val) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, m.key...)
		b = append(b, '"', ':')
		b = append(b, m.val...)
	}
	return append(b, '}')
}

// keeps reports whether the view keeps the member key of a resource of the given shape.
func (v srvView) keeps(key string, sh *srvShape) bool {
	name := strings.TrimPrefix(key, "_") // a primitive's extensions go with it
	switch name {
	case "resourceType", "id", "meta":
		return true
	}
	if len(v.elements) > 0 {
		if srvContains(sh.mandatory, name) {
			return true
		}
		for _, e := range v.elements {
			if e == name {
				return true
			}
			if srvContains(sh.choices, e) && strings.HasPrefix(name, e) && len(name) > len(e) &&
				name[len(e)] >= 'A' && name[len(e)] <= 'Z' {
				return true
			}
		}
		return false
	}
	switch v.summary {
	case "true":
		return srvContains(sh.summary, name)
	case "text":
		return name == "text" || srvContains(sh.mandatory, name)
	case "data":
		return name != "text"
	}
	return true
}

// srvSubset returns the JSON of a resource cut down to a view, tagged SUBSETTED in its
// meta; data unchanged for a whole view or a type the router does not know.
func srvSubset(data []byte, v srvView, sh *srvShape) []byte {
	if v.whole() || sh == nil {
		return data
	}
	ms, ok := srvMembers(data)
	if !ok {
		return data
	}
	kept := ms[:0:0]
	hasMeta := false
	for _, m := range ms {
		if !v.keeps(m.key, sh) {
			continue
		}
		if m.key == "meta" {
			hasMeta = true
			m.val = srvTagged(m.val)
		}
		kept = append(kept, m)
	}
	if !hasMeta {
		at := 0
		for at < len(kept) && (kept[at].key == "resourceType" || kept[at].key == "id" || kept[at].key == "_id") {
			at++
		}
		meta := srvMember{key: "meta", val: []byte(`{"tag":[` + srvSubsetted + `]}`)}
		kept = append(kept[:at], append([]srvMember{meta}, kept[at:]...)...)
	}
	return srvJoin(kept)
}

// srvTagged adds the SUBSETTED tag to a meta object.
func srvTagged(meta []byte) []byte {
	if bytes.Contains(meta, []byte(`"SUBSETTED"`)) {
		return meta
	}
	ms, ok := srvMembers(meta)
	if !ok {
		return meta
	}
	for i, m := range ms {
		if m.key == "tag" && len(m.val) > 1 && m.val[len(m.val)-1] == ']' {
			t := append([]byte{}, m.val[:len(m.val)-1]...)
			if len(bytes.TrimSpace(t)) > 1 {
				t = append(t, ',')
			}
			ms[i].val = append(append(t, srvSubsetted...), ']')
			return srvJoin(ms)
		}
	}
	return srvJoin(append(ms, srvMember{key: "tag", val: []byte("[" + srvSubsetted + "]")}))
}

// srvRaw is a resource already encoded: a subsetted search match in a Bundle.
type srvRaw struct {
	typ  string
	data []byte
}

func (r *srvRaw) ResourceType() string         { return r.typ }
func (r *srvRaw) MarshalJSON() ([]byte, error) { return r.data, nil }
func (r *srvRaw) encodeFHIR(e *encoder)        { e.buf = append(e.buf, r.data...) }

// view returns res as the view asks: itself, or its subset.
func (r *srvRouter) view(res Resource, v srvView) Resource {
	if v.whole() || res == nil {
		return res
	}
	sh := r.shapes[res.ResourceType()]
	if sh == nil {
		return res
	}
	data, err := res.MarshalJSON()
	if err != nil {
		return res
	}
	return &srvRaw{typ: res.ResourceType(), data: srvSubset(data, v, sh)}
}
