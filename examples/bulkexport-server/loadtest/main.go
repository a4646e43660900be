// Command loadtest measures the bulk export server on SQLite and PostgreSQL side by side,
// in one run: bulk load of generated, realistic resources (with indexing), search latency
// (token, date range, reference), $export of everything (MB/s of NDJSON and the server's
// peak RSS), and read throughput over loopback beside a bare net/http handler serving the
// same bytes.
//
//	go run ./examples/bulkexport-server/loadtest -n 100000
//
// PostgreSQL is a private server started with internal/pgtest (or -pg URL). The server is
// the real binary, built here, started with request logging off (-log-level warn).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/server"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
	"github.com/fhirgen/fhirgen/internal/pgtest"
)

var (
	n        = flag.Int("n", 100000, "resources to load (a tenth are Patients)")
	searches = flag.Int("searches", 300, "requests per search kind")
	readFor  = flag.Duration("read", 5*time.Second, "duration of each read-throughput run")
	clients  = flag.Int("clients", 8, "concurrent clients of the read-throughput runs")
	pgURL    = flag.String("pg", "", "PostgreSQL URL (default: a private server started here)")
	only     = flag.String("only", "sqlite,postgres", "backends to measure")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

type result struct {
	backend                string
	loadPerSec             float64
	loadTook               time.Duration
	p50, p99               map[string]time.Duration
	exportMBs              float64
	exportBytes            int64
	exportTook             time.Duration
	peakRSS                int64
	readRPS, bareRPS       float64
	readP50, readBareP50   time.Duration
	exportedResources, all int
}

func run() error {
	work, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "bulkexport-server")
	if out, err := exec.Command("go", "build", "-o", bin, "./examples/bulkexport-server").CombinedOutput(); err != nil {
		return fmt.Errorf("go build (run from the repository root): %v\n%s", err, out)
	}
	data := filepath.Join(work, "data")
	os.MkdirAll(data, 0o755)
	gen := generate(*n)
	fmt.Fprintf(os.Stderr, "generated %d resources (%d Patients)\n", len(gen.lines), len(gen.patients))

	var results []result
	for _, backend := range strings.Split(*only, ",") {
		db := ""
		switch backend {
		case "sqlite":
			db = filepath.Join(work, "fhir.db")
		case "postgres":
			db = *pgURL
			if db == "" {
				pgbin, err := pgtest.Find()
				if err != nil {
					return err
				}
				s, err := pgtest.StartServer(pgbin)
				if err != nil {
					return err
				}
				defer s.Stop()
				db = s.URL
			}
		default:
			return fmt.Errorf("unknown backend %q", backend)
		}
		r, err := measure(backend, bin, db, filepath.Join(work, backend+"-exports"), gen)
		if err != nil {
			return fmt.Errorf("%s: %w", backend, err)
		}
		results = append(results, r)
	}
	report(results)
	return nil
}

type dataset struct {
	lines    [][]byte
	patients []string
	codes    []string
}

var loinc = []string{"8867-4", "8310-5", "8480-6", "8462-4", "29463-7", "8302-2", "2339-0", "718-7"}

// generate makes n resources: per Patient, six Observations, two Encounters, one
// Condition, with names, identifiers, codes and dates spread over ten years.
func generate(n int) dataset {
	rng := rand.New(rand.NewPCG(1, 2))
	families := []string{"Smith", "García", "Müller", "Nguyen", "Okafor", "Kowalski", "Rossi", "Tanaka", "Dubois", "Andersen"}
	given := []string{"Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas"}
	var ds dataset
	ds.codes = loinc
	day := func() time.Time {
		return time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(3650*24)) * time.Hour)
	}
	for p := 0; len(ds.lines) < n; p++ {
		pid := fmt.Sprintf("pat-%06d", p)
		ds.patients = append(ds.patients, pid)
		ds.lines = append(ds.lines, fmt.Appendf(nil, `{"resourceType":"Patient","id":"%s","identifier":[{"system":"https://example.org/mrn","value":"MRN%06d"}],"active":true,"name":[{"use":"official","family":"%s","given":["%s"]}],"telecom":[{"system":"phone","value":"+1-555-%04d","use":"home"}],"gender":"%s","birthDate":"%d-%02d-%02d","address":[{"line":["%d Main St"],"city":"Springfield","postalCode":"%05d","country":"US"}]}`,
			pid, p, families[rng.IntN(len(families))], given[rng.IntN(len(given))], p%10000, []string{"male", "female", "other"}[rng.IntN(3)], 1930+rng.IntN(90), 1+rng.IntN(12), 1+rng.IntN(28), 1+rng.IntN(999), rng.IntN(99999)))
		for e := 0; e < 2 && len(ds.lines) < n; e++ {
			t := day()
			ds.lines = append(ds.lines, fmt.Appendf(nil, `{"resourceType":"Encounter","id":"enc-%06d-%d","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},"subject":{"reference":"Patient/%s"},"period":{"start":"%s","end":"%s"}}`,
				p, e, pid, t.Format(time.RFC3339), t.Add(40*time.Minute).Format(time.RFC3339)))
		}
		if len(ds.lines) < n {
			ds.lines = append(ds.lines, fmt.Appendf(nil, `{"resourceType":"Condition","id":"cond-%06d","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}]},"subject":{"reference":"Patient/%s"},"onsetDateTime":"%s"}`,
				p, pid, day().Format("2006-01-02")))
		}
		for o := 0; o < 6 && len(ds.lines) < n; o++ {
			code := loinc[rng.IntN(len(loinc))]
			ds.lines = append(ds.lines, fmt.Appendf(nil, `{"resourceType":"Observation","id":"obs-%06d-%d","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","valueQuantity":{"value":%d.%d,"unit":"1","system":"http://unitsofmeasure.org","code":"1"}}`,
				p, o, code, pid, day().Format(time.RFC3339), 40+rng.IntN(100), rng.IntN(10)))
		}
	}
	return ds
}

