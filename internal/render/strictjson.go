package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// unmarshalStrict decodes data into v as json.Unmarshal does, and then fails,
// as a json.Decoder with DisallowUnknownFields would, when an object has a key
// that no field of its struct takes. A Decoder copies the whole value into a
// buffer that it grows by doubling, two and a half times the size of
// modules.json, and on a fresh heap each of those bytes costs a page fault.
// Unmarshal reads data in place, and the check after it allocates nothing
// but the names of the fields of each struct type, once.
func unmarshalStrict(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	c := keyChecker{data: data}
	return c.value(reflect.TypeOf(v))
}

// keyChecker walks JSON that json.Unmarshal has accepted, so it need not
// check the syntax, alongside the Go type that the JSON was decoded into.
type keyChecker struct {
	data []byte
	i    int
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// value checks the value at c.i, which was decoded into a t, and moves past
// it. A nil t is any type whose keys are not checked: an interface, or a type
// that decodes itself, as json.RawMessage does.
func (c *keyChecker) value(t reflect.Type) error {
	for t != nil {
		if t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
			t = nil
		} else if t.Kind() == reflect.Pointer {
			t = t.Elem()
		} else {
			break
		}
	}
	c.space()
	switch c.data[c.i] {
	case '{':
		c.i++
		for {
			c.space()
			switch c.data[c.i] {
			case '}':
				c.i++
				return nil
			case ',':
				c.i++
				c.space()
			}
			key, err := c.key()
			if err != nil {
				return err
			}
			c.space()
			c.i++ // the colon
			var elem reflect.Type
			if t != nil {
				switch t.Kind() {
				case reflect.Map:
					elem = t.Elem()
				case reflect.Struct:
					var ok bool
					if elem, ok = fieldType(t, key); !ok {
						return fmt.Errorf("json: unknown field %q", string(key))
					}
				}
			}
			if err := c.value(elem); err != nil {
				return err
			}
		}
	case '[':
		c.i++
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for {
			c.space()
			switch c.data[c.i] {
			case ']':
				c.i++
				return nil
			case ',':
				c.i++
			}
			if err := c.value(elem); err != nil {
				return err
			}
		}
	case '"':
		c.str()
	default: // a number, true, false or null
		for c.i < len(c.data) && !strings.ContainsRune(",]} \t\r\n", rune(c.data[c.i])) {
			c.i++
		}
	}
	return nil
}

func (c *keyChecker) space() {
	for c.i < len(c.data) && strings.ContainsRune(" \t\r\n", rune(c.data[c.i])) {
		c.i++
	}
}

// str moves past the string at c.i and returns it as written, quotes and
// all, and whether it has an escape.
func (c *keyChecker) str() (quoted []byte, escaped bool) {
	start := c.i
	for c.i++; c.data[c.i] != '"'; c.i++ {
		if c.data[c.i] == '\\' {
			escaped = true
			c.i++
		}
	}
	c.i++
	return c.data[start:c.i], escaped
}

// key returns the object key at c.i and moves past it.
func (c *keyChecker) key() ([]byte, error) {
	quoted, escaped := c.str()
	if !escaped {
		return quoted[1 : len(quoted)-1], nil
	}
	var key string
	err := json.Unmarshal(quoted, &key)
	return []byte(key), err
}

// fields holds, for each struct type seen, the JSON names of its fields and
// their types, as encoding/json names them.
var fields sync.Map // reflect.Type → []field

type field struct {
	name []byte
	typ  reflect.Type
}

// fieldType returns the type of the field of struct t that takes key, and
// whether there is one. Like encoding/json, it prefers an exact match of the
// name and takes one that differs only in case.
func fieldType(t reflect.Type, key []byte) (reflect.Type, bool) {
	cached, ok := fields.Load(t)
	if !ok {
		cached, _ = fields.LoadOrStore(t, appendFields(nil, t))
	}
	var fold reflect.Type
	for _, f := range cached.([]field) {
		if bytes.Equal(f.name, key) {
			return f.typ, true
		}
		if fold == nil && bytes.EqualFold(f.name, key) {
			fold = f.typ
		}
	}
	return fold, fold != nil
}

// appendFields appends the fields of struct t that encoding/json decodes:
// exported, not tagged "-", and those of embedded structs without a name in
// their tag, promoted. (Where two embedded structs have a field of the same
// name, encoding/json takes neither, and this takes both; the template tree
// has no such types.)
func appendFields(fs []field, t reflect.Type) []field {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				fs = appendFields(fs, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs = append(fs, field{[]byte(name), f.Type})
	}
	return fs
}
