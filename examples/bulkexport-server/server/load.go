package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/fhirgen/fhirgen/examples/bulkexport-server/fhir"
	"github.com/fhirgen/fhirgen/examples/bulkexport-server/store"
)

// Loader imports resources in batches, one transaction each, indexing them as it goes.
type Loader struct {
	Store store.Store
	Types []string // the types the server serves; others are an error
	Batch int      // resources per transaction (default 500)
	Log   *slog.Logger
	// Loaded counts the resources written so far.
	Loaded  int
	pending []store.Write
	next    int // Loaded at which the next progress line is printed
}

// Add decodes, validates and queues one resource (FHIR JSON); where names it in errors.
func (l *Loader) Add(ctx context.Context, data []byte, where string) error {
	r, err := fhir.UnmarshalResource(data)
	if err != nil {
		return fmt.Errorf("%s: %w", where, err)
	}
	if b, ok := r.(*fhir.Bundle); ok {
		for i, e := range b.Entry {
			if e.Resource == nil {
				continue
			}
			raw, err := e.Resource.MarshalJSON()
			if err != nil {
				return err
			}
			if err := l.Add(ctx, raw, fmt.Sprintf("%s: entry[%d]", where, i)); err != nil {
				return err
			}
		}
		return nil
	}
	typ := r.ResourceType()
	if !slices.Contains(l.Types, typ) {
		return fmt.Errorf("%s: %s is not a type this server serves", where, typ)
	}
	if v, ok := r.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return fmt.Errorf("%s: %s: %w", where, typ, err)
		}
	}
	idp, _ := stamp(r)
	id := *idp
	if id == "" {
		id = NewID()
	}
	l.pending = append(l.pending, store.Write{Type: typ, ID: id, Method: "PUT", Build: build(r, id)})
	batch := l.Batch
	if batch <= 0 {
		batch = 500
	}
	if len(l.pending) >= batch {
		return l.Flush(ctx)
	}
	return nil
}

// Flush writes the queued resources.
func (l *Loader) Flush(ctx context.Context) error {
	if len(l.pending) == 0 {
		return nil
	}
	if _, err := l.Store.Write(ctx, l.pending...); err != nil {
		return err
	}
	l.Loaded += len(l.pending)
	l.pending = l.pending[:0]
	if l.Log != nil && l.Loaded >= l.next {
		l.Log.Info("load progress", "resources", l.Loaded)
		l.next = (l.Loaded/10000 + 1) * 10000
	}
	return nil
}

// LoadDir imports every .ndjson (one resource per line) and .json (a resource or a
// Bundle) file under dir, in name order.
func (l *Loader) LoadDir(ctx context.Context, dir string) error {
	if l.next == 0 {
		l.next = 10000
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".ndjson") || strings.HasSuffix(p, ".json")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		if err := l.loadFile(ctx, f); err != nil {
			return err
		}
	}
	return l.Flush(ctx)
}

func (l *Loader) loadFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(path, ".json") {
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		return l.Add(ctx, data, path)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.Clone(bytes.TrimSpace(sc.Bytes())) // the decoded resource outlives the scanner buffer
		if len(line) == 0 {
			continue
		}
		if err := l.Add(ctx, line, fmt.Sprintf("%s:%d", path, n)); err != nil {
			return err
		}
	}
	return sc.Err()
}
