package scaffold

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"regexp"
	"strconv"
	"strings"
)

// Resource describes a custom resource type for `fhirgen scaffold resource`: the
// definitions it writes (a StructureDefinition written as a differential on
// DomainResource and, with Search, one SearchParameter per searchable element) are the
// user's from then on, inputs of `fhirgen generate` like any other.
type Resource struct {
	Name     string    // the resource type, e.g. "TaskNote"
	BaseURL  string    // canonical base, e.g. "https://example.org/fhir"
	Elements []Element // in order
	Search   bool      // also write a SearchParameter per searchable element
}

// Element is one element of a scaffolded resource.
type Element struct {
	Name     string   // e.g. "status"
	Type     string   // a FHIR type code: code, string, dateTime, Reference, CodeableConcept, ...
	Targets  []string // Reference targets (resource types), empty for any
	Min      int      // 0 or more
	Max      string   // "1", "*" or a number
	ValueSet string   // required binding (code, Coding, CodeableConcept)
}

var elementSpec = regexp.MustCompile(`^([a-z][A-Za-z0-9]*):([A-Za-z][A-Za-z0-9]*)(?:\(([A-Za-z|]+)\))?(?:\[(\d+)\.\.(\d+|\*)\])?(?:=(\S+))?$`)

// ParseElement reads an element written name:type[min..max]=valueSet, where the
// cardinality (default 0..1) and the required binding are optional and a Reference may
// name its targets: subject:Reference(Patient|Group)[1..1], status:code[1..1]=URL.
func ParseElement(s string) (Element, error) {
	m := elementSpec.FindStringSubmatch(s)
	if m == nil {
		return Element{}, fmt.Errorf("element %q: want name:type, name:type[min..max], name:Reference(Type|Type) or name:code=ValueSetURL", s)
	}
	e := Element{Name: m[1], Type: m[2], Min: 0, Max: "1", ValueSet: m[6]}
	if m[3] != "" {
		if e.Type != "Reference" {
			return Element{}, fmt.Errorf("element %q: only a Reference names target types", s)
		}
		e.Targets = strings.Split(m[3], "|")
	}
	if m[4] != "" {
		e.Min, _ = strconv.Atoi(m[4])
		e.Max = m[5]
		if e.Max != "*" {
			if max, _ := strconv.Atoi(e.Max); max < e.Min || max == 0 {
				return Element{}, fmt.Errorf("element %q: cardinality %s..%s", s, m[4], m[5])
			}
		}
	}
	if e.ValueSet != "" && e.Type != "code" && e.Type != "Coding" && e.Type != "CodeableConcept" {
		return Element{}, fmt.Errorf("element %q: only a code, Coding or CodeableConcept has a required binding", s)
	}
	return e, nil
}

// searchType is the SearchParameter type of an element type ("" when not searchable).
func searchType(t string) string {
	switch t {
	case "code", "Coding", "CodeableConcept", "Identifier", "boolean", "id", "ContactPoint":
		return "token"
	case "string", "markdown", "HumanName", "Address":
		return "string"
	case "date", "dateTime", "instant", "Period":
		return "date"
	case "Reference":
		return "reference"
	case "uri", "url", "canonical", "oid", "uuid":
		return "uri"
	case "integer", "decimal", "positiveInt", "unsignedInt":
		return "number"
	case "Quantity", "Money", "Duration", "Age":
		return "quantity"
	}
	return ""
}

// File is a definition to write.
type File struct {
	Name    string // file name
	Content []byte
}

