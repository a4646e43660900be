package validate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/tidwall/gjson"

	"github.com/fhirgen/fhirgen/generator/diag"
	"github.com/fhirgen/fhirgen/generator/emit"
	"github.com/fhirgen/fhirgen/generator/fhirpath"
	"github.com/fhirgen/fhirgen/generator/ir"
	"github.com/fhirgen/fhirgen/generator/load"
	"github.com/fhirgen/fhirgen/generator/naming"
)

// Profile validators: each profile of the model (ir.Profile) becomes a tree of pNode
// literals (templates/support/profile.go) whose tests are FHIRPath compiled by the shared
// compiler: the items of each element, fixed and pattern values (FHIR's pattern
// semantics written as where(...).exists() over the pattern's members), type
// restrictions, the profile's invariants and slice discriminators. Bindings use the
// ValueSet membership functions of the base validators; type profiles and profile
// discriminators call the other generated profiles through the registry.

// ProfileStats counts what the profile validators check, per run.
type ProfileStats struct {
	Profiles, Extensions, Elements, Slices, Slicings, Fixed, Patterns, Types, TypeProfiles int
	Bindings, Invariants, Cardinalities, Accessors                                         int
	// NotCheckable counts, by reason, the rules that are not checked (each one is also a
	// note naming the profile and element).
	NotCheckable map[string]int
}

type pgen struct {
	g  *gen
	p  *ir.Profile
	n  int
	st *ProfileStats
}

// profiles emits one file per profile, the registry and the extension accessors.
func (g *gen) profiles(files *emit.Files, o emit.Options) {
	if len(g.m.Profiles) == 0 {
		return
	}
	st := &ProfileStats{NotCheckable: map[string]int{}}
	var reg []jen.Code
	for _, p := range g.m.Profiles {
		pg := &pgen{g: g, p: p, st: st}
		f := emit.NewFile(o, p.Source)
		root := pg.root()
		kind := "profile"
		if p.Extension {
			kind = "extension definition"
			st.Extensions++
		} else {
			st.Profiles++
		}
		title := p.Title
		if title == "" {
			title = p.Name
		}
		emit.Commentf(f, "%s is the %s %s (%s) on %s.", p.GoName, kind, p.URL, title, p.Type)
		var ms []jen.Code
		for _, id := range p.MustSupport {
			ms = append(ms, jen.Lit(id))
		}
		fields := jen.Dict{
			jen.Id("URL"):  jen.Lit(p.URL),
			jen.Id("Name"): jen.Lit(p.Name),
			jen.Id("Type"): jen.Lit(p.Type),
			jen.Id("root"): root,
		}
		if p.Version != "" {
			fields[jen.Id("Version")] = jen.Lit(p.Version)
		}
		if len(ms) > 0 {
			fields[jen.Id("MustSupport")] = jen.Index().String().Values(ms...)
		}
		f.Var().Id(p.GoName).Op("=").Op("&").Id("Profile").Values(fields)
		if p.Extension {
			pg.accessor(f)
		}
		files.Render("profile_"+strings.TrimSuffix(emit.TypeFileName(p.GoName), ".gen.go")+".gen.go", f)
		reg = append(reg, jen.Id(p.GoName))
	}
	f := emit.NewFile(o, "")
	f.Func().Id("init").Params().Block(
		jen.Id("profilesByURL").Op("=").Map(jen.String()).Op("*").Id("Profile").Values(),
		jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Index().Op("*").Id("Profile").Values(reg...)).Block(
			jen.Id("profilesByURL").Index(jen.Id("p").Dot("URL")).Op("=").Id("p"),
			jen.If(jen.Id("p").Dot("Version").Op("!=").Lit("")).Block(
				jen.Id("profilesByURL").Index(jen.Id("p").Dot("URL").Op("+").Lit("|").Op("+").Id("p").Dot("Version")).Op("=").Id("p")),
		))
	g.profileHelpers(f)
	files.Render("profiles.gen.go", f)
	var reasons []string
	for r, n := range st.NotCheckable {
		reasons = append(reasons, fmt.Sprintf("%d %s", n, r))
	}
	sort.Strings(reasons)
	nc := "none"
	if len(reasons) > 0 {
		nc = strings.Join(reasons, "; ")
	}
	g.ds.Notef(diag.Pos{}, "profile-coverage", "", "", "profiles: %d profiles, %d extension definitions; %d elements checked, %d slicings, %d slices, %d fixed values, %d patterns, %d type restrictions, %d type profiles, %d bindings, %d invariants, %d cardinalities, %d extension accessors; not checkable: %s",
		st.Profiles, st.Extensions, st.Elements, st.Slicings, st.Slices, st.Fixed, st.Patterns, st.Types, st.TypeProfiles, st.Bindings, st.Invariants, st.Cardinalities, st.Accessors, nc)
	g.profileStats = st
}

