package render_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"math/bits"
	"path"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

func load(t *testing.T) *render.Catalog {
	t.Helper()
	c, err := render.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// combinations returns every subset of the catalog's components, resolved;
// with -short, a sample (see inSample).
func combinations(t *testing.T, c *render.Catalog) [][]string {
	t.Helper()
	comps := c.Components()
	var out [][]string
	for mask := 0; mask < 1<<len(comps); mask++ {
		if testing.Short() && !inSample(mask, len(comps)) {
			continue
		}
		var names []string
		for i, comp := range comps {
			if mask&(1<<i) != 0 {
				names = append(names, comp.Name)
			}
		}
		resolved, err := c.Resolve(names)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, resolved)
	}
	return out
}

// inSample says whether go test -short renders the subset mask of n
// components: the subsets of at most one component and those missing at
// most one, so that each component is rendered alone, with every other,
// and left out of everything else, and one in 61 of the rest. Rendering all
// 2^n took most of go test -short's time.
func inSample(mask, n int) bool {
	ones := bits.OnesCount(uint(mask))
	return ones <= 1 || ones >= n-1 || mask%61 == 0
}

// TestRenderEveryCombination renders every template with every set of
// components, so that no template can fail on a user's machine: every Go file
// parses, every path stays inside the tree, and every set has its modules.
func TestRenderEveryCombination(t *testing.T) {
	c := load(t)
	for _, comps := range combinations(t, c) {
		a := render.Answers{Name: "svc", Module: "example.com/svc", Components: comps}
		files, err := c.Render(a)
		if err != nil {
			t.Fatalf("components %v: %v", comps, err)
		}
		seen := map[string]bool{}
		for _, f := range files {
			if !fs.ValidPath(f.Path) || seen[f.Path] {
				t.Errorf("components %v: bad or duplicate path %q", comps, f.Path)
			}
			seen[f.Path] = true
			if strings.Contains(f.Path, ".tmpl") || strings.Contains(f.Path, "{{") {
				t.Errorf("components %v: path %q was not rendered", comps, f.Path)
			}
			if path.Ext(f.Path) == ".go" {
				if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Data, parser.AllErrors); err != nil {
					t.Errorf("components %v: %v", comps, err)
				}
			}
			if want := fs.FileMode(0o644); path.Ext(f.Path) == ".sh" {
				if f.Mode != 0o755 {
					t.Errorf("%s: mode %v, want 0755", f.Path, f.Mode)
				}
			} else if f.Mode != want {
				t.Errorf("%s: mode %v, want %v", f.Path, f.Mode, want)
			}
		}
		for _, must := range []string{"go.mod", "cmd/svc/main.go", "run-app.sh"} {
			if !seen[must] {
				t.Errorf("components %v: no %s", comps, must)
			}
		}
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	c := load(t)
	a := render.Answers{Name: "svc", Module: "example.com/svc", Components: c.Defaults()}
	first, err := c.Render(a)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := load(t).Render(a)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != len(first) {
			t.Fatalf("%d files, then %d", len(first), len(again))
		}
		for i := range first {
			if first[i].Path != again[i].Path || !bytes.Equal(first[i].Data, again[i].Data) || first[i].Mode != again[i].Mode {
				t.Fatalf("%s differs between two renders", first[i].Path)
			}
		}
	}
}