func measure(backend, bin, db, exports string, ds dataset) (result, error) {
	r := result{backend: backend, p50: map[string]time.Duration{}, p99: map[string]time.Duration{}, all: len(ds.lines)}
	ctx := context.Background()
	st, err := openStore(ctx, db)
	if err != nil {
		return r, err
	}
	// Bulk load through the same Loader as -load: decode, validate, index, 500 per transaction.
	l := &server.Loader{Store: st, Types: []string{"Patient", "Observation", "Encounter", "Condition"}}
	start := time.Now()
	for i, line := range ds.lines {
		if err := l.Add(ctx, line, fmt.Sprint("line ", i+1)); err != nil {
			return r, err
		}
	}
	if err := l.Flush(ctx); err != nil {
		return r, err
	}
	r.loadTook = time.Since(start)
	r.loadPerSec = float64(l.Loaded) / r.loadTook.Seconds()
	st.Close()
	fmt.Fprintf(os.Stderr, "%s: loaded %d in %v\n", backend, l.Loaded, r.loadTook.Round(time.Millisecond))

	p, err := start1(bin, "-db", db, "-export-dir", exports, "-log-level", "warn")
	if err != nil {
		return r, err
	}
	defer p.stop()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	get := func(u string) (int, []byte, time.Duration, error) {
		t := time.Now()
		resp, err := hc.Get(u)
		if err != nil {
			return 0, nil, 0, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, body, time.Since(t), err
	}

	rng := rand.New(rand.NewPCG(3, 4))
	kinds := map[string]func() string{
		"token": func() string {
			return "/Observation?code=http://loinc.org|" + ds.codes[rng.IntN(len(ds.codes))] + "&_count=20"
		},
		"date": func() string {
			d := time.Date(2016+rng.IntN(8), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
			return "/Observation?date=ge" + d.Format("2006-01-02") + "&date=lt" + d.AddDate(0, 1, 0).Format("2006-01-02") + "&_count=20"
		},
		"reference": func() string {
			return "/Observation?subject=Patient/" + ds.patients[rng.IntN(len(ds.patients))] + "&_count=20"
		},
		"string": func() string {
			return "/Patient?family=" + []string{"smi", "gar", "mul", "ngu", "oka"}[rng.IntN(5)] + "&_count=20"
		},
	}
	for _, kind := range []string{"token", "date", "reference", "string"} {
		var lat []time.Duration
		for range *searches {
			status, body, d, err := get(p.base + kinds[kind]())
			if err != nil || status != 200 {
				return r, fmt.Errorf("search %s: %d %v %.200s", kind, status, err, body)
			}
			lat = append(lat, d)
		}
		slices.Sort(lat)
		r.p50[kind], r.p99[kind] = lat[len(lat)/2], lat[len(lat)*99/100]
	}

	// $export of everything, then every file downloaded and counted.
	start = time.Now()
	req, _ := http.NewRequest("GET", p.base+"/$export?_type=Patient,Observation,Encounter,Condition", nil)
	req.Header.Set("Prefer", "respond-async")
	resp, err := hc.Do(req)
	if err != nil {
		return r, err
	}
	resp.Body.Close()
	status := resp.Header.Get("Content-Location")
	var job fhir.BulkDataExport
	for {
		code, body, _, err := get(status)
		if err != nil {
			return r, err
		}
		if code == 200 {
			if err := job.UnmarshalJSON(body); err != nil {
				return r, err
			}
			break
		}
		if code != 202 {
			return r, fmt.Errorf("export poll: %d %s", code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	r.exportTook = time.Since(start)
	for _, o := range job.Output {
		resp, err := hc.Get(o.URL)
		if err != nil {
			return r, err
		}
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			r.exportBytes += int64(len(sc.Bytes())) + 1
			r.exportedResources++
		}
		resp.Body.Close()
	}
	r.exportMBs = float64(r.exportBytes) / 1e6 / r.exportTook.Seconds()
	r.peakRSS = p.peakRSS()

	// Read throughput: the server's read against a bare handler serving the same bytes.
	_, patient, _, _ := get(p.base + "/Patient/" + ds.patients[0])
	bare := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json")
		w.Write(patient)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return r, err
	}
	go bare.Serve(ln)
	defer bare.Close()
	r.readRPS, r.readP50 = hammer(hc, func(i int) string { return p.base + "/Patient/" + ds.patients[i%len(ds.patients)] })
	r.bareRPS, r.readBareP50 = hammer(hc, func(int) string { return "http://" + ln.Addr().String() + "/Patient/x" })
	return r, nil
}

// hammer runs *clients concurrent GET loops for *readFor and returns requests/s and the
// median latency.
func hammer(hc *http.Client, url func(int) string) (float64, time.Duration) {
	var count atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	deadline := time.Now().Add(*readFor)
	var wg sync.WaitGroup
	for c := range *clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := c; time.Now().Before(deadline); i += *clients {
				t := time.Now()
				resp, err := hc.Get(url(i))
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 200 {
					count.Add(1)
					mine = append(mine, time.Since(t))
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	if len(lat) == 0 {
		return 0, 0
	}
	return float64(count.Load()) / readFor.Seconds(), lat[len(lat)/2]
}

func openStore(ctx context.Context, db string) (store.Store, error) {
	if strings.HasPrefix(db, "postgres") {
		return store.OpenPostgres(ctx, db)
	}
	return store.OpenSQLite(ctx, db)
}

type proc struct {
	cmd  *exec.Cmd
	base string
}

// start1 starts the server on a free port and waits until it answers /metadata.
func start1(bin string, args ...string) (*proc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append([]string{"-addr", addr}, args...)...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(p.base + "/metadata"); err == nil {
			resp.Body.Close()
			return p, nil
		}
	}
	cmd.Process.Kill()
	return nil, fmt.Errorf("server did not start")
}

func (p *proc) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	p.cmd.Wait()
}

// peakRSS reads the server's high-water resident set (VmHWM) in bytes.
func (p *proc) peakRSS() int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:")), "%d", &kb)
			return kb << 10
		}
	}
	return -1
}