// notCheckable notes a rule the validator does not check.
func (pg *pgen) notCheckable(e *ir.ProfileElement, reason, format string, args ...any) {
	pg.st.NotCheckable[reason]++
	pos := pg.p.Pos
	id := ""
	if e != nil {
		pos, id = e.Pos, e.ID
	}
	pg.g.ds.Notef(pos, "profile-not-checked", "StructureDefinition/"+pg.p.Name, id, "%s: %s", reason, fmt.Sprintf(format, args...))
}

// compile compiles expr on the items of ctxPath and returns the function's name.
func (pg *pgen) compile(e *ir.ProfileElement, what, expr, ctxPath string) (string, bool) {
	parsed := ir.Parse(expr)
	if parsed.Err != nil {
		pg.notCheckable(e, "ill-formed FHIRPath", "%s %q: %v", what, expr, parsed.Err)
		return "", false
	}
	ctx, err := fhirpath.ContextFor(pg.g.m, ctxPath)
	if err != nil {
		pg.notCheckable(e, "no context", "%s: %v", what, err)
		return "", false
	}
	pg.n++
	name := "p" + pg.p.GoName + "_" + strconv.Itoa(pg.n)
	if _, _, err := pg.g.fp.Func(name, parsed.Node, ctx); err != nil && !fhirpath.IsWarning(err) {
		pg.notCheckable(e, "FHIRPath not compiled", "%s %q: %v", what, expr, err)
		return "", false
	}
	return name, true
}

// itemCtx is the context path of an element's items: its path without slice names.
func itemCtx(e *ir.ProfileElement) string { return e.Path }

func (pg *pgen) root() jen.Code {
	r := pg.p.Root
	d := jen.Dict{jen.Id("id"): jen.Lit(r.ID)}
	checks := pg.checks(r)
	if len(checks) > 0 {
		d[jen.Id("checks")] = jen.Index().Id("pCheck").Values(checks...)
	}
	if ch := pg.children(r); len(ch) > 0 {
		d[jen.Id("children")] = jen.Index().Op("*").Id("pNode").Values(ch...)
	}
	return jen.Op("&").Id("pNode").Values(d)
}

func (pg *pgen) children(e *ir.ProfileElement) []jen.Code {
	var out []jen.Code
	prim := isPrimitiveElement(e)
	for _, c := range e.Children {
		if prim {
			if pg.interesting(c) {
				pg.notCheckable(c, "element of a primitive", "%s is inside the primitive %s", c.ID, e.ID)
			}
			continue
		}
		if n := pg.node(c, itemCtx(e), false); n != nil {
			out = append(out, n)
		}
	}
	return out
}

// interesting reports whether an element or a descendant adds a rule to its base.
func (pg *pgen) interesting(e *ir.ProfileElement) bool {
	if e.Fixed != nil || e.Pattern != nil || len(e.Constraints) > 0 || e.Slicing != nil || narrowed(e) {
		return true
	}
	for _, c := range e.Children {
		if pg.interesting(c) {
			return true
		}
	}
	return false
}

func narrowed(e *ir.ProfileElement) bool {
	return e.Min > e.BaseMin || e.Max >= 0 && (e.BaseMax < 0 || e.Max < e.BaseMax)
}

func isPrimitiveElement(e *ir.ProfileElement) bool {
	if e.IsChoice() || len(e.Types) != 1 {
		return false
	}
	c := e.TypeCodes()[0]
	return c != "" && c[0] >= 'a' && c[0] <= 'z'
}

// node returns the pNode literal of e (nil when it adds nothing): parentCtx is the
// context path of its parent's items; a slice has no items of its own.
func (pg *pgen) node(e *ir.ProfileElement, parentCtx string, slice bool) jen.Code {
	d := jen.Dict{jen.Id("id"): jen.Lit(e.ID), jen.Id("seg"): jen.Lit(e.Stem())}
	has := false
	if slice || narrowed(e) {
		d[jen.Id("card")] = jen.True()
		d[jen.Id("min")] = jen.Lit(e.Min)
		d[jen.Id("max")] = jen.Lit(e.Max)
		pg.st.Cardinalities++
		has = true
	} else {
		d[jen.Id("max")] = jen.Lit(e.BaseMax)
	}
	if checks := pg.checks(e); len(checks) > 0 {
		d[jen.Id("checks")] = jen.Index().Id("pCheck").Values(checks...)
		has = true
	}
	if ch := pg.children(e); len(ch) > 0 {
		d[jen.Id("children")] = jen.Index().Op("*").Id("pNode").Values(ch...)
		has = true
	}
	if s := pg.slicing(e); s != nil {
		d[jen.Id("slicing")] = s
		has = true
	}
	if !has {
		return nil
	}
	if !slice {
		fn, ok := pg.compile(e, "items", e.Stem(), parentCtx)
		if !ok {
			return nil
		}
		d[jen.Id("items")] = jen.Id("pItemsOf").Call(jen.Id(fn))
	}
	pg.st.Elements++
	return jen.Op("&").Id("pNode").Values(d)
}

