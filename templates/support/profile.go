package support

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Profile validation runtime, for the profiles (constraint StructureDefinitions) the
// validate emitter generates: each profile is a tree of pNodes, one per element that adds
// something to its base definition (a narrower cardinality, a fixed or pattern value, a
// type restriction or type profile, a binding, an invariant, a slicing); the tests at
// the nodes are compiled FHIRPath. The base definition's own rules are Validate's.

// Profile is a generated profile: a constraint StructureDefinition of the inputs.
type Profile struct {
	// URL and Version are the profile's canonical.
	URL, Version string
	// Name is its computable name; Type the resource or datatype it constrains.
	Name, Type string
	// MustSupport lists the ids of the elements the profile flags mustSupport: a listing
	// for implementers, not checked.
	MustSupport []string
	root        *pNode
}

// pNode is one element of a profile.
type pNode struct {
	id   string // element id, with slice names ("Patient.identifier:ihi")
	seg  string // FHIRPath name of the element, for issue locations
	min  int
	max  int  // -1: unbounded
	card bool // min and max are checked (the profile narrows them, or a slice)
	// items returns the element's items from its parent's item; nil on the root.
	items    func(env *FHIRPathEnv, parent any) ([]any, error)
	checks   []pCheck
	children []*pNode
	slicing  *pSlicing
}

// pCheck is one test on each item of a node.
type pCheck struct {
	severity, code, msg string
	test                func(env *FHIRPathEnv, item any) (bool, error)
	// profiles, when set, are type profiles the item must conform to (one of them),
	// when test (if any) holds: the profiles of one type of a choice.
	profiles []string
}

// pSlicing is an element's slicing.
type pSlicing struct {
	rules   string // "closed", "open" or "openAtEnd"
	ordered bool
	slices  []*pSlice
}

// pSlice is one slice: the test that an item belongs to it, and its node (its
// cardinality, checks, children and re-slicing).
type pSlice struct {
	node  *pNode
	match []pCond
}

// pCond is one discriminator of a slice: a compiled test, or items that must conform to
// one of profiles.
type pCond struct {
	test     func(env *FHIRPathEnv, item any) (bool, error)
	items    func(env *FHIRPathEnv, item any) ([]any, error)
	profiles []string
}

// profilesByURL is the registry of the generated profiles, by URL and by "url|version".
var profilesByURL map[string]*Profile

// LookupProfile returns the generated profile with the canonical ("url" or
// "url|version"), or nil.
func LookupProfile(canonical string) *Profile { return profilesByURL[canonical] }

