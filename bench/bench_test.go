package bench

import "testing"

// Every op is the whole corpus (each file the peer can decode, once); MB/s is input JSON
// per second, for encoding too (the bytes of the files the values were decoded from), so
// the peers' figures compare directly:
//
//	go test -run '^$' -bench . -benchmem -count 5
//
// "files" is how many corpus files the peer's op covers.

// BenchmarkDecode decodes the corpus with each peer; valid is json.Valid, the floor for
// merely scanning the bytes.
func BenchmarkDecode(b *testing.B) {
	var all []*prepared
	for _, p := range peers {
		all = append(all, prepare(b, p))
	}
	for i, p := range peers {
		pr := all[i]
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(pr.bytes)
			b.ReportAllocs()
			for b.Loop() {
				for _, d := range pr.docs {
					if _, err := p.decode(d); err != nil {
						b.Fatalf("%s: %v", d.name, err)
					}
				}
			}
			b.ReportMetric(float64(len(pr.docs)), "files")
		})
	}
}

// BenchmarkEncode encodes what each peer decoded from the corpus (a peer whose encoder
// changes its input encodes fresh copies, made with the timer stopped).
func BenchmarkEncode(b *testing.B) {
	for _, p := range peers {
		if p.encode == nil {
			continue
		}
		pr := prepare(b, p)
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(pr.bytes)
			b.ReportAllocs()
			values := pr.values
			if p.clone != nil {
				values = make([]any, len(pr.values))
			}
			for b.Loop() {
				if p.clone != nil {
					b.StopTimer()
					for j, v := range pr.values {
						values[j] = p.clone(v)
					}
					b.StartTimer()
				}
				for j, v := range values {
					if _, err := p.encode(v); err != nil {
						b.Fatalf("%s: %v", pr.docs[j].name, err)
					}
				}
			}
			b.ReportMetric(float64(len(pr.docs)), "files")
		})
	}
}