// checks returns the tests of each item of e.
func (pg *pgen) checks(e *ir.ProfileElement) []jen.Code {
	var out []jen.Code
	ctx := itemCtx(e)
	test := func(what, severity, code, msg, expr string) {
		fn, ok := pg.compile(e, what, expr, ctx)
		if !ok {
			return
		}
		out = append(out, jen.Values(jen.Dict{jen.Id("severity"): jen.Lit(severity), jen.Id("code"): jen.Lit(code),
			jen.Id("msg"): jen.Lit(msg), jen.Id("test"): jen.Id("pTest").Call(jen.Id(fn))}))
	}
	for _, fv := range []struct {
		v                *load.Value
		fixed            bool
		what, note, want string
		count            *int
	}{
		{e.Fixed, true, "fixed value", "part of a fixed value", "value must be the fixed value ", &pg.st.Fixed},
		{e.Pattern, false, "pattern", "part of a pattern", "value must match the pattern ", &pg.st.Patterns},
	} {
		if fv.v == nil {
			continue
		}
		expr, note := valueExpr(fv.v, fv.fixed)
		if note != "" {
			pg.notCheckable(e, fv.note, "%s", note)
		}
		*fv.count++
		test(fv.what, "error", "value", fv.want+short(fv.v.JSON), expr)
	}
	if e.Parent != nil && len(e.Types) > 0 && (e.IsChoice() || isResourceElement(e)) && pg.typesNarrowed(e) {
		if sw, ok := pg.typeSwitch(e, e.TypeCodes()); ok {
			pg.st.Types++
			out = append(out, jen.Values(jen.Dict{jen.Id("severity"): jen.Lit("error"), jen.Id("code"): jen.Lit("structure"),
				jen.Id("msg"): jen.Lit("type must be one of " + strings.Join(e.TypeCodes(), ", ")), jen.Id("test"): sw}))
		} else {
			pg.notCheckable(e, "type restriction", "the Go types of %s are not known", strings.Join(e.TypeCodes(), ", "))
		}
	}
	for _, t := range e.Types {
		var profiles []jen.Code
		for _, u := range t.Profiles {
			base, _, _ := strings.Cut(u, "|")
			switch {
			case pg.g.m.ProfileByURL(u) != nil:
				profiles = append(profiles, jen.Lit(u))
			case strings.HasPrefix(base, "http://hl7.org/fhir/StructureDefinition/") && pg.g.m.Type(strings.TrimPrefix(base, "http://hl7.org/fhir/StructureDefinition/")) != nil:
				// the base type itself is one of the alternatives: any item conforms
				profiles = nil
				goto next
			default:
				pg.notCheckable(e, "type profile not in the inputs", "%s", u)
			}
		}
	next:
		if len(t.TargetProfiles) > 0 && strings.HasSuffix(t.Code, "Reference") {
			for _, u := range t.TargetProfiles {
				if !strings.HasPrefix(u, "http://hl7.org/fhir/StructureDefinition/") {
					pg.st.NotCheckable["reference target profiles (need the target resolved)"]++
					break
				}
			}
		}
		if len(profiles) == 0 {
			continue
		}
		d := jen.Dict{jen.Id("profiles"): jen.Index().String().Values(profiles...)}
		if len(e.Types) > 1 {
			// the profile applies to the items of this type only
			sw, ok := pg.typeSwitch(e, e.TypeCodes()[indexOf(e.Types, t):][:1])
			if !ok {
				pg.notCheckable(e, "type profile", "the Go type of %s is not known", t.Code)
				continue
			}
			d[jen.Id("test")] = sw
		}
		pg.st.TypeProfiles++
		out = append(out, jen.Values(d))
	}
	if b := e.Binding; b != nil && pg.bindingOwn(e) {
		out = append(out, pg.binding(e, b)...)
	}
	for _, c := range e.Constraints {
		if c.Expr.Err != nil {
			pg.notCheckable(e, "ill-formed invariant", "%s: %v", c.Key, c.Expr.Err)
			continue
		}
		sev := "error"
		if c.Severity == "warning" {
			sev = "warning"
		}
		pg.st.Invariants++
		test("invariant "+c.Key, sev, "invariant", c.Key+": "+c.Human, c.Expression)
	}
	return out
}

func indexOf[T comparable](l []T, x T) int {
	for i, y := range l {
		if y == x {
			return i
		}
	}
	return -1
}

