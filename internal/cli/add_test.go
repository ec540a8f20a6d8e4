package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
	"github.com/twelvefactor/twelve/internal/golden"
	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// TestAddEqualsNew: generating a service with some components and adding
// the rest later gives, byte for byte and mode for mode, the service
// generated with all of them at once, manifest included.
func TestAddEqualsNew(t *testing.T) {
	c, err := render.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	all := c.Names()
	cases := [][2][]string{{nil, all}} // [have, add]: from nothing to everything
	for i, name := range all {
		kinds := [][2][]string{
			{nil, {name}},                         // one onto the minimal service
			{without(all, name), {name}},          // the last one missing
			{without(c.Defaults(), name), {name}}, // one default left out
		}
		if testing.Short() {
			// Each component added once, the three kinds taken in turn:
			// a third of the cases, which took most of -short's time here.
			kinds = kinds[i%3 : i%3+1]
		}
		cases = append(cases, kinds...)
	}
	for _, tc := range cases {
		have, add := tc[0], tc[1]
		t.Run(strings.Join(have, ",")+"+"+strings.Join(add, ","), func(t *testing.T) {
			t.Parallel() // each in trees of its own; uses both cores
			resolvedHave, err := c.Resolve(have)
			if err != nil {
				t.Fatal(err)
			}
			if len(without(add, resolvedHave...)) == 0 {
				t.Skip("nothing to add")
			}
			dir := t.TempDir()
			got, want := filepath.Join(dir, "got"), filepath.Join(dir, "want")
			twelve(t, newArgs(c.Defaults(), resolvedHave, got)...)
			twelve(t, append(append([]string{"add"}, add...), "--dir", got)...)
			final, err := c.Resolve(append(slices.Clone(resolvedHave), add...))
			if err != nil {
				t.Fatal(err)
			}
			twelve(t, newArgs(c.Defaults(), final, want)...)
			sameTree(t, want, got)
		})
	}
}

// newArgs are the arguments of `twelve new` for a service svc in dir with
// exactly the components with, and no git repository: the laws are about
// what twelve writes (new_git.txtar tests the repository).
func newArgs(defaults, with []string, dir string) []string {
	args := []string{"new", "svc", "--module", "example.com/svc", "--dir", dir, "--git=false"}
	if drop := without(defaults, with...); len(drop) > 0 {
		args = append(args, "--without", strings.Join(drop, ","))
	}
	if len(with) > 0 {
		args = append(args, "--with", strings.Join(with, ","))
	}
	return args
}

// twelve runs twelve in-process and fails the test unless it exits 0.
func twelve(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := cli.Main(context.Background(), args, io, "v0.0.0-golden"); code != 0 {
		t.Fatalf("twelve %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

// sameTree fails unless the trees at want and got are the same.
func sameTree(t *testing.T, want, got string) {
	t.Helper()
	w, g := golden.ReadTree(t, want), golden.ReadTree(t, got)
	for p, wf := range w {
		gf, ok := g[p]
		switch {
		case !ok:
			t.Errorf("%s: missing after add", p)
		case gf.Mode != wf.Mode:
			t.Errorf("%s: mode %v after add, %v from new", p, gf.Mode, wf.Mode)
		case !bytes.Equal(gf.Data, wf.Data):
			t.Errorf("%s differs after add:\n--- new\n%s\n--- add\n%s", p, wf.Data, gf.Data)
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			t.Errorf("%s: only after add", p)
		}
	}
}

// without returns names without the given ones.
func without(names []string, drop ...string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(drop, n) {
			out = append(out, n)
		}
	}
	return out
}
