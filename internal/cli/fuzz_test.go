package cli

import (
	"errors"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/mod/module"

	"github.com/twelvefactor/twelve/internal/answers"
	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// shortError fails unless err is what a user may see: one line of at most
// 400 characters without a control character that a terminal would obey.
func shortError(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if len(msg) > 400 {
		t.Fatalf("error of %d characters: %.200q…", len(msg), msg)
	}
	for _, r := range msg {
		if unicode.IsControl(r) {
			t.Fatalf("control character %q in error %q", r, msg)
		}
	}
}

// renders fails unless the catalog renders a for real: no error, every path
// inside the tree, every Go file parses.
func renders(t *testing.T, c *render.Catalog, a render.Answers) {
	t.Helper()
	files, err := c.Render(a)
	if err != nil {
		t.Fatalf("answers %+v passed the checks but do not render: %v", a, err)
	}
	for _, f := range files {
		if !fs.ValidPath(f.Path) || strings.Contains(f.Path, `\`) {
			t.Fatalf("answers %+v: path %q leaves the tree", a, f.Path)
		}
		if path.Ext(f.Path) == ".go" {
			if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, 0); err != nil {
				t.Fatalf("answers %+v: %s does not parse: %v", a, f.Path, err)
			}
		}
	}
}

// checkName, checkModule, normalizePrefix and parsePort check one answer
// as twelve new does, through its field.
func checkName(name string) error {
	return answers.Lookup("name").Check(answers.Answers{Name: name}, nil)
}

func checkModule(path, name string) error {
	return withHint(answers.Lookup("module").Check(answers.Answers{Name: name, Module: path}, nil))
}

func normalizePrefix(p string) (string, error) {
	var a answers.Answers
	err := answers.Lookup("prefix").Parse(&a, p)
	return a.Prefix, err
}

func parsePort(s string) (int, error) {
	var a answers.Answers
	err := answers.Lookup("port").Parse(&a, s)
	return a.Port, err
}

func fuzzCatalog(f *testing.F) *render.Catalog {
	c, err := render.Load(templates.FS)
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// FuzzCheckAnswers: every name, module, prefix and port is refused with a
// short error or is safe: a plain name that is one path element, a module
// path Go accepts, and together they render a service whose Go parses.
func FuzzCheckAnswers(f *testing.F) {
	c := fuzzCatalog(f)
	for _, s := range []struct{ name, module, prefix, port string }{
		{"svc", "github.com/acme/svc", "SVC", "8080"},
		{"../x", "../x", "../X", "-1"},
		{"-rf", "-rf", "-RF_", "0"},
		{"con", "github.com/acme/con", "CON_", "65536"},
		{"a b", "a b/c", "A B", " 80 "},
		{"$(id)", "x/$(id)", "$(ID)_", "0x50"},
		{"é", "é.com/x", "É_", "٨٠"},
		{"svc.", "github.com/a/b.", "SVC._", "80.0"},
		{strings.Repeat("a", 300), strings.Repeat("a", 300), strings.Repeat("A", 300), strings.Repeat("9", 300)},
		{"a\x1b[31m", "a/\x1b]0;x\x07", "\x00", "\n80"},
		{"com1", "a/~b+c", "A__", "1"},
	} {
		f.Add(s.name, s.module, s.prefix, s.port)
	}
	f.Fuzz(func(t *testing.T, name, mod, prefix, port string) {
		var a render.Answers
		ok := true
		if err := checkName(name); err != nil {
			shortError(t, err)
			ok = false
		} else {
			if filepath.Base(name) != name || name == "." || name == ".." || strings.ContainsAny(name, "/\\.$`'\" \t\n;&|<>*?") {
				t.Fatalf("name %q passed", name)
			}
			if err := module.CheckImportPath(name); err != nil {
				t.Fatalf("name %q passed but is no import path: %v", name, err)
			}
			a.Name = name
		}
		if err := checkModule(mod, "svc"); err != nil {
			shortError(t, err)
			ok = false
		} else {
			if module.CheckImportPath(mod) != nil || strings.ContainsAny(mod, "\"`$\\ ;'") {
				t.Fatalf("module %q passed", mod)
			}
			a.Module = mod
		}
		if p, err := normalizePrefix(prefix); err != nil {
			shortError(t, err)
			ok = false
		} else {
			a.Prefix = p
		}
		if n, err := parsePort(port); err != nil {
			shortError(t, err)
			ok = false
		} else {
			a.Port = n
		}
		if ok {
			a.Components, _ = c.Resolve(c.Defaults())
			renders(t, c, a)
		}
	})
}

