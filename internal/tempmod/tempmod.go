// Package tempmod makes throwaway Go modules for the tests that build, vet and run
// generated code: one helper instead of one per test package.
package tempmod

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fhirgen/fhirgen/generator/emit"
)

// Module is a Go module in a directory of its own, with no dependencies.
type Module struct {
	// Dir is the module's root, where its go.mod is.
	Dir string
	tb  testing.TB
}

// New makes a module named path in a fresh temporary directory.
func New(tb testing.TB, path string) *Module {
	tb.Helper()
	return At(tb, tb.TempDir(), path)
}

// At makes a module named path in dir (made if missing), for a test that keeps its
// module where a developer can look at it.
func At(tb testing.TB, dir, path string) *Module {
	tb.Helper()
	m := &Module{Dir: dir, tb: tb}
	m.Write("go.mod", []byte("module "+path+"\n\ngo 1.24\n"))
	return m
}

// Write writes a file at rel, a slash-separated path under the module root, making its
// directory.
func (m *Module) Write(rel string, data []byte) {
	m.tb.Helper()
	p := filepath.Join(m.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		m.tb.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		m.tb.Fatal(err)
	}
}

// Copy writes the file src (a path of the test's own directory, such as a testdata/*.txt
// Go file kept out of the build) at rel under the module root.
func (m *Module) Copy(rel, src string) {
	m.tb.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		m.tb.Fatal(err)
	}
	m.Write(rel, data)
}

// WriteFiles writes generated files into the package directory pkg (slash-separated,
// under the module root).
func (m *Module) WriteFiles(pkg string, files []emit.File) {
	m.tb.Helper()
	for _, f := range files {
		m.Write(pkg+"/"+f.Name, f.Content)
	}
}

// Go runs the go command in the module, with no workspace, no vendoring and the local
// toolchain, and returns its combined output.
func (m *Module) Go(args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = m.Dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	return cmd.CombinedOutput()
}

// MustGo runs the go command like Go and fails the test, with the output, if it fails.
func (m *Module) MustGo(args ...string) []byte {
	m.tb.Helper()
	out, err := m.Go(args...)
	if err != nil {
		m.tb.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}
