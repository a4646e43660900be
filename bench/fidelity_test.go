package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"testing"
)

// TestFidelity decodes and re-encodes every corpus file with each peer and compares the
// output with the input as JSON values with the number text kept (1.50 is not 1.5); key
// order and white space do not count. It prints "peer: N of M files lossless" and the first
// differences. Only fhirgen is held to it (every file lossless); the peers' losses are
// reported, not failed.
func TestFidelity(t *testing.T) {
	docs := loadCorpus(t)
	for _, p := range peers {
		if p.encode == nil {
			continue
		}
		t.Run(p.name, func(t *testing.T) {
			lossless, undecodable := 0, 0
			var examples []string
			for _, d := range docs {
				diffs, err := roundTrip(p, d)
				if err != nil {
					undecodable++
					diffs = []string{err.Error()}
				}
				if len(diffs) == 0 {
					lossless++
					continue
				}
				if len(examples) < 5 {
					examples = append(examples, d.name+": "+firstLine(diffs[0]))
				}
			}
			msg := fmt.Sprintf("%s: %d of %d files lossless", p.name, lossless, len(docs))
			if undecodable > 0 {
				msg += fmt.Sprintf(" (%d not decoded or not encoded)", undecodable)
			}
			fmt.Println(msg)
			for _, e := range examples {
				fmt.Println("    " + e)
			}
			if p.name == "fhirgen" && lossless != len(docs) {
				t.Errorf("fhirgen must round-trip every file: %s", msg)
			}
		})
	}
}

// roundTrip decodes and encodes d with p and lists where the output differs from the input.
func roundTrip(p peer, d doc) ([]string, error) {
	v, err := safeDecode(p, d)
	if err != nil {
		return nil, fmt.Errorf("decode: %v", err)
	}
	out, err := p.encode(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %v", err)
	}
	want, err := decodeNumbers(d.data)
	if err != nil {
		return nil, fmt.Errorf("input: %v", err)
	}
	got, err := decodeNumbers(out)
	if err != nil {
		return nil, fmt.Errorf("output is not JSON: %v", err)
	}
	var diffs []string
	jsonDiff(d.resourceType, want, got, &diffs)
	return diffs, nil
}

// decodeNumbers decodes JSON into any, numbers as json.Number (their text).
func decodeNumbers(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// jsonDiff appends to diffs a line per place where got differs from want, up to 10.
func jsonDiff(path string, want, got any, diffs *[]string) {
	if len(*diffs) >= 10 {
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			wv, inWant := w[k]
			gv, inGot := g[k]
			switch {
			case !inGot:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: lost (was %s)", path, k, short(wv)))
			case !inWant:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: added %s", path, k, short(gv)))
			default:
				jsonDiff(path+"."+k, wv, gv, diffs)
			}
		}
		return
	case []any:
		g, ok := got.([]any)
		if !ok {
			break
		}
		if len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: %d items, was %d", path, len(g), len(w)))
			return
		}
		for i := range w {
			jsonDiff(path+"["+strconv.Itoa(i)+"]", w[i], g[i], diffs)
		}
		return
	default:
		if want == got {
			return
		}
	}
	*diffs = append(*diffs, fmt.Sprintf("%s: %s, was %s", path, short(got), short(want)))
}

// short is v as compact JSON, cut to 80 bytes.
func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}
