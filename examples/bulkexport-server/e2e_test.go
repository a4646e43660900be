package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/internal/pgtest"
)

// The end-to-end test builds the real server binary, starts it on 127.0.0.1 (a free port)
// on a fresh SQLite file and on a real PostgreSQL server, and drives it over HTTP with
// plain requests and with fhir-kit-client (e2e/client.mjs), a FHIR client this project
// did not write.

func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bulkexport-server")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a running server.
type proc struct {
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
	mu   *sync.Mutex
	done chan error
}

var baseRE = regexp.MustCompile(`msg="serving FHIR" base=(\S+)`)

func startServer(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0", "-retry-after", "1s"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: &bytes.Buffer{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	baseCh := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			if m := baseRE.FindStringSubmatch(line); m != nil {
				baseCh <- m[1]
			}
		}
		p.done <- cmd.Wait()
	}()
	select {
	case p.base = <-baseCh:
	case err := <-p.done:
		t.Fatalf("server exited at start: %v\n%s", err, p.logs())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not start\n%s", p.logs())
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

func (p *proc) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// stop sends SIGTERM and expects a clean exit.
func (p *proc) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("server exit: %v\n%s", err, p.logs())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not shut down\n%s", p.logs())
	}
	if !strings.Contains(p.logs(), `msg=stopped`) {
		t.Errorf("no graceful stop in the log:\n%s", p.logs())
	}
}

