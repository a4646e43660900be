// Package fhirpath type-checks FHIRPath expressions (parsed by package syntax) against
// the IR and compiles them to Go functions over the generated structs. Its runtime/
// directory is a real Go package whose files are copied beside the compiled code.
package fhirpath

import (
	"bytes"
	"embed"
	"fmt"
	gofmt "go/format"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"github.com/fhirgen/fhirgen/generator/fhirpath/syntax"
	"github.com/fhirgen/fhirgen/generator/ir"
)

// Compiler translates FHIRPath expressions into Go functions over the structs generated
// from a model (see package runtime for the compiled code's support).
//
// # Compiled functions
//
// Func(name, n, ctx) adds to the Compiler's source (Source) the function
//
//	func Name(env *FHIRPathEnv, ctx C) (out []E, err error)
//
// C is ctx.GoType, the Go type of the context item:
//
//   - a pointer to a generated struct for a resource, datatype or backbone context
//     (ContextFor(m, "Patient") -> *Patient, "Patient.contact" -> *PatientContact,
//     "HumanName" -> *HumanName);
//   - Resource for Resource, DomainResource and the other abstract resources;
//   - the choice interface for a choice element ("Observation.value[x]" ->
//     ObservationValue);
//   - string, bool, int64 or Decimal for a primitive element ("Patient.birthDate" ->
//     string).
//
// A nil pointer or interface context gives (nil, nil). env may be nil (see FHIRPathEnv).
//
// E, the Go type of the result items, is the second result of Func (the first is the
// FHIRPath type, *Typed, whose Types list the FHIR types of the items):
//
//   - *T for items of one generated struct type T (e.g. *Reference, *HumanName);
//   - Resource for resources;
//   - the choice interface for the values of one choice element (ObservationValue);
//   - string for every string-like FHIR type and for dates, times and instants (kept as
//     their FHIR text), bool for booleans, int64 for all integers, Decimal for decimals;
//   - any for collections whose items have several Go types (Patient.name | Patient.birthDate):
//     pointers to structs and Resources as such, primitives as unexported tagged values
//     (use the result of a search expression of mixed type through a generated switch on
//     the ir types, or compile each branch separately).
//
// So SearchParameter patient of Observation compiles to
//
//	func SearchObservationPatient(env *FHIRPathEnv, ctx *Observation) ([]*Reference, error)
//
// and Func returns (&Typed{Types: [Reference]}, "*Reference", nil).
//
// Boolean expressions (invariants) have E = bool: the result is empty (unknown: FHIRPath
// {} — a caller decides whether that passes), {true} or {false}. An invariant whose
// expression is not Boolean (rare) has another E; FHIRPath reads a single item as true.
//
// Errors: err is an evaluation error of FHIRPath (several items where one is expected, a
// bad regular expression); other panics (bugs) are not recovered. Func's error is a
// *CheckError; one of Kind ErrRootMismatch, ErrUnknownType or ErrUnknownElement is a warning: the function is
// still compiled (and evaluates to empty or false for the offending part).
//
// Expressions are compiled to nested calls of the generic helpers of package runtime;
// navigation that depends on the model (fields of several types, any resource, children(),
// descendants(), resolve()) goes through helper functions generated once per Compiler and
// shared by all its functions, so a package's functions should use one Compiler. Func
// must not be called concurrently.
type Compiler struct {
	m       *ir.Model
	x       *model
	helpers map[string]string // name -> source
	funcs   []string
	needs   map[string]bool
}

// NewCompiler returns a compiler for the structs generated from m.
func NewCompiler(m *ir.Model) *Compiler {
	return &Compiler{m: m, x: indexModel(m), helpers: map[string]string{}, needs: map[string]bool{}}
}

