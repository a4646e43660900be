package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
)

// Handler is the whole HTTP API: the generated FHIR router over svc at the root, and the
// $export routes of ex (nil for none), with a log line per request.
func Handler(svc *Service, ex *Exporter, baseURL string, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", fhir.NewRouter(svc, fhir.RouterBaseURL(baseURL), fhir.RouterMaxBodyBytes(8<<20)))
	if ex != nil {
		ex.Register(mux)
	}
	return logRequests(mux, log)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func logRequests(h http.Handler, log *slog.Logger) http.Handler {
	if log == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.RequestURI()),
			slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes),
			slog.Duration("took", time.Since(start)))
	})
}
