package ir

import "testing"

// TestErrata checks the errata table: every correction parses, differs from what it
// corrects and names its source; a published text matches with any white space, and a
// release that publishes the corrected text is left alone.
func TestErrata(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Errata() {
		if e.Key == "" || e.Source == "" || squeeze(e.Published) == squeeze(e.Corrected) {
			t.Errorf("%s: incomplete entry %+v", e.Key, e)
		}
		if p := Parse(e.Corrected); p.Err != nil {
			t.Errorf("%s: corrected expression does not parse: %v", e.Key, p.Err)
		}
		if p := Parse(e.Published); p.Err != nil {
			t.Errorf("%s: published expression does not parse: %v", e.Key, p.Err)
		}
		if k := e.Key + "\x00" + squeeze(e.Published); seen[k] {
			t.Errorf("%s: listed twice", e.Key)
		} else {
			seen[k] = true
		}
		if erratum(e.Key, e.Corrected) != nil {
			t.Errorf("%s: the corrected expression would be corrected again", e.Key)
		}
	}
	if e := erratum("que-12", "enableWhen.count()  >  2\n implies enableBehavior.exists()"); e == nil || e.Corrected != "enableWhen.count() > 1 implies enableBehavior.exists()" {
		t.Errorf("R4 que-12 not corrected: %+v", e)
	}
	if e := erratum("que-12", "enableWhen.count() > 1 implies enableBehavior.exists()"); e != nil {
		t.Errorf("R5 que-12 corrected: %+v", e)
	}
	if e := erratum("que-99", "enableWhen.count() > 2 implies enableBehavior.exists()"); e != nil {
		t.Errorf("another key corrected: %+v", e)
	}
}
