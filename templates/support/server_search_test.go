package support

import (
	"net/url"
	"testing"
	"time"
)

var srvTestDefs = []ServerParamDef{
	{Code: "status", Type: "token"},
	{Code: "date", Type: "date"},
	{Code: "value", Type: "quantity"},
	{Code: "length", Type: "number"},
	{Code: "subject", Type: "reference", Targets: []string{"Patient", "Group"}},
	{Code: "name", Type: "string"},
	{Code: "url", Type: "uri"},
	{Code: "combo", Type: "composite", Components: []ServerParamDef{{Type: "token"}, {Type: "quantity"}}},
}

func srvParse(t *testing.T, q string) *ServerQuery {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(string) []ServerParamDef { return []ServerParamDef{{Code: "name", Type: "string"}} }
	sq, err := ServerParseQuery(v, srvTestDefs, lookup, false)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return sq
}

func TestServerParseQuery(t *testing.T) {
	q := srvParse(t, "status=http://s|a,|b,http://s|&status:not=c")
	if len(q.Params) != 2 || len(q.Params[0].Values) != 3 {
		t.Fatalf("%+v", q.Params)
	}
	v := q.Params[0].Values
	if v[0].System != "http://s" || v[0].Code != "a" || !v[1].HasSystem || v[1].System != "" || v[1].Code != "b" || v[2].Code != "" {
		t.Errorf("tokens %+v", v)
	}
	if q.Params[1].Modifier != "not" {
		t.Errorf("modifier %q", q.Params[1].Modifier)
	}
	d := srvParse(t, "date=ge2024-02").Params[0].Values[0]
	if d.Prefix != "ge" || !d.Start.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) || !d.End.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %+v", d)
	}
	n := srvParse(t, "length=100").Params[0].Values[0]
	if n.Low != 99.5 || n.High != 100.5 {
		t.Errorf("number precision %+v", n)
	}
	qv := srvParse(t, "value=lt5.4|http://unitsofmeasure.org|mg").Params[0].Values[0]
	if qv.Prefix != "lt" || qv.Number != "5.4" || qv.Code != "mg" {
		t.Errorf("quantity %+v", qv)
	}
	r := srvParse(t, "subject=Patient/1,2,http://x.org/fhir/Patient/3&subject:Group=4").Params
	if r[0].Values[0].RefType != "Patient" || r[0].Values[1].RefID != "2" || r[0].Values[2].URL == "" || r[1].Values[0].RefType != "Group" {
		t.Errorf("references %+v", r)
	}
	c := srvParse(t, "subject:Patient.name=peter").Params[0]
	if c.Code != "subject" || len(c.Chain) != 1 || c.Chain[0].Code != "name" || c.Type != "reference" || c.Values[0].Raw != "peter" {
		t.Errorf("chain %+v", c)
	}
	m := srvParse(t, "name:missing=true").Params[0].Values[0]
	if !m.Missing {
		t.Errorf("missing %+v", m)
	}
	comp := srvParse(t, "combo=a|b$gt5").Params[0].Values[0]
	if len(comp.Components) != 2 || comp.Components[1].Prefix != "gt" {
		t.Errorf("composite %+v", comp)
	}
	all := srvParse(t, "_count=2&_sort=-date,status&_summary=count&_total=accurate&_include=Obs:subject&_revinclude=Provenance:target&_elements=a,b&_id=x&_lastUpdated=gt2024")
	if all.Count != 2 || len(all.Sort) != 2 || !all.Sort[0].Desc || all.Summary != "count" || all.Total != "accurate" ||
		len(all.Include) != 1 || len(all.RevInclude) != 1 || len(all.Elements) != 2 || len(all.Params) != 2 {
		t.Errorf("result parameters %+v", all)
	}
	for _, bad := range []string{"bogus=1", "status:exact=a", "date=2024-13", "length=abc", "subject=Practitioner/1", "_count=-1", "name:missing=maybe", "_sort=nope", "combo=a", "status.x=1"} {
		v, _ := url.ParseQuery(bad)
		_, err := ServerParseQuery(v, srvTestDefs, nil, false)
		if err == nil {
			t.Errorf("%s: no error", bad)
		} else if qe, ok := err.(*ServerQueryError); !ok || qe.Param == "" {
			t.Errorf("%s: %v", bad, err)
		}
		lq, err := ServerParseQuery(v, srvTestDefs, nil, true)
		if err != nil || len(lq.Ignored) != 1 {
			t.Errorf("%s lenient: %v %v", bad, err, lq)
		}
	}
}

func TestServerApplyPatch(t *testing.T) {
	doc := `{"a":1.50,"b":[1,2],"c":{"d":"x"}}`
	out, err := ServerApplyPatch([]byte(doc), []byte(`[
		{"op":"add","path":"/b/-","value":3},{"op":"remove","path":"/b/0"},
		{"op":"replace","path":"/c/d","value":"<y>"},{"op":"copy","from":"/a","path":"/e"},
		{"op":"move","from":"/e","path":"/f"},{"op":"test","path":"/a","value":1.5}]`))
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"a":1.50,"b":[2,3],"c":{"d":"<y>"},"f":1.50}` {
		t.Errorf("patched: %s", out)
	}
	for _, bad := range []string{`[{"op":"test","path":"/a","value":2}]`, `[{"op":"remove","path":"/zz"}]`, `[{"op":"nope","path":"/a"}]`, `{}`} {
		if _, err := ServerApplyPatch([]byte(doc), []byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestServerCursor(t *testing.T) {
	if n, ok := ServerParseCursor(ServerCursor(42)); !ok || n != 42 {
		t.Error(n, ok)
	}
	if _, ok := ServerParseCursor("!!"); ok {
		t.Error("bad cursor accepted")
	}
}