// client is a tiny FHIR JSON client over real HTTP.
type client struct {
	t    *testing.T
	base string
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (c client) do(method, path string, body []byte, headers ...string) response {
	c.t.Helper()
	url := path
	if !strings.HasPrefix(path, "http") {
		url = c.base + path
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/fhir+json")
	}
	req.Header.Set("Accept", "application/fhir+json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, data}
}

func (c client) want(r response, status int, what string) response {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("%s: status %d, want %d: %s", what, r.status, status, r.body)
	}
	return r
}

func (c client) create(res string) (id string) {
	c.t.Helper()
	r := c.want(c.do("POST", "/"+strings.SplitN(strings.SplitN(res, `"resourceType":"`, 2)[1], `"`, 2)[0], []byte(res)), 201, "create")
	var m struct{ ID string }
	json.Unmarshal(r.body, &m)
	return m.ID
}

func bundleOf(t *testing.T, data []byte) *fhir.Bundle {
	t.Helper()
	var b fhir.Bundle
	if err := b.UnmarshalJSON(data); err != nil {
		t.Fatalf("not a Bundle: %v: %s", err, data)
	}
	return &b
}

func ids(b *fhir.Bundle) []string {
	var out []string
	for _, e := range b.Entry {
		if e.Resource != nil && e.Search != nil && e.Search.Mode == "match" {
			out = append(out, strings.TrimPrefix(e.FullURL[strings.LastIndex(e.FullURL, "/"):], "/"))
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func TestEndToEnd(t *testing.T) {
	bin := buildServer(t)
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		endToEnd(t, bin, filepath.Join(dir, "fhir.db"), "-export-dir", filepath.Join(dir, "exports"))
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Start(t)
		endToEnd(t, bin, url, "-export-dir", filepath.Join(t.TempDir(), "exports"))
	})
}

func endToEnd(t *testing.T, bin, db string, extra ...string) {
	args := append([]string{"-db", db, "-export-file-bytes", "500"}, extra...)
	p := startServer(t, bin, args...)
	c := client{t, p.base}

	// metadata
	r := c.want(c.do("GET", "/metadata", nil), 200, "metadata")
	var cs fhir.CapabilityStatement
	if err := cs.UnmarshalJSON(r.body); err != nil || cs.FhirVersion != "4.0.1" {
		t.Fatalf("metadata: %v %s", err, r.body)
	}
	if ve := (*fhir.ValidationError)(nil); errors.As(cs.Validate(), &ve) && ve.HasErrors() {
		t.Errorf("GET /metadata is not a valid CapabilityStatement: %v", ve)
	}
	for _, res := range cs.Rest[0].Resource {
		for _, p := range res.SearchParam {
			if p.Type == "composite" || p.Type == "special" || p.Name == "_text" || p.Name == "_content" {
				t.Errorf("metadata advertises %s %s (%s), which this server does not answer", res.Type, p.Name, p.Type)
			}
		}
	}

	// the real FHIR client
	kitClient(t, p.base)

	// CRUD, history, search by plain requests
	pats := []string{
		c.create(`{"resourceType":"Patient","identifier":[{"system":"https://example.org/mrn","value":"e2e-1"}],"name":[{"family":"Zoë","given":["Anna"]}],"gender":"female","birthDate":"1970-05-06"}`),
		c.create(`{"resourceType":"Patient","name":[{"family":"Young","given":["Bob"]}],"gender":"male","birthDate":"1999-01-02"}`),
		c.create(`{"resourceType":"Patient","name":[{"family":"Zimmer"}],"gender":"other","birthDate":"1985"}`),
	}
	obs := func(pid, code, when string) string {
		return c.create(fmt.Sprintf(`{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}`, code, pid, when))
	}
	o1 := obs(pats[0], "8867-4", "2024-01-10T08:00:00Z")
	o2 := obs(pats[0], "8310-5", "2024-03-01T08:00:00Z")
	o3 := obs(pats[1], "8867-4", "2023-07-01")
	orphan := c.create(`{"resourceType":"Observation","status":"final","code":{"text":"no subject"}}`)
	c.create(fmt.Sprintf(`{"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/%s"}}`, pats[0]))
	c.create(fmt.Sprintf(`{"resourceType":"Condition","subject":{"reference":"Patient/%s"},"code":{"text":"asthma"}}`, pats[1]))
	group := c.create(fmt.Sprintf(`{"resourceType":"Group","type":"person","actual":true,"member":[{"entity":{"reference":"Patient/%s"}}]}`, pats[1]))

	search := func(q string) []string { return ids(bundleOf(t, c.want(c.do("GET", q, nil), 200, q).body)) }
	check := func(q string, want ...string) {
		t.Helper()
		if got := search(q); !slices.Equal(got, sorted(want...)) {
			t.Errorf("%s: got %v, want %v", q, got, sorted(want...))
		}
	}
	check("/Patient?identifier=https://example.org/mrn|e2e-1", pats[0])
	check("/Patient?identifier=e2e-1", pats[0])
	check("/Patient?gender=male", pats[1])
	check("/Patient?family=zo", pats[0]) // prefix, accents folded
	check("/Patient?family:exact=Zoë", pats[0])
	check("/Patient?family=z&birthdate=ge1980", pats[2])
	check("/Patient?birthdate=1985-06") // 1985 is not within June 1985
	check("/Patient?birthdate=ap1985", pats[2])
	check("/Observation?subject=Patient/"+pats[0], o1, o2)
	check("/Observation?patient="+pats[1], o3)
	check("/Observation?code=http://loinc.org|8867-4", o1, o3)
	check("/Observation?date=ge2024-01-01&date=lt2024-02", o1)
	check("/Observation?date=lt2024", o3)
	check("/Observation?_id="+o2+","+orphan, o2, orphan)
	check("/Observation?_lastUpdated=gt2000-01-01&code=8310-5", o2)
	check("/Group?member=Patient/"+pats[1], group)

	// _sort, _count paging, _total, _summary=count
	b := bundleOf(t, c.want(c.do("GET", "/Observation?subject:Patient="+pats[0]+"&_sort=-date", nil), 200, "sort").body)
	if len(b.Entry) != 2 || !strings.HasSuffix(b.Entry[0].FullURL, o2) {
		t.Errorf("_sort=-date: %v", ids(b))
	}
	b = bundleOf(t, c.want(c.do("GET", "/Patient?_sort=family&_count=2&family=z,y", nil), 200, "sort family").body)
	if len(b.Entry) != 2 || !strings.HasSuffix(b.Entry[0].FullURL, pats[1]) || !strings.HasSuffix(b.Entry[1].FullURL, pats[2]) {
		t.Errorf("_sort=family: %v", ids(b))
	}
	var next string
	for _, l := range b.Link {
		if l.Relation == "next" {
			next = string(l.URL)
		}
	}
	if next == "" {
		t.Fatalf("no next link: %+v", b.Link)
	}
	if got := ids(bundleOf(t, c.want(c.do("GET", next, nil), 200, "next").body)); !slices.Equal(got, []string{pats[0]}) {
		t.Errorf("second page: %v", got)
	}
	b = bundleOf(t, c.want(c.do("GET", "/Observation?code=8867-4&_summary=count", nil), 200, "count").body)
	if b.Total == nil || *b.Total != 2 || len(b.Entry) != 0 {
		t.Errorf("_summary=count: %+v", b)
	}
	b = bundleOf(t, c.want(c.do("GET", "/Observation?_count=1&_total=accurate", nil), 200, "total").body)
	if b.Total == nil || len(b.Entry) != 1 || *b.Total < 4 {
		t.Errorf("_total=accurate: %v", b.Total)
	}
	c.want(c.do("GET", "/Observation?value-quantity=72", nil), 200, "quantity search")
	c.want(c.do("GET", "/Observation?subject.name=x", nil), 400, "chained search is refused")
	c.want(c.do("GET", "/Patient?bogus=1", nil), 400, "unknown parameter")

	// update with If-Match, vread, history, delete
	patch := `{"resourceType":"Patient","id":"` + pats[1] + `","name":[{"family":"Young","given":["Robert"]}],"gender":"male","birthDate":"1999-01-02"}`
	c.want(c.do("PUT", "/Patient/"+pats[1], []byte(patch), "If-Match", `W/"9"`), 412, "stale If-Match")
	r = c.want(c.do("PUT", "/Patient/"+pats[1], []byte(patch), "If-Match", `W/"1"`), 200, "update")
	if r.header.Get("ETag") != `W/"2"` {
		t.Errorf("ETag after update: %q", r.header.Get("ETag"))
	}
	c.want(c.do("GET", "/Patient/"+pats[1]+"/_history/1", nil), 200, "vread")
	h := bundleOf(t, c.want(c.do("GET", "/Patient/"+pats[1]+"/_history", nil), 200, "history").body)
	if h.Type != "history" || len(h.Entry) != 2 {
		t.Errorf("history: %d entries", len(h.Entry))
	}
	check("/Patient?given=robert", pats[1])
	check("/Patient?given=bob")
	c.want(c.do("DELETE", "/Condition?subject=Patient/"+pats[1], nil), 204, "conditional delete")
	c.want(c.do("DELETE", "/Observation/"+orphan, nil), 204, "delete")
	c.want(c.do("GET", "/Observation/"+orphan, nil), 410, "read deleted")
	c.want(c.do("GET", "/Patient/no_such", nil), 400, "an id that is not a FHIR id")

	// an invalid create: 422 with every issue
	r = c.want(c.do("POST", "/Patient", []byte(`{"resourceType":"Patient","gender":"bogus","birthDate":"1970-13-01"}`)), 422, "invalid create")
	var oo fhir.OperationOutcome
	if err := oo.UnmarshalJSON(r.body); err != nil || len(oo.Issue) < 2 {
		t.Errorf("422 outcome: %v %s", err, r.body)
	}

	// 50 concurrent If-Match updaters: every one's change survives
	concurrentUpdaters(t, c, pats[2], 50)

	// exports
	all := func(typ string) []string {
		return search("/" + typ + "?_count=1000")
	}
	sys := runExport(t, c, "/$export?_type=Patient,Observation", "")
	wantExport(t, c, sys, map[string][]string{"Patient": all("Patient"), "Observation": all("Observation")})
	if n := len(sys.Output); n < 3 {
		t.Errorf("want the output split in several files (-export-file-bytes 500), got %d", n)
	}
	pat := runExport(t, c, "/Patient/$export?_type=Patient,Observation", "")
	wantObs := search("/Observation?subject:missing=false&_count=1000")
	wantExport(t, c, pat, map[string][]string{"Patient": all("Patient"), "Observation": wantObs})
	grp := runExport(t, c, "/Group/"+group+"/$export", "")
	wantExport(t, c, grp, map[string][]string{"Patient": {pats[1]}, "Observation": {o3}, "Group": {group}, "Encounter": nil, "Condition": nil})
	post := runExport(t, c, "/$export", `{"resourceType":"Parameters","parameter":[{"name":"_type","valueString":"Encounter"},{"name":"_outputFormat","valueString":"application/fhir+ndjson"}]}`)
	wantExport(t, c, post, map[string][]string{"Encounter": all("Encounter")})

	c.want(c.do("GET", "/$export", nil), 400, "no Prefer: respond-async")
	c.want(c.do("GET", "/$export?_outputFormat=text/csv", nil, "Prefer", "respond-async"), 400, "bad _outputFormat")
	c.want(c.do("GET", "/$export?_type=Medication", nil, "Prefer", "respond-async"), 400, "unknown _type")
	c.want(c.do("GET", "/Group/nope/$export", nil, "Prefer", "respond-async"), 404, "unknown Group")

	// a second export, cancelled
	r = c.want(c.do("GET", "/$export", nil, "Prefer", "respond-async"), 202, "kick-off")
	status := r.header.Get("Content-Location")
	c.want(c.do("DELETE", status, nil), 202, "cancel")
	c.want(c.do("GET", status, nil), 404, "poll a cancelled export")
	c.want(c.do("DELETE", status, nil), 404, "cancel twice")
	var job fhir.BulkDataExport
	job.UnmarshalJSON(c.want(c.do("GET", "/BulkDataExport/"+status[strings.LastIndex(status, "/")+1:], nil), 200, "job record").body)
	if job.Status != fhir.AsyncJobStatusCancelled {
		t.Errorf("cancelled job status %q", job.Status)
	}

	// restart: everything is still there; a forced failure gives status error
	before := all("Observation")
	p.stop(t)
	p = startServer(t, bin, append(args, "-export-max-bytes", "300")...)
	c = client{t, p.base}
	for _, id := range pats {
		c.want(c.do("GET", "/Patient/"+id, nil), 200, "read after restart")
	}
	c.want(c.do("GET", "/Observation/"+orphan, nil), 410, "tombstone after restart")
	if got := all("Observation"); !slices.Equal(got, before) {
		t.Errorf("observations after restart: %v, before: %v", got, before)
	}
	failed := runExport(t, c, "/$export?_type=Observation", "")
	if len(failed.Error) != 1 || failed.Error[0].Type != "OperationOutcome" {
		t.Fatalf("error[] of a failed export: %+v", failed.Error)
	}
	lines := ndjson(t, c, failed.Error[0].URL)
	if o, ok := lines[0].(*fhir.OperationOutcome); !ok || !strings.Contains(o.Issue[0].Diagnostics, "limit") {
		t.Errorf("error file: %#v", lines[0])
	}
	p.stop(t)
}

func concurrentUpdaters(t *testing.T, c client, id string, n int) {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for attempt := 0; attempt < 500; attempt++ {
				req, _ := http.NewRequest("GET", c.base+"/Patient/"+id, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				data, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				etag := resp.Header.Get("ETag")
				var pt fhir.Patient
				if err := pt.UnmarshalJSON(data); err != nil {
					errs <- err
					return
				}
				pt.Identifier = append(pt.Identifier, fhir.Identifier{System: "https://example.org/writer", Value: fmt.Sprint(i)})
				body, _ := pt.MarshalJSON()
				put, _ := http.NewRequest("PUT", c.base+"/Patient/"+id, bytes.NewReader(body))
				put.Header.Set("Content-Type", "application/fhir+json")
				put.Header.Set("If-Match", etag)
				resp, err = http.DefaultClient.Do(put)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch resp.StatusCode {
				case 200:
					return
				case 412:
					continue // someone else wrote first: read again
				default:
					errs <- fmt.Errorf("writer %d: status %d", i, resp.StatusCode)
					return
				}
			}
			errs <- fmt.Errorf("writer %d never got its update in", i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var pt fhir.Patient
	pt.UnmarshalJSON(c.want(c.do("GET", "/Patient/"+id, nil), 200, "read").body)
	seen := map[string]bool{}
	for _, idf := range pt.Identifier {
		if idf.System == "https://example.org/writer" {
			if seen[idf.Value] {
				t.Errorf("writer %s twice", idf.Value)
			}
			seen[idf.Value] = true
		}
	}
	if len(seen) != n {
		t.Errorf("lost updates: %d of %d writers' identifiers are there", len(seen), n)
	}
	if pt.Meta.VersionID != fmt.Sprint(n+1) {
		t.Errorf("version %s after %d updates", pt.Meta.VersionID, n)
	}
}

// runExport kicks off an export, polls it to the end, and returns the job (the manifest,
// or the record for a job that failed: want "error").
func runExport(t *testing.T, c client, path, body string) *fhir.BulkDataExport {
	t.Helper()
	method := "GET"
	var b []byte
	if body != "" {
		method, b = "POST", []byte(body)
	}
	r := c.want(c.do(method, path, b, "Prefer", "respond-async"), 202, "kick-off "+path)
	status := r.header.Get("Content-Location")
	if status == "" {
		t.Fatalf("kick-off %s: no Content-Location", path)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		r = c.do("GET", status, nil)
		switch r.status {
		case 202:
			if r.header.Get("Retry-After") == "" || r.header.Get("X-Progress") == "" {
				t.Errorf("202 without Retry-After or X-Progress: %v", r.header)
			}
			time.Sleep(200 * time.Millisecond)
			continue
		case 200:
			var job fhir.BulkDataExport
			if err := job.UnmarshalJSON(r.body); err != nil {
				t.Fatalf("manifest: %v: %s", err, r.body)
			}
			if job.Status != fhir.AsyncJobStatusCompleted || job.TransactionTime == "" || job.Request == "" || job.RequiresAccessToken == nil {
				t.Errorf("manifest: %s", r.body)
			}
			return &job
		case 500:
			id := status[strings.LastIndex(status, "/")+1:]
			var job fhir.BulkDataExport
			job.UnmarshalJSON(c.want(c.do("GET", "/BulkDataExport/"+id, nil), 200, "job").body)
			if job.Status != fhir.AsyncJobStatusError {
				t.Fatalf("500 poll but job status %q", job.Status)
			}
			return &job
		default:
			t.Fatalf("poll %s: %d %s", status, r.status, r.body)
		}
	}
	t.Fatalf("export %s did not finish", path)
	return nil
}

// ndjson downloads one export file and decodes every line with the generated package.
func ndjson(t *testing.T, c client, url string) []fhir.Resource {
	t.Helper()
	r := c.want(c.do("GET", url, nil), 200, "download "+url)
	if ct := r.header.Get("Content-Type"); ct != "application/fhir+ndjson" {
		t.Errorf("%s: Content-Type %q", url, ct)
	}
	var out []fhir.Resource
	for i, line := range bytes.Split(bytes.TrimSuffix(r.body, []byte("\n")), []byte("\n")) {
		res, err := fhir.UnmarshalResource(line)
		if err != nil {
			t.Fatalf("%s line %d: %v", url, i+1, err)
		}
		out = append(out, res)
	}
	return out
}

// wantExport checks that the job's files hold exactly the wanted resources, once each.
func wantExport(t *testing.T, c client, job *fhir.BulkDataExport, want map[string][]string) {
	t.Helper()
	got := map[string][]string{}
	for _, o := range job.Output {
		for _, res := range ndjson(t, c, o.URL) {
			if res.ResourceType() != string(o.Type) {
				t.Errorf("%s holds a %s", o.URL, res.ResourceType())
			}
			data, _ := res.MarshalJSON()
			var m struct{ ID string }
			json.Unmarshal(data, &m)
			got[string(o.Type)] = append(got[string(o.Type)], m.ID)
		}
	}
	for typ, ids := range want {
		g := got[typ]
		slices.Sort(g)
		if !slices.Equal(g, sorted(ids...)) {
			t.Errorf("export %s: %s: got %d %v, want %d %v", job.Request, typ, len(g), g, len(ids), sorted(ids...))
		}
	}
	for typ := range got {
		if _, ok := want[typ]; !ok {
			t.Errorf("export %s: unexpected type %s", job.Request, typ)
		}
	}
}

// kitClient runs e2e/client.mjs (fhir-kit-client) against the server.
func kitClient(t *testing.T, base string) {
	t.Helper()
	dir := os.Getenv("FHIRKIT_DIR")
	if dir == "" {
		dir, _ = filepath.Abs("../../.cache/fhirkit")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "fhir-kit-client")); err != nil {
		if out, err := exec.Command("sh", "e2e/install.sh").CombinedOutput(); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("installing fhir-kit-client: %v\n%s", err, out)
			}
			t.Logf("fhir-kit-client part skipped: e2e/install.sh failed (npm needed): %v\n%s", err, out)
			return
		}
	}
	script, err := os.ReadFile("e2e/client.mjs")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "client.mjs"), script, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("node", filepath.Join(dir, "client.mjs"), base)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("fhir-kit-client: %v\n%s\n%s", err, out, stderr)
	}
	checkKit(t, out)
}