// typeSwitch returns a test that the item has one of the types (codes), by its Go type:
// the variants of a choice element, or resource types.
func (pg *pgen) typeSwitch(e *ir.ProfileElement, codes []string) (jen.Code, bool) {
	var gos []jen.Code
	f := baseField(pg.g.m, e.Path)
	for _, c := range codes {
		g := ""
		switch {
		case f != nil && f.Kind == ir.ChoiceField:
			for _, v := range f.Choice.Variants {
				if v.TypeCode == c {
					g = v.GoType()
				}
			}
		case pg.g.m.Resource(c) != nil:
			g = pg.g.m.Resource(c).Name
		case c == "Resource":
			return nil, false
		}
		if g == "" {
			return nil, false
		}
		gos = append(gos, jen.Op("*").Id(g))
	}
	return jen.Func().Params(jen.Id("_").Op("*").Id("FHIRPathEnv"), jen.Id("item").Any()).Params(jen.Bool(), jen.Error()).Block(
		jen.Switch(jen.Id("item").Assert(jen.Type())).Block(jen.Case(gos...).Block(jen.Return(jen.True(), jen.Nil()))),
		jen.Return(jen.False(), jen.Nil())), true
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), "")
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return s
}

func isResourceElement(e *ir.ProfileElement) bool {
	for _, c := range e.TypeCodes() {
		if c == "Resource" {
			return true
		}
	}
	return len(e.Types) == 1 && e.Parent != nil && strings.HasSuffix(e.Path, ".resource")
}

// typesNarrowed reports whether the profile allows fewer types than the base element.
func (pg *pgen) typesNarrowed(e *ir.ProfileElement) bool {
	f := baseField(pg.g.m, e.Path)
	if f == nil {
		return true
	}
	switch f.Kind {
	case ir.ChoiceField:
		return len(e.Types) < len(f.Choice.Variants)
	case ir.ResourceField:
		return !(len(e.Types) == 1 && e.TypeCodes()[0] == "Resource")
	}
	return false
}

// baseField returns the field of the base types at a path, or nil.
func baseField(m *ir.Model, path string) *ir.Field {
	parts := strings.Split(path, ".")
	t := m.Type(parts[0])
	var f *ir.Field
	for i := 1; i < len(parts); i++ {
		if t == nil {
			return nil
		}
		if bt := m.Type(strings.Join(parts[:i+1], ".")); bt != nil && i < len(parts)-1 {
			t = bt
			continue
		}
		f = t.Field(strings.TrimSuffix(parts[i], "[x]"))
		if f == nil {
			return nil
		}
		t = f.Type
	}
	return f
}

// bindingOwn reports whether the profile's binding differs from the base element's.
func (pg *pgen) bindingOwn(e *ir.ProfileElement) bool {
	f := baseField(pg.g.m, e.Path)
	if f == nil || f.Binding == nil {
		return true
	}
	return f.Binding.ValueSet != e.Binding.ValueSet || f.Binding.Strength != e.Binding.Strength
}

// binding returns the membership test of a bound element.
func (pg *pgen) binding(e *ir.ProfileElement, b *ir.Binding) []jen.Code {
	var sev string
	switch b.Strength {
	case "required":
		sev = "error"
	case "extensible":
		sev = "warning"
	case "preferred":
		sev = "information"
	default:
		return nil
	}
	coded := false
	for _, c := range e.TypeCodes() {
		switch c {
		case "code", "string", "uri", "Coding", "CodeableConcept", "Quantity":
			coded = true
		}
	}
	if !coded {
		if b.Strength == "required" {
			pg.notCheckable(e, "binding on a type without codes", "%s binding to %s on %s", b.Strength, b.ValueSet, strings.Join(e.TypeCodes(), ", "))
		}
		return nil
	}
	if !b.Checkable() {
		pg.notCheckable(e, "ValueSet not expandable", "%s binding to %s: %s", b.Strength, b.ValueSet, b.Reason)
		return nil
	}
	pg.g.profileCodes = true
	pg.st.Bindings++
	fn := pg.g.vsFunc(b)
	return []jen.Code{jen.Values(jen.Dict{jen.Id("severity"): jen.Lit(sev), jen.Id("code"): jen.Lit("code-invalid"),
		jen.Id("msg"): jen.Lit("no code from the " + b.Strength + " ValueSet " + b.ValueSet),
		jen.Id("test"): jen.Func().Params(jen.Id("_").Op("*").Id("FHIRPathEnv"), jen.Id("item").Any()).Params(jen.Bool(), jen.Error()).Block(
			jen.Return(jen.Id("pCodesIn").Call(jen.Id("item"), jen.Id(fn)), jen.Nil()))})}
}

