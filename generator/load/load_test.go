package load

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fhirgen/fhirgen/generator/diag"
)

const pkgManifest = `{ "name": "example.fhir.pkg", "version": "1.0.0", "fhirVersions": ["4.0.1"], "dependencies": {} }`

var allFour = []string{
	"SD http://hl7.org/fhir/StructureDefinition/Patient|4.0.1",
	"SP http://hl7.org/fhir/SearchParameter/individual-gender|4.0.1",
	"VS http://hl7.org/fhir/ValueSet/administrative-gender|",
	"CS http://hl7.org/fhir/administrative-gender|4.0.1",
}

// loadCase is one TestLoad case: files in a file system, the inputs named, and what
// Load makes of them.
type loadCase struct {
	name   string
	files  map[string]string
	tgz    map[string][]string // archive name → name, content, name, content...
	inputs []string
	urls   []string // definitions loaded, as urls() lists them
	fhir   string   // Definitions.FHIRVersion
	diags  []string // every diagnostic, as diagStrings renders them
}

// loadCases are the cases of TestLoad.
var loadCases = []loadCase{
	{
		name: "bundle",
		files: map[string]string{
			"defs/bundle.json": bundle(opDef, csGender, sdPatient, compDef, `{"resourceType":"Bundle","id":"inner"}`, vsGender, opDef, spGender),
		},
		inputs: []string{"defs/bundle.json"},
		urls:   allFour,
		fhir:   "4.0.1",
		diags:  []string{"[ignored-resources] defs/bundle.json: note: ignored 2 OperationDefinition, 1 Bundle, 1 CompartmentDefinition"},
	},
	{
		name:   "single file",
		files:  map[string]string{"Patient.json": sdPatient},
		inputs: []string{"Patient.json"},
		urls:   allFour[:1],
		fhir:   "4.0.1",
	},
	{
		name:   "single file of a kind not used",
		files:  map[string]string{"op.json": opDef},
		inputs: []string{"op.json"},
		diags: []string{
			"[ignored-resources] op.json: note: ignored 1 OperationDefinition",
			"[no-definitions] op.json: note: input defines no StructureDefinition, SearchParameter, ValueSet or CodeSystem",
		},
	},
	{
		name:   "explicit file that is not a resource",
		files:  map[string]string{"x.json": "\n  [1, 2]"},
		inputs: []string{"x.json"},
		diags:  []string{"[not-a-resource] x.json:2:3: not a FHIR resource (no resourceType)"},
	},
	{
		name: "directory",
		files: map[string]string{
			"dir/manifest.json":      `{"files": ["a.json"]}`,
			"dir/a/Patient.json":     sdPatient,
			"dir/b/sp.json":          spGender,
			"dir/b/c/bundle.json":    bundle(vsGender, csGender, opDef),
			"dir/README.md":          "# not JSON",
			"dir/other.tgz":          "not read",
			"dir/Observation-x.json": `{"resourceType":"Observation","id":"x"}`,
		},
		inputs: []string{"dir"},
		urls:   allFour,
		fhir:   "4.0.1",
		diags: []string{
			"[ignored-resources] dir: note: ignored 1 Observation, 1 OperationDefinition",
			"[not-a-resource] dir/manifest.json:1:1: note: not a FHIR resource (no resourceType): passed over",
			"[ignored-files] dir/other.tgz: note: package archive in a directory input passed over: give it as an input of its own",
		},
	},
	{
		name: "package directory with an index",
		files: map[string]string{
			"pkg/package/package.json": pkgManifest,
			"pkg/package/.index.json": `{"index-version": 1, "files": [
				{"filename": "StructureDefinition-Patient.json", "resourceType": "StructureDefinition"},
				{"filename": "SearchParameter-gender.json", "resourceType": "SearchParameter"},
				{"filename": "OperationDefinition-x.json", "resourceType": "OperationDefinition"},
				{"filename": "Bundle-searchParams.json", "resourceType": "Bundle"}]}`,
			"pkg/package/StructureDefinition-Patient.json":           sdPatient,
			"pkg/package/SearchParameter-gender.json":                spGender,
			"pkg/package/OperationDefinition-x.json":                 "this file is not read",
			"pkg/package/ValueSet-unlisted.json":                     vsGender,
			"pkg/package/Bundle-searchParams.json":                   bundle(strings.Replace(spGender, "Gender of", "Sex of", 1)),
			"pkg/package/example/StructureDefinition-example.json":   sd("Example", ""),
			"pkg/package/other/spec.internals":                       "x",
			"pkg/package/openapi/x.json":                             "{}",
			"pkg/package/example/CodeSystem-administrative-gen.json": csGender,
		},
		inputs: []string{"pkg"},
		urls:   []string{allFour[0], allFour[1]},
		fhir:   "4.0.1",
		diags: []string{
			"[ignored-resources] pkg: note: ignored 1 OperationDefinition",
			"[ignored-files] pkg: note: passed over 2 file(s) in pkg/package/example/, 1 Bundle-*.json file(s) (examples), 1 file(s) in pkg/package/openapi/, 1 file(s) in pkg/package/other/, 1 top-level file(s) not listed in .index.json",
		},
	},
	{
		name: "package directory without an index, given as its package directory",
		files: map[string]string{
			"pkg/package/package.json":                        pkgManifest,
			"pkg/package/StructureDefinition-Patient.json":    sdPatient,
			"pkg/package/ValueSet-administrative-gender.json": vsGender,
			"pkg/package/OperationDefinition-x.json":          opDef,
			"pkg/package/Bundle-x.json":                       bundle(spGender),
			"pkg/package/Patient-bundle.json":                 bundle(csGender),
			"pkg/package/example/Patient-x.json":              `{"resourceType":"Patient"}`,
		},
		inputs: []string{"pkg/package"},
		urls:   []string{allFour[0], allFour[2]},
		fhir:   "4.0.1",
		diags: []string{
			"[ignored-resources] pkg/package: note: ignored 1 Bundle, 1 OperationDefinition",
			"[ignored-files] pkg/package: note: passed over 1 Bundle-*.json file(s) (examples), 1 file(s) in pkg/package/example/",
		},
	},
	{
		name: "package directory with a broken index",
		files: map[string]string{
			"pkg/package/package.json":                     pkgManifest,
			"pkg/package/.index.json":                      "{\"files\": [\n  {\"filename\": \"StructureDefinition-Patient.json\"},\n  {\"resourceType\": \"ValueSet\"}\n]}",
			"pkg/package/StructureDefinition-Patient.json": sdPatient,
			"pkg/package/ValueSet-x.json":                  vsGender,
		},
		inputs: []string{"pkg"},
		fhir:   "4.0.1",
		diags: []string{
			"[missing-field] pkg/package/.index.json:2:3: files[0]: no resourceType",
			"[missing-field] pkg/package/.index.json:3:3: files[1]: no filename",
			"[ignored-files] pkg: note: passed over 2 top-level file(s) not listed in .index.json",
		},
	},
	{
		name: "package directory with an index that is not JSON",
		files: map[string]string{
			"pkg/package.json":                     pkgManifest,
			"pkg/.index.json":                      "{\"files\": [}",
			"pkg/StructureDefinition-Patient.json": sdPatient,
		},
		inputs: []string{"pkg"},
		urls:   allFour[:1],
		fhir:   "4.0.1",
		diags: []string{
			"[invalid-json] pkg/.index.json:1:12: invalid JSON: invalid character '}' looking for beginning of value",
		},
	},
	{
		name: "package tgz",
		tgz: map[string][]string{"npm/example.fhir.pkg-1.0.0.tgz": {
			"package/package.json", strings.Replace(pkgManifest, "4.0.1", "5.0.0", 1),
			"package/example/StructureDefinition-example.json", sd("Example", ""),
			"package/StructureDefinition-Patient.json", sdPatient,
			"package/Bundle-x.json", bundle(spGender),
			"package/CodeSystem-administrative-gender.json", csGender,
			"package/OperationDefinition-x.json", opDef,
			"package/other/x.html", "<p>",
		}},
		inputs: []string{"npm/example.fhir.pkg-1.0.0.tgz"},
		urls:   []string{allFour[0], allFour[3]},
		fhir:   "5.0.0",
		diags: []string{
			"[ignored-resources] npm/example.fhir.pkg-1.0.0.tgz: note: ignored 1 OperationDefinition",
			"[ignored-files] npm/example.fhir.pkg-1.0.0.tgz: note: passed over 1 Bundle-*.json file(s) (examples), 1 file(s) in npm/example.fhir.pkg-1.0.0.tgz/package/example/, 1 file(s) in npm/example.fhir.pkg-1.0.0.tgz/package/other/",
		},
	},
	{
		name: "package tgz with an index at its end",
		tgz: map[string][]string{"p.tgz": {
			"package/package.json", pkgManifest,
			"package/StructureDefinition-Patient.json", sdPatient,
			"package/ValueSet-x.json", `{"resourceType": "ValueSet", "id": "unlisted"`,
			"package/.index.json", `{"index-version": 1, "files": [{"filename": "StructureDefinition-Patient.json", "resourceType": "StructureDefinition"}]}`,
		}},
		inputs: []string{"p.tgz"},
		urls:   allFour[:1],
		fhir:   "4.0.1",
		diags:  []string{"[ignored-files] p.tgz: note: passed over 1 top-level file(s) not listed in .index.json"},
	},
	{
		name: "invalid JSON",
		files: map[string]string{
			"a/trailing-comma.json": "{\n  \"resourceType\": \"ValueSet\",\n  \"url\": \"x\",\n}\n",
			"a/truncated.json":      "{\n  \"resourceType\": \"ValueSet\",\n  \"url\": \"x\"",
			"a/bundle.json":         compact(bundle(vsGender, csGender)) + "}",
			"a/bad-string.json":     "{\"resourceType\": \"CodeSystem\", \"url\": \"a\tb\"}",
		},
		inputs: []string{"a"},
		diags: []string{
			"[invalid-json] a/bad-string.json:1:41: invalid JSON: invalid character '\\t' in string literal",
			"[invalid-json] a/bundle.json:1:" + strconv.Itoa(len(compact(bundle(vsGender, csGender)))+1) + ": invalid JSON: invalid character '}' after top-level value",
			"[invalid-json] a/trailing-comma.json:4:1: invalid JSON: invalid character '}' looking for beginning of object key string",
			"[invalid-json] a/truncated.json:3:13: invalid JSON: unexpected end of JSON input",
		},
	},
	{
		name: "byte order mark and CRLF",
		files: map[string]string{
			"bom.json": "\uFEFF" + strings.ReplaceAll(sd("Bom", `"abstract": 1,`), ",", ",\r\n"),
		},
		inputs: []string{"bom.json"},
		urls:   []string{"SD http://example.org/StructureDefinition/Bom|"},
		diags:  []string{"[wrong-type] bom.json:4:13: StructureDefinition/Bom: abstract: expected a boolean, got number 1"},
	},
	{
		name: "duplicates in one input",
		files: map[string]string{
			"d/a.json":   sd("A", ""),
			"d/b.json":   bundle(sd("A", ""), sd("B", `"title": "one",`)),
			"d/c/b.json": "\n\n" + sd("B", `"title": "two",`),
			"d/p1.json":  sdPatient,
			"d/p2.json":  compact(sdPatient),
		},
		inputs: []string{"d"},
		urls:   []string{"SD http://example.org/StructureDefinition/A|", "SD http://example.org/StructureDefinition/B|", allFour[0]},
		fhir:   "4.0.1",
		diags: []string{
			"[duplicate-definition] d/c/b.json:3:1: StructureDefinition/B: http://example.org/StructureDefinition/B defined twice with different content: also at d/b.json:12:19",
		},
	},
	{
		name: "override across inputs",
		files: map[string]string{
			"base.json": bundle(sd("A", ""), sd("B", "")),
			"mine.json": sd("B", `"title": "mine",`),
		},
		inputs: []string{"base.json", "mine.json"},
		urls:   []string{"SD http://example.org/StructureDefinition/A|", "SD http://example.org/StructureDefinition/B|"},
		diags: []string{
			"[override] mine.json:1:1: note: StructureDefinition/B: http://example.org/StructureDefinition/B overrides definition at base.json:12:19",
		},
	},
	{
		name: "missing inputs",
		files: map[string]string{
			"there.json": sd("A", ""),
		},
		inputs: []string{"nowhere.json", "there.json", "/abs"},
		urls:   []string{"SD http://example.org/StructureDefinition/A|"},
		diags: []string{
			"[missing-input] /abs: input is not a valid fs.FS path",
			"[missing-input] nowhere.json: input does not exist",
		},
	},
	{
		name: "fhir versions of packages disagree",
		tgz: map[string][]string{
			"r4.tgz": {"package/package.json", pkgManifest, "package/SD-A.json", sd("A", "")},
			"r5.tgz": {"package/package.json", strings.Replace(pkgManifest, "4.0.1", "5.0.0", 1), "package/SD-B.json", sd("B", "")},
		},
		inputs: []string{"r4.tgz", "r5.tgz"},
		urls:   []string{"SD http://example.org/StructureDefinition/A|", "SD http://example.org/StructureDefinition/B|"},
		fhir:   "4.0.1",
		diags:  []string{"[fhir-version-mismatch] r5.tgz: warning: package is for FHIR 5.0.0, but r4.tgz is for FHIR 4.0.1"},
	},
	{
		name:   "no url",
		files:  map[string]string{"x.json": `{"resourceType": "ValueSet", "id": "nourl", "name": "NoURL"}`},
		inputs: []string{"x.json"},
		diags: []string{
			"[missing-field] x.json:1:1: ValueSet/nourl: resource has no url",
		},
	},
}

