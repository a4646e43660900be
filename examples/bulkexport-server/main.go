// Command bulkexport-server is a FHIR R4 server built on the code fhirgen generates
// (./fhir): Patient, Observation, Encounter, Condition, Group, the custom DeviceReading
// (../custom-resource) and BulkDataExport, stored in SQLite (the default, one file) or
// PostgreSQL, with the FHIR Bulk Data $export operation, BulkDataExport being the job
// record and manifest.
//
//	go run ./examples/bulkexport-server                      # 127.0.0.1:8080, ./fhir.db
//	go run ./examples/bulkexport-server -db postgres://user@127.0.0.1:5432/fhir -load ./ndjson
package main

//go:generate go run ../../cmd/fhirgen generate --out fhir --package fhir --resources BulkDataExport,Patient,Observation,Encounter,Condition,Group,DeviceReading,Parameters,CompartmentDefinition definitions ../custom-resource/definitions

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/server"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

// The Patient CompartmentDefinition (from the definitions the package is generated
// from) says which resources a Patient- or Group-level export takes, and through which
// search parameters.
//
//go:embed definitions/compartmentdefinition-patient/CompartmentDefinition-patient.json
var patientCompartment []byte

// Types are the resource types the server serves and exports.
var Types = []string{"Patient", "Observation", "Encounter", "Condition", "Group", "DeviceReading"}

func main() {
	if err := run(context.Background(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bulkexport-server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bulkexport-server", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	db := fs.String("db", "./fhir.db", "SQLite file, or a postgres:// URL")
	baseURL := fs.String("base-url", "", "the server's public base URL (default http://ADDR)")
	load := fs.String("load", "", "import the NDJSON and JSON resources of this directory at start")
	exportDir := fs.String("export-dir", "", "directory for export files (default: exports beside the SQLite file, or ./exports)")
	fileBytes := fs.Int64("export-file-bytes", 64<<20, "split an export's output for one type into files of about this size")
	maxBytes := fs.Int64("export-max-bytes", 0, "fail an export larger than this (0: no limit)")
	ttl := fs.Duration("export-ttl", 24*time.Hour, "remove finished exports and their files after this long")
	retry := fs.Duration("retry-after", time.Second, "Retry-After of an export still running")
	level := fs.String("log-level", "info", "debug, info, warn or error (request logs are info)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("-log-level: %v", err)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lv}))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	*baseURL = strings.TrimSuffix(*baseURL, "/")

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	st, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *exportDir == "" {
		*exportDir = "exports"
		if !strings.HasPrefix(*db, "postgres") {
			*exportDir = filepath.Join(filepath.Dir(*db), "exports")
		}
	}

	var cd fhir.CompartmentDefinition
	if err := cd.UnmarshalJSON(patientCompartment); err != nil {
		return fmt.Errorf("the Patient CompartmentDefinition: %w", err)
	}
	if *load != "" {
		l := &server.Loader{Store: st, Types: Types, Log: log}
		start := time.Now()
		if err := l.LoadDir(ctx, *load); err != nil {
			return fmt.Errorf("-load: %w", err)
		}
		took := time.Since(start)
		log.Info("loaded", "resources", l.Loaded, "took", took.Round(time.Millisecond), "per_second", int(float64(l.Loaded)/took.Seconds()))
	}

	ex := &server.Exporter{
		Store: st, Dir: *exportDir, BaseURL: *baseURL, Types: Types, Compartment: server.CompartmentFrom(&cd),
		MaxFileBytes: *fileBytes, MaxExportBytes: *maxBytes, TTL: *ttl, RetryAfter: *retry, Log: log,
	}
	svc := &server.Service{Store: st}
	srv := &http.Server{
		Handler:           server.Handler(svc, ex, *baseURL, log),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	jobs := make(chan struct{})
	go func() { ex.Run(ctx); close(jobs) }()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("serving FHIR", "base", *baseURL, "db", redact(*db), "exports", *exportDir)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shut)
	<-jobs
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	log.Info("stopped")
	return err
}

func openStore(ctx context.Context, db string) (store.Store, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return store.OpenPostgres(ctx, db)
	}
	return store.OpenSQLite(ctx, db)
}

// redact drops a password from a database URL for the log.
func redact(db string) string {
	if i := strings.Index(db, "://"); i >= 0 {
		if at := strings.Index(db[i:], "@"); at >= 0 {
			if colon := strings.Index(db[i+3:i+at], ":"); colon >= 0 {
				return db[:i+3+colon] + ":***" + db[i+at:]
			}
		}
	}
	return db
}