// FuzzReadAnswers: every --answers file is refused with a short usage error,
// or gives answers that newAnswers refuses with one or that render.
func FuzzReadAnswers(f *testing.F) {
	c := fuzzCatalog(f)
	f.Add([]byte("name: svc\nmodule: github.com/acme/svc\ncomponents: [healthcheck, postgres]\nprefix: SVC\nport: 9300\n"))
	f.Add([]byte(`{"name": "svc", "components": ["metrics"], "port": 80}`))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nname: svc\n"))
	f.Add([]byte("name: &n svc\nmodule: *n\n"))
	f.Add([]byte("name: svc\n---\nname: two\n"))
	f.Add([]byte("name: svc\nname: two\n"))
	f.Add([]byte("name: !!binary c3Zj\n"))
	f.Add([]byte("name: [[[[[[[[[[]]]]]]]]]]\n"))
	f.Add([]byte("port: 1e9\nname: svc\n"))
	f.Add([]byte("\xff\xfe\x00"))
	f.Add([]byte(""))
	f.Add([]byte("name: svc\ntwelve: v1\nfiles: {x: y}\nregions: null\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(dir, "answers.yaml")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		given, err := readAnswersFile(name, name)
		if err != nil {
			var u *usageError
			if !errors.As(err, &u) {
				t.Fatalf("not a usage error: %v", err)
			}
			shortError(t, err)
			return
		}
		opts := &newOptions{Answers: map[string]*answerFlag{}, With: &componentList{catalog: c}, Without: &componentList{catalog: c}, changed: func(string) bool { return false }}
		a, err := newAnswers(c, given, opts)
		if err != nil {
			shortError(t, err)
			return
		}
		renders(t, c, a)
	})
}

// FuzzManifest: every .twelve.json is refused with a short error that says
// how to restore it, or gives answers that render; and what twelve writes,
// it reads back.
func FuzzManifest(f *testing.F) {
	c := fuzzCatalog(f)
	a := render.Answers{Name: "svc", Module: "example.com/svc", Components: c.Defaults(), Prefix: "SVC_", Port: 9000}
	files, err := c.Render(a)
	if err != nil {
		f.Fatal(err)
	}
	good := project.NewManifest("v1", "", a, files).File().Data
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(`{"name": "svc", "module": "svc", "components": [], "files": {}}`))
	f.Add([]byte(`{"name": "svc", "module": "svc", "components": ["nosuch"], "files": {}}`))
	f.Add([]byte(`{"name": "svc", "module": "svc", "prefix": "$(id)_", "port": -1, "files": {}}`))
	f.Add([]byte(`{"name": "svc", "module": "svc", "files": {"../x": "sha256:00"}}`))
	f.Add([]byte(`{"name": "svc", "module": "svc", "components": "metrics"}`))
	f.Add([]byte(`{"name": "svc", "name": "two", "module": "svc"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := project.ParseManifest(".twelve.json", data)
		if err != nil {
			shortError(t, err)
			// A manifest from a newer twelve is not broken: the way
			// forward is to upgrade, not to restore.
			var newer *project.NewerError
			if errors.As(err, &newer) {
				if !strings.Contains(err.Error(), "upgrade twelve") {
					t.Fatalf("newer manifest without the way forward: %v", err)
				}
				return
			}
			if !strings.HasSuffix(err.Error(), "restore it from version control (git checkout -- .twelve.json)") {
				t.Fatalf("error without the way back: %v", err)
			}
			return
		}
		a, err := manifestAnswers(c, m)
		if err != nil {
			shortError(t, err)
			return
		}
		renders(t, c, a)
		if _, err := project.ParseManifest(".twelve.json", m.File().Data); err != nil {
			t.Fatalf("twelve cannot read back the manifest it writes: %v", err)
		}
	})
}