func TestComponentsOwnTheirFiles(t *testing.T) {
	c := load(t)
	base, err := c.Render(render.Answers{Name: "svc", Module: "svc"})
	if err != nil {
		t.Fatal(err)
	}
	has := func(files []render.File, p string) bool {
		for _, f := range files {
			if f.Path == p {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"Dockerfile", "Procfile", "internal/metrics/metrics.go", "internal/health/health.go"} {
		if has(base, p) {
			t.Errorf("a service without components has %s", p)
		}
	}
	for comp, p := range map[string]string{
		"docker":      "Dockerfile",
		"procfile":    "Procfile",
		"systemd":     "deploy/systemd/svc.service",
		"metrics":     "internal/metrics/metrics.go",
		"healthcheck": "internal/health/health.go",
	} {
		files, err := c.Render(render.Answers{Name: "svc", Module: "svc", Components: []string{comp}})
		if err != nil {
			t.Fatal(err)
		}
		if !has(files, p) {
			t.Errorf("component %s does not add %s", comp, p)
		}
	}
}

func TestResolve(t *testing.T) {
	c := load(t)
	if _, err := c.Resolve([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `unknown component "nope"`) {
		t.Errorf("Resolve(nope) = %v, want an unknown component error", err)
	}
	got, err := c.Resolve([]string{"metrics", "docker", "metrics"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "docker,metrics" {
		t.Errorf("Resolve = %v, want sorted and unique", got)
	}
}

// The longest name and prefix the checks allow render; one byte more is
// refused.
func TestRenderChecksLengths(t *testing.T) {
	c := load(t)
	name := "s" + strings.Repeat("x", 62)
	prefix := "P" + strings.Repeat("X", 30) + "_"
	if _, err := c.RenderSources(render.Answers{Name: name, Module: "example.com/svc", Prefix: prefix}); err != nil {
		t.Errorf("a 63-byte name and a 32-byte prefix: %v", err)
	}
	if _, err := c.RenderSources(render.Answers{Name: name + "x", Module: "example.com/svc"}); err == nil || !strings.Contains(err.Error(), "invalid service name") {
		t.Errorf("a 64-byte name: %v, want an invalid name", err)
	}
	if _, err := c.RenderSources(render.Answers{Name: "svc", Module: "example.com/svc", Prefix: "X" + prefix}); err == nil || !strings.Contains(err.Error(), "invalid environment prefix") {
		t.Errorf("a 33-byte prefix: %v, want an invalid prefix", err)
	}
}

// TestRenderOwnsItsFiles checks that every Render returns data of its own:
// the first render of a template without an action hands over the text it
// read, so a caller that changes its files must not change a later render's.
func TestRenderOwnsItsFiles(t *testing.T) {
	c := load(t)
	comps, err := c.Resolve(c.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	a := render.Answers{Name: "svc", Module: "example.com/svc", Components: comps}
	first, err := c.Render(a)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]byte, len(first))
	for i, f := range first {
		want[i] = bytes.Clone(f.Data)
		for j := range f.Data {
			f.Data[j] = 'x'
		}
	}
	again, err := c.Render(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(first) {
		t.Fatalf("second render: %d files, want %d", len(again), len(first))
	}
	for i, f := range again {
		if !bytes.Equal(f.Data, want[i]) {
			t.Errorf("%s: the second render differs from the first", f.Path)
		}
	}
}

// TestUserData checks that the base service's user data, the user's own
// settings, is user data as a component's migrations are, that twelve's
// own files are not, and that no user data depends on the answers: twelve
// never changes it again, so update --set name=... or module=... could not
// change it either.
func TestUserData(t *testing.T) {
	c := load(t)
	for p, want := range map[string]bool{
		"internal/config/app.go":                true,
		"migrations/00001_create_notes.sql":     true,
		"cmd/svc/app.go":                        false,
		"internal/config/config.go":             false,
		"internal/config/app_test.go":           false,
		"internal/config/nested/app.go":         false,
		"migrations/nested/00001_something.sql": false,
	} {
		if got := c.UserData(p); got != want {
			t.Errorf("UserData(%q) = %v, want %v", p, got, want)
		}
	}

	all := c.Names()
	userData := func(a render.Answers) map[string]string {
		files, err := c.Render(a)
		if err != nil {
			t.Fatal(err)
		}
		data := map[string]string{}
		for _, f := range files {
			if c.UserData(f.Path) {
				data[f.Path] = string(f.Data)
			}
		}
		return data
	}
	one := userData(render.Answers{Name: "svc", Module: "example.com/svc", Components: all})
	other := userData(render.Answers{Name: "other", Module: "github.com/acme/other", Prefix: "OTHER_", Port: 9090, Components: all})
	if len(one) == 0 {
		t.Fatal("no user data rendered")
	}
	for p, data := range one {
		if other[p] != data {
			t.Errorf("%s, user data, depends on the answers", p)
		}
	}
}