// Profiles returns every generated profile, sorted by URL.
func Profiles() []*Profile {
	out := make([]*Profile, 0, len(profilesByURL))
	for k, p := range profilesByURL {
		if !strings.Contains(k, "|") {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out
}

// ValidateProfile checks r against the profile with the canonical url ("url" or
// "url|version") and returns the issues; an unknown profile is a warning issue. Only the
// profile's own rules are checked: Validate checks the base definition's.
func ValidateProfile(r Resource, url string) []Issue {
	p := LookupProfile(url)
	if p == nil {
		return []Issue{{Severity: valSevWarning, Code: "not-supported", Expression: resourceTypeOf(r), Profile: url,
			Message: "profile " + url + " is not known to this package; not checked"}}
	}
	return p.Check(r)
}

// ValidateDeclaredProfiles checks r against every profile its meta.profile declares.
func ValidateDeclaredProfiles(r Resource) []Issue {
	var out []Issue
	for _, url := range declaredProfiles(r) {
		out = append(out, ValidateProfile(r, url)...)
	}
	return out
}

// Check checks r against the profile. A resource of another type than the profile's is
// an error issue.
func (p *Profile) Check(r Resource) []Issue {
	rt := resourceTypeOf(r)
	if rt != p.Type {
		return []Issue{{Severity: valSevError, Code: "invalid", Expression: rt, Profile: p.URL, Element: p.Type,
			Message: "profile " + p.URL + " is for " + p.Type + ", not " + rt}}
	}
	env := &FHIRPathEnv{Resource: r, RootResource: r, Resolve: profileResolver(r)}
	return p.checkItem(env, r, rt, nil)
}

// CheckValue checks a datatype value (a *CodeableConcept for a CodeableConcept profile)
// against the profile; expr is its location.
func (p *Profile) CheckValue(v any, expr string) []Issue {
	return p.checkItem(&FHIRPathEnv{}, v, expr, nil)
}

// Conforms reports whether v (a resource or datatype value) conforms to the profile: it
// has no error issue.
func (p *Profile) Conforms(env *FHIRPathEnv, v any) bool {
	return !valHasError(p.checkItem(env, v, "", nil))
}

func (p *Profile) checkItem(env *FHIRPathEnv, item any, expr string, out []Issue) []Issue {
	return pItem(p, env, p.root, item, expr, out)
}

func pIssue(p *Profile, n *pNode, severity, code, expr, msg string) Issue {
	return Issue{Severity: severity, Code: code, Expression: expr, Element: n.id, Profile: p.URL, Message: n.id + ": " + msg}
}

// pItem runs a node's checks on one item, then its children's.
func pItem(p *Profile, env *FHIRPathEnv, n *pNode, item any, expr string, out []Issue) []Issue {
	for _, c := range n.checks {
		if c.profiles != nil {
			if c.test != nil {
				if ok, _ := c.test(env, item); !ok {
					continue
				}
			}
			out = pConformsOne(p, env, n, c, item, expr, out)
			continue
		}
		ok, err := c.test(env, item)
		if err != nil {
			out = append(out, pIssue(p, n, valSevError, "exception", expr, c.msg+": "+err.Error()))
			continue
		}
		if !ok {
			out = append(out, pIssue(p, n, c.severity, c.code, expr, c.msg))
		}
	}
	for _, ch := range n.children {
		items, err := ch.items(env, item)
		cexpr := expr + "." + ch.seg
		if expr == "" {
			cexpr = ch.seg
		}
		if err != nil {
			out = append(out, pIssue(p, ch, valSevError, "exception", cexpr, err.Error()))
			continue
		}
		out = pGroup(p, env, ch, items, nil, cexpr, out)
	}
	return out
}

// pConformsOne checks that item conforms to one of the check's profiles: the issues of
// the only one, or an error naming them all when it conforms to none.
func pConformsOne(p *Profile, env *FHIRPathEnv, n *pNode, c pCheck, item any, expr string, out []Issue) []Issue {
	if len(c.profiles) == 1 {
		q := LookupProfile(c.profiles[0])
		if q == nil {
			return out
		}
		return q.checkItem(env, item, expr, out)
	}
	for _, u := range c.profiles {
		if q := LookupProfile(u); q == nil || q.Conforms(env, item) {
			return out
		}
	}
	return append(out, pIssue(p, n, valSevError, "structure", expr, "conforms to none of the profiles "+strings.Join(c.profiles, ", ")))
}

// pCount checks a node's cardinality.
func pCount(p *Profile, n *pNode, found int, expr string, out []Issue) []Issue {
	if !n.card {
		return out
	}
	if found < n.min {
		out = append(out, pIssue(p, n, valSevError, valCodeRequired, expr,
			"minimum required = "+strconv.Itoa(n.min)+", but only found "+strconv.Itoa(found)))
	}
	if n.max >= 0 && found > n.max {
		out = append(out, pIssue(p, n, valSevError, valCodeStructure, expr,
			"maximum allowed = "+strconv.Itoa(n.max)+", but found "+strconv.Itoa(found)))
	}
	return out
}

// pGroup checks the items of a node (idx are their positions in the element, nil for
// 0..n-1): its cardinality, each item, and its slicing.
func pGroup(p *Profile, env *FHIRPathEnv, n *pNode, items []any, idx []int, expr string, out []Issue) []Issue {
	out = pCount(p, n, len(items), expr, out)
	pos := func(i int) int {
		if idx != nil {
			return idx[i]
		}
		return i
	}
	at := func(i int) string {
		if n.max == 1 && idx == nil && len(items) == 1 {
			return expr
		}
		return expr + "[" + strconv.Itoa(pos(i)) + "]"
	}
	for i, it := range items {
		out = pItem(p, env, n, it, at(i), out)
	}
	if n.slicing == nil {
		return out
	}
	s := n.slicing
	in := make([]int, len(items)) // slice of each item, -1 for none
	for i, it := range items {
		in[i] = -1
		for k, sl := range s.slices {
			ok, err := pMatches(env, sl, it)
			if err != nil {
				out = append(out, pIssue(p, sl.node, valSevError, "exception", at(i), "slice discriminator: "+err.Error()))
				continue
			}
			if ok {
				in[i] = k
				break
			}
		}
	}
	last := -1
	sawUnmatched := false
	for i := range items {
		switch k := in[i]; {
		case k < 0 && s.rules == "closed":
			out = append(out, pIssue(p, n, valSevError, valCodeStructure, at(i), "matches none of the slices, and the slicing is closed"))
		case k < 0:
			sawUnmatched = true
		default:
			if s.rules == "openAtEnd" && sawUnmatched {
				out = append(out, pIssue(p, n, valSevError, valCodeStructure, at(i),
					"matches slice "+s.slices[k].node.id+" after an item that matches no slice, and the slicing is openAtEnd"))
			}
			if s.ordered && k < last {
				out = append(out, pIssue(p, n, valSevError, valCodeStructure, at(i),
					"matches slice "+s.slices[k].node.id+" after an item of a later slice, and the slicing is ordered"))
			}
			last = max(last, k)
		}
	}
	for k, sl := range s.slices {
		var sub []any
		var subIdx []int
		for i, it := range items {
			if in[i] == k {
				sub = append(sub, it)
				subIdx = append(subIdx, pos(i))
			}
		}
		if subIdx == nil {
			subIdx = []int{}
		}
		out = pGroup(p, env, sl.node, sub, subIdx, expr, out)
	}
	return out
}

// pMatches reports whether item belongs to slice sl: every discriminator holds.
func pMatches(env *FHIRPathEnv, sl *pSlice, item any) (bool, error) {
	for _, c := range sl.match {
		if c.test != nil {
			ok, err := c.test(env, item)
			if err != nil || !ok {
				return false, err
			}
			continue
		}
		items, err := c.items(env, item)
		if err != nil {
			return false, err
		}
		if len(items) == 0 {
			return false, nil
		}
		for _, it := range items {
			ok := false
			for _, u := range c.profiles {
				if q := LookupProfile(u); q != nil && q.Conforms(env, it) {
					ok = true
					break
				}
			}
			if !ok {
				return false, nil
			}
		}
	}
	return true, nil
}

// pItemsOf adapts a compiled FHIRPath function to a node's items.
func pItemsOf[C, E any](f func(*FHIRPathEnv, C) ([]E, error)) func(*FHIRPathEnv, any) ([]any, error) {
	return func(env *FHIRPathEnv, parent any) ([]any, error) {
		c, ok := parent.(C)
		if !ok {
			if parent == nil {
				return nil, nil
			}
			return nil, pTypeError[C](parent)
		}
		res, err := f(env, c)
		if err != nil || len(res) == 0 {
			return nil, err
		}
		out := make([]any, len(res))
		for i, v := range res {
			out[i] = v
		}
		return out, nil
	}
}

// pTest adapts a compiled Boolean FHIRPath function to a test: it holds when the result
// is true.
func pTest[C, E any](f func(*FHIRPathEnv, C) ([]E, error)) func(*FHIRPathEnv, any) (bool, error) {
	return func(env *FHIRPathEnv, item any) (bool, error) {
		c, ok := item.(C)
		if !ok {
			return false, pTypeError[C](item)
		}
		res, err := f(env, c)
		if err != nil {
			return false, err
		}
		if len(res) != 1 {
			return false, nil
		}
		b, ok := any(res[0]).(bool)
		return ok && b, nil
	}
}

type pError struct{ msg string }

func (e pError) Error() string { return e.msg }

// pTypeError is the error of an item that is not of the Go type a compiled function
// takes (a bug of the generator: it is reported, not taken as a pass).
func pTypeError[C any](v any) error {
	var c C
	return pError{"profile check: item of type " + fmt.Sprintf("%T", v) + " where " + fmt.Sprintf("%T", &c)[1:] + " was expected"}
}

// resourceTypeOf is r's resource type ("" for nil).
func resourceTypeOf(r Resource) string {
	if r == nil {
		return ""
	}
	return r.ResourceType()
}

// ExtensionDef gets and sets, on an element's extensions, one extension whose value has
// the Go type T: the typed accessors of the generated extension definitions.
type ExtensionDef[T ExtensionValue] struct {
	// URL is the extension's canonical.
	URL string
}

// Get returns the value of the first extension with the URL whose value is a T.
func (d ExtensionDef[T]) Get(exts []Extension) (T, bool) {
	for i := range exts {
		if exts[i].URL == d.URL {
			if v, ok := exts[i].Value.(T); ok {
				return v, true
			}
		}
	}
	var zero T
	return zero, false
}

// All returns the values of every extension with the URL whose value is a T.
func (d ExtensionDef[T]) All(exts []Extension) []T {
	var out []T
	for i := range exts {
		if exts[i].URL == d.URL {
			if v, ok := exts[i].Value.(T); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// Set makes v the value of the only extension with the URL: the first one is updated
// (keeping its id and extensions), any others removed, or one appended.
func (d ExtensionDef[T]) Set(exts *[]Extension, v T) {
	out := (*exts)[:0]
	done := false
	for _, e := range *exts {
		if e.URL != d.URL {
			out = append(out, e)
			continue
		}
		if !done {
			e.Value = v
			out = append(out, e)
			done = true
		}
	}
	if !done {
		out = append(out, Extension{URL: d.URL, Value: v})
	}
	*exts = out
}

// Add appends an extension with the URL and the value v.
func (d ExtensionDef[T]) Add(exts *[]Extension, v T) {
	*exts = append(*exts, Extension{URL: d.URL, Value: v})
}

// Remove deletes every extension with the URL.
func (d ExtensionDef[T]) Remove(exts *[]Extension) { extRemove(exts, d.URL) }

// ComplexExtensionDef gets and adds, on an element's extensions, a complex extension: one
// whose parts are extensions (with relative URLs), read and set with their own
// ExtensionDef.
type ComplexExtensionDef struct {
	// URL is the extension's canonical.
	URL string
}

// Get returns the first extension with the URL.
func (d ComplexExtensionDef) Get(exts []Extension) (*Extension, bool) {
	for i := range exts {
		if exts[i].URL == d.URL {
			return &exts[i], true
		}
	}
	return nil, false
}

// All returns every extension with the URL.
func (d ComplexExtensionDef) All(exts []Extension) []*Extension {
	var out []*Extension
	for i := range exts {
		if exts[i].URL == d.URL {
			out = append(out, &exts[i])
		}
	}
	return out
}

// Add appends an empty extension with the URL and returns it, for its parts to be set.
func (d ComplexExtensionDef) Add(exts *[]Extension) *Extension {
	*exts = append(*exts, Extension{URL: d.URL})
	return &(*exts)[len(*exts)-1]
}

// Remove deletes every extension with the URL.
func (d ComplexExtensionDef) Remove(exts *[]Extension) { extRemove(exts, d.URL) }

func extRemove(exts *[]Extension, url string) {
	out := (*exts)[:0]
	for _, e := range *exts {
		if e.URL != url {
			out = append(out, e)
		}
	}
	clear((*exts)[len(out):])
	*exts = out
}
