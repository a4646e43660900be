package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Dump prints the plan as text, one decision per line, for the golden cases: a changed
// decision is a changed line.
func Dump(p *Plan) []byte {
	var b strings.Builder
	line := func(depth int, format string, args ...any) {
		b.WriteString(strings.Repeat("  ", depth))
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	line(0, "validate")
	line(1, "bindings: %d checked, %d not checkable; extensible or preferred: %d checked", p.Validate.BindingsChecked, p.Validate.BindingsNotCheckable, p.Validate.BindingsWeakChecked)
	for _, f := range p.Validate.Files {
		line(1, "file %s", f.Name)
		for _, tc := range f.Types {
			line(2, "type %s", tc.Type.FHIRName)
			for _, fc := range append(tc.Fields, tc.Root) {
				if fc == nil || len(fc.Checks) == 0 && fc.Binding == NoBinding && fc.Format == "" {
					continue
				}
				line(3, "%s", fc.Field.Path)
				if fc.Format != "" {
					line(4, "format %s", fc.Format)
				}
				if fc.Binding != NoBinding {
					line(4, "binding %s %s: %s", fc.Field.Binding.Strength, fc.Field.Binding.ValueSet, bindingNames[fc.Binding])
				}
				for _, k := range fc.Checks {
					switch {
					case k.Native != "":
						line(4, "%s: native", k.Constraint.Key)
					case k.Invariant == nil:
						line(4, "%s: no context: %v", k.Constraint.Key, k.ContextErr)
					default:
						g := ""
						for i, f := range k.Guard {
							if i == 0 {
								g = " when "
							} else {
								g += " or "
							}
							g += f.JSONName
						}
						line(4, "%s %s: %s on %s%s", k.Constraint.Key, k.Constraint.Severity, k.Invariant.Name, k.Invariant.Context.GoType, g)
					}
				}
			}
		}
	}
	var urls []string
	for u := range p.Validate.ValueSets {
		urls = append(urls, u)
	}
	sort.Strings(urls)
	for _, u := range urls {
		line(1, "valueset %s: %s", u, p.Validate.ValueSets[u])
	}
	line(0, "search")
	for _, r := range p.Search.Resources {
		if len(r.Entries) == 0 {
			continue
		}
		line(1, "file %s", r.File)
		for _, e := range r.Entries {
			line(2, "%s %s: %s, info %s", e.Param.Code, e.Param.Type, e.Func, p.Search.Info[e.Param])
			if !e.Union && len(e.Branches) == 1 && e.Branches[0].System == "" {
				continue // the whole expression, nothing more to say
			}
			for _, br := range e.Branches {
				note := ""
				if br.System != "" {
					note += ", system " + br.System
				}
				if br.NotApplicable {
					note += ", not applicable"
				}
				line(3, "%s: %s%s", br.Func, br.Node, note)
			}
		}
	}
	line(0, "server")
	s := p.Server
	if s.Missing != "" {
		line(1, "no handlers: no %s", s.Missing)
		return []byte(b.String())
	}
	for _, r := range s.Resources {
		line(1, "%s: %d routes", r.FHIRName, len(s.Routes[r]))
	}
	if s.FieldErr != nil {
		line(1, "glue: %v", s.FieldErr)
	} else {
		line(1, "glue: %d fields of OperationOutcome and Bundle, %d of CapabilityStatement", len(s.Glue), len(s.Capability))
	}
	if s.Conflict != nil {
		line(1, "conflict: %v", s.Conflict)
	}
	return []byte(b.String())
}

var bindingNames = map[BindingCheck]string{EnumBinding: "enum", ValueSetBinding: "ValueSet function",
	CodingBinding: "codes of the Coding(s)", NotExpanded: "not checked (no expansion)",
	OtherType: "not checked (type)", ChoiceElement: "not checked (choice)"}
