// Command plot draws the MB/s of each peer in a `go test -bench` results file (bench/run.sh's
// output) as an SVG bar chart: one panel per benchmark (Decode, Encode), one bar per peer at
// the median of its rounds, labelled with the figure. BENCHMARKS.md and the README show it.
//
//	go run ./cmd/plot results/2026-12-07-b.txt > results/throughput.svg
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// panels are the benchmarks drawn, in order, and the peers in the order of the bars.
var (
	panels = []string{"Decode", "Encode"}
	order  = []string{"fhirgen", "valid", "samply", "map", "google"}
	labels = map[string]string{"valid": "json.Valid (scan only)", "map": "encoding/json map[string]any"}
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: plot RESULTS > chart.svg")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "plot:", err)
		os.Exit(1)
	}
	defer f.Close()
	mbs, err := read(f)
	if err != nil {
		fmt.Fprintf(os.Stderr, "plot: %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	os.Stdout.WriteString(svg(mbs))
}

// read returns the MB/s samples per benchmark and peer ("Decode" → "fhirgen" → samples).
func read(r io.Reader) (map[string]map[string][]float64, error) {
	out := map[string]map[string][]float64{}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name, peer, ok := strings.Cut(strings.TrimPrefix(fields[0], "Benchmark"), "/")
		if !ok {
			continue
		}
		if i := strings.LastIndexByte(peer, '-'); i > 0 { // the -GOMAXPROCS suffix
			peer = peer[:i]
		}
		for i := 1; i+1 < len(fields); i++ {
			if fields[i+1] == "MB/s" {
				v, err := strconv.ParseFloat(fields[i], 64)
				if err != nil {
					return nil, fmt.Errorf("line %q: %v", sc.Text(), err)
				}
				if out[name] == nil {
					out[name] = map[string][]float64{}
				}
				out[name][peer] = append(out[name][peer], v)
				n++
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("no MB/s figures")
	}
	return out, nil
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// svg draws the panels as horizontal bars on one linear scale (the largest median).
func svg(mbs map[string]map[string][]float64) string {
	const (
		width, left, right = 760, 230, 90
		barH, gap, head    = 22, 6, 34
	)
	maxV := 0.0
	rows := 0
	for _, p := range panels {
		for _, peer := range order {
			if v, ok := mbs[p][peer]; ok {
				maxV = max(maxV, median(v))
				rows++
			}
		}
	}
	height := len(panels)*head + rows*(barH+gap) + 40
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="13">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="15" font-weight="bold">R4 example corpus (707 files, 6.6 MB): MB/s of input JSON, median of the rounds</text>`+"\n")
	y := 40
	scale := float64(width-left-right) / maxV
	for _, p := range panels {
		fmt.Fprintf(&b, `<text x="10" y="%d" font-weight="bold">%s</text>`+"\n", y+18, p)
		y += head
		for _, peer := range order {
			v, ok := mbs[p][peer]
			if !ok {
				continue
			}
			m := median(v)
			color := "#8da0cb"
			if peer == "fhirgen" {
				color = "#1b9e77"
			}
			label := peer
			if l, ok := labels[peer]; ok {
				label = l
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH-6, label)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n", left, y, max(1, m*scale), barH, color)
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%.0f</text>`+"\n", float64(left)+max(1, m*scale)+6, y+barH-6, m)
			y += barH + gap
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}
