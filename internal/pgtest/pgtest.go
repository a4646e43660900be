// Package pgtest gives tests a real PostgreSQL server.
//
// Start returns the URL of a fresh database: the one FHIRGEN_POSTGRES_URL names (each
// call gets a new database created on that server), or else a private server that
// Start initdb's in a temporary directory and starts on 127.0.0.1 with a random port,
// stopped when the test ends. PostgreSQL refuses to run as root, so as root the
// server runs as the postgres system user. When no PostgreSQL binaries are installed the
// test is skipped with the reason (Debian: apt-get install postgresql).
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Start returns a postgres:// URL of an empty database for tb.
func Start(tb testing.TB) string {
	tb.Helper()
	if u := os.Getenv("FHIRGEN_POSTGRES_URL"); u != "" {
		return freshDB(tb, u)
	}
	bin, err := Find()
	if err != nil {
		tb.Skipf("PostgreSQL tests skipped: %v (Debian: apt-get install postgresql)", err)
	}
	s, err := StartServer(bin)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s.URL
}

// Server is a private PostgreSQL server.
type Server struct {
	URL  string // postgres://USER@127.0.0.1:PORT/postgres?sslmode=disable
	dir  string
	bin  string
	as   []string // command prefix to run as the server's user
	once sync.Once
}

// Find returns the directory of initdb and pg_ctl: on PATH, else the newest
// /usr/lib/postgresql/*/bin.
func Find() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin")
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// StartServer initdb's and starts a server with the binaries of bin.
func StartServer(bin string) (*Server, error) {
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin}
	owner := ""
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root and there is no postgres user to run the server as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		os.Chmod(dir, 0o755)
		s.as = []string{"runuser", "-u", "postgres", "--"}
		owner = "postgres"
	} else {
		u, _ := user.Current()
		owner = u.Username
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", owner, "-A", "trust", "-E", "UTF8", "--no-locale"); err != nil {
		s.Stop()
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		s.Stop()
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, dir)
	if out, err := s.run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		s.Stop()
		return nil, fmt.Errorf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	s.URL = fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", owner, port)
	return s, nil
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	cmdline := append(append([]string{}, s.as...), append([]string{filepath.Join(s.bin, name)}, args...)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmdline[0], cmdline[1:]...)
	cmd.Dir = s.dir
	return cmd.CombinedOutput()
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() {
	s.once.Do(func() {
		if _, err := os.Stat(filepath.Join(s.dir, "data", "postmaster.pid")); err == nil {
			s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
		}
		os.RemoveAll(s.dir)
	})
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// freshDB creates a new database on the server of url with psql and returns its URL.
func freshDB(tb testing.TB, url string) string {
	tb.Helper()
	var b [6]byte
	rand.Read(b[:])
	name := "t" + hex.EncodeToString(b[:])
	out, err := exec.Command("psql", url, "-v", "ON_ERROR_STOP=1", "-c", "CREATE DATABASE "+name).CombinedOutput()
	if err != nil {
		tb.Fatalf("pgtest: CREATE DATABASE on FHIRGEN_POSTGRES_URL: %v\n%s", err, out)
	}
	base, query, _ := strings.Cut(url, "?")
	if i := strings.LastIndex(base, "/"); i > len("postgres://") {
		base = base[:i]
	}
	if query != "" {
		query = "?" + query
	}
	return base + "/" + name + query
}
