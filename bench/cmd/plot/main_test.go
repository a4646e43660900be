package main

import (
	"strings"
	"testing"
)

// read takes the median-ready MB/s samples per benchmark and peer, dropping the
// GOMAXPROCS suffix; svg draws one bar per peer with its median.
func TestPlot(t *testing.T) {
	in := `goos: linux
BenchmarkDecode/fhirgen-2   75  22328078 ns/op  296.79 MB/s  707.0 files
BenchmarkDecode/fhirgen-2   75  22328078 ns/op  310.00 MB/s  707.0 files
BenchmarkDecode/fhirgen-2   75  22328078 ns/op  400.00 MB/s  707.0 files
BenchmarkDecode/samply-2    24  51104060 ns/op  129.67 MB/s  707.0 files
BenchmarkEncode/fhirgen-2   80  8000000 ns/op  831.35 MB/s
BenchmarkValidate/medplum-2  1  330836189 ns/op  4.000 failed
`
	mbs, err := read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := median(mbs["Decode"]["fhirgen"]); got != 310 {
		t.Errorf("median = %v, want 310", got)
	}
	out := svg(mbs)
	for _, want := range []string{">310<", ">130<", ">831<", "<svg", "</svg>"} {
		if !strings.Contains(out, want) {
			t.Errorf("svg lacks %q:\n%s", want, out)
		}
	}
	if _, err := read(strings.NewReader("PASS\n")); err == nil {
		t.Error("no figures: want an error")
	}
}
