package render_test

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// withTemplate is the real template tree with one more template file.
func withTemplate(t *testing.T, name, body string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(templates.FS, p)
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	return m
}

// No template and no answer makes Render return a path outside the tree:
// render refuses a name that is not plain, and any template whose path
// renders outside the tree, such as through a name a future check let by.
func TestRenderRefusesPathsOutsideTheTree(t *testing.T) {
	c := load(t)
	for _, name := range []string{"../x", "../../etc", "/abs", "", ".", "a/../../b", `a\..\b`} {
		_, err := c.Render(render.Answers{Name: name, Module: "example.com/svc"})
		if err == nil || !strings.Contains(err.Error(), "invalid service name") {
			t.Errorf("name %q: %v, want an invalid name", name, err)
		}
	}
	for _, tmpl := range []string{
		// A '/' inside the braces would split the template's own name, so
		// the templates spell it \x2f.
		`service/{{"..\x2fevil"}}.txt.tmpl`,
		`service/{{"\x2fetc\x2fevil"}}.tmpl`,
		`service/x/{{"..\x2f..\x2f.."}}.tmpl`,
		`service/{{"a\\..\\evil"}}.tmpl`,
		`components/metrics/{{"..\x2foutside"}}.tmpl`,
		`service/{{.Name}}{{"\x2f..\x2f..\x2fup"}}.tmpl`,
	} {
		c, err := render.Load(withTemplate(t, tmpl, "x\n"))
		if err != nil {
			t.Fatalf("%s: %v", tmpl, err)
		}
		files, err := c.Render(render.Answers{Name: "svc", Module: "example.com/svc", Components: []string{"metrics"}})
		if err == nil || !strings.Contains(err.Error(), "renders to an invalid path") {
			t.Errorf("template %s: %v (%d files), want an invalid path", tmpl, err, len(files))
		}
	}
}

// FuzzRender renders the real templates with random answers that look
// valid, as a hand-edited manifest or a future check could let through:
// Render either fails with an error or returns files whose paths stay in
// the tree and whose Go parses and is gofmt-clean.
func FuzzRender(f *testing.F) {
	c, err := render.Load(templates.FS)
	if err != nil {
		f.Fatal(err)
	}
	comps := c.Components()
	f.Add("svc", "example.com/svc", "SVC_", 8080, uint16(0))
	f.Add("a", "a", "", 1, uint16(0xffff))
	f.Add("billing-api_2", "github.com/acme/billing~x+y/v2", "A_B_", 65535, uint16(0x155))
	f.Add("svc", `example.com/"; os.Exit(1) //`, "X_", 0, uint16(1))
	f.Add("svc`", "example.com/svc\n", "$(id)_", -1, uint16(2))
	f.Fuzz(func(t *testing.T, name, module, prefix string, port int, mask uint16) {
		var names []string
		for i, comp := range comps {
			if mask&(1<<i) != 0 {
				names = append(names, comp.Name)
			}
		}
		resolved, err := c.Resolve(names)
		if err != nil {
			t.Fatalf("Resolve(%v): %v", names, err)
		}
		files, err := c.Render(render.Answers{Name: name, Module: module, Components: resolved, Prefix: prefix, Port: port})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error on several lines: %v", err)
			}
			return
		}
		for _, file := range files {
			if !fs.ValidPath(file.Path) || file.Path == "." || strings.Contains(file.Path, `\`) {
				t.Fatalf("path %q leaves the tree", file.Path)
			}
			if path.Ext(file.Path) == ".go" {
				if _, err := parser.ParseFile(token.NewFileSet(), file.Path, file.Data, parser.AllErrors); err != nil {
					t.Fatalf("%s does not parse: %v", file.Path, err)
				}
				// Render does not gofmt: the templates must render clean Go.
				if formatted, err := format.Source(file.Data); err != nil || !bytes.Equal(formatted, file.Data) {
					t.Fatalf("%s is not gofmt-clean (%v):\n%s", file.Path, err, firstDiff(file.Data, formatted))
				}
			}
		}
	})
}
