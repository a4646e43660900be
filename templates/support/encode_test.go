package support

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendString agrees with encoding/json (without its HTML escaping) on every string, at
// every alignment of the 8-byte fast path, the overlapping last word and short strings.
func TestAppendString(t *testing.T) {
	pieces := []string{"a", "ü", "\"", "\\", "\n", "\t", "\x01", "\x1f", "<", "&", "\u2028", "€", "😀", "\xff", "abcdefgh", " "}
	var inputs []string
	for _, a := range pieces {
		for _, b := range pieces {
			for pad := 0; pad < 10; pad++ {
				inputs = append(inputs, strings.Repeat("x", pad)+a+strings.Repeat("y", pad)+b+"tail-123456789")
				// the special byte in the last, partial, word (read overlapping the one
				// before) and in strings shorter than a word
				inputs = append(inputs, strings.Repeat("x", pad)+a+strings.Repeat("y", pad)+b, strings.Repeat("z", pad)+b)
			}
		}
	}
	for _, s := range inputs {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("%q → %s: %v", s, got, err)
		}
		if want := perByteValid(s); back != want {
			t.Fatalf("%q → %s → %q", s, got, back)
		}
		if strings.Contains(string(got), `\u003c`) || strings.Contains(string(got), `\u0026`) {
			t.Fatalf("HTML-escaped: %s", got)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("hello \"world\"\n<div>ü</div>")
	f.Fuzz(func(t *testing.T, s string) {
		var back string
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil {
			t.Fatal(err)
		}
		if back != perByteValid(s) {
			t.Fatalf("%q → %q", s, back)
		}
	})
}

// perByteValid replaces each invalid byte with U+FFFD, as encoding/json does.
func perByteValid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString("\ufffd")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