func (c *Compiler) check(n syntax.Node, ctx *Context) (*Typed, error) {
	v, w, err := c.compile(n, ctx)
	if err != nil {
		return nil, err
	}
	if len(w.unknownTypes) > 0 || len(w.resTypes) > 0 {
		var parts []string
		if len(w.unknownTypes) > 0 {
			parts = append(parts, fmt.Sprintf("unknown types %s (taken as no match)", strings.Join(w.unknownTypes, ", ")))
		}
		if len(w.resTypes) > 0 {
			parts = append(parts, fmt.Sprintf("resource types %s are not in the inputs (is() compares the resourceType at run time)", strings.Join(w.resTypes, ", ")))
		}
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrUnknownType, Msg: strings.Join(parts, "; ")}
	}
	if len(w.unknownElems) > 0 {
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrUnknownElement,
			Msg: fmt.Sprintf("no element %s (taken as empty)", strings.Join(w.unknownElems, ", "))}
	}
	if w.rootOther > 0 && w.rootMatch == 0 && w.rootMember == 0 {
		return v.t, &CheckError{Offset: n.Pos(), Kind: ErrRootMismatch,
			Msg: fmt.Sprintf("the root type of the expression does not match the context %s", ctx.Type)}
	}
	return v.t, nil
}

func (c *Compiler) compile(n syntax.Node, ctx *Context) (*val, *walker, error) {
	w := &walker{c: c, ctx: ctx, x: c.x}
	w.ctxVal = newVal(ctx.Type, "fpOne(ctx)")
	w.ctxVal.elem = ctx.GoType
	if nillable(ctx.GoType) {
		w.ctxVal.item = "ctx" // the compiled function returns early when ctx is nil
	}
	v, err := w.expr(n, &scope{this: w.ctxVal})
	if err != nil {
		return nil, nil, err
	}
	return v, w, nil
}

// Func compiles an expression into a Go function named name (see Compiler for its
// signature) and returns the FHIRPath type of its result and the Go type of the result's
// items (the E of []E). An error of Kind ErrRootMismatch, ErrUnknownType or ErrUnknownElement still compiles
// the function.
func (c *Compiler) Func(name string, n syntax.Node, ctx *Context) (*Typed, string, error) {
	t, err := c.check(n, ctx)
	if err != nil {
		if ce, ok := err.(*CheckError); !ok || ce.Kind != ErrRootMismatch && ce.Kind != ErrUnknownType && ce.Kind != ErrUnknownElement {
			return nil, "", err
		}
	}
	v, w, err2 := c.compile(n, ctx)
	if err2 != nil {
		return nil, "", err2
	}
	hoisted := w.hoistDecls(v.code)
	nilCheck := ""
	if nillable(ctx.GoType) {
		nilCheck = "\tif ctx == nil {\n\t\treturn nil, nil\n\t}\n"
	}
	c.funcs = append(c.funcs, fmt.Sprintf("// %s evaluates the FHIRPath expression\n//\n//\t%s\nfunc %s(env *FHIRPathEnv, ctx %s) (out []%s, err error) {\n%s\tdefer fpRecover(&err)\n%s\treturn %s, nil\n}\n",
		name, docExpr(n), name, ctx.GoType, v.elem, nilCheck, hoisted, v.code))
	return t, v.elem, err
}

// nillable reports whether values of the Go type g of a context may be nil (pointers and
// interfaces: everything but the Go types of primitives).
func nillable(g string) bool { return !isBasic(g) }

// docExpr returns the text of n for a doc comment: one line, long expressions cut.
func docExpr(n syntax.Node) string {
	s := strings.Join(strings.Fields(n.String()), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:150]) + " …"
	}
	return s
}

// Source returns the Go file holding the compiled functions and their helpers, in package
// pkg (the package of the generated structs, where RuntimeFiles are copied too).
func (c *Compiler) Source(pkg string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by fhirgen. DO NOT EDIT.\n\npackage %s\n\n", pkg)
	if c.needs["strings"] {
		b.WriteString("import \"strings\"\n\n")
	}
	names := make([]string, 0, len(c.helpers))
	for k := range c.helpers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		b.WriteString(c.helpers[k])
		b.WriteString("\n")
	}
	for _, f := range c.funcs {
		b.WriteString(f)
		b.WriteString("\n")
	}
	out, err := gofmt.Source(b.Bytes())
	if err != nil {
		return b.Bytes(), err
	}
	return out, nil
}

//go:embed runtime/*.go
var runtimeFS embed.FS

