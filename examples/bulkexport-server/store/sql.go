package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// dialect is what differs between the SQL databases.
type dialect struct {
	name      string
	schema    []string
	forUpdate string           // appended to the version lookup in a write
	retryable func(error) bool // a write that lost a race and may be retried
	rebind    func(string) string
	explain   string // prefix of an EXPLAIN statement
	maxArgs   int    // bind parameters per statement
	fence     string // see builder.fence
}

// sqlStore implements Store over database/sql.
type sqlStore struct {
	d      dialect
	writer *sql.DB // writes (SQLite: one connection, so writers queue instead of failing)
	reader *sql.DB
}

func (s *sqlStore) Close() error {
	err := s.writer.Close()
	if s.reader != s.writer {
		err = errors.Join(err, s.reader.Close())
	}
	return err
}

func (s *sqlStore) migrate(ctx context.Context) error {
	for _, stmt := range s.d.schema {
		if _, err := s.writer.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("store: schema: %w (%s)", err, strings.SplitN(stmt, "\n", 2)[0])
		}
	}
	return nil
}

const selectCols = "rid, version, last_updated, deleted, data"

func (s *sqlStore) Read(ctx context.Context, typ, id string) (Resource, error) {
	row := s.reader.QueryRowContext(ctx, s.d.rebind("SELECT "+selectCols+" FROM resources WHERE rtype = ? AND rid = ?"), typ, id)
	return scanOne(typ, "", row)
}

func (s *sqlStore) ReadVersion(ctx context.Context, typ, id string, version int64) (Resource, error) {
	row := s.reader.QueryRowContext(ctx, s.d.rebind("SELECT "+selectCols+", method FROM history WHERE rtype = ? AND rid = ? AND version = ?"), typ, id, version)
	return scanOne(typ, "method", row)
}

func scanOne(typ, method string, row *sql.Row) (Resource, error) {
	r := Resource{Type: typ}
	var ms int64
	var del int
	dest := []any{&r.ID, &r.Version, &ms, &del, &r.Data}
	if method != "" {
		dest = append(dest, &r.Method)
	}
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Resource{}, ErrNotFound
		}
		return Resource{}, err
	}
	r.LastUpdated = time.UnixMilli(ms).UTC()
	r.Deleted = del != 0
	return r, nil
}

