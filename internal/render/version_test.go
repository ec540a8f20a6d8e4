package render_test

import (
	"testing"
	"testing/fstest"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

func TestLoadVersionKnowsItsVersions(t *testing.T) {
	for _, v := range []int{0, render.Renderer + 1} {
		if _, err := render.LoadVersion(templates.FS, v); err == nil {
			t.Errorf("LoadVersion(%d) loaded", v)
		}
	}
	for v := 1; v <= render.Renderer; v++ {
		if _, err := render.LoadVersion(templates.FS, v); err != nil {
			t.Errorf("LoadVersion(%d): %v", v, err)
		}
	}
}

// TestRenderer1Gofmts: twelve before 179af83 passed every Go file it
// rendered through gofmt, and the archive's revisions of that time need it.
func TestRenderer1Gofmts(t *testing.T) {
	fsys := fstest.MapFS{
		"service.json":                     {Data: []byte(`{"go": "1.25.0"}`)},
		"service/x.go.tmpl":                {Data: []byte("package {{.Name}}\nvar  a=1\n")},
		"service/y.txt.tmpl":               {Data: []byte("var  a=1\n")},
		"components/c/component.json":      {Data: []byte(`{}`)},
		"components/c/static.go.tmpl":      {Data: []byte("package c\nvar  b=2\n")},
		"components/c/static_test.go.tmpl": {Data: []byte("package c\n")},
	}
	a := render.Answers{Name: "svc", Module: "example.com/svc", Components: []string{"c"}}
	want := map[int]map[string]string{
		1: {"x.go": "package svc\n\nvar a = 1\n", "y.txt": "var  a=1\n", "static.go": "package c\n\nvar b = 2\n"},
		2: {"x.go": "package svc\nvar  a=1\n", "y.txt": "var  a=1\n", "static.go": "package c\nvar  b=2\n"},
	}
	for v, files := range want {
		c, err := render.LoadVersion(fsys, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.RenderSources(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range got {
			if w, ok := files[f.Path]; ok && string(f.Data) != w {
				t.Errorf("renderer %d: %s = %q, want %q", v, f.Path, f.Data, w)
			}
		}
	}
}
