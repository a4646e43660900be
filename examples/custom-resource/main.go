// Command custom-resource serves DeviceReading, a resource type that is not in FHIR: it
// was written with `fhirgen scaffold resource`, edited (descriptions, a value[x], the
// invariant drd-1), generated with the bulk export server's definitions, and is served
// by the same server code (../bulkexport-server/server) on a SQLite file.
//
//	go run ./examples/custom-resource -addr 127.0.0.1:8081 -db ./readings.db
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/server"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "listen address")
	db := flag.String("db", "./readings.db", "SQLite file")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.OpenSQLite(ctx, *db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "custom-resource:", err)
		os.Exit(1)
	}
	defer st.Close()
	base := "http://" + *addr
	srv := &http.Server{Addr: *addr, Handler: server.Handler(&server.Service{Store: st}, nil, base, log), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	log.Info("serving DeviceReading", "base", base+"/DeviceReading")
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, "custom-resource:", err)
		os.Exit(1)
	}
}
