package support

import (
	"encoding/xml"
	"io"
	"strings"
)

// Narrative XHTML (Narrative.div), checked natively for the constraints whose expression
// is htmlChecks() (txt-1, txt-2). The div is parsed as XML in the XHTML namespace and
// held to FHIR's narrative rules (narrative.html): only the basic formatting elements
// and attributes (the lists of txt-1's XPath), no scripts, forms, objects, event
// attributes or javascript: URLs, images from outside the resource only with a warning, only XML's own
// entities and numeric character references, well-formed, some content.

// xhtmlNamespace is the namespace of the narrative's elements.
const xhtmlNamespace = "http://www.w3.org/1999/xhtml"

// xhtmlElements are the elements a narrative may use (txt-1).
var xhtmlElements = xhtmlSet("a abbr acronym b big blockquote br caption cite code col colgroup dd dfn div dl dt " +
	"em h1 h2 h3 h4 h5 h6 hr i img li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var")

// xhtmlAttributes are the attributes a narrative's elements may have (txt-1).
var xhtmlAttributes = xhtmlSet("abbr accesskey align alt axis bgcolor border cellhalign cellpadding cellspacing " +
	"cellvalign char charoff charset cite class colspan compact coords dir frame headers height href hreflang hspace " +
	"id lang longdesc name nowrap rel rev rowspan rules scope shape span src start style summary tabindex title type " +
	"valign value vspace width")

func xhtmlSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// valXHTMLRules reports each way the narrative div breaks FHIR's rules for its elements,
// attributes and entities, and a div that is not well-formed XHTML, as issues of the
// constraint key (at the div) of the given severity.
func valXHTMLRules(out []Issue, severity, key, div string) []Issue {
	if clean, _ := xhtmlScan(div); clean {
		return out // the common case, without a parse (xhtml_scan.go)
	}
	return xhtmlRulesParsed(out, severity, key, div)
}

// xhtmlRulesParsed is valXHTMLRules with encoding/xml, for every div xhtmlScan does not
// find clean.
func xhtmlRulesParsed(out []Issue, severity, key, div string) []Issue {
	var problems, warnings []string
	add := func(p string) {
		if !xhtmlContains(problems, p) {
			problems = append(problems, p)
		}
	}
	entities := map[string]string{}
	for _, name := range xhtmlBadEntities(div) {
		add("entity &" + name + "; is not allowed (only XML's entities and numeric character references)")
		entities[name] = "" // go on parsing past it
	}
	d := xml.NewDecoder(strings.NewReader(div))
	d.Strict = true
	d.Entity = entities
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			add("the XHTML is not well-formed: " + strings.TrimPrefix(err.Error(), "XML syntax error "))
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name := t.Name.Local
			switch {
			case depth == 1 && (name != "div" || t.Name.Space != xhtmlNamespace):
				add("the narrative must be a <div> in the XHTML namespace " + xhtmlNamespace + ", found <" + xhtmlName(t.Name) + ">")
			case t.Name.Space != xhtmlNamespace:
				add("element <" + xhtmlName(t.Name) + "> is not in the XHTML namespace")
			case !xhtmlElements[name]:
				add("element <" + name + "> is not allowed")
			}
			for _, a := range t.Attr {
				if p := xhtmlAttrProblem(name, a); p != "" {
					add(p)
				} else if p := xhtmlImageSource(name, a); p != "" && !xhtmlContains(warnings, p) {
					warnings = append(warnings, p)
				}
			}
		case xml.EndElement:
			depth--
		case xml.ProcInst:
			if t.Target != "xml" {
				add("processing instruction <?" + t.Target + "?> is not allowed")
			}
		case xml.Directive:
			add("directive <!" + strings.Fields(string(t) + " x")[0] + "> is not allowed")
		case xml.CharData:
			if depth == 0 && strings.Trim(string(t), " \t\r\n") != "" {
				add("text outside the <div>")
			}
		}
	}
	for _, p := range problems {
		out = valInvariant(out, severity, "", key+": "+p)
	}
	for _, p := range warnings {
		out = valInvariant(out, valSevWarning, "", key+": "+p)
	}
	return out
}

