package store

import (
	"context"
	"database/sql"
	"net/url"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// OpenSQLite opens (creating when needed) the SQLite database file at path. Writes go
// through one connection in IMMEDIATE transactions, so concurrent writers queue rather
// than fail; reads use a pool of their own, which WAL mode lets run beside a write.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	writer, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	reader, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(8)
	reader.SetMaxIdleConns(8)
	s := &sqlStore{
		d: dialect{
			name:    "sqlite",
			schema:  schema("TEXT", "BLOB", "REAL"),
			rebind:  func(q string) string { return q },
			explain: "EXPLAIN QUERY PLAN ",
			maxArgs: 32000,
		},
		writer: writer,
		reader: reader,
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