// RenderResource returns the definitions of a custom resource, as indented JSON.
func RenderResource(r Resource) ([]File, error) {
	if !token.IsIdentifier(r.Name) || !token.IsExported(r.Name) {
		return nil, fmt.Errorf("resource name %q: want an UpperCamelCase name such as TaskNote", r.Name)
	}
	if !strings.HasPrefix(r.BaseURL, "http://") && !strings.HasPrefix(r.BaseURL, "https://") {
		return nil, fmt.Errorf("base URL %q: want an http(s) canonical base such as https://example.org/fhir", r.BaseURL)
	}
	base := strings.TrimRight(r.BaseURL, "/")
	type typeRef struct {
		Code          string   `json:"code"`
		TargetProfile []string `json:"targetProfile,omitempty"`
	}
	type binding struct {
		Strength string `json:"strength"`
		ValueSet string `json:"valueSet"`
	}
	type element struct {
		ID         string    `json:"id"`
		Path       string    `json:"path"`
		Short      string    `json:"short"`
		Definition string    `json:"definition"`
		Min        int       `json:"min"`
		Max        string    `json:"max"`
		Type       []typeRef `json:"type,omitempty"`
		Binding    *binding  `json:"binding,omitempty"`
	}
	els := []element{{ID: r.Name, Path: r.Name, Short: r.Name, Definition: "TODO: what a " + r.Name + " records.", Min: 0, Max: "*"}}
	seen := map[string]bool{}
	for _, e := range r.Elements {
		if seen[e.Name] {
			return nil, fmt.Errorf("element %s given twice", e.Name)
		}
		seen[e.Name] = true
		tr := typeRef{Code: e.Type}
		for _, t := range e.Targets {
			tr.TargetProfile = append(tr.TargetProfile, "http://hl7.org/fhir/StructureDefinition/"+t)
		}
		el := element{ID: r.Name + "." + e.Name, Path: r.Name + "." + e.Name, Short: e.Name,
			Definition: "TODO: describe " + r.Name + "." + e.Name + ".", Min: e.Min, Max: e.Max, Type: []typeRef{tr}}
		if e.ValueSet != "" {
			el.Binding = &binding{Strength: "required", ValueSet: e.ValueSet}
		}
		els = append(els, el)
	}
	sd := struct {
		ResourceType   string `json:"resourceType"`
		ID             string `json:"id"`
		URL            string `json:"url"`
		Name           string `json:"name"`
		Status         string `json:"status"`
		Kind           string `json:"kind"`
		Abstract       bool   `json:"abstract"`
		Type           string `json:"type"`
		BaseDefinition string `json:"baseDefinition"`
		Derivation     string `json:"derivation"`
		Differential   struct {
			Element []element `json:"element"`
		} `json:"differential"`
	}{ResourceType: "StructureDefinition", ID: r.Name, URL: base + "/StructureDefinition/" + r.Name, Name: r.Name,
		Status: "draft", Kind: "resource", Type: r.Name,
		BaseDefinition: "http://hl7.org/fhir/StructureDefinition/DomainResource", Derivation: "specialization"}
	sd.Differential.Element = els
	out := []File{{Name: "StructureDefinition-" + r.Name + ".json", Content: indent(sd)}}
	if !r.Search {
		return out, nil
	}
	for _, e := range r.Elements {
		st := searchType(e.Type)
		if st == "" {
			continue
		}
		code := kebab(e.Name)
		id := r.Name + "-" + code
		sp := struct {
			ResourceType string   `json:"resourceType"`
			ID           string   `json:"id"`
			URL          string   `json:"url"`
			Name         string   `json:"name"`
			Status       string   `json:"status"`
			Description  string   `json:"description"`
			Code         string   `json:"code"`
			Base         []string `json:"base"`
			Type         string   `json:"type"`
			Expression   string   `json:"expression"`
			Target       []string `json:"target,omitempty"`
		}{ResourceType: "SearchParameter", ID: id, URL: base + "/SearchParameter/" + id, Name: code, Status: "draft",
			Description: "Search " + r.Name + " by " + e.Name, Code: code, Base: []string{r.Name}, Type: st,
			Expression: r.Name + "." + e.Name, Target: e.Targets}
		out = append(out, File{Name: "SearchParameter-" + id + ".json", Content: indent(sp)})
	}
	return out, nil
}

// kebab turns an element name into a search parameter code: requestTime → request-time.
func kebab(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func indent(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // plain structs of strings: cannot fail
	}
	return b.Bytes()
}
