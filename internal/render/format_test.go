package render

import (
	"bytes"
	"go/format"
	"path"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/templates"
)

// TestModuleOnlyGoTemplatesAreGofmtClean: Render writes the Go files of
// module-only templates as they render, without gofmt (see moduleOnly), so
// they must come out gofmt-clean whatever the module path: one that sorts
// before every other import path and is short, one that sorts after them
// and is long. Import sorting and alignment are all a module path could
// change.
func TestModuleOnlyGoTemplatesAreGofmtClean(t *testing.T) {
	c, err := Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	modules := []string{"0", "example.com/myservice", "~" + strings.Repeat("z", 30) + ".example/" + strings.Repeat("long/", 40) + "svc"}
	n := 0
	for _, tm := range c.templates {
		if !strings.HasSuffix(tm.src, ".go.tmpl") || !tm.moduleOnly {
			continue
		}
		n++
		body, err := tm.body()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range modules {
			var b bytes.Buffer
			if err := body.Execute(&b, Data{Name: "svc", Module: m}); err != nil {
				t.Fatalf("%s: %v", tm.src, err)
			}
			formatted, err := format.Source(b.Bytes())
			if err != nil {
				t.Errorf("%s with module %q: %v", tm.src, m, err)
			} else if !bytes.Equal(formatted, b.Bytes()) {
				t.Errorf("%s with module %q is not gofmt-clean: gofmt the template, and keep {{.Module}} imports in a group of their own", path.Base(tm.src), m)
			}
		}
	}
	if n < 5 {
		t.Errorf("only %d module-only Go templates: is moduleOnly right?", n)
	}
}

func TestModuleOnly(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"package x\n", true},
		{"import (\n\t\"fmt\"\n\n\t\"{{.Module}}/internal/config\"\n)\n", true},
		{"x := []T{{\"{{\"}}1}}\n", true},
		{"import \"{{.Module}}/internal/config\"\n", false},             // not in a block: a single import is fine, but keep the rule simple
		{"import (\n\tcfg \"{{.Module}}/internal/config\"\n)\n", false}, // named
		{"import (\n\t\"{{.Module}}/x\" // why\n)\n", false},            // commented: gofmt aligns comments
		{"const name = \"{{.Name}}\"\n", false},
		{"var m = \"{{.Module}}\"\n", false},
		{"{{if .Has \"metrics\"}}x{{end}}\n", false},
	}
	for _, tt := range tests {
		if got := moduleOnly(tt.text); got != tt.want {
			t.Errorf("moduleOnly(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