// xhtmlImageSource says when an img's src refers outside the resource (neither an
// internal # reference nor a data: URL), or "". That is a warning, not an error: the
// narratives the FHIR publisher generates for the spec's own conformance resources
// refer to images beside the page (help16.png), and the reference validator accepts them.
func xhtmlImageSource(elem string, a xml.Attr) string {
	if elem != "img" || a.Name.Space != "" || a.Name.Local != "src" {
		return ""
	}
	v := strings.ToLower(strings.TrimSpace(a.Value))
	if strings.HasPrefix(v, "#") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "javascript:") {
		return ""
	}
	return "img src " + a.Value + " refers outside the resource (only internal # references and data: URLs are self-contained)"
}

// xhtmlAttrProblem says what is wrong with attribute a of element elem, or "".
func xhtmlAttrProblem(elem string, a xml.Attr) string {
	n := a.Name
	switch {
	case n.Space == "xmlns" || n.Space == "" && n.Local == "xmlns":
		return "" // a namespace declaration
	case n.Space == "http://www.w3.org/XML/1998/namespace" && n.Local == "lang":
		return ""
	case n.Space != "":
		return "attribute " + xhtmlName(n) + " on <" + elem + "> is not allowed"
	case strings.HasPrefix(strings.ToLower(n.Local), "on"):
		return "event attribute " + n.Local + " on <" + elem + "> is not allowed"
	case !xhtmlAttributes[n.Local]:
		return "attribute " + n.Local + " on <" + elem + "> is not allowed"
	}
	v := strings.ToLower(strings.TrimSpace(a.Value))
	if (n.Local == "href" || n.Local == "src" || n.Local == "longdesc" || n.Local == "cite") && strings.HasPrefix(v, "javascript:") {
		return "javascript: URL in " + n.Local + " on <" + elem + "> is not allowed"
	}
	return ""
}

// xhtmlName is a name as written, with its namespace when it has one.
func xhtmlName(n xml.Name) string {
	if n.Space == "" || n.Space == xhtmlNamespace {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// xhtmlBadEntities returns the names of the entity references in s other than XML's
// five and numeric character references, once each.
func xhtmlBadEntities(s string) []string {
	var out []string
	for i := strings.IndexByte(s, '&'); i >= 0; {
		rest := s[i+1:]
		end := strings.IndexByte(rest, ';')
		if end > 0 && xhtmlEntityName(rest[:end]) {
			name := rest[:end]
			switch name {
			case "lt", "gt", "amp", "quot", "apos":
			default:
				if name[0] != '#' && !xhtmlContains(out, name) {
					out = append(out, name)
				}
			}
		}
		j := strings.IndexByte(rest, '&')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return out
}

// xhtmlEntityName reports whether s looks like the name of an entity reference (a
// numeric one included); a bare & is the parser's to report.
func xhtmlEntityName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '#' && i == 0 || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func xhtmlContains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// valXHTMLContent reports a narrative div with no content: no text other than white
// space and no image (txt-2). A div that does not parse is reported by valXHTMLRules.
func valXHTMLContent(out []Issue, severity, key, div string) []Issue {
	if clean, content := xhtmlScan(div); clean {
		if content {
			return out
		}
		return valInvariant(out, severity, "", key+": the narrative has no content (no text other than white space and no image)")
	}
	return xhtmlContentParsed(out, severity, key, div)
}

// xhtmlContentParsed is valXHTMLContent with encoding/xml.
func xhtmlContentParsed(out []Issue, severity, key, div string) []Issue {
	d := xml.NewDecoder(strings.NewReader(div))
	d.Strict = false // entities and faults are valXHTMLRules' to report
	d.Entity = xml.HTMLEntity
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.CharData:
			if strings.Trim(string(t), " \t\r\n") != "" {
				return out
			}
		case xml.StartElement:
			if t.Name.Local == "img" {
				for _, a := range t.Attr {
					if a.Name.Local == "src" && a.Value != "" {
						return out
					}
				}
			}
		}
	}
	return valInvariant(out, severity, "", key+": the narrative has no content (no text other than white space and no image)")
}