// slicing returns the pSlicing literal of a sliced element (nil when e is not sliced).
func (pg *pgen) slicing(e *ir.ProfileElement) jen.Code {
	if e.Slicing == nil || len(e.Slices) == 0 {
		return nil
	}
	if len(e.Slicing.Discriminators) == 0 {
		pg.notCheckable(e, "slicing without discriminator", "the slices of %s cannot be told apart", e.ID)
		return nil
	}
	var slices []jen.Code
	for _, s := range e.Slices {
		var conds []jen.Code
		for _, d := range e.Slicing.Discriminators {
			c, ok := pg.cond(e, s, d)
			if !ok {
				return nil
			}
			conds = append(conds, c)
		}
		n := pg.node(s, "", true)
		slices = append(slices, jen.Values(jen.Dict{jen.Id("node"): n, jen.Id("match"): jen.Index().Id("pCond").Values(conds...)}))
		pg.st.Slices++
	}
	pg.st.Slicings++
	rules := e.Slicing.Rules
	if rules == "" {
		rules = "open"
	}
	d := jen.Dict{jen.Id("rules"): jen.Lit(rules), jen.Id("slices"): jen.Index().Op("*").Id("pSlice").Values(slices...)}
	if e.Slicing.Ordered {
		d[jen.Id("ordered")] = jen.True()
	}
	return jen.Op("&").Id("pSlicing").Values(d)
}

// cond returns the test of discriminator d for slice s of the sliced element e.
func (pg *pgen) cond(e, s *ir.ProfileElement, d *load.Discriminator) (jen.Code, bool) {
	path := strings.TrimSpace(d.Path)
	path = strings.TrimPrefix(path, "$this.")
	if path == "$this" {
		path = ""
	}
	fail := func(format string, args ...any) (jen.Code, bool) {
		pg.notCheckable(s, "slice discriminator", "%s discriminator %q: %s; the slicing of %s is not checked", d.Type, d.Path, fmt.Sprintf(format, args...), e.ID)
		return nil, false
	}
	test := func(expr string) (jen.Code, bool) {
		fn, ok := pg.compile(s, "discriminator", expr, itemCtx(e))
		if !ok {
			return nil, false
		}
		return jen.Values(jen.Dict{jen.Id("test"): jen.Id("pTest").Call(jen.Id(fn))}), true
	}
	profileCond := func(itemsPath string, profiles []string) (jen.Code, bool) {
		var lits []jen.Code
		for _, u := range profiles {
			if pg.g.m.ProfileByURL(u) == nil {
				return fail("profile %s is not in the inputs", u)
			}
			lits = append(lits, jen.Lit(u))
		}
		if len(lits) == 0 {
			return fail("the slice names no profile")
		}
		items := jen.Id("pSelf")
		if itemsPath != "" {
			fn, ok := pg.compile(s, "discriminator", itemsPath, itemCtx(e))
			if !ok {
				return nil, false
			}
			items = jen.Id("pItemsOf").Call(jen.Id(fn))
		}
		return jen.Values(jen.Dict{jen.Id("items"): items, jen.Id("profiles"): jen.Index().String().Values(lits...)}), true
	}
	if path == "resolve()" && d.Type == "profile" {
		var profiles []string
		for _, t := range s.Types {
			profiles = append(profiles, t.TargetProfiles...)
		}
		return profileCond("resolve()", profiles)
	}
	if strings.Contains(path, "(") {
		return fail("the path is not a plain element path")
	}
	// the element at the path in the slice (through plain children)
	var segs []string
	if path != "" {
		segs = strings.Split(path, ".")
	}
	target := s
	for _, seg := range segs {
		target = plainChild(target, seg)
		if target == nil {
			break
		}
	}
	switch d.Type {
	case "value", "pattern":
		if plainChild(s, "url") == nil && path == "url" && len(s.Types) == 1 && s.TypeCodes()[0] == "Extension" && len(s.Types[0].Profiles) == 1 {
			u, _, _ := strings.Cut(s.Types[0].Profiles[0], "|")
			return test("url = " + fpString(u))
		}
		expr, note, ok := pathValue(s, segs)
		if !ok {
			return fail("no fixed or pattern value at the path in the slice")
		}
		if note != "" {
			return fail("%s", note)
		}
		return test(expr)
	case "exists":
		if target == nil {
			return fail("no element at the path in the slice")
		}
		switch {
		case target.Min >= 1:
			return test("(" + path + ").exists()")
		case target.Max == 0:
			return test("(" + path + ").empty()")
		}
		return fail("the element at the path is neither required nor prohibited")
	case "type":
		if target == nil {
			return fail("no element at the path in the slice")
		}
		if path == "" {
			if sw, ok := pg.typeSwitch(e, target.TypeCodes()); ok {
				return jen.Values(jen.Dict{jen.Id("test"): sw}), true
			}
		}
		var ors []string
		subject := "$this"
		if path != "" {
			subject = "(" + path + ")"
		}
		for _, c := range target.TypeCodes() {
			ors = append(ors, subject+" is "+c)
		}
		if len(ors) == 0 {
			return fail("the element at the path has no type")
		}
		return test(strings.Join(ors, " or "))
	case "profile":
		if target == nil {
			return fail("no element at the path in the slice")
		}
		var profiles []string
		for _, t := range target.Types {
			profiles = append(profiles, t.Profiles...)
		}
		return profileCond(path, profiles)
	}
	return fail("unknown discriminator type")
}

