package load

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fhirgen/fhirgen/generator/diag"
)

// Small FHIR resources for the tests, pretty-printed on several lines.

const sdPatient = `{
  "resourceType": "StructureDefinition",
  "id": "Patient",
  "url": "http://hl7.org/fhir/StructureDefinition/Patient",
  "version": "4.0.1",
  "name": "Patient",
  "title": "Patient Resource",
  "status": "active",
  "kind": "resource",
  "abstract": false,
  "type": "Patient",
  "baseDefinition": "http://hl7.org/fhir/StructureDefinition/DomainResource",
  "derivation": "specialization",
  "fhirVersion": "4.0.1",
  "description": "Demographics \"and\" other administrative information",
  "snapshot": {
    "element": [
      {
        "id": "Patient",
        "path": "Patient",
        "short": "Information about an individual",
        "definition": "Demographics.",
        "min": 0,
        "max": "*",
        "base": { "path": "Patient", "min": 0, "max": "*" },
        "constraint": [
          {
            "key": "dom-2",
            "severity": "error",
            "human": "If the resource is contained in another resource, it SHALL NOT contain nested Resources",
            "expression": "contained.contained.empty()",
            "xpath": "not(parent::f:contained and f:contained)",
            "source": "http://hl7.org/fhir/StructureDefinition/DomainResource"
          }
        ],
        "isModifier": false
      },
      {
        "id": "Patient.id",
        "path": "Patient.id",
        "min": 0,
        "max": "1",
        "type": [
          {
            "extension": [
              {
                "url": "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type",
                "valueUrl": "id"
              }
            ],
            "code": "http://hl7.org/fhirpath/System.String"
          }
        ],
        "isSummary": true
      },
      {
        "id": "Patient.gender",
        "path": "Patient.gender",
        "comment": "The gender might not match the biological sex.",
        "min": 0,
        "max": "1",
        "type": [ { "code": "code" } ],
        "isModifier": false,
        "isSummary": true,
        "binding": {
          "extension": [
            {
              "url": "http://hl7.org/fhir/StructureDefinition/elementdefinition-bindingName",
              "valueString": "AdministrativeGender"
            }
          ],
          "strength": "required",
          "description": "The gender of a person used for administrative purposes.",
          "valueSet": "http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1"
        }
      },
      {
        "id": "Patient.generalPractitioner",
        "path": "Patient.generalPractitioner",
        "min": 0,
        "max": "*",
        "type": [
          {
            "code": "Reference",
            "profile": [ "http://hl7.org/fhir/StructureDefinition/Reference" ],
            "targetProfile": [
              "http://hl7.org/fhir/StructureDefinition/Organization",
              "http://hl7.org/fhir/StructureDefinition/Practitioner"
            ]
          }
        ]
      },
      {
        "id": "Patient.link.other",
        "path": "Patient.link.other",
        "sliceName": "other",
        "min": 1,
        "max": "1",
        "contentReference": "#Patient.link"
      }
    ]
  },
  "differential": {
    "element": [
      { "id": "Patient", "path": "Patient" },
      { "id": "Patient.gender", "path": "Patient.gender", "min": 0 }
    ]
  }
}`

const spGender = `{
  "resourceType": "SearchParameter",
  "id": "individual-gender",
  "url": "http://hl7.org/fhir/SearchParameter/individual-gender",
  "version": "4.0.1",
  "name": "gender",
  "code": "gender",
  "type": "token",
  "description": "Gender of the patient",
  "base": [ "Patient", "Person" ],
  "target": [ "Patient" ],
  "expression": "Patient.gender | Person.gender",
  "xpath": "f:Patient/f:gender",
  "modifier": [ "missing" ],
  "comparator": [ "eq", "ne" ],
  "component": [
    { "definition": "http://hl7.org/fhir/SearchParameter/x-code", "expression": "code" },
    { "definition": "http://hl7.org/fhir/SearchParameter/x-value", "expression": "value.as(Quantity)" }
  ]
}`

const vsGender = `{
  "resourceType": "ValueSet",
  "id": "administrative-gender",
  "url": "http://hl7.org/fhir/ValueSet/administrative-gender",
  "name": "AdministrativeGender",
  "title": "AdministrativeGender",
  "description": "The gender of a person.",
  "compose": {
    "include": [
      {
        "system": "http://hl7.org/fhir/administrative-gender",
        "version": "4.0.1",
        "concept": [ { "code": "male", "display": "Male" }, { "code": "female" } ],
        "filter": [ { "property": "concept", "op": "is-a", "value": "x" } ],
        "valueSet": [ "http://hl7.org/fhir/ValueSet/other" ]
      }
    ],
    "exclude": [ { "system": "http://hl7.org/fhir/administrative-gender", "concept": [ { "code": "unknown" } ] } ]
  },
  "expansion": {
    "contains": [
      {
        "contains": [
          { "system": "http://hl7.org/fhir/administrative-gender", "code": "male", "display": "Male" },
          { "system": "http://hl7.org/fhir/administrative-gender", "code": "female", "display": "Female", "inactive": true }
        ],
        "abstract": true,
        "display": "Binary"
      },
      { "system": "http://hl7.org/fhir/administrative-gender", "code": "other", "display": "Other" }
    ]
  }
}`