// RuntimeFiles returns the files of package runtime (tests excluded) with their package
// clause set to pkg, named fhirpath_<file>.go, to be written next to the compiled code.
func RuntimeFiles(pkg string) (map[string][]byte, error) {
	out := map[string][]byte{}
	entries, err := fs.ReadDir(runtimeFS, "runtime")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := runtimeFS.ReadFile("runtime/" + e.Name())
		if err != nil {
			return nil, err
		}
		s := strings.Replace(string(src), "\npackage runtime\n", "\npackage "+pkg+"\n", 1)
		if strings.HasPrefix(s, "package runtime\n") {
			s = "package " + pkg + "\n" + strings.TrimPrefix(s, "package runtime\n")
		}
		out["fhirpath_"+e.Name()] = []byte("// Code generated by fhirgen. DO NOT EDIT.\n// source: generator/fhirpath/runtime/" + e.Name() + "\n\n" + s)
	}
	return out, nil
}

// need adds a fixed helper of the compiled code that refers to generated types.
func (c *Compiler) need(name string) {
	if _, ok := c.helpers[name]; ok {
		return
	}
	switch name {
	case "fpEnvRes":
		c.helpers[name] = `// fpEnvRes is %resource (root false) or %rootResource.
func fpEnvRes(env *FHIRPathEnv, ctx any, root bool) []Resource {
	var r any
	if env != nil {
		if root {
			r = env.RootResource
		}
		if r == nil {
			r = env.Resource
		}
	}
	if r == nil {
		r = ctx
	}
	if res, ok := r.(Resource); ok && res != nil {
		return []Resource{res}
	}
	return nil
}
`
	case "fpResolve":
		c.helpers[name] = `// fpResolve is resolve() of one reference: env.Resolve, else a RawResource with the type
// named in the reference ("Patient/1"), so that resolve() is Patient works without a
// resolver.
func fpResolve(env *FHIRPathEnv, ref string) Resource {
	if ref == "" {
		return nil
	}
	if env != nil && env.Resolve != nil {
		if r, ok := env.Resolve(ref).(Resource); ok && r != nil {
			return r
		}
	}
	if t := fpRefType(ref); t != "" {
		return &RawResource{Type: t}
	}
	return nil
}
`
	}
}