// kitResult is what e2e/client.mjs prints.
type kitResult struct {
	FhirVersion string
	Types       []string
	Patient     struct{ ID, Version, ReadFamily, UpdatedVersion, VReadBirthDate string }
	Observation struct{ ID string }
	Searches    map[string]struct {
		Total int
		IDs   []string
	}
	History []string
	Invalid struct {
		Status int
		Issues []struct {
			Severity, Code string
			Expression     []string
		}
	}
	Deleted struct{ DeleteStatus, ReadStatus int }
}

func checkKit(t *testing.T, out []byte) {
	t.Helper()
	var k kitResult
	if err := json.Unmarshal(out, &k); err != nil {
		t.Fatalf("fhir-kit-client output: %v: %s", err, out)
	}
	t.Logf("fhir-kit-client: %s", out)
	if k.FhirVersion != "4.0.1" || !slices.Contains(k.Types, "Patient") || !slices.Contains(k.Types, "Observation") {
		t.Errorf("kit: capability statement: %s %v", k.FhirVersion, k.Types)
	}
	p := k.Patient
	if p.ID == "" || p.Version != "1" || p.ReadFamily != "Kit" || p.UpdatedVersion != "2" || p.VReadBirthDate != "1980-02-03" {
		t.Errorf("kit: CRUD: %+v", p)
	}
	want := map[string][]string{
		"family": {p.ID}, "identifier": {p.ID}, "subject": {k.Observation.ID}, "dateGe": {k.Observation.ID},
		"dateLt": nil, "code": {k.Observation.ID},
	}
	for name, ids := range want {
		got := k.Searches[name]
		if got.Total != len(ids) || !slices.Equal(got.IDs, ids) && len(ids) > 0 {
			t.Errorf("kit: search %s: %+v, want %v", name, got, ids)
		}
	}
	if !slices.Equal(k.History, []string{"2", "1"}) {
		t.Errorf("kit: history %v", k.History)
	}
	found := false
	for _, i := range k.Invalid.Issues {
		found = found || i.Severity == "error" && i.Code == "code-invalid" && slices.Equal(i.Expression, []string{"Patient.gender"})
	}
	if k.Invalid.Status != 422 || !found {
		t.Errorf("kit: invalid create: %+v", k.Invalid)
	}
	if k.Deleted.DeleteStatus != 200 || k.Deleted.ReadStatus != 410 {
		t.Errorf("kit: delete: %+v", k.Deleted)
	}
}
