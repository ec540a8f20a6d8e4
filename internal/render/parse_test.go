package render

import (
	"testing"
	"text/template"
)

// TestParseFuncs checks that every name in parseFuncs is one that
// text/template knows, so that parse accepts no template that
// Template.Parse would refuse.
func TestParseFuncs(t *testing.T) {
	for name := range parseFuncs() {
		if _, err := template.New("x").Funcs(funcs).Parse("{{" + name + "}}"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestParseAsTemplateParse checks that parse fails as Template.Parse does.
func TestParseAsTemplateParse(t *testing.T) {
	c := &Catalog{root: template.New("").Funcs(funcs)}
	for _, text := range []string{
		"{{nope .Name}}",
		"{{.Name",
		"{{if .Name}}",
		"{{end}}",
		`{{quote .Name | pad 3 | goMinor}}{{printf "%d" 1 | len}}`,
	} {
		_, err := c.parse("t", text)
		_, want := template.New("t").Option("missingkey=error").Funcs(funcs).Parse(text)
		switch {
		case (err == nil) != (want == nil):
			t.Errorf("%s: parse error %v, Template.Parse error %v", text, err, want)
		case err != nil && err.Error() != "parsing template: "+want.Error():
			t.Errorf("%s: parse error %q, Template.Parse error %q", text, err, want)
		}
	}
}
