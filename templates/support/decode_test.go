package support

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// swarSpecial agrees with a byte-by-byte test on words with every byte value in every
// position and on random words.
func TestSwarSpecial(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 }
	check := func(w [8]byte) {
		want := false
		for _, c := range w {
			want = want || special(c)
		}
		if got := swarSpecial(binary.LittleEndian.Uint64(w[:])) != 0; got != want {
			t.Fatalf("swarSpecial(%q) = %v, want %v", w[:], got, want)
		}
	}
	for pos := range 8 {
		for _, fill := range []byte{'a', 0xff, 0x80, 0x21, '#', ']'} {
			for c := range 256 {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[pos] = byte(c)
				check(w)
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], r.Uint64())
		check(w)
	}
}
