package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/templates"
)

// TestTemplateJSONHasNoUnknownKeys decodes every JSON file of the template
// tree into its type with a Decoder that refuses unknown keys, which
// decodeJSON does not: a misspelt key would otherwise be dropped without a
// word.
func TestTemplateJSONHasNoUnknownKeys(t *testing.T) {
	types := map[string]func() any{
		"service.json": func() any { return new(base) },
		"modules.json": func() any { return new(ModuleSets) },
	}
	n := 0
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".json") {
			return err
		}
		typ := types[p]
		if strings.HasSuffix(p, "/component.json") {
			typ = func() any { return new(Component) }
		}
		if typ == nil {
			t.Errorf("%s: no type to check it against", p)
			return nil
		}
		data, err := fs.ReadFile(templates.FS, p)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(typ()); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if dec.More() {
			t.Errorf("%s: data after the value", p)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Errorf("checked %d JSON files; the tree has service.json, modules.json and a component.json per component", n)
	}
}