func report(rs []result) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n| measure | %s |\n|---|%s\n", strings.Join(names(rs), " | "), strings.Repeat("---|", len(rs)))
	row := func(name string, f func(result) string) {
		var cells []string
		for _, r := range rs {
			cells = append(cells, f(r))
		}
		fmt.Fprintf(&b, "| %s | %s |\n", name, strings.Join(cells, " | "))
	}
	row(fmt.Sprintf("bulk load of %d resources (decode, validate, index)", rs[0].all), func(r result) string {
		return fmt.Sprintf("%.0f resources/s (%v)", r.loadPerSec, r.loadTook.Round(time.Millisecond))
	})
	for _, k := range []string{"token", "date", "reference", "string"} {
		row("search "+k+" ("+describe[k]+") p50 / p99", func(r result) string { return fmt.Sprintf("%v / %v", ms(r.p50[k]), ms(r.p99[k])) })
	}
	row("$export of everything", func(r result) string {
		return fmt.Sprintf("%.1f MB/s (%d resources, %.1f MB in %v)", r.exportMBs, r.exportedResources, float64(r.exportBytes)/1e6, r.exportTook.Round(time.Millisecond))
	})
	row("server peak RSS (VmHWM) after the export", func(r result) string { return fmt.Sprintf("%.0f MB", float64(r.peakRSS)/1e6) })
	row(fmt.Sprintf("read GET /Patient/{id}, %d clients", *clients), func(r result) string {
		return fmt.Sprintf("%.0f req/s (p50 %v)", r.readRPS, ms(r.readP50))
	})
	row("bare net/http, same bytes", func(r result) string {
		return fmt.Sprintf("%.0f req/s (p50 %v); server at %.0f%%", r.bareRPS, ms(r.readBareP50), 100*r.readRPS/r.bareRPS)
	})
	os.Stdout.Write(b.Bytes())
}

var describe = map[string]string{
	"token":     "Observation code with system, 1 of 8 codes",
	"date":      "Observation date=geM&date=ltM+1, a month",
	"reference": "Observation subject=Patient/id",
	"string":    "Patient family prefix",
}

func names(rs []result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.backend)
	}
	return out
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
