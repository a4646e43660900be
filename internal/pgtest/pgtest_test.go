package pgtest

import (
	"os/exec"
	"strings"
	"testing"
)

func TestStart(t *testing.T) {
	url := Start(t)
	if _, err := exec.LookPath("psql"); err != nil {
		t.Skip("psql not installed: the server started, but the query check needs psql")
	}
	out, err := exec.Command("psql", url, "-tAc", "select 40 + 2").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "42" {
		t.Fatalf("psql %s: %v %s", url, err, out)
	}
}
