// Package diag holds the diagnostics every stage of fhirgen reports: a position in an input
// file, the FHIR subject and element, a severity and a message.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders diagnostics: errors stop generation, warnings and notes do not.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
	Note
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "note"
	}
}

// Pos is a position in an input file. Line and Col are 1-based; a zero Line means the
// position inside the file is unknown.
type Pos struct {
	File   string // path as the loader saw it (fs.FS path, or "archive.tgz/package/x.json")
	Offset int    // byte offset in the file
	Line   int
	Col    int
}

func (p Pos) String() string {
	if p.File == "" {
		return ""
	}
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one finding: `file:line:col: Subject Element: message`.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Subject  string // "StructureDefinition/BulkDataExport", "SearchParameter/BulkDataExport-status"
	Element  string // "BulkDataExport.output.url", or an expression position
	Kind     string // short stable category used to count warnings ("logical-model", ...)
	Msg      string
}

func (d Diagnostic) String() string {
	var b strings.Builder
	if s := d.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if d.Severity != Error {
		b.WriteString(d.Severity.String())
		b.WriteString(": ")
	}
	if d.Subject != "" {
		b.WriteString(d.Subject)
		if d.Element != "" {
			b.WriteByte(' ')
			b.WriteString(d.Element)
		}
		b.WriteString(": ")
	} else if d.Element != "" {
		b.WriteString(d.Element)
		b.WriteString(": ")
	}
	b.WriteString(d.Msg)
	return b.String()
}

// List is a collection of diagnostics.
type List []Diagnostic

// Add appends a diagnostic.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Errorf appends an error.
func (l *List) Errorf(pos Pos, subject, element, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Error, Subject: subject, Element: element, Msg: fmt.Sprintf(format, args...)})
}

// Warnf appends a warning of the given kind.
func (l *List) Warnf(pos Pos, kind, subject, element, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Warning, Kind: kind, Subject: subject, Element: element, Msg: fmt.Sprintf(format, args...)})
}

// Notef appends a note of the given kind.
func (l *List) Notef(pos Pos, kind, subject, element, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Note, Kind: kind, Subject: subject, Element: element, Msg: fmt.Sprintf(format, args...)})
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by severity, file, offset, subject, element and message, so
// output is deterministic.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset < b.Pos.Offset
		}
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Element != b.Element {
			return a.Element < b.Element
		}
		return a.Msg < b.Msg
	})
}

// LineCol converts a byte offset in data to a 1-based line and column (column counts bytes).
func LineCol(data []byte, offset int) (line, col int) {
	if offset > len(data) {
		offset = len(data)
	}
	line, col = 1, 1
	for i := 0; i < offset; i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
