package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/internal/pgtest"
)

// stores opens an empty SQLite file and an empty PostgreSQL database.
func stores(t *testing.T) map[string]Store {
	ctx := context.Background()
	sl, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sl.Close() })
	pg, err := OpenPostgres(ctx, pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	return map[string]Store{"sqlite": sl, "postgres": pg}
}

func obsWrite(i int) Write {
	id := fmt.Sprintf("o%05d", i)
	return Write{Type: "Observation", ID: id, Build: func(v int64, at time.Time) ([]byte, []IndexEntry, error) {
		day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%1000).UnixMilli()
		return []byte(`{"resourceType":"Observation","id":"` + id + `"}`), []IndexEntry{
			{Param: "code", Kind: "token", System: "http://loinc.org", Code: fmt.Sprintf("c%d", i%50)},
			{Param: "date", Kind: "date", Lo: day, Hi: day + 86400000 - 1},
			{Param: "subject", Kind: "reference", Value: fmt.Sprintf("Patient/p%d", i%500), RefType: "Patient", RefID: fmt.Sprintf("p%d", i%500)},
			{Param: "name", Kind: "string", Value: fmt.Sprintf("Name%d", i), Folded: fmt.Sprintf("name%d", i)},
		}, nil
	}}
}

// TestIndexedSearchesUseIndexes checks with EXPLAIN that indexed searches do not scan
// the resource table or an index table in full.
func TestIndexedSearchesUseIndexes(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			var ws []Write
			for i := range 20000 {
				ws = append(ws, obsWrite(i))
			}
			if _, err := st.Write(ctx, ws...); err != nil {
				t.Fatal(err)
			}
			if _, err := st.(*sqlStore).writer.ExecContext(ctx, "ANALYZE"); err != nil {
				t.Fatal(err)
			}
			day := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
			queries := map[string]Query{
				"token":     {Filters: []Filter{{Param: "code", Kind: "token", Values: []Value{{Code: "c7", System: "http://loinc.org", HasSystem: true}}}}},
				"date":      {Filters: []Filter{{Param: "date", Kind: "date", Values: []Value{{Prefix: "eq", Start: day, End: day + 86400000}}}}},
				"reference": {Filters: []Filter{{Param: "subject", Kind: "reference", Values: []Value{{RefType: "Patient", RefID: "p42"}}}}},
				"string":    {Filters: []Filter{{Param: "name", Kind: "string", Values: []Value{{Folded: "name1234"}}}}},
				"_id":       {Filters: []Filter{{Param: "_id", Kind: "token", Values: []Value{{Code: "o00042"}}}}},
			}
			for qn, q := range queries {
				q.Type, q.Count = "Observation", 10
				plan, err := st.Explain(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, bad := range []string{"SCAN r\n", "SCAN r ", "Seq Scan on resources", "Seq Scan on idx_", "SCAN idx_"} {
					if strings.Contains(plan+"\n", bad) {
						t.Errorf("%s search scans a whole table (%q):\n%s", qn, bad, plan)
					}
				}
				t.Logf("%s:\n%s", qn, plan)
				lines := strings.Split(plan, "\n")
				for i, l := range lines {
					// PostgreSQL: an index scan of an index table must use the parameter.
					if strings.Contains(l, "Scan using idx_") && i+1 < len(lines) && !strings.Contains(lines[i+1], "param =") {
						t.Errorf("%s search reads an index table without its parameter:\n%s", qn, plan)
					}
				}
				page, err := st.Search(ctx, q)
				if err != nil || len(page.Resources) == 0 {
					t.Errorf("%s search: %v, %d results", qn, err, len(page.Resources))
				}
			}
		})
	}
}

// TestIfMatchWriters: 50 writers of one resource with If-Match, retrying on a conflict;
// every write lands once, none is lost.
func TestIfMatchWriters(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := st.Write(ctx, Write{Type: "Patient", ID: "p", Build: patient("")}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for i := range 50 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						cur, err := st.Read(ctx, "Patient", "p")
						if err != nil {
							t.Error(err)
							return
						}
						_, err = st.Write(ctx, Write{Type: "Patient", ID: "p", IfMatch: cur.Version, Build: patient(string(cur.Data) + fmt.Sprintf("|w%d", i))})
						if err == nil {
							return
						}
						if !strings.Contains(err.Error(), "version conflict") {
							t.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			cur, _ := st.Read(ctx, "Patient", "p")
			if cur.Version != 51 {
				t.Errorf("version %d, want 51", cur.Version)
			}
			for i := range 50 {
				if !strings.Contains(string(cur.Data)+"|", fmt.Sprintf("|w%d|", i)) {
					t.Errorf("writer %d's update was lost: %s", i, cur.Data)
				}
			}
			_, total, _ := st.History(ctx, "Patient", "p", 0, 100)
			if total != 51 {
				t.Errorf("history has %d versions", total)
			}
		})
	}
}

func patient(data string) func(int64, time.Time) ([]byte, []IndexEntry, error) {
	return func(int64, time.Time) ([]byte, []IndexEntry, error) { return []byte(data), nil, nil }
}
