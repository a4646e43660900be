package support

import "sync"

// Field decoders called from generated decodeFHIR methods. Each one rejects a second
// occurrence of its element, a null, an empty value and a JSON value of the wrong kind.

func decString[S ~string](d *decoder, dst *S) error {
	if *dst != "" {
		return d.duplicate()
	}
	s, err := d.stringValue()
	*dst = S(s)
	return err
}

func decDecimal(d *decoder, dst *Decimal) error {
	if *dst != "" {
		return d.duplicate()
	}
	v, err := d.decimalValue()
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

func decBool(d *decoder, dst **bool) error {
	if *dst != nil {
		return d.duplicate()
	}
	b, err := d.boolValue()
	if err != nil {
		return err
	}
	*dst = &b
	return nil
}

func (d *decoder) int32Value() (int32, error) {
	d.ws()
	start := d.pos
	b, err := d.numberText()
	if err != nil {
		return 0, err
	}
	v, ok := parseInt(b, 32)
	if !ok {
		d.pos = start
		return 0, d.errorf("expected a 32-bit integer, found " + string(b))
	}
	return int32(v), nil
}

func decInt32(d *decoder, dst **int32) error {
	if *dst != nil {
		return d.duplicate()
	}
	v, err := d.int32Value()
	if err != nil {
		return err
	}
	*dst = &v
	return nil
}

// int64Value reads an R5 integer64, which FHIR JSON writes as a string.
func (d *decoder) int64Value() (int64, error) {
	d.ws()
	at := d.pos
	s, err := d.stringValue()
	if err != nil {
		return 0, err
	}
	v, ok := parseInt([]byte(s), 64)
	if !ok || s[0] == '+' || (len(s) > 1 && s[0] == '0') || (len(s) > 2 && s[0] == '-' && s[1] == '0') {
		d.pos = at
		return 0, d.errorf("expected a 64-bit integer in a string, found " + s)
	}
	return v, nil
}

func decInt64(d *decoder, dst **int64) error {
	if *dst != nil {
		return d.duplicate()
	}
	v, err := d.int64Value()
	if err != nil {
		return err
	}
	*dst = &v
	return nil
}

// decObject decodes a complex value into a new *T.
func decObject[T any, PT interface {
	*T
	fhirDecoder
}](d *decoder, dst *PT) error {
	if *dst != nil {
		return d.duplicate()
	}
	v := PT(new(T))
	*dst = v
	return v.decodeFHIR(d)
}

// decObjects decodes an array of complex values (no nulls allowed).
func decObjects[T any, PT interface {
	*T
	fhirDecoder
}](d *decoder, dst *[]T) error {
	if *dst != nil {
		return d.duplicate()
	}
	if err := d.openArray(); err != nil {
		return err
	}
	out := make([]T, 0, 1)
	for i := 0; ; i++ {
		ok, err := d.more()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if d.peek() == 'n' {
			return inIndex(d.errorf("null is not allowed here"), i)
		}
		out = append(out, *new(T))
		if err := PT(&out[i]).decodeFHIR(d); err != nil {
			*dst = out
			return inIndex(err, i)
		}
	}
	*dst = out
	return nil
}

// decPrimitives decodes the value half of a primitive array, where null stands for an
// item that only has an id or extensions in the "_" sibling.
func decPrimitives[V any](d *decoder, dst *[]V, item func(*decoder) (V, error)) error {
	if *dst != nil {
		return d.duplicate()
	}
	if err := d.openArray(); err != nil {
		return err
	}
	out := make([]V, 0, 4)
	for i := 0; ; i++ {
		ok, err := d.more()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		null, err := d.isNull()
		if err != nil {
			return inIndex(err, i)
		}
		var v V
		if !null {
			if v, err = item(d); err != nil {
				return inIndex(err, i)
			}
		}
		out = append(out, v)
	}
	*dst = out
	return nil
}

func decStrings[S ~string](d *decoder, dst *[]S) error {
	return decPrimitives(d, dst, func(d *decoder) (S, error) {
		s, err := d.stringValue()
		return S(s), err
	})
}

func decDecimals(d *decoder, dst *[]Decimal) error {
	return decPrimitives(d, dst, func(d *decoder) (Decimal, error) {
		return d.decimalValue()
	})
}

func decBools(d *decoder, dst *[]*bool) error {
	return decPrimitives(d, dst, func(d *decoder) (*bool, error) {
		b, err := d.boolValue()
		return &b, err
	})
}

func decInt32s(d *decoder, dst *[]*int32) error {
	return decPrimitives(d, dst, func(d *decoder) (*int32, error) {
		v, err := d.int32Value()
		return &v, err
	})
}

func decInt64s(d *decoder, dst *[]*int64) error {
	return decPrimitives(d, dst, func(d *decoder) (*int64, error) {
		v, err := d.int64Value()
		return &v, err
	})
}

// decExts decodes the "_" half of a primitive array: objects or nulls.
func decExts[T any, PT interface {
	*T
	fhirDecoder
}](d *decoder, dst *[]PT) error {
	return decPrimitives(d, dst, func(d *decoder) (PT, error) {
		v := PT(new(T))
		return v, v.decodeFHIR(d)
	})
}

// aligned verifies a primitive array against its "_" sibling: when both are present they
// have one length, and an absent value (null) has an extension object at its index.
func aligned[V comparable, E any](d *decoder, vs []V, exts []*E) error {
	if len(vs) > 0 && len(exts) > 0 && len(vs) != len(exts) {
		return d.errorf("array and its \"_\" sibling have different lengths")
	}
	var zero V
	for i, v := range vs {
		if v == zero && (i >= len(exts) || exts[i] == nil) {
			return inIndex(d.errorf("null without an extension at the same index"), i)
		}
	}
	for i, x := range exts {
		if x == nil && (i >= len(vs) || vs[i] == zero) {
			return inIndex(d.errorf("null in both the array and its \"_\" sibling"), i)
		}
	}
	return nil
}

// primitiveVariant is implemented by the generated wrappers of primitive choice variants.
type primitiveVariant interface {
	choiceValue
	decodeValue(d *decoder) error
	decodeExt(d *decoder) error
}

var errTwoVariants = "more than one variant of a choice element"

// decVariant decodes a complex variant of a choice element into *dst.
func decVariant[T any, PT interface {
	*T
	fhirDecoder
}, I any](d *decoder, dst *I) error {
	if any(*dst) != nil {
		return d.errorf(errTwoVariants)
	}
	v := PT(new(T))
	*dst = any(v).(I)
	return v.decodeFHIR(d)
}

// decPrimVariant decodes the value (ext=false) or "_" half (ext=true) of a primitive
// variant of a choice element into *dst; the two halves may come in either order.
func decPrimVariant[T any, PT interface {
	*T
	primitiveVariant
}, I any](d *decoder, dst *I, ext bool) error {
	var v PT
	if cur := any(*dst); cur != nil {
		var ok bool
		if v, ok = cur.(PT); !ok {
			return d.errorf(errTwoVariants)
		}
	} else {
		v = PT(new(T))
		*dst = any(v).(I)
	}
	if ext {
		return v.decodeExt(d)
	}
	return v.decodeValue(d)
}

// decResource decodes a Resource-typed element, dispatching on resourceType.
func decResource(d *decoder, dst *Resource) error {
	if *dst != nil {
		return d.duplicate()
	}
	r, err := d.resource()
	if r != nil {
		*dst = r
	}
	return err
}

func decResources(d *decoder, dst *[]Resource) error {
	if *dst != nil {
		return d.duplicate()
	}
	if err := d.openArray(); err != nil {
		return err
	}
	out := make([]Resource, 0, 2)
	for i := 0; ; i++ {
		ok, err := d.more()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		r, err := d.resource()
		if err != nil {
			return inIndex(err, i)
		}
		out = append(out, r)
	}
	*dst = out
	return nil
}

// resourceTypeOf finds the resourceType member of the object at pos without consuming
// anything.
func (d *decoder) resourceTypeOf() (string, error) {
	save, depth := d.pos, d.depth
	defer func() { d.pos, d.depth = save, depth }()
	if err := d.openObject(); err != nil {
		return "", err
	}
	for {
		k, err := d.key()
		if err != nil {
			return "", err
		}
		if k == nil {
			return "", &DecodeError{Offset: save, Msg: "resource without resourceType"}
		}
		if string(k) == "resourceType" {
			return d.stringValue()
		}
		if err := d.skip(); err != nil {
			return "", err
		}
	}
}

// resource decodes a resource of any type at pos: a generated type when this package has
// it, else a RawResource holding the bytes as read.
func (d *decoder) resource() (Resource, error) {
	if d.peek() == 'n' {
		return nil, d.errorf("null is not allowed here")
	}
	start := d.pos
	rt, err := d.resourceTypeOf()
	if err != nil {
		return nil, err
	}
	if r := d.newResource(rt); r != nil {
		if err := r.decodeFHIR(d); err != nil {
			return r, err
		}
		return r, nil
	}
	if err := d.skip(); err != nil {
		return nil, err
	}
	return &RawResource{Type: rt, JSON: append([]byte(nil), d.data[start:d.pos]...)}, nil
}

// checkResourceType handles the resourceType member inside a resource's own object.
func (d *decoder) checkResourceType(want string) error {
	at := d.pos
	got, err := d.stringValue()
	if err != nil {
		return err
	}
	if got != want {
		d.pos = at
		return d.errorf("resourceType is " + got + ", expected " + want)
	}
	return nil
}

// unmarshalResource decodes a top-level resource of any type generated in the package.
func unmarshalResource(data []byte, opts DecodeOptions, f resourceFactory) (Resource, error) {
	d := newDecoder(data, opts, f)
	rt, err := d.resourceTypeOf()
	if err != nil {
		return nil, err
	}
	r := f(rt)
	if r == nil {
		return nil, &DecodeError{Offset: 0, Msg: "unknown resourceType " + rt}
	}
	if err := r.decodeFHIR(&d); err != nil {
		return nil, inField(err, rt)
	}
	if err := d.end(); err != nil {
		return nil, err
	}
	return r, nil
}

// unmarshalValue decodes data into a generated complex value (the body of every generated
// UnmarshalJSON); name prefixes error paths.
func unmarshalValue(data []byte, v fhirDecoder, name string, f resourceFactory) error {
	d := newDecoder(data, DecodeOptions{}, f)
	if err := v.decodeFHIR(&d); err != nil {
		return inField(err, name)
	}
	return d.end()
}

// encoders recycles scratch buffers, so an encode allocates only its exact-size result.
var encoders = sync.Pool{New: func() any { return &encoder{buf: make([]byte, 0, 4096)} }}

// maxPooled is the largest scratch buffer kept for reuse.
const maxPooled = 1 << 20

// marshalValue encodes a generated value (the body of every generated MarshalJSON).
func marshalValue(v fhirEncoder, sizeHint int) []byte {
	e := encoders.Get().(*encoder)
	if cap(e.buf) < sizeHint {
		e.buf = make([]byte, 0, sizeHint)
	}
	e.buf = e.buf[:0]
	v.encodeFHIR(e)
	out := make([]byte, len(e.buf))
	copy(out, e.buf)
	if cap(e.buf) <= maxPooled {
		encoders.Put(e)
	}
	return out
}
