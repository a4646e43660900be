package conformance

import (
	"os"
	"testing"

	"github.com/fhirgen/fhirgen/generator"
)

// These benchmarks are heavy (seconds to tens of seconds per iteration); run them with a
// fixed count:
//
//	go test ./conformance -run '^$' -bench . -benchtime 1x
//	go test ./conformance -run '^$' -bench CompileR4 -benchtime 3x

// BenchmarkGenerateR4 measures generator.Generate (load, model, emit, gofmt) on the whole R4
// specification, in memory; source-bytes is the size of the Go it produces.
func BenchmarkGenerateR4(b *testing.B) {
	cache := needCache(b, r4Examples)
	fsys := os.DirFS(cache)
	var size, files int
	for b.Loop() {
		fs, _, ds := generator.Generate(fsys, generator.Config{Inputs: specR4.inputs, Package: specR4.name})
		if ds.HasErrors() {
			b.Fatalf("generation failed: %v", ds)
		}
		size, files = 0, len(fs)
		for _, f := range fs {
			size += len(f.Content)
		}
	}
	b.ReportMetric(float64(size), "source-bytes")
	b.ReportMetric(float64(files), "files")
}

// BenchmarkCompileR4 measures `go build` of the generated R4 package alone (compile, no
// link): each iteration changes a constant in the package, so nothing comes from the build
// cache except the standard library.
func BenchmarkCompileR4(b *testing.B) {
	cache := needCache(b, r4Examples)
	g := generate(b, cache, specR4, nil)
	m := newModule(b)
	m.writePackage(b, specR4.name, g.files)
	m.touchNonce(b, specR4.name)
	m.goCmd(b, "build", "./"+specR4.name) // warm the standard library's cache entries
	for b.Loop() {
		b.StopTimer()
		m.touchNonce(b, specR4.name)
		b.StartTimer()
		m.goCmd(b, "build", "./"+specR4.name)
	}
	b.ReportMetric(float64(g.sourceBytes), "source-bytes")
}

// BenchmarkRoundTripR4 runs the round-trip program over the whole R4 example corpus (5,306
// resources, ~188 MB) once per iteration. Its ns/op is the wall time of one run: reading
// the files, three timed passes of each phase, and the JSON tree comparison. The MB/s
// metrics are the program's own in-process measurements (the best of three passes, in MB of
// input JSON per second, averaged over iterations): fhirgen's UnmarshalResource and
// MarshalJSON, and beside them encoding/json decoding into any with UseNumber and
// re-encoding with json.Marshal.
func BenchmarkRoundTripR4(b *testing.B) {
	cache := needCache(b, r4Examples)
	g := generate(b, cache, specR4, nil)
	m := newModule(b)
	m.writePackage(b, specR4.name, g.files)
	bin, _ := m.buildRoundTrip(b, specR4.name)
	dirs := exampleDirs(cache, specR4)
	var dec, enc, jdec, jenc float64
	var corpus int64
	n := 0
	for b.Loop() {
		rep, _, _ := runRoundTrip(b, bin, dirs, 3)
		if rep.Failed > 0 {
			b.Fatalf("%d of %d examples failed to round-trip; run TestConformance", rep.Failed, rep.Examples)
		}
		dec += rep.Decode.MBps
		enc += rep.Encode.MBps
		jdec += rep.BaselineDecode.MBps
		jenc += rep.BaselineEncode.MBps
		corpus = rep.CorpusBytes
		n++
	}
	f := float64(n)
	b.ReportMetric(dec/f, "decode-MB/s")
	b.ReportMetric(enc/f, "encode-MB/s")
	b.ReportMetric(jdec/f, "json-decode-MB/s")
	b.ReportMetric(jenc/f, "json-encode-MB/s")
	b.ReportMetric(float64(corpus), "corpus-bytes")
}