func TestLoad(t *testing.T) {
	for _, tt := range loadCases {
		t.Run(tt.name, func(t *testing.T) {
			fsys := mapFS(tt.files)
			for name, files := range tt.tgz {
				fsys[name] = &fstest.MapFile{Data: tgz(t, files...)}
			}
			defs, diags := Load(fsys, tt.inputs)
			if got := urls(defs); !slices.Equal(got, tt.urls) {
				t.Errorf("definitions:\n got %q\nwant %q", got, tt.urls)
			}
			if defs.FHIRVersion != tt.fhir {
				t.Errorf("FHIRVersion = %q, want %q", defs.FHIRVersion, tt.fhir)
			}
			if got := diagStrings(diags); !slices.Equal(got, tt.diags) {
				t.Errorf("diagnostics:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.diags, "\n     "))
			}
		})
	}
}

// TestFields checks that every field of the model is read.
func TestFields(t *testing.T) {
	fsys := mapFS(map[string]string{"b.json": bundle(sdPatient, spGender, vsGender, csGender)})
	defs, diags := Load(fsys, []string{"b.json"})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %q", diagStrings(diags))
	}
	d := withoutPos(defs)
	want := &Definitions{
		FHIRVersion: "4.0.1",
		Structures: []*StructureDefinition{{
			Canonical: Canonical{
				ID: "Patient", URL: "http://hl7.org/fhir/StructureDefinition/Patient", Version: "4.0.1", Name: "Patient",
				Title: "Patient Resource", Status: "active", Description: `Demographics "and" other administrative information`,
			},
			Kind: "resource", Type: "Patient",
			BaseDefinition: "http://hl7.org/fhir/StructureDefinition/DomainResource", Derivation: "specialization",
			FHIRVersion: "4.0.1",
			Snapshot: []*ElementDefinition{
				{
					ID: "Patient", Path: "Patient", Short: "Information about an individual", Definition: "Demographics.",
					MinSet: true, Max: "*", Base: &ElementBase{Path: "Patient", Max: "*"},
					Constraints: []*Constraint{{
						Key: "dom-2", Severity: "error",
						Human:      "If the resource is contained in another resource, it SHALL NOT contain nested Resources",
						Expression: "contained.contained.empty()", XPath: "not(parent::f:contained and f:contained)",
						Source: "http://hl7.org/fhir/StructureDefinition/DomainResource",
					}},
				},
				{
					ID: "Patient.id", Path: "Patient.id", MinSet: true, Max: "1", IsSummary: true,
					Types: []*TypeRef{{Code: "http://hl7.org/fhirpath/System.String", FHIRType: "id"}},
				},
				{
					ID: "Patient.gender", Path: "Patient.gender", Comment: "The gender might not match the biological sex.",
					MinSet: true, Max: "1", IsSummary: true, Types: []*TypeRef{{Code: "code"}},
					Binding: &Binding{
						Strength: "required", Name: "AdministrativeGender",
						Description: "The gender of a person used for administrative purposes.",
						ValueSet:    "http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1",
					},
				},
				{
					ID: "Patient.generalPractitioner", Path: "Patient.generalPractitioner", MinSet: true, Max: "*",
					Types: []*TypeRef{{
						Code:           "Reference",
						Profiles:       []string{"http://hl7.org/fhir/StructureDefinition/Reference"},
						TargetProfiles: []string{"http://hl7.org/fhir/StructureDefinition/Organization", "http://hl7.org/fhir/StructureDefinition/Practitioner"},
					}},
				},
				{
					ID: "Patient.link.other", Path: "Patient.link.other", SliceName: "other", Min: 1, MinSet: true, Max: "1",
					ContentReference: "#Patient.link",
				},
			},
			Differential: []*ElementDefinition{
				{ID: "Patient", Path: "Patient"},
				{ID: "Patient.gender", Path: "Patient.gender", MinSet: true},
			},
		}},
		SearchParams: []*SearchParameter{{
			Canonical: Canonical{
				ID: "individual-gender", URL: "http://hl7.org/fhir/SearchParameter/individual-gender", Version: "4.0.1",
				Name: "gender", Description: "Gender of the patient",
			},
			Code: "gender", Type: "token",
			Base: []string{"Patient", "Person"}, Target: []string{"Patient"},
			Expression: "Patient.gender | Person.gender", XPath: "f:Patient/f:gender",
			Modifiers: []string{"missing"}, Comparators: []string{"eq", "ne"},
			Components: []*SearchComponent{
				{Definition: "http://hl7.org/fhir/SearchParameter/x-code", Expression: "code"},
				{Definition: "http://hl7.org/fhir/SearchParameter/x-value", Expression: "value.as(Quantity)"},
			},
		}},
		ValueSets: []*ValueSet{{
			Canonical: Canonical{
				ID: "administrative-gender", URL: "http://hl7.org/fhir/ValueSet/administrative-gender",
				Name: "AdministrativeGender", Title: "AdministrativeGender", Description: "The gender of a person.",
			},
			Compose: &Compose{
				Include: []*ConceptSet{{
					System: "http://hl7.org/fhir/administrative-gender", Version: "4.0.1",
					Concepts:  []*ConceptRef{{Code: "male", Display: "Male"}, {Code: "female"}},
					Filters:   []*Filter{{Property: "concept", Op: "is-a", Value: "x"}},
					ValueSets: []string{"http://hl7.org/fhir/ValueSet/other"},
				}},
				Exclude: []*ConceptSet{{System: "http://hl7.org/fhir/administrative-gender", Concepts: []*ConceptRef{{Code: "unknown"}}}},
			},
			Expansion: []*ExpansionConcept{
				{Display: "Binary", Abstract: true},
				{System: "http://hl7.org/fhir/administrative-gender", Code: "male", Display: "Male"},
				{System: "http://hl7.org/fhir/administrative-gender", Code: "female", Display: "Female", Inactive: true},
				{System: "http://hl7.org/fhir/administrative-gender", Code: "other", Display: "Other"},
			},
		}},
		CodeSystems: []*CodeSystem{{
			Canonical: Canonical{
				ID: "administrative-gender", URL: "http://hl7.org/fhir/administrative-gender", Version: "4.0.1",
				Name: "AdministrativeGender", Title: "AdministrativeGender", Description: "The gender of a person.",
			},
			Content: "complete", CaseSensitive: true, HierarchyMeaning: "is-a",
			ValueSet: "http://hl7.org/fhir/ValueSet/administrative-gender",
			Concepts: []*Concept{
				{Code: "male", Display: "Male", Definition: "Male.", Concepts: []*Concept{
					{Code: "male-child", Display: "Boy", Concepts: []*Concept{{Code: "baby-boy"}}},
				}},
				{Code: "female", Display: "Female", Definition: "Female."},
			},
		}},
	}
	want = withoutPos(want)
	if !reflect.DeepEqual(d, want) {
		t.Errorf("definitions differ:\n got %s\nwant %s", dump(d), dump(want))
	}
}

