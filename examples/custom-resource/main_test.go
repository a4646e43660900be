package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/server"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

const reading = `{"resourceType":"DeviceReading","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"59408-5","display":"Oxygen saturation"}]},"subject":{"reference":"Patient/p1"},"effective":"2024-05-06T07:08:09+02:00","valueQuantity":{"value":97.0,"unit":"%","system":"http://unitsofmeasure.org","code":"%"},"note":[{"text":"left index finger"}]}`

func TestDecodeRoundTrip(t *testing.T) {
	var r fhir.DeviceReading
	if err := r.UnmarshalJSON([]byte(reading)); err != nil {
		t.Fatal(err)
	}
	q, ok := r.Value.(*fhir.Quantity)
	if !ok || q.Value != "97.0" || r.Status != "final" || r.Subject.Reference != "Patient/p1" {
		t.Fatalf("decoded: %+v", r)
	}
	out, _ := r.MarshalJSON()
	if string(out) != reading {
		t.Errorf("round trip:\n got %s\nwant %s", out, reading)
	}
	for _, bad := range []string{
		`{"resourceType":"DeviceReading","valueQuantity":{"value":1},"valueString":"x"}`, // two variants of value[x]
		`{"resourceType":"DeviceReading","colour":"red"}`,                                // unknown element
		`{"resourceType":"Observation","status":"final"}`,                                // another type
	} {
		var x fhir.DeviceReading
		var de *fhir.DecodeError
		if err := x.UnmarshalJSON([]byte(bad)); !errors.As(err, &de) {
			t.Errorf("%s: want a DecodeError, got %v", bad, err)
		}
	}
}

func TestValidate(t *testing.T) {
	cases := map[string]string{
		`{"resourceType":"DeviceReading","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"effective":"2024-05-06"}`:                     "drd-1",
		`{"resourceType":"DeviceReading","status":"bogus","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"effective":"2024-05-06","valueBoolean":true}`: "DeviceReading.status",
		`{"resourceType":"DeviceReading","status":"final","code":{"text":"x"},"effective":"2024-05-06","valueInteger":3}`:                                         "DeviceReading.subject",
		`{"resourceType":"DeviceReading","status":"final","code":{"text":"x"},"subject":{"reference":"Device/d1"},"effective":"2024-05-06","valueString":"ok"}`:   "DeviceReading.subject",
		`{"resourceType":"DeviceReading","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"effective":"2024-13-06","valueString":"ok"}`:  "DeviceReading.effective",
		`{"resourceType":"DeviceReading","status":"preliminary","code":{"text":"x"},"subject":{"reference":"Group/g"},"effective":"2024-05-06T07:08:09Z"}`:        "",
	}
	for in, want := range cases {
		var r fhir.DeviceReading
		if err := r.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatal(err)
		}
		err := r.Validate()
		if want == "" {
			if err != nil {
				t.Errorf("%s: %v", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error()+issues(err), want) {
			t.Errorf("%s: want an issue naming %s, got %v", in, want, err)
		}
	}
}

func issues(err error) string {
	var ve *fhir.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	var b strings.Builder
	for _, i := range ve.Issues {
		b.WriteString(i.Expression + " " + i.Message + "\n")
	}
	return b.String()
}

func TestSearchIndex(t *testing.T) {
	r, err := fhir.UnmarshalResource([]byte(reading))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]fhir.SearchEntry{}
	for _, e := range fhir.ExtractSearchIndex(r) {
		got[e.Param] = e
	}
	if e := got["status"]; e.Type != "token" || e.Code != "final" || e.System != "http://hl7.org/fhir/observation-status" {
		t.Errorf("status: %+v", e)
	}
	if e := got["code"]; e.Code != "59408-5" || e.System != "http://loinc.org" {
		t.Errorf("code: %+v", e)
	}
	if e := got["subject"]; e.ResourceType != "Patient" || e.ID != "p1" {
		t.Errorf("subject: %+v", e)
	}
	if e := got["effective"]; e.Start != "2024-05-06T05:08:09.000Z" || e.End != "2024-05-06T05:08:09.999Z" {
		t.Errorf("effective: %+v", e)
	}
}

// TestHTTP serves DeviceReading with the bulk export server's code on a real SQLite file
// over real HTTP on 127.0.0.1.
func TestHTTP(t *testing.T) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ts := httptest.NewServer(nil)
	ts.Config.Handler = server.Handler(&server.Service{Store: st}, nil, ts.URL, nil)
	defer ts.Close()
	do := func(method, path, body string, want int, headers ...string) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/fhir+json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, data)
		}
		return data
	}
	var created fhir.DeviceReading
	created.UnmarshalJSON(do("POST", "/DeviceReading", reading, 201))
	id := created.ID
	if id == "" || created.Meta.VersionID != "1" {
		t.Fatalf("created: %+v", created)
	}
	do("GET", "/DeviceReading/"+id, "", 200)
	for _, q := range []string{"subject=Patient/p1", "code=http://loinc.org|59408-5", "status=final", "effective=2024-05-06", "effective=gt2024-05-06T05:00:00Z"} {
		var b fhir.Bundle
		b.UnmarshalJSON(do("GET", "/DeviceReading?"+q, "", 200))
		if len(b.Entry) != 1 {
			t.Errorf("search %s: %d entries", q, len(b.Entry))
		}
	}
	var b fhir.Bundle
	b.UnmarshalJSON(do("GET", "/DeviceReading?effective=lt2024", "", 200))
	if len(b.Entry) != 0 {
		t.Errorf("effective=lt2024 matched")
	}
	do("POST", "/DeviceReading", `{"resourceType":"DeviceReading","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"effective":"2024-05-06"}`, 422) // drd-1
	upd := strings.Replace(reading, `"status":"final"`, `"id":"`+id+`","status":"amended"`, 1)
	do("PUT", "/DeviceReading/"+id, upd, 412, "If-Match", `W/"7"`)
	do("PUT", "/DeviceReading/"+id, upd, 200, "If-Match", `W/"1"`)
	b = fhir.Bundle{}
	b.UnmarshalJSON(do("GET", "/DeviceReading/"+id+"/_history", "", 200))
	if len(b.Entry) != 2 {
		t.Errorf("history: %d", len(b.Entry))
	}
	do("DELETE", "/DeviceReading/"+id, "", 204)
	do("GET", "/DeviceReading/"+id, "", 410)
	var cs fhir.CapabilityStatement
	cs.UnmarshalJSON(do("GET", "/metadata", "", 200))
	found := false
	for _, r := range cs.Rest[0].Resource {
		found = found || r.Type == "DeviceReading" && len(r.SearchParam) > 0
	}
	if !found {
		t.Error("metadata does not list DeviceReading with its search parameters")
	}
}