// plainChild returns the child element of e (not a slice) named seg, or nil.
func plainChild(e *ir.ProfileElement, seg string) *ir.ProfileElement {
	for _, c := range e.Children {
		if c.Stem() == strings.TrimSuffix(seg, "[x]") {
			return c
		}
	}
	return nil
}

// pathValue returns the test that an item of element e has, at the path segs, the fixed or
// pattern value the profile gives there: the value of e itself or of an element on the
// path (a pattern on code covers the discriminator code.coding.code), or, through a
// required slice of an element on the path, the value inside that slice
// (component:SystolicBP.code.coding:SBPCode.code for code.coding.code).
func pathValue(e *ir.ProfileElement, segs []string) (expr, note string, ok bool) {
	if v := e.Fixed; v != nil {
		expr, note = valueExpr(v, true)
		return expr, note, true
	}
	if v := e.Pattern; v != nil {
		expr, note = valueExpr(v, false)
		return expr, note, true
	}
	if len(segs) == 0 {
		return "", "", false
	}
	c := plainChild(e, segs[0])
	if c == nil {
		return "", "", false
	}
	if sub, n, ok := pathValue(c, segs[1:]); ok {
		q := c.Stem()
		return "(" + q + ").exists() and (" + q + ").all(" + sub + ")", n, true
	}
	for _, sl := range c.Slices {
		if sl.Min < 1 {
			continue
		}
		if sub, n, ok := pathValue(sl, segs[1:]); ok {
			return c.Stem() + ".where(" + sub + ").exists()", n, true
		}
	}
	return "", "", false
}

// fpString is a FHIRPath string literal.
func fpString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\t", `\t`)
	return "'" + r.Replace(s) + "'"
}

// valueExpr returns a Boolean FHIRPath expression on $this that holds when the item has
// the fixed or pattern value v: equality for a primitive; for a complex value, every
// member of the pattern present with a matching value (an array's items each matched by
// one of the element's). A fixed complex value is checked as a pattern: elements beyond
// it are not rejected (said in note).
func valueExpr(v *load.Value, fixed bool) (expr, note string) {
	j := gjson.Parse(v.JSON)
	if !j.IsObject() {
		return "$this = " + fpLiteral(j, v.Type), ""
	}
	expr, note = objectExpr(j)
	if fixed {
		note = strings.TrimPrefix(note+"; a fixed "+v.Type+" is checked as a pattern (extra elements are not rejected)", "; ")
	}
	return expr, note
}

func objectExpr(j gjson.Result) (string, string) {
	var parts, notes []string
	j.ForEach(func(k, v gjson.Result) bool {
		name := k.String()
		if strings.HasPrefix(name, "_") {
			notes = append(notes, "the extensions of "+name[1:]+" in the value are not compared")
			return true
		}
		items := []gjson.Result{v}
		if v.IsArray() {
			items = v.Array()
		}
		for _, it := range items {
			if it.IsObject() {
				sub, n := objectExpr(it)
				if n != "" {
					notes = append(notes, n)
				}
				parts = append(parts, name+".where("+sub+").exists()")
			} else {
				parts = append(parts, name+".where($this = "+fpLiteral(it, "")+").exists()")
			}
		}
		return true
	})
	if len(parts) == 0 {
		return "true", strings.Join(notes, "; ")
	}
	return strings.Join(parts, " and "), strings.Join(notes, "; ")
}

// fpLiteral is the FHIRPath literal of a JSON primitive of FHIR type typ ("" unknown).
func fpLiteral(j gjson.Result, typ string) string {
	switch j.Type {
	case gjson.True:
		return "true"
	case gjson.False:
		return "false"
	case gjson.Number:
		return j.Raw
	}
	switch strings.ToLower(typ) {
	case "date", "datetime", "instant":
		return "@" + j.String()
	case "time":
		return "@T" + j.String()
	}
	return fpString(j.String())
}

