package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// OpenPostgres connects to the PostgreSQL database at url (postgres://...) and creates
// the tables when they are missing. Text compared by range (folded strings) uses the C
// collation so prefix searches are index range scans; the version lookup of a write locks
// the rows it reads (FOR UPDATE), so two If-Match writers of one resource serialize.
func OpenPostgres(ctx context.Context, url string) (Store, error) {
	// Statements are built per batch with varying numbers of rows; caching each as a
	// named prepared statement (pgx's default) costs more than it saves.
	if !strings.Contains(url, "default_query_exec_mode=") {
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		url += sep + "default_query_exec_mode=exec"
	}
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	s := &sqlStore{
		d: dialect{
			name:      "postgres",
			schema:    schema(`TEXT COLLATE "C"`, "BYTEA", "DOUBLE PRECISION"),
			forUpdate: " FOR UPDATE",
			retryable: func(err error) bool {
				var pe *pgconn.PgError
				// unique_violation: a concurrent writer created the same new resource;
				// serialization_failure and deadlock_detected: lost a race.
				return errors.As(err, &pe) && (pe.Code == "23505" || pe.Code == "40001" || pe.Code == "40P01")
			},
			rebind:  dollarRebind,
			explain: "EXPLAIN ",
			maxArgs: 65000,
			fence:   " OFFSET 0",
		},
		writer: db,
		reader: db,
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
