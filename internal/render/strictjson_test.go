package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/templates"
)

// decoderStrict is how decodeJSON decoded before unmarshalStrict: a Decoder
// that disallows unknown fields. (It took trailing data after the value,
// which unmarshalStrict, like json.Unmarshal, does not.)
func decoderStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

type embedded struct {
	Inner string `json:"inner"`
}

type withEmbedded struct {
	embedded
	Outer string `json:"outer"`
	Named struct {
		X int `json:"x"`
	} `json:"named"`
	Any    any               `json:"any"`
	Map    map[string]Var    `json:"map"`
	Ptr    *Standalone       `json:"ptr"`
	Arr    [2]Require        `json:"arr"`
	Nested [][]Require       `json:"nested"`
	Raw    json.RawMessage   `json:"raw"`
	Dash   string            `json:"-,"`
	NoTag  int               //
	hidden int               //
	Skip   string            `json:"-"`
	Ints   map[string][]int  `json:"ints"`
	Strs   map[string]string `json:"strs"`
}

// TestUnmarshalStrict checks that unmarshalStrict takes and refuses what a
// Decoder with DisallowUnknownFields does, for the types of the template tree
// and others, and that it decodes the same values.
func TestUnmarshalStrict(t *testing.T) {
	type doc struct {
		typ  func() any
		json string
	}
	component := func() any { return new(Component) }
	modules := func() any { return new(rawModuleSets) }
	requires := func() any { return new([]Require) }
	other := func() any { return new(withEmbedded) }
	docs := []doc{
		{component, `{}`},
		{component, ` { } `},
		{component, `null`},
		{component, `{"summary":"s","default":true,"requires":["a","b"],"modules":{"m":"v1"},"vars":[{"name":"A","group":"G","secret":true,"unknown":1}]}`},
		{component, `{"summary":"s","vars":[{"name":"A"},{"Name":"B","GROUP":"g"}]}`},
		{component, `{"vars":[{"name":"A"},{"name":"B","grp":"g"}]}`},
		{component, `{"Name":"x"}`},
		{component, `{"name":"x"}`},
		{component, `{"summary":"s","extra":{"a":[1,2,{"b":null}]}}`},
		{component, `{"standalone":{"package":"p","wiring":["a"]}}`},
		{component, `{"standalone":{"package":"p","wiring":["a"],"wire":[]}}`},
		{component, `{"standalone":null,"vars":null,"modules":null}`},
		{component, `{"modules":{"any key":"v","other":"w"}}`},
		{component, `{"su\u006dmary":"escaped key"}`},
		{component, `{"su\u0078mary":"escaped unknown key"}`},
		{component, `{"summary":"a \"quoted\" \\ value}{][,:","default":false}`},
		{component, "{\n\t\"summary\" :\r\n \"s\" ,\n \"vars\" : [ ] \n}"},
		{component, `{"ſummary":"s"}`}, // long s folds to s
		{component, `{"summary":1}`},
		{modules, `{"comment":"c","sets":[{"components":[],"require":[{"path":"p","bogus":1}],"sum":["x"]}]}`},
		{modules, `{"comment":"c","sets":[{"components":[],"require":[],"sum":[],"more":1}]}`},
		{modules, `{"comment":"c","sets":[],"version":2}`},
		{requires, `[{"path":"p","version":"v","indirect":true}]`},
		{requires, `[{"path":"p","version":"v"},{"path":"q","version":"v","direct":true}]`},
		{requires, `[]`},
		{other, `{"inner":"i","outer":"o","named":{"x":1},"any":{"whatever":[{"k":1}]},"map":{"k":{"name":"n"}},"ptr":{"package":"p"},"arr":[{"path":"p"}],"nested":[[{"path":"p"}]],"raw":{"k":1},"-":"d","NoTag":1,"ints":{"a":[1,2]},"strs":{"b":"c"}}`},
		{other, `{"embedded":{"inner":"i"}}`},
		{other, `{"hidden":1}`},
		{other, `{"Skip":"s"}`},
		{other, `{"named":{"y":1}}`},
		{other, `{"map":{"k":{"nom":"n"}}}`},
		{other, `{"ptr":{"pkg":"p"}}`},
		{other, `{"arr":[{"path":"p"},{"paths":"p"}]}`},
		{other, `{"nested":[[],[{"path":"p"},{"x":1}]]}`},
		{other, `{"notag":1,"INNER":"i"}`},
		{other, `{"ints":{"a":[1,-2.5e3,true,false,null]}}`},
	}
	for _, d := range docs {
		want, got := d.typ(), d.typ()
		wantErr := decoderStrict([]byte(d.json), want)
		gotErr := unmarshalStrict([]byte(d.json), got)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%T %s: unmarshalStrict error %v, Decoder error %v", got, d.json, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%T %s: unmarshalStrict decoded %+v, Decoder %+v", got, d.json, got, want)
		}
		if wantErr != nil && strings.Contains(wantErr.Error(), "unknown field") && gotErr.Error() != wantErr.Error() {
			t.Errorf("%T %s: unmarshalStrict error %q, Decoder error %q", got, d.json, gotErr, wantErr)
		}
	}
	if err := unmarshalStrict([]byte(`{} {}`), new(Component)); err == nil {
		t.Error("unmarshalStrict took data after the value")
	}
}

// TestUnmarshalStrictTemplates decodes every JSON file of the template tree
// both ways.
func TestUnmarshalStrictTemplates(t *testing.T) {
	types := map[string]func() any{
		"service.json": func() any { return new(base) },
		"modules.json": func() any { return new(ModuleSets) },
	}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".json") {
			return err
		}
		typ := types[p]
		if strings.HasSuffix(p, "/component.json") {
			typ = func() any { return new(Component) }
		}
		if typ == nil {
			t.Errorf("%s: no type for it", p)
			return nil
		}
		data, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		want, got := typ(), typ()
		if err := decoderStrict(data, want); err != nil {
			t.Errorf("%s: Decoder: %v", p, err)
		}
		if err := unmarshalStrict(data, got); err != nil {
			t.Errorf("%s: unmarshalStrict: %v", p, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: unmarshalStrict and Decoder decoded it differently", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