func (s *sqlStore) History(ctx context.Context, typ, id string, offset, count int) ([]Resource, int, error) {
	where, args := "rtype = ?", []any{typ}
	if id != "" {
		where += " AND rid = ?"
		args = append(args, id)
	}
	var total int
	if err := s.reader.QueryRowContext(ctx, s.d.rebind("SELECT COUNT(*) FROM history WHERE "+where), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.reader.QueryContext(ctx, s.d.rebind("SELECT "+selectCols+", method FROM history WHERE "+where+
		" ORDER BY last_updated DESC, version DESC LIMIT ? OFFSET ?"), append(args, count, offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanRows(typ, true, rows)
	return out, total, err
}

func scanRows(typ string, method bool, rows *sql.Rows) ([]Resource, error) {
	defer rows.Close()
	var out []Resource
	for rows.Next() {
		r := Resource{Type: typ}
		var ms int64
		var del int
		dest := []any{&r.ID, &r.Version, &ms, &del, &r.Data}
		if method {
			dest = append(dest, &r.Method)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r.LastUpdated = time.UnixMilli(ms).UTC()
		r.Deleted = del != 0
		out = append(out, r)
	}
	return out, rows.Err()
}

// Write applies ws in one transaction. A transaction that lost a race with another writer
// of the same new resource (PostgreSQL) is retried when no If-Match was asked for.
func (s *sqlStore) Write(ctx context.Context, ws ...Write) ([]Resource, error) {
	for attempt := 0; ; attempt++ {
		out, err := s.write(ctx, ws)
		if err != nil && attempt < 5 && s.d.retryable != nil && s.d.retryable(err) && !hasIfMatch(ws) {
			continue
		}
		if err != nil && s.d.retryable != nil && s.d.retryable(err) {
			err = ErrVersionConflict
		}
		return out, err
	}
}

func hasIfMatch(ws []Write) bool {
	for _, w := range ws {
		if w.IfMatch != 0 {
			return true
		}
	}
	return false
}

type key struct{ typ, id string }

func (s *sqlStore) write(ctx context.Context, ws []Write) ([]Resource, error) {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	current, err := s.currentVersions(ctx, tx, ws)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	out := make([]Resource, len(ws))
	final := map[key]int{}          // index in out of the last write of each resource
	index := map[key][]IndexEntry{} // entries of that last write
	var order []key
	for i, w := range ws {
		k := key{w.Type, w.ID}
		cur, exists := current[k]
		if w.IfMatch != 0 && (!exists || cur.version != w.IfMatch) {
			return nil, fmt.Errorf("%w: %s/%s is at version %d, not %d", ErrVersionConflict, w.Type, w.ID, cur.version, w.IfMatch)
		}
		if w.CreateOnly && exists && !cur.deleted {
			return nil, fmt.Errorf("%w: %s/%s", ErrExists, w.Type, w.ID)
		}
		r := Resource{Type: w.Type, ID: w.ID, Version: cur.version + 1, LastUpdated: now, Method: w.Method}
		if w.Delete {
			if !exists {
				return nil, fmt.Errorf("%w: %s/%s", ErrNotFound, w.Type, w.ID)
			}
			if cur.deleted {
				out[i] = Resource{Type: w.Type, ID: w.ID, Version: cur.version, Deleted: true, Method: "DELETE"}
				continue
			}
			r.Deleted, r.Method = true, "DELETE"
		} else {
			data, entries, err := w.Build(r.Version, now)
			if err != nil {
				return nil, err
			}
			r.Data = data
			index[k] = entries
		}
		if r.Method == "" {
			r.Method = "PUT"
		}
		current[k] = version{r.Version, r.Deleted}
		if _, ok := final[k]; !ok {
			order = append(order, k)
		}
		final[k] = i
		out[i] = r
	}
	if err := s.flush(ctx, tx, out, order, final, index); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

type version struct {
	version int64
	deleted bool
}

// currentVersions looks up (and, on PostgreSQL, locks) the current versions of the written
// resources, per type in chunks.
func (s *sqlStore) currentVersions(ctx context.Context, tx *sql.Tx, ws []Write) (map[key]version, error) {
	byType := map[string][]any{}
	var types []string
	seen := map[key]bool{}
	for _, w := range ws {
		k := key{w.Type, w.ID}
		if seen[k] {
			continue
		}
		seen[k] = true
		if _, ok := byType[w.Type]; !ok {
			types = append(types, w.Type)
		}
		byType[w.Type] = append(byType[w.Type], w.ID)
	}
	out := map[key]version{}
	for _, typ := range types {
		ids := byType[typ]
		for len(ids) > 0 {
			n := min(len(ids), 500)
			chunk := ids[:n]
			ids = ids[n:]
			q := "SELECT rid, version, deleted FROM resources WHERE rtype = ? AND rid IN (" + placeholders(len(chunk)) + ") ORDER BY rid" + s.d.forUpdate
			rows, err := tx.QueryContext(ctx, s.d.rebind(q), append([]any{typ}, chunk...)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var id string
				var v version
				var del int
				if err := rows.Scan(&id, &v.version, &del); err != nil {
					rows.Close()
					return nil, err
				}
				v.deleted = del != 0
				out[key{typ, id}] = v
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// flush writes the history rows, the current rows and the index of one transaction with
// multi-row statements.
func (s *sqlStore) flush(ctx context.Context, tx *sql.Tx, out []Resource, order []key, final map[key]int, index map[key][]IndexEntry) error {
	var hist [][]any
	for _, r := range out {
		if r.Method == "DELETE" && r.Data == nil && r.LastUpdated.IsZero() {
			continue // delete of a tombstone: nothing written
		}
		hist = append(hist, []any{r.Type, r.ID, r.Version, r.LastUpdated.UnixMilli(), b2i(r.Deleted), r.Method, r.Data})
	}
	if err := s.insert(ctx, tx, "INSERT INTO history (rtype, rid, version, last_updated, deleted, method, data) VALUES ", 7, hist, ""); err != nil {
		return err
	}
	var cur [][]any
	for _, k := range order {
		r := out[final[k]]
		cur = append(cur, []any{r.Type, r.ID, r.Version, r.LastUpdated.UnixMilli(), b2i(r.Deleted), r.Data})
	}
	if err := s.insert(ctx, tx, "INSERT INTO resources (rtype, rid, version, last_updated, deleted, data) VALUES ", 6, cur,
		" ON CONFLICT (rtype, rid) DO UPDATE SET version = excluded.version, last_updated = excluded.last_updated, deleted = excluded.deleted, data = excluded.data"); err != nil {
		return err
	}
	// The index: drop the old rows of every written resource, insert the new ones.
	for _, table := range indexTables {
		byType := map[string][]any{}
		var types []string
		for _, k := range order {
			if _, ok := byType[k.typ]; !ok {
				types = append(types, k.typ)
			}
			byType[k.typ] = append(byType[k.typ], k.id)
		}
		for _, typ := range types {
			ids := byType[typ]
			for len(ids) > 0 {
				n := min(len(ids), 500)
				q := "DELETE FROM " + table + " WHERE rtype = ? AND rid IN (" + placeholders(n) + ")"
				if _, err := tx.ExecContext(ctx, s.d.rebind(q), append([]any{typ}, ids[:n]...)...); err != nil {
					return err
				}
				ids = ids[n:]
			}
		}
	}
	rows := map[string][][]any{}
	for _, k := range order {
		for _, e := range index[k] {
			table, vals := indexRow(k, e)
			if table != "" {
				rows[table] = append(rows[table], vals)
			}
		}
	}
	for _, table := range indexTables {
		if len(rows[table]) == 0 {
			continue
		}
		cols := indexColumns[table]
		if err := s.insert(ctx, tx, "INSERT INTO "+table+" ("+cols+") VALUES ", strings.Count(cols, ",")+1, rows[table], ""); err != nil {
			return err
		}
	}
	return nil
}

var indexTables = []string{"idx_token", "idx_string", "idx_date", "idx_ref", "idx_uri", "idx_number"}

var indexColumns = map[string]string{
	"idx_token":  "rtype, rid, param, system, code",
	"idx_string": "rtype, rid, param, value, folded",
	"idx_date":   "rtype, rid, param, lo, hi",
	"idx_ref":    "rtype, rid, param, ref, ref_type, ref_id",
	"idx_uri":    "rtype, rid, param, value",
	"idx_number": "rtype, rid, param, num, system, code",
}

// indexRow maps an entry to its table and values; "" for kinds not indexed.
func indexRow(k key, e IndexEntry) (string, []any) {
	switch e.Kind {
	case "token":
		return "idx_token", []any{k.typ, k.id, e.Param, e.System, e.Code}
	case "string":
		return "idx_string", []any{k.typ, k.id, e.Param, e.Value, e.Folded}
	case "date":
		return "idx_date", []any{k.typ, k.id, e.Param, e.Lo, e.Hi}
	case "reference":
		return "idx_ref", []any{k.typ, k.id, e.Param, e.Value, e.RefType, e.RefID}
	case "uri":
		return "idx_uri", []any{k.typ, k.id, e.Param, e.Value}
	case "number", "quantity":
		return "idx_number", []any{k.typ, k.id, e.Param, e.Number, e.System, e.Code}
	}
	return "", nil
}

// insert runs prefix VALUES (...),(...) suffix in chunks that fit the bind limit.
func (s *sqlStore) insert(ctx context.Context, tx *sql.Tx, prefix string, cols int, rows [][]any, suffix string) error {
	per := max(1, s.d.maxArgs/cols)
	one := "(" + placeholders(cols) + ")"
	for len(rows) > 0 {
		n := min(len(rows), per)
		var b strings.Builder
		b.WriteString(prefix)
		args := make([]any, 0, n*cols)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(one)
			args = append(args, r...)
		}
		b.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, s.d.rebind(b.String()), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dollarRebind turns ? placeholders into $1, $2, ... (the statements hold no literal '?').
func dollarRebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