const csGender = `{
  "resourceType": "CodeSystem",
  "id": "administrative-gender",
  "url": "http://hl7.org/fhir/administrative-gender",
  "version": "4.0.1",
  "name": "AdministrativeGender",
  "title": "AdministrativeGender",
  "description": "The gender of a person.",
  "content": "complete",
  "caseSensitive": true,
  "hierarchyMeaning": "is-a",
  "valueSet": "http://hl7.org/fhir/ValueSet/administrative-gender",
  "concept": [
    { "code": "male", "display": "Male", "definition": "Male.",
      "concept": [ { "code": "male-child", "display": "Boy", "concept": [ { "code": "baby-boy" } ] } ] },
    { "code": "female", "display": "Female", "definition": "Female." }
  ]
}`

const opDef = `{ "resourceType": "OperationDefinition", "id": "x", "url": "http://hl7.org/fhir/OperationDefinition/x" }`

const compDef = `{ "resourceType": "CompartmentDefinition", "id": "patient", "url": "http://hl7.org/fhir/CompartmentDefinition/patient" }`

// sd returns a minimal StructureDefinition.
func sd(id, extra string) string {
	return fmt.Sprintf(`{"resourceType":"StructureDefinition","id":%q,"url":"http://example.org/StructureDefinition/%s",%s"kind":"logical","snapshot":{"element":[{"path":%q,"min":0,"max":"*"}]}}`,
		id, id, extra, id)
}

// bundle wraps resources in a Bundle, one entry each, pretty-printed.
func bundle(resources ...string) string {
	var b strings.Builder
	b.WriteString("{\n  \"resourceType\": \"Bundle\",\n  \"id\": \"b\",\n  \"type\": \"collection\",\n  \"entry\": [")
	for i, r := range resources {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    {\n      \"fullUrl\": \"urn:uuid:%d\",\n      \"resource\": %s\n    }", i, indent(r, "      "))
	}
	b.WriteString("\n  ]\n}\n")
	return b.String()
}

func indent(s, prefix string) string { return strings.ReplaceAll(s, "\n", "\n"+prefix) }

// compact makes JSON text a single line, as Medplum's bundles are.
func compact(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		panic(err)
	}
	return b.String()
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

// tgz builds a gzipped tarball of files, in the order given (name, content, name, ...).
func tgz(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for i := 0; i < len(files); i += 2 {
		if err := tw.WriteHeader(&tar.Header{Name: files[i], Mode: 0o644, Size: int64(len(files[i+1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// urls lists the canonicals of every definition, by kind.
func urls(d *Definitions) []string {
	var out []string
	for _, x := range d.Structures {
		out = append(out, "SD "+x.URL+"|"+x.Version)
	}
	for _, x := range d.SearchParams {
		out = append(out, "SP "+x.URL+"|"+x.Version)
	}
	for _, x := range d.ValueSets {
		out = append(out, "VS "+x.URL+"|"+x.Version)
	}
	for _, x := range d.CodeSystems {
		out = append(out, "CS "+x.URL+"|"+x.Version)
	}
	return out
}

// diagStrings renders diagnostics, with their kind, for comparisons.
func diagStrings(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, "["+d.Kind+"] "+d.String())
	}
	return out
}

// withoutPos returns a deep copy of v's value with every diag.Pos zeroed (and the lookup
// index dropped), to compare definitions read from differently laid out files.
// withoutPos returns d without positions or origins (FromPackage), for comparing layouts.
func withoutPos(d *Definitions) *Definitions {
	b, err := json.Marshal(d)
	if err != nil {
		panic(err)
	}
	var c Definitions
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	zeroPos(reflect.ValueOf(&c).Elem())
	return &c
}

var posType = reflect.TypeFor[diag.Pos]()

func zeroPos(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			zeroPos(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			zeroPos(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == posType {
			v.Set(reflect.Zero(posType))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.Name == "FromPackage" {
				v.Field(i).SetBool(false) // where a definition came from, like its position
			} else if f.IsExported() {
				zeroPos(v.Field(i))
			}
		}
	}
}

// hasDiag reports whether l has a diagnostic of the kind and severity whose text contains
// every part.
func hasDiag(l diag.List, sev diag.Severity, kind string, parts ...string) bool {
next:
	for _, d := range l {
		if d.Severity != sev || d.Kind != kind {
			continue
		}
		s := d.String()
		for _, p := range parts {
			if !strings.Contains(s, p) {
				continue next
			}
		}
		return true
	}
	return false
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func dump(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// withoutPackages clears what d says of the packages its definitions came from.
func withoutPackages(d *Definitions) {
	d.Packages = nil
	for _, x := range d.Structures {
		x.Package, x.Dependency = "", false
	}
	for _, x := range d.SearchParams {
		x.Package, x.Dependency = "", false
	}
	for _, x := range d.ValueSets {
		x.Package, x.Dependency = "", false
	}
	for _, x := range d.CodeSystems {
		x.Package, x.Dependency = "", false
	}
}