// accessor emits the typed accessor of an extension definition: an ExtensionDef of its
// value's Go type (simple extensions) or a ComplexExtension (extensions of extensions).
func (pg *pgen) accessor(f *jen.File) {
	p := pg.p
	var value *ir.ProfileElement
	for _, c := range p.Root.Children {
		if c.Stem() == "value" {
			value = c
		}
	}
	name := strings.TrimPrefix(p.GoName, "Ext") + "Ext"
	if value != nil && value.Max != 0 && len(value.Types) == 1 {
		ch := pg.g.m.Type("Extension")
		var fl *ir.Field
		if ch != nil {
			fl = ch.Field("value")
		}
		if fl != nil && fl.Choice != nil {
			for _, v := range fl.Choice.Variants {
				if v.TypeCode == value.TypeCodes()[0] {
					emit.Commentf(f, "%s gets and sets the extension %s (%s) on an element's extensions.", name, p.URL, v.TypeCode)
					f.Var().Id(name).Op("=").Id("ExtensionDef").Types(jen.Op("*").Id(v.GoType())).Values(jen.Dict{jen.Id("URL"): jen.Lit(p.URL)})
					pg.st.Accessors++
					return
				}
			}
		}
	}
	if value == nil || value.Max == 0 {
		emit.Commentf(f, "%s gets and sets the complex extension %s (its parts are extensions) on an element's extensions.", name, p.URL)
		f.Var().Id(name).Op("=").Id("ComplexExtensionDef").Values(jen.Dict{jen.Id("URL"): jen.Lit(p.URL)})
		pg.st.Accessors++
		return
	}
	ch := pg.g.m.Type("Extension")
	if fl := ch.Field("value"); fl != nil && fl.Choice != nil {
		emit.Commentf(f, "%s gets and sets the extension %s (one of %s) on an element's extensions.", name, p.URL, strings.Join(value.TypeCodes(), ", "))
		f.Var().Id(name).Op("=").Id("ExtensionDef").Types(jen.Id(fl.Choice.Name)).Values(jen.Dict{jen.Id("URL"): jen.Lit(p.URL)})
		pg.st.Accessors++
		return
	}
	pg.notCheckable(nil, "no typed accessor", "extension %s: Extension.value is not a choice in this model", p.URL)
}

// profileHelpers emits what the profile runtime needs from the model: the codes of an
// item for bindings, meta.profile, and the reference resolver of a Bundle.
func (g *gen) profileHelpers(f *jen.File) {
	var cases []jen.Code
	if g.m.Type("Coding") != nil {
		cases = append(cases, jen.Case(jen.Op("*").Id("Coding")).Block(jen.Return(jen.Id("v").Op("!=").Nil().Op("&&").Id("in").Call(jen.Id("v").Dot("System"), jen.Id("v").Dot("Code")))))
	}
	if t := g.m.Type("CodeableConcept"); t != nil {
		cases = append(cases, jen.Case(jen.Op("*").Id("CodeableConcept")).Block(
			jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Return(jen.False())),
			jen.For(jen.Id("i").Op(":=").Range().Id("v").Dot("Coding")).Block(
				jen.If(jen.Id("in").Call(jen.Id("v").Dot("Coding").Index(jen.Id("i")).Dot("System"), jen.Id("v").Dot("Coding").Index(jen.Id("i")).Dot("Code"))).Block(jen.Return(jen.True()))),
			jen.Return(jen.False())))
	}
	if g.m.Type("Quantity") != nil {
		cases = append(cases, jen.Case(jen.Op("*").Id("Quantity")).Block(jen.Return(jen.Id("v").Op("!=").Nil().Op("&&").Id("in").Call(jen.Id("v").Dot("System"), jen.Id("v").Dot("Code")))))
	}
	cases = append(cases, jen.Case(jen.String()).Block(jen.Return(jen.Id("in").Call(jen.Lit(""), jen.Id("v")))),
		jen.Case(jen.Qual("fmt", "Stringer")).Block(jen.Return(jen.Id("in").Call(jen.Lit(""), jen.Id("v").Dot("String").Call()))))
	emit.Comment(f, "pCodesIn reports whether a coded item (a code, Coding, CodeableConcept or Quantity) has a code in the ValueSet of in.")
	f.Func().Id("pCodesIn").Params(jen.Id("item").Any(), jen.Id("in").Func().Params(jen.List(jen.Id("system"), jen.Id("code")).String()).Bool()).Bool().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("item").Assert(jen.Type())).Block(cases...),
		jen.Return(jen.True()))
	// meta.profile, compiled
	ctx, err := fhirpath.ContextFor(g.m, "Resource")
	if err == nil {
		if _, _, err = g.fp.Func("pMetaProfile", ir.Parse("meta.profile").Node, ctx); err != nil && !fhirpath.IsWarning(err) {
			g.ds.Errorf(diag.Pos{}, "", "", "profiles: meta.profile does not compile: %v", err)
		}
	}
	emit.Comment(f, "declaredProfiles returns the canonicals of r's meta.profile.")
	f.Func().Id("declaredProfiles").Params(jen.Id("r").Id("Resource")).Index().String().Block(
		jen.List(jen.Id("out"), jen.Id("_")).Op(":=").Id("pMetaProfile").Call(jen.Op("&").Id("FHIRPathEnv").Values(), jen.Id("r")),
		jen.Var().Id("s").Index().String(),
		jen.For(jen.List(jen.Id("_"), jen.Id("u")).Op(":=").Range().Id("out")).Block(jen.Id("s").Op("=").Append(jen.Id("s"), jen.String().Parens(jen.Id("u")))),
		jen.Return(jen.Id("s")))
	g.bundleResolver(f)
	emit.Comment(f, "pSelf is the items of a discriminator on $this: the item itself.")
	f.Func().Id("pSelf").Params(jen.Id("_").Op("*").Id("FHIRPathEnv"), jen.Id("item").Any()).Params(jen.Index().Any(), jen.Error()).Block(
		jen.Return(jen.Index().Any().Values(jen.Id("item")), jen.Nil()))
}

