package support

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// ServerApplyPatch applies a JSON Patch (RFC 6902) to a JSON document and returns the
// patched document. Numbers keep their literal text. The router decodes the result with
// the generated decoder, so the order of members does not matter.
func ServerApplyPatch(doc, patch []byte) ([]byte, error) {
	var root any
	if err := srvDecodeJSON(doc, &root); err != nil {
		return nil, err
	}
	var ops []map[string]any
	if err := srvDecodeJSON(patch, &ops); err != nil {
		return nil, srvPatchError("the patch is not a JSON array of operations: " + err.Error())
	}
	for i, op := range ops {
		var err error
		root, err = srvPatchOp(root, op)
		if err != nil {
			return nil, srvPatchError("operation " + strconv.Itoa(i) + ": " + err.Error())
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

type srvPatchError string

func (e srvPatchError) Error() string { return string(e) }

func srvDecodeJSON(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func srvPatchOp(root any, op map[string]any) (any, error) {
	name, _ := op["op"].(string)
	path, ok := op["path"].(string)
	if !ok {
		return nil, srvPatchError("no path")
	}
	value, hasValue := op["value"]
	switch name {
	case "add":
		if !hasValue {
			return nil, srvPatchError("add without value")
		}
		return srvPatchAdd(root, path, value)
	case "remove":
		r, _, err := srvPatchRemove(root, path)
		return r, err
	case "replace":
		if !hasValue {
			return nil, srvPatchError("replace without value")
		}
		r, _, err := srvPatchRemove(root, path)
		if err != nil {
			return nil, err
		}
		return srvPatchAdd(r, path, value)
	case "move", "copy":
		from, ok := op["from"].(string)
		if !ok {
			return nil, srvPatchError(name + " without from")
		}
		var v any
		var err error
		if name == "move" {
			if strings.HasPrefix(path, from+"/") {
				return nil, srvPatchError("cannot move a value into itself")
			}
			root, v, err = srvPatchRemove(root, from)
		} else {
			v, err = srvPatchGet(root, from)
			v = srvDeepCopy(v)
		}
		if err != nil {
			return nil, err
		}
		return srvPatchAdd(root, path, v)
	case "test":
		v, err := srvPatchGet(root, path)
		if err != nil {
			return nil, err
		}
		if !srvJSONEqual(v, value) {
			return nil, srvPatchError("test failed at " + path)
		}
		return root, nil
	}
	return nil, srvPatchError("unknown op " + strconv.Quote(name))
}

func srvPointer(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	if path[0] != '/' {
		return nil, srvPatchError("bad JSON pointer " + strconv.Quote(path))
	}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

func srvIndex(tok string, n int, allowEnd bool) (int, error) {
	if tok == "-" && allowEnd {
		return n, nil
	}
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || i > n || (i == n && !allowEnd) || (len(tok) > 1 && tok[0] == '0') {
		return 0, srvPatchError("bad array index " + strconv.Quote(tok))
	}
	return i, nil
}

func srvPatchGet(root any, path string) (any, error) {
	parts, err := srvPointer(path)
	if err != nil {
		return nil, err
	}
	cur := root
	for _, p := range parts {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, srvPatchError("no member at " + path)
			}
			cur = v
		case []any:
			i, err := srvIndex(p, len(c), false)
			if err != nil {
				return nil, err
			}
			cur = c[i]
		default:
			return nil, srvPatchError("no value at " + path)
		}
	}
	return cur, nil
}

// srvPatchSet rewrites the container at parts[:len-1] with f applied to it.
func srvPatchEdit(root any, parts []string, f func(parent any, last string) (any, error)) (any, error) {
	if len(parts) == 1 {
		return f(root, parts[0])
	}
	switch c := root.(type) {
	case map[string]any:
		child, ok := c[parts[0]]
		if !ok {
			return nil, srvPatchError("no member " + strconv.Quote(parts[0]))
		}
		nc, err := srvPatchEdit(child, parts[1:], f)
		if err != nil {
			return nil, err
		}
		c[parts[0]] = nc
		return c, nil
	case []any:
		i, err := srvIndex(parts[0], len(c), false)
		if err != nil {
			return nil, err
		}
		nc, err := srvPatchEdit(c[i], parts[1:], f)
		if err != nil {
			return nil, err
		}
		c[i] = nc
		return c, nil
	}
	return nil, srvPatchError("path goes through a primitive")
}

func srvPatchAdd(root any, path string, value any) (any, error) {
	parts, err := srvPointer(path)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		return value, nil
	}
	return srvPatchEdit(root, parts, func(parent any, last string) (any, error) {
		switch c := parent.(type) {
		case map[string]any:
			c[last] = value
			return c, nil
		case []any:
			i, err := srvIndex(last, len(c), true)
			if err != nil {
				return nil, err
			}
			c = append(c, nil)
			copy(c[i+1:], c[i:])
			c[i] = value
			return c, nil
		}
		return nil, srvPatchError("cannot add into a primitive")
	})
}

func srvPatchRemove(root any, path string) (any, any, error) {
	parts, err := srvPointer(path)
	if err != nil {
		return nil, nil, err
	}
	if len(parts) == 0 {
		return nil, root, nil
	}
	var removed any
	r, err := srvPatchEdit(root, parts, func(parent any, last string) (any, error) {
		switch c := parent.(type) {
		case map[string]any:
			v, ok := c[last]
			if !ok {
				return nil, srvPatchError("no member at " + path)
			}
			removed = v
			delete(c, last)
			return c, nil
		case []any:
			i, err := srvIndex(last, len(c), false)
			if err != nil {
				return nil, err
			}
			removed = c[i]
			return append(c[:i:i], c[i+1:]...), nil
		}
		return nil, srvPatchError("no value at " + path)
	})
	return r, removed, err
}

func srvDeepCopy(v any) any {
	switch c := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(c))
		for k, x := range c {
			m[k] = srvDeepCopy(x)
		}
		return m
	case []any:
		a := make([]any, len(c))
		for i, x := range c {
			a[i] = srvDeepCopy(x)
		}
		return a
	}
	return v
}

func srvJSONEqual(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		if y, ok := b.(json.Number); ok {
			fx, e1 := x.Float64()
			fy, e2 := y.Float64()
			return e1 == nil && e2 == nil && fx == fy
		}
		return false
	}
	return reflect.DeepEqual(a, b)
}