// TestWrongTypes checks the errors for fields of the wrong type: each names the subject,
// the element and the position of the offending value.
func TestWrongTypes(t *testing.T) {
	tests := []struct {
		name     string
		resource string
		want     []string // diagnostics; "@X" stands for the position of the first "X" after the '@' marker in resource
	}{
		{
			name:     "min not a number",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":[{"path":"S.a","min":@"1","max":"1"}]}}`,
			want:     []string{`[wrong-type] x.json@": StructureDefinition/S S.a: min: expected a number, got string "1"`},
		},
		{
			name:     "min negative, max invalid",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":[{"path":"S.a","min":-1,"max":@"n"}]}}`,
			want: []string{
				`[invalid-value] x.json@": StructureDefinition/S S.a: max: expected "*" or a non-negative integer, got "n"`,
				`[invalid-value] x.json:1:101: StructureDefinition/S S.a: min: expected a non-negative integer, got -1`,
			},
		},
		{
			name:     "type not an array",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":[{"path":"S","type":@{"code":"string"}}]}}`,
			want:     []string{`[wrong-type] x.json@{: StructureDefinition/S S: type: expected an array, got an object`},
		},
		{
			name:     "type code and profile",
			resource: `{"resourceType":"StructureDefinition","name":"N","url":"u","differential":{"element":[{"path":"S","type":[{"code":"Reference","targetProfile":["a",@3]}]}]}}`,
			want:     []string{`[wrong-type] x.json@3: StructureDefinition/N S: type[0].targetProfile[1]: expected a string, got number 3`},
		},
		{
			name:     "snapshot.element not an array",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":@{}}}`,
			want:     []string{`[wrong-type] x.json@{: StructureDefinition/S: snapshot.element: expected an array, got an object`},
		},
		{
			name:     "element without path",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":[{"path":"S"},@{"min":"0"}]}}`,
			want: []string{
				`[missing-field] x.json@{: StructureDefinition/S snapshot.element[1]: element has no path`,
				`[wrong-type] x.json:1:101: StructureDefinition/S snapshot.element[1]: min: expected a number, got string "0"`,
			},
		},
		{
			name:     "element not an object",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","differential":{"element":[@"S"]}}`,
			want:     []string{`[wrong-type] x.json@": StructureDefinition/S: differential.element[0]: expected an object, got string "S"`},
		},
		{
			name:     "binding, extension and constraint fields",
			resource: `{"resourceType":"StructureDefinition","id":"S","url":"u","snapshot":{"element":[{"path":"S.b","binding":{"strength":@true,"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/elementdefinition-bindingName"}]},"constraint":[{"key":"k","expression":["x"]}],"isModifier":"no"}]}}`,
			want: []string{
				`[wrong-type] x.json@t: StructureDefinition/S S.b: binding.strength: expected a string, got boolean true`,
				`[missing-field] x.json:1:135: StructureDefinition/S S.b: binding.extension[0]: extension has no valueString`,
				`[wrong-type] x.json:1:255: StructureDefinition/S S.b: constraint[0].expression: expected a string, got an array`,
				`[wrong-type] x.json:1:276: StructureDefinition/S S.b: isModifier: expected a boolean, got string "no"`,
			},
		},
		{
			name:     "url not a string",
			resource: `{"resourceType":"CodeSystem","id":"C","url":@{"x":1}}`,
			want:     []string{`[wrong-type] x.json@{: CodeSystem/C: url: expected a string, got an object`},
		},
		{
			name:     "search parameter and value set fields",
			resource: `{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"SearchParameter","id":"P","url":"u","base":@"Patient","component":[{"expression":1}]}},{"resource":{"resourceType":"ValueSet","id":"V","url":"v","compose":{"include":[{"concept":{}}]},"expansion":{"contains":[{"code":"a","contains":[{"code":2}]}]}}},{"resource":5},{"resource":{"id":"x"}}]}`,
			want: []string{
				`[wrong-type] x.json@": SearchParameter/P: base: expected an array of strings, got string "Patient"`,
				`[wrong-type] x.json:1:144: SearchParameter/P: component[0].expression: expected a string, got number 1`,
				`[wrong-type] x.json:1:241: ValueSet/V: compose.include[0].concept: expected an array, got an object`,
				`[wrong-type] x.json:1:304: ValueSet/V: expansion.contains[0].contains[0].code: expected a string, got number 2`,
				`[wrong-type] x.json:1:325: Bundle: entry[2].resource: expected an object, got number 5`,
				`[not-a-resource] x.json:1:340: Bundle: entry[3].resource: not a FHIR resource (no resourceType)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := strings.Index(tt.resource, "@")
			data := strings.Replace(tt.resource, "@", "", 1)
			defs, diags := Load(mapFS(map[string]string{"x.json": data}), []string{"x.json"})
			_ = defs
			var want []string
			for _, w := range tt.want {
				if i := strings.Index(w, "x.json@"); i >= 0 {
					ch := w[i+len("x.json@")]
					off := at + strings.IndexByte(data[at:], ch)
					line, col := diag.LineCol([]byte(data), off)
					w = w[:i] + (diag.Pos{File: "x.json", Line: line, Col: col}).String() + w[i+len("x.json@")+1:]
				}
				want = append(want, w)
			}
			got := diagStrings(diags.Errors())
			if !slices.Equal(sortedCopy(got), sortedCopy(want)) {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
			}
		})
	}
}