// resourcesWith returns the resource types having an element name.
func (c *Compiler) resourcesWith(name string) []*ir.Type {
	var out []*ir.Type
	for _, r := range c.m.Resources {
		if r.Field(name) != nil {
			out = append(out, r)
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------
// Navigation

// flat returns the code applying bodies (statements reading x and appending to out) to
// each item of target.
func (w *walker) flat(target *val, res string, bodies []string) string {
	return fmt.Sprintf("fpFlat(%s, func(x %s, out []%s) []%s {\n%s\nreturn out\n})",
		target.code, target.elem, res, res, strings.Join(bodies, "\n"))
}

// flatHelper is flat with the bodies in a helper function shared by all the expressions
// of the Compiler (the bodies must not refer to variables of the expression: env, $this,
// ...). label names the helper.
func (w *walker) flatHelper(target *val, res, label string, bodies []string) string {
	if target.empty {
		return "[]" + res + "(nil)"
	}
	ident := "{ v := x; _ = v\n"
	name := "fpGet" + goIdent(strings.TrimPrefix(target.elem, "*")) + "_" + label + "_" + goIdent(res)
	if sw, ok := typeSwitch(bodies); ok {
		return w.c.helper(name, fmt.Sprintf("(x %s, out []%s) []%s {\n%s\nreturn out\n}\n", target.elem, res, res, sw), target.code)
	}
	if len(bodies) == 1 && strings.HasPrefix(bodies[0], ident) {
		body := strings.TrimSuffix(strings.TrimPrefix(bodies[0], ident), "\n}")
		if target.item != "" {
			if m := addRe.FindStringSubmatch(body); m != nil {
				// out = fpAddX(out, [args, ]v.F) on a single item: fpAddX(nil, item.F)
				return m[1] + "([]" + res + "(nil), " + m[2] + target.item + "." + m[3] + ")"
			}
		}
		if h, ok := strings.CutPrefix(body, "out = "); ok && strings.HasSuffix(h, "(v, out)") && !strings.ContainsAny(h[:len(h)-len("(v, out)")], "(){}; \n") {
			if target.item != "" {
				return strings.TrimSuffix(h, "(v, out)") + "(" + target.item + ", nil)"
			}
			return "fpFlat(" + target.code + ", " + strings.TrimSuffix(h, "(v, out)") + ")"
		}
		return w.c.helper(name,
			fmt.Sprintf("(v %s, out []%s) []%s {\n%s\nreturn out\n}\n", target.elem, res, res, body), target.code)
	}
	return w.c.helper(name,
		fmt.Sprintf("(x %s, out []%s) []%s {\n%s\nreturn out\n}\n", target.elem, res, res, strings.Join(bodies, "\n")), target.code)
}

// addRe matches the statements of nav appending a field's values with a runtime helper.
var addRe = regexp.MustCompile(`^out = (fp\w+)\(out, ((?:"[^"]*", |fpBox\w+, )?)v\.(\w+)\)$`)

// typeSwitch turns bodies made by caseOf with type assertions ("if v, ok := x.(T); ok {
// _ = v ... }") into one type switch on x; ok is false when they are not all such.
func typeSwitch(bodies []string) (string, bool) {
	if len(bodies) < 2 {
		return "", false
	}
	var b strings.Builder
	b.WriteString("switch v := x.(type) {\n")
	seen := map[string]bool{}
	for _, body := range bodies {
		rest, ok := strings.CutPrefix(body, "if v, ok := x.(")
		if !ok {
			return "", false
		}
		t, rest, ok := strings.Cut(rest, "); ok { _ = v\n")
		if !ok || !strings.HasSuffix(rest, "\n}") || seen[t] {
			return "", false
		}
		seen[t] = true
		fmt.Fprintf(&b, "case %s:\n%s\n", t, strings.TrimSuffix(rest, "\n}"))
	}
	b.WriteString("}")
	return b.String(), true
}

// helper adds the function name with signature and body sig (a suffixed name when another
// function has that name) and returns the code applying it to each item of target.
func (c *Compiler) helper(name, sig, target string) string {
	return "fpFlat(" + target + ", " + c.addHelper(name, sig) + ")"
}

// addHelper adds the function name with signature and body sig and returns its name
// (suffixed when another function has the name).
func (c *Compiler) addHelper(name, sig string) string {
	n := name
	for i := 2; ; i++ {
		src, ok := c.helpers[n]
		if !ok {
			c.helpers[n] = "func " + n + sig
			break
		}
		if src == "func "+n+sig {
			break
		}
		n = fmt.Sprintf("%s_%d", name, i)
	}
	return n
}

// caseOf wraps body (reading v) so that it runs when the item x has type t.
func (w *walker) caseOf(target *val, t *Type, body string) string {
	g := goType(t)
	if target.t.Choice != nil && t.Kind == KPrim {
		for _, vr := range target.t.Choice.Variants {
			if vr.Prim != nil && vr.Prim.Prim.FHIRName == t.Prim.FHIRName {
				g = "*" + vr.Prim.Name
			}
		}
	}
	switch {
	case target.elem == g:
		return "{ v := x; _ = v\n" + body + "\n}"
	case target.elem == "any" && isPrimitive(t):
		return fmt.Sprintf("if fv, ok := x.(fpValue); ok && fv.Type == %q { v := fv.V.(%s); _ = v\n%s\n}", t.Name(), g, body)
	case target.elem == "any" || target.elem == "Resource" || target.t.Choice != nil:
		return fmt.Sprintf("if v, ok := x.(%s); ok { _ = v\n%s\n}", g, body)
	}
	return ""
}

// pushItem returns the statement appending the item expr, of Go type from and FHIR type
// name, to out []res.
func (w *walker) pushItem(expr, from, name string, ch *ir.Choice, res string) string {
	switch {
	case from == res:
		return "out = append(out, " + expr + ")"
	case res == "Resource":
		return "out = append(out, " + expr + ")"
	case res == "any" && ch != nil:
		h := w.choiceBox(ch)
		return "if b := " + h + "(" + expr + "); b != nil { out = append(out, b) }"
	case res == "any" && from != "" && from[0] == '*' || from == "Resource":
		return "out = append(out, " + expr + ")"
	case res == "any":
		return fmt.Sprintf("out = append(out, fpValue{%q, %s})", name, expr)
	}
	return fmt.Sprintf("out = append(out, %s) // cannot convert %s to %s", expr, from, res)
}

// choiceBox returns a helper converting a choice value to an item of a heterogeneous
// collection (nil for a primitive without value).
func (w *walker) choiceBox(ch *ir.Choice) string {
	return w.helper("fpBox"+ch.Name, func(name string, b *strings.Builder) {
		hasPrim := false
		for _, vr := range ch.Variants {
			hasPrim = hasPrim || vr.Prim != nil
		}
		if !hasPrim {
			fmt.Fprintf(b, "func %s(c %s) any { return c }\n", name, ch.Name)
			return
		}
		fmt.Fprintf(b, "func %s(c %s) any {\nswitch v := c.(type) {\n", name, ch.Name)
		for _, vr := range ch.Variants {
			if vr.Prim == nil {
				continue
			}
			t := &Type{Kind: KPrim, Prim: vr.Prim.Prim}
			cond, val := primValue("v.Value", vr.Prim.Prim)
			fmt.Fprintf(b, "case *%s:\nif %s { return fpValue{%q, %s} }\nreturn nil\n", vr.Prim.Name, cond, t.Name(), val)
		}
		b.WriteString("}\nreturn c\n}\n")
	})
}

// primValue returns the condition that a primitive Go field value expr is present and the
// expression of its item value.
func primValue(expr string, p *ir.Primitive) (cond, val string) {
	switch p.JSON {
	case ir.JSONBool:
		return expr + " != nil", "*" + expr
	case ir.JSONInt32:
		return expr + " != nil", "int64(*" + expr + ")"
	case ir.JSONInt64:
		return expr + " != nil", "*" + expr
	case ir.JSONDecimal:
		return expr + ` != ""`, expr
	}
	return expr + ` != ""`, "string(" + expr + ")"
}

// nav returns statements appending the values of field f of struct v to out []res.
func (w *walker) nav(f *ir.Field, res string) string {
	fx := "v." + f.Name
	switch f.Kind {
	case ir.PrimitiveField:
		t := fieldTypes(f)[0]
		if f.Prim.JSON == ir.JSONString && (res == "string" || res == "any") {
			add := "fpAddStr"
			if f.Array {
				add = "fpAddStrs"
			}
			if res == "any" {
				return fmt.Sprintf("out = %sAny(out, %q, %s)", add, t.Name(), fx)
			}
			return fmt.Sprintf("out = %s(out, %s)", add, fx)
		}
		if add := map[ir.JSONKind]string{ir.JSONBool: "fpAddBool", ir.JSONInt32: "fpAddInt32", ir.JSONInt64: "fpAddInt64",
			ir.JSONDecimal: "fpAddText"}[f.Prim.JSON]; add != "" && !f.Array && res == goType(t) {
			return fmt.Sprintf("out = %s(out, %s)", add, fx)
		}
		if f.Array {
			cond, val := primValue("e", f.Prim)
			return fmt.Sprintf("for _, e := range %s { if %s { %s } }", fx, cond, w.pushItem(val, goType(t), t.Name(), nil, res))
		}
		cond, val := primValue(fx, f.Prim)
		return fmt.Sprintf("if %s { %s }", cond, w.pushItem(val, goType(t), t.Name(), nil, res))
	case ir.ComplexField:
		if res == "*"+f.Type.Name || res == "any" {
			add := "fpAddPtr"
			if f.Array {
				add = "fpAddElems"
			}
			if res == "any" {
				add += "Any"
			}
			return fmt.Sprintf("out = %s(out, %s)", add, fx)
		}
		if f.Array {
			return fmt.Sprintf("for i := range %s { %s }", fx, w.pushItem("&"+fx+"[i]", "*"+f.Type.Name, f.Type.FHIRName, nil, res))
		}
		return fmt.Sprintf("if %s != nil { %s }", fx, w.pushItem(fx, "*"+f.Type.Name, f.Type.FHIRName, nil, res))
	case ir.ResourceField:
		if res == "Resource" || res == "any" {
			add := "fpAddRes"
			if f.Array {
				add = "fpAddRess"
			}
			return fmt.Sprintf("out = %s(out, %s)", add, fx)
		}
		if f.Array {
			return fmt.Sprintf("for _, e := range %s { if e != nil { %s } }", fx, w.pushItem("e", "Resource", "Resource", nil, res))
		}
		return fmt.Sprintf("if %s != nil { %s }", fx, w.pushItem(fx, "Resource", "Resource", nil, res))
	}
	if res == f.Choice.Name {
		return fmt.Sprintf("out = fpAddRes(out, %s)", fx)
	}
	if res == "any" {
		return fmt.Sprintf("out = fpAddBox(out, %s, %s)", w.choiceBox(f.Choice), fx)
	}
	return fmt.Sprintf("if %s != nil { %s }", fx, w.pushItem(fx, f.Choice.Name, "", f.Choice, res))
}

// resourceNav returns a helper appending element name of any resource to out []res.
func (w *walker) resourceNav(name, res string) string {
	return w.switchHelper("fpRes_"+name+"_"+goIdent(res), "Resource", res, func(b *strings.Builder) {
		for _, r := range w.c.resourcesWith(name) {
			fmt.Fprintf(b, "case *%s:\n%s\n", r.Name, w.nav(r.Field(name), res))
		}
	})
}

func goIdent(s string) string {
	s = strings.ReplaceAll(s, "*", "P")
	return strings.ReplaceAll(s, ".", "_")
}

// member navigates to element name of the items of target.
func (w *walker) member(target *val, name string, n syntax.Node) (*val, error) {
	var types []*Type
	single := target.t.Single
	var choice *ir.Choice
	choiceOnly, found := true, false
	type alt struct {
		t *Type
		f *ir.Field
	}
	var alts []alt
	use := func(t *Type, f *ir.Field) {
		found = true
		alts = append(alts, alt{t, f})
		types = addTypes(types, fieldTypes(f)...)
		if f.Array || f.Max > 1 || f.Max < 0 {
			single = false
		}
		if f.Choice != nil && (choice == nil || choice == f.Choice) {
			choice = f.Choice
		} else {
			choiceOnly = false
		}
	}
	for _, t := range target.t.Types {
		switch t.Kind {
		case KStruct:
			if f := t.Def.Field(name); f != nil {
				use(t, f)
			}
		case KResource:
			for _, r := range w.c.resourcesWith(name) {
				use(t, r.Field(name))
			}
		}
	}
	if !found {
		if target.empty && len(target.t.Types) == 0 {
			return emptyVal(&Typed{}), nil // navigation from nothing of no known type
		}
		if name == "resourceType" && len(target.t.Types) > 0 && allTypes(target.t.Types, isResource) {
			return newVal(&Typed{Types: []*Type{tString}, Single: target.t.Single},
				"fpConv("+w.conv(target, "Resource")+", func(r Resource) string { return r.ResourceType() })"), nil
		}
		if name == "value" && len(target.t.Types) > 0 && allTypes(target.t.Types, isPrimitive) {
			return target, nil // the System value of a FHIR primitive
		}
		if (name == "id" || name == "extension") && w.x.m.Element != nil && len(target.t.Types) > 0 && allTypes(target.t.Types, isPrimitive) {
			// the id and extensions of primitive values that were not navigated to
			// from their parent (a primitive context): not reachable from the Go value.
			if name == "id" {
				return emptyVal(&Typed{Types: []*Type{tString}, Single: true}), nil
			}
			return emptyVal(&Typed{Types: fieldTypes(w.x.m.Element.Field("extension"))}), nil
		}
		if w.knownStructs(target.t) {
			return w.unknownElement(name, target.t), nil
		}
		return nil, errAt(n, "no element %q on %s", name, target.t)
	}
	res := &Typed{Types: types, Single: single}
	if choiceOnly && choice != nil {
		res.Choice = choice
	}
	elem := elemType(res)
	if target.empty {
		return emptyVal(res), nil
	}
	var bodies []string
	done := map[string]bool{}
	for _, a := range alts {
		if done[a.t.Name()] {
			continue
		}
		done[a.t.Name()] = true
		var body string
		if a.t.Kind == KResource {
			body = "out = " + w.resourceNav(name, elem) + "(v, out)"
		} else {
			body = w.nav(a.f, elem)
		}
		bodies = append(bodies, w.caseOf(target, a.t, body))
	}
	return newVal(res, w.flatHelper(target, elem, name, bodies)), nil
}

// ---------------------------------------------------------------------------------------
// Conversions

// conv returns the code of v's collection with items of Go type to.
func (w *walker) conv(v *val, to string) string {
	from := v.elem
	switch {
	case v.empty:
		return "[]" + to + "(nil)"
	case from == to:
		return v.code
	case to == "any":
		if v.t.Choice != nil {
			h := w.choiceBox(v.t.Choice)
			return fmt.Sprintf("fpFlat(%s, func(x %s, out []any) []any { if b := %s(x); b != nil { out = append(out, b) }; return out })", v.code, from, h)
		}
		if from[0] == '*' || from == "Resource" {
			return "fpUp(" + v.code + ")"
		}
		name := "System.Boolean"
		if len(v.t.Types) > 0 {
			name = v.t.Types[0].Name()
		}
		return fmt.Sprintf("fpBox(%s, %q)", v.code, name)
	case to == "Resource" && from[0] == '*':
		return fmt.Sprintf("fpConv(%s, func(x %s) Resource { return x })", v.code, from)
	case from == "int64" && to == "Decimal":
		return fmt.Sprintf("fpConv(fpIntFloats(%s), DecimalOf)", v.code)
	case from == "any":
		return fmt.Sprintf("fpUnwrap[%s](%s)", to, v.code)
	case from == "Resource" || v.t.Choice != nil:
		return fmt.Sprintf("fpUnwrap[%s](%s)", to, w.conv(v, "any"))
	}
	return fmt.Sprintf("[]%s(nil) /* %s */", to, from)
}

// unify returns the type of a collection holding the items of a and b.
func unify(a, b *Typed) *Typed {
	t := &Typed{Types: addTypes(append([]*Type(nil), a.Types...), b.Types...)}
	if a.Choice != nil && a.Choice == b.Choice || len(b.Types) == 0 && a.Choice != nil {
		t.Choice = a.Choice
	} else if len(a.Types) == 0 && b.Choice != nil {
		t.Choice = b.Choice
	}
	return t
}

// tri returns the code of v as a tri-state Boolean.
func tri(v *val) string {
	if v.empty {
		return "fpEmpty"
	}
	switch v.elem {
	case "bool":
		return "fpBoolTri(" + v.code + ")"
	case "any":
		return "fpAnyTri(" + v.code + ")"
	}
	return "fpExistTri(" + v.code + ")"
}

// str returns the code of v as []string (or []Decimal-like string kinds), ok false when
// v is not string-valued.
func (w *walker) str(v *val) (string, bool) {
	if code, ok := asSlice(v, "string"); ok {
		return code, true
	}
	if v.t.Choice != nil {
		return w.conv(v, "string"), true
	}
	return "", false
}

// ints returns the code of v as []int64.
func (w *walker) ints(v *val) (string, bool) {
	return asSlice(v, "int64")
}

// asSlice returns the code of v as []elem when it already is one, holds items of any
// type (unwrapped), or is always empty.
func asSlice(v *val, elem string) (string, bool) {
	switch {
	case v.elem == elem:
		return v.code, true
	case v.elem == "any":
		return "fpUnwrap[" + elem + "](" + v.code + ")", true
	case len(v.t.Types) == 0:
		return "[]" + elem + "(nil)", true
	}
	return "", false
}

// floats returns the code of a numeric v as []float64.
func (w *walker) floats(v *val) (string, bool) {
	switch v.elem {
	case "int64":
		return "fpIntFloats(" + v.code + ")", true
	case "Decimal":
		return "fpFloats(" + v.code + ")", true
	case "*Quantity":
		return "fpConv(" + v.code + ", func(q *Quantity) float64 { return fpDecimal(q.Value) })", true
	case "any":
		return "fpFloats(fpUnwrap[Decimal](" + v.code + "))", true
	}
	if len(v.t.Types) == 0 {
		return "[]float64(nil)", true
	}
	return "", false
}
