package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

func exporter(t *testing.T) (*Exporter, store.Store) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	l := &Loader{Store: st, Types: []string{"Patient"}}
	if err := l.Add(context.Background(), []byte(`{"resourceType":"Patient","id":"p1","gender":"female"}`), "p1"); err != nil {
		t.Fatal(err)
	}
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &Exporter{Store: st, Dir: t.TempDir(), BaseURL: "http://127.0.0.1:1", Types: []string{"Patient"}}, st
}

func putJob(t *testing.T, st store.Store, job *fhir.BulkDataExport) {
	if _, err := st.Write(context.Background(), store.Write{Type: "BulkDataExport", ID: job.ID, Build: build(job, job.ID)}); err != nil {
		t.Fatal(err)
	}
}

func jobOf(t *testing.T, st store.Store, id string) (*fhir.BulkDataExport, bool) {
	r, err := st.Read(context.Background(), "BulkDataExport", id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Deleted {
		return nil, true
	}
	job, err := decode[fhir.BulkDataExport](r)
	if err != nil {
		t.Fatal(err)
	}
	return job, false
}

// TestResumeActiveJob: a job left active by a server that stopped is run again at start.
func TestResumeActiveJob(t *testing.T) {
	ex, st := exporter(t)
	putJob(t, st, &fhir.BulkDataExport{ID: "j1", Status: fhir.AsyncJobStatusActive, RequestTime: "2024-01-01T00:00:00Z",
		Request: "http://127.0.0.1:1/$export?_type=Patient", TransactionTime: "2024-01-01T00:00:01Z"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ex.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if job, _ := jobOf(t, st, "j1"); job.Status == fhir.AsyncJobStatusCompleted {
			if len(job.Output) != 1 || job.TransactionTime == "2024-01-01T00:00:01Z" {
				t.Errorf("resumed job: %+v", job)
			}
			data, err := os.ReadFile(filepath.Join(ex.Dir, "j1", "Patient-1.ndjson"))
			if err != nil || len(data) == 0 {
				t.Errorf("resumed job's file: %v", err)
			}
			return
		}
	}
	t.Fatal("the active job was not resumed")
}

// TestSweepOldJobs: finished jobs older than the TTL lose their files and records.
func TestSweepOldJobs(t *testing.T) {
	ex, st := exporter(t)
	ex.init()
	putJob(t, st, &fhir.BulkDataExport{ID: "old", Status: fhir.AsyncJobStatusCompleted, RequestTime: "2024-01-01T00:00:00Z", Request: "x"})
	putJob(t, st, &fhir.BulkDataExport{ID: "running", Status: fhir.AsyncJobStatusActive, RequestTime: "2024-01-01T00:00:00Z", Request: "x"})
	os.MkdirAll(filepath.Join(ex.Dir, "old"), 0o755)
	os.WriteFile(filepath.Join(ex.Dir, "old", "Patient-1.ndjson"), []byte("{}\n"), 0o644)
	ex.TTL = time.Hour
	ex.sweep(context.Background())
	if _, gone := jobOf(t, st, "old"); gone {
		t.Fatal("swept a job younger than the TTL")
	}
	ex.TTL = time.Millisecond
	time.Sleep(5 * time.Millisecond)
	ex.sweep(context.Background())
	if _, gone := jobOf(t, st, "old"); !gone {
		t.Error("the old job's record is still there")
	}
	if _, err := os.Stat(filepath.Join(ex.Dir, "old")); !os.IsNotExist(err) {
		t.Errorf("the old job's files are still there: %v", err)
	}
	if _, gone := jobOf(t, st, "running"); gone {
		t.Error("swept a running job")
	}
}
