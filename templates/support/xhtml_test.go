package support

import (
	"strings"
	"testing"
)

// TestXHTMLRules checks the narrative rules of txt-1 and txt-2: each violation is one
// issue naming the element, attribute or entity; a valid div has none.
func TestXHTMLRules(t *testing.T) {
	const ns = `<div xmlns="http://www.w3.org/1999/xhtml">`
	for _, tc := range []struct {
		div  string
		want []string // message fragments, one issue each ("warning:" for a warning)
	}{
		{ns + `<p class="a">x &amp; y &#160; &#xA0; &lt;</p><img src="#pic" alt="p"/><a href="#x">l</a></div>`, nil},
		{ns + `<p xml:lang="en" lang="en">x</p><img src="data:image/png;base64,AAAA"/></div>`, nil},
		{ns + `<script>alert(1)</script>x</div>`, []string{"element <script> is not allowed"}},
		{ns + `<form><object>x</object></form></div>`, []string{"element <form>", "element <object>"}},
		{ns + `<p onclick="x()" onMouseOver="y()">x</p></div>`, []string{"event attribute onclick", "event attribute onMouseOver"}},
		{ns + `<a href=" JavaScript:x()">x</a></div>`, []string{"javascript: URL in href"}},
		{ns + `x&nbsp;y&copy;&nbsp;</div>`, []string{"entity &nbsp;", "entity &copy;"}},
		{ns + `<p>x</div>`, []string{"not well-formed"}},
		{`<div>x</div>`, []string{"must be a <div> in the XHTML namespace"}},
		{`<p xmlns="http://www.w3.org/1999/xhtml">x</p>`, []string{"must be a <div>"}},
		{ns + `<p style="color:red" data-x="1">x</p></div>`, []string{"attribute data-x on <p>"}},
		{ns + `x<img src="http://example.org/a.png"/></div>`, []string{"warning:img src http://example.org/a.png"}},
	} {
		got := valXHTMLRules(nil, "error", "txt-1", tc.div)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d issues, want %d: %v", tc.div, len(got), len(tc.want), got)
			continue
		}
		for i, w := range tc.want {
			sev := "error"
			if rest, ok := strings.CutPrefix(w, "warning:"); ok {
				sev, w = "warning", rest
			}
			if got[i].Severity != sev || got[i].Code != "invariant" || !strings.HasPrefix(got[i].Message, "txt-1: ") || !strings.Contains(got[i].Message, w) {
				t.Errorf("%s: issue %d = %v, want a %s txt-1 issue containing %q", tc.div, i, got[i], sev, w)
			}
		}
	}
}

func TestXHTMLContent(t *testing.T) {
	const ns = `<div xmlns="http://www.w3.org/1999/xhtml">`
	for div, empty := range map[string]bool{
		ns + `x</div>`:                     false,
		ns + `<img src="#a"/></div>`:       false,
		ns + `&#160;</div>`:                false,
		ns + "\n  <pre>\n  </pre>\n</div>": true,
		ns + `</div>`:                      true,
		ns + `<p> </p><img/></div>`:        true,
	} {
		got := valXHTMLContent(nil, "error", "txt-2", div)
		if (len(got) == 1) != empty || len(got) > 1 {
			t.Errorf("%q: %v, want empty=%v", div, got, empty)
		}
	}
}

// xhtmlScanCorpus are narratives for TestXHTMLScanAgrees and the seeds of FuzzXHTMLScan.
var xhtmlScanCorpus = []string{
	`<div xmlns="http://www.w3.org/1999/xhtml">x</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p class="a">x &amp; y &#160; &#xA0; &lt;</p><img src="#pic" alt="p"/><a href="#x">l</a></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><table border='1'><tr><td colspan="2">é 😀</td></tr></table></div>`,
	"<div xmlns=\"http://www.w3.org/1999/xhtml\">\n  <pre>\n  </pre>\n</div>",
	`<div xmlns="http://www.w3.org/1999/xhtml"></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"/>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">&#32;&#x0A;</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><img src="data:image/png;base64,AA"/></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><img src=""/></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p >a</p ><br/><br /></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p>x</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p>x</b></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">x</p></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">a&nbsp;b</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">a & b</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><a href=" javascript:x">x</a></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><img src="http://x/a.png"/></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><!-- c --> x</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><![CDATA[x]]></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p xml:lang="en">x</p></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p class="a" class="b">x</p></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><td nowrap>x</td></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">x</div><div xmlns="http://www.w3.org/1999/xhtml">y</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">x</div> trailing`,
	`<div>x</div>`,
	`<p xmlns="http://www.w3.org/1999/xhtml">x</p>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p title="a<b">x</p></div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">a > b</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">` + "\x01" + `</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml">&#0;</div>`,
	`<div xmlns="http://www.w3.org/1999/xhtml"><p xmlns="http://example.org">x</p></div>`,
}

// xhtmlScanAgrees checks the fast path against encoding/xml's: a div it finds clean has
// no issue from the parse, and the same content.
func xhtmlScanAgrees(t *testing.T, div string) {
	clean, content := xhtmlScan(div)
	if !clean {
		return
	}
	if got := xhtmlRulesParsed(nil, "error", "txt-1", div); len(got) != 0 {
		t.Errorf("%q: the scan finds it clean, the parse reports %v", div, got)
	}
	if parsed := len(xhtmlContentParsed(nil, "error", "txt-2", div)) == 0; parsed != content {
		t.Errorf("%q: the scan says content=%v, the parse %v", div, content, parsed)
	}
}

func TestXHTMLScanAgrees(t *testing.T) {
	clean := 0
	for _, div := range xhtmlScanCorpus {
		xhtmlScanAgrees(t, div)
		if ok, _ := xhtmlScan(div); ok {
			clean++
		}
	}
	if clean < 9 {
		t.Errorf("only %d corpus narratives take the fast path, want the 9 clean ones", clean)
	}
}

func FuzzXHTMLScan(f *testing.F) {
	for _, div := range xhtmlScanCorpus {
		f.Add(div)
	}
	f.Fuzz(func(t *testing.T, div string) { xhtmlScanAgrees(t, div) })
}