// bundleResolver emits profileResolver: in a Bundle, a reference resolves to the entry
// whose fullUrl it is, or whose resource has its type and id.
func (g *gen) bundleResolver(f *jen.File) {
	emit.Comment(f, "profileResolver returns resolve() of the profile checks of r: the entries of a Bundle by fullUrl and by type/id; nil for another resource.")
	b := g.m.Resource("Bundle")
	var entry *ir.Field
	if b != nil {
		entry = b.Field("entry")
	}
	if entry == nil || entry.Type == nil || entry.Type.Field("fullUrl") == nil || entry.Type.Field("resource") == nil {
		f.Func().Id("profileResolver").Params(jen.Id("r").Id("Resource")).Func().Params(jen.String()).Any().Block(jen.Return(jen.Nil()))
		return
	}
	full, res := entry.Type.Field("fullUrl").Name, entry.Type.Field("resource").Name
	f.Func().Id("profileResolver").Params(jen.Id("r").Id("Resource")).Func().Params(jen.String()).Any().Block(
		jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("r").Assert(jen.Op("*").Id(b.Name)),
		jen.If(jen.Op("!").Id("ok").Op("||").Id("b").Op("==").Nil()).Block(jen.Return(jen.Nil())),
		jen.Id("byRef").Op(":=").Map(jen.String()).Id("Resource").Values(),
		jen.For(jen.Id("i").Op(":=").Range().Id("b").Dot(entry.Name)).Block(
			jen.Id("e").Op(":=").Op("&").Id("b").Dot(entry.Name).Index(jen.Id("i")),
			jen.If(jen.Id("e").Dot(res).Op("==").Nil()).Block(jen.Continue()),
			jen.If(jen.Id("e").Dot(full).Op("!=").Lit("")).Block(jen.Id("byRef").Index(jen.String().Parens(jen.Id("e").Dot(full))).Op("=").Id("e").Dot(res)),
			jen.If(jen.Id("id").Op(":=").Id("pResourceID").Call(jen.Id("e").Dot(res)), jen.Id("id").Op("!=").Lit("")).Block(
				jen.Id("byRef").Index(jen.Id("e").Dot(res).Dot("ResourceType").Call().Op("+").Lit("/").Op("+").Id("id")).Op("=").Id("e").Dot(res)),
		),
		jen.Return(jen.Func().Params(jen.Id("ref").String()).Any().Block(
			jen.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("byRef").Index(jen.Id("ref")), jen.Id("ok")).Block(jen.Return(jen.Id("x"))),
			jen.Return(jen.Nil()))))
	ctx, err := fhirpath.ContextFor(g.m, "Resource")
	if err == nil {
		if _, _, err = g.fp.Func("pIDOf", ir.Parse("id").Node, ctx); err != nil && !fhirpath.IsWarning(err) {
			g.ds.Errorf(diag.Pos{}, "", "", "profiles: Resource.id does not compile: %v", err)
		}
	}
	emit.Comment(f, "pResourceID is the id of a resource (\"\" when it has none).")
	f.Func().Id("pResourceID").Params(jen.Id("r").Id("Resource")).String().Block(
		jen.List(jen.Id("out"), jen.Id("_")).Op(":=").Id("pIDOf").Call(jen.Op("&").Id("FHIRPathEnv").Values(), jen.Id("r")),
		jen.If(jen.Len(jen.Id("out")).Op("==").Lit(1)).Block(jen.Return(jen.String().Parens(jen.Id("out").Index(jen.Lit(0))))),
		jen.Return(jen.Lit("")))
}

var _ = naming.Snake
