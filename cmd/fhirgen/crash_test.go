//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fhirgen/fhirgen/generator"
	"golang.org/x/tools/txtar"
)

// widget is a custom resource the first generation has and the second lacks, so the
// second one both rewrites files (the package doc counts it) and removes files.
const widget = `{
  "resourceType": "StructureDefinition", "id": "Widget",
  "url": "https://example.org/fhir/StructureDefinition/Widget", "name": "Widget",
  "status": "active", "kind": "resource", "abstract": false, "type": "Widget",
  "baseDefinition": "http://hl7.org/fhir/StructureDefinition/DomainResource",
  "derivation": "specialization",
  "differential": {"element": [
    {"id": "Widget", "path": "Widget", "min": 0, "max": "*", "definition": "A widget."},
    {"id": "Widget.label", "path": "Widget.label", "min": 0, "max": "1", "type": [{"code": "string"}], "definition": "Its label."}
  ]}
}`

// TestKilledDuringWrite builds the real fhirgen binary and kills it with SIGKILL in the
// middle of writing: while the new output is being staged, and half-way through the swap.
// Killed while staging, the output directory still holds the previous output byte for
// byte; killed during the swap, `check` says so; in both cases the next run recovers,
// says what it did, and leaves exactly what an uninterrupted run leaves, with no debris.
// Hand-written files and subdirectories in the output directory survive throughout.
func TestKilledDuringWrite(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fhirgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building fhirgen: %v\n%s", err, out)
	}
	base, err := txtar.ParseFile("../../generator/testdata/base.txtar")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	writeArchive(t, work, base.Files)
	writeFile(t, filepath.Join(work, "extra", "Widget.json"), []byte(widget))
	first := []string{"generate", "--out", "out", "--package", "golden", "base", "extra"}
	second := []string{"generate", "--out", "out", "--package", "golden", "base"}

	// what an uninterrupted second run leaves, for comparison
	ref := t.TempDir()
	writeArchive(t, ref, base.Files)
	mustRun(t, bin, ref, "", second...)
	addHandWritten(t, filepath.Join(ref, "out"))
	want := readTree(t, filepath.Join(ref, "out"))

	for _, tc := range []struct {
		name, pause string
		// staged: the kill came before the commit point, so the previous output is intact
		staged  bool
		recover string // what the next run says it did
	}{
		{"while staging", "stage:3", true, "removed an incomplete write"},
		{"after commit", "commit:1", false, "finished an interrupted write"},
		{"during swap", "swap:2", false, "finished an interrupted write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.RemoveAll(filepath.Join(work, "out"))
			mustRun(t, bin, work, "", first...)
			out := filepath.Join(work, "out")
			addHandWritten(t, out)
			prev := readTree(t, out)
			if _, ok := prev["widget.gen.go"]; !ok {
				t.Fatalf("the first generation has no widget.gen.go: %v", keys(prev))
			}

			killAt(t, bin, work, tc.pause, second...)

			if _, err := os.Stat(filepath.Join(out, generator.StageDir)); err != nil {
				t.Fatalf("the killed run left no stage: %v", err)
			}
			now := readTree(t, out)
			outside := map[string][]byte{}
			for k, v := range now {
				if !strings.HasPrefix(k, generator.StageDir+"/") {
					outside[k] = v
				}
			}
			if tc.staged {
				if !sameTree(outside, prev) {
					t.Errorf("killed while staging, the output directory changed: %s", treeDiff(prev, outside))
				}
			} else {
				// after the commit point the stage holds the complete new output; the
				// directory may be part-way; check must refuse it
				code, msg := runBin(t, bin, work, "", "check", "--out", "out", "--package", "golden", "base")
				if code == 0 || !strings.Contains(msg, "interrupted fhirgen write") {
					t.Errorf("check on an interrupted write: exit %d\n%s", code, msg)
				}
			}

			code, msg := runBin(t, bin, work, "", second...)
			if code != 0 {
				t.Fatalf("the run after the kill: exit %d\n%s", code, msg)
			}
			if !strings.Contains(msg, "fhirgen: recovered: ") || !strings.Contains(msg, tc.recover) {
				t.Errorf("the run after the kill does not say it recovered (%q):\n%s", tc.recover, msg)
			}
			got := readTree(t, out)
			if !sameTree(got, want) {
				t.Errorf("after recovery the output differs from an uninterrupted run: %s", treeDiff(want, got))
			}
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				if strings.Contains(e.Name(), "fhirgen-") {
					t.Errorf("debris left in the output directory: %s", e.Name())
				}
			}
			if code, msg := runBin(t, bin, work, "", "check", "--out", "out", "--package", "golden", "base"); code != 0 {
				t.Errorf("check after recovery: exit %d\n%s", code, msg)
			}
		})
	}
}

// killAt runs the binary with FHIRGEN_TEST_PAUSE=pause, waits until it says it paused
// there, and kills it with SIGKILL.
func killAt(t *testing.T, bin, dir, pause string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FHIRGEN_TEST_PAUSE="+pause)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paused := make(chan string, 1)
	go func() {
		var seen strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			seen.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "fhirgen: test pause at ") {
				paused <- ""
				return
			}
		}
		paused <- seen.String()
	}()
	select {
	case rest := <-paused:
		if rest != "" {
			cmd.Wait()
			t.Fatalf("fhirgen ended before the pause %s:\n%s", pause, rest)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("fhirgen did not reach the pause %s", pause)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("fhirgen was not killed by SIGKILL: %v", err)
	}
}

func runBin(t *testing.T, bin, dir, env string, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if env != "" {
		cmd.Env = append(os.Environ(), env)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), string(out)
		}
		t.Fatal(err)
	}
	return 0, string(out)
}

func mustRun(t *testing.T, bin, dir, env string, args ...string) {
	t.Helper()
	if code, out := runBin(t, bin, dir, env, args...); code != 0 {
		t.Fatalf("fhirgen %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
}

// addHandWritten puts what a user keeps beside generated code in the output directory:
// a hand-written Go file and a subdirectory with data.
func addHandWritten(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "handwritten.go"), []byte("package golden\n\n// Mine is the user's.\nconst Mine = 1\n"))
	writeFile(t, filepath.Join(dir, "testdata", "keep.json"), []byte(`{"resourceType":"Widget"}`))
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// treeDiff names the files that differ between two trees.
func treeDiff(want, got map[string][]byte) string {
	var d []string
	for k, v := range want {
		if w, ok := got[k]; !ok {
			d = append(d, "missing "+k)
		} else if string(w) != string(v) {
			d = append(d, "changed "+k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			d = append(d, "extra "+k)
		}
	}
	sort.Strings(d)
	return strings.Join(d, ", ")
}
