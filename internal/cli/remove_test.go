package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// TestRemoveEqualsNew: removing a component from an untouched service
// gives, byte for byte, the service generated without it, apart from the
// component's user data (kept); and removing what add added gives back the
// service as it was.
func TestRemoveEqualsNew(t *testing.T) {
	c, err := render.Load(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	all := c.Names()
	for _, name := range all {
		if testing.Short() && name != "healthcheck" && name != "postgres" {
			continue // -short: one that others need, and one with user data
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel() // each in trees of its own; uses both cores
			// Every component that needs name goes with it.
			var drop []string
			for _, other := range all {
				needs, err := c.Resolve([]string{other})
				if err != nil {
					t.Fatal(err)
				}
				if slices.Contains(needs, name) {
					drop = append(drop, other)
				}
			}
			rest, err := c.Resolve(without(all, drop...))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			got, want := filepath.Join(dir, "got"), filepath.Join(dir, "want")
			twelve(t, newArgs(c.Defaults(), all, got)...)
			twelve(t, append([]string{"remove", "--dir", got}, drop...)...)
			twelve(t, newArgs(c.Defaults(), rest, want)...)
			// The user data the component wrote stays, the only difference.
			removeUserData(t, c, got, want)
			sameTree(t, want, got)

			// add then remove: back where it started.
			start := filepath.Join(dir, "start")
			twelve(t, newArgs(c.Defaults(), rest, start)...)
			twelve(t, append([]string{"add", "--dir", start}, drop...)...)
			twelve(t, append([]string{"remove", "--dir", start}, drop...)...)
			removeUserData(t, c, start, want)
			sameTree(t, want, start)
		})
	}
}

// removeUserData deletes from got the user data files that want does not
// have: what remove keeps on purpose.
func removeUserData(t *testing.T, c *render.Catalog, got, want string) {
	t.Helper()
	err := filepath.WalkDir(got, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(got, p)
		if err == nil && !d.IsDir() && c.UserData(filepath.ToSlash(rel)) {
			if _, err := os.Stat(filepath.Join(want, rel)); err != nil {
				return os.Remove(p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateSetEqualsNew: changing an answer of an untouched service with
// update --set gives the service twelve new makes with that answer.
func TestUpdateSetEqualsNew(t *testing.T) {
	for _, set := range [][2]string{
		{"module=github.com/acme/moved", "--module=github.com/acme/moved"},
		{"name=renamed", "--module=example.com/svc"}, // the name, with the module kept
		{"prefix=SVC_", "--prefix=SVC_"},
		{"port=9090", "--port=9090"},
	} {
		t.Run(set[0], func(t *testing.T) {
			t.Parallel() // each in trees of its own; uses both cores
			dir := t.TempDir()
			got, want := filepath.Join(dir, "got"), filepath.Join(dir, "want")
			twelve(t, "new", "svc", "--module", "example.com/svc", "--with", "postgres,redis,k8s,compose", "--git=false", "--dir", got)
			twelve(t, "update", "--set", set[0], "--dir", got)
			name := "svc"
			if strings.HasPrefix(set[0], "name=") {
				name = strings.TrimPrefix(set[0], "name=")
			}
			twelve(t, "new", name, "--module", "example.com/svc", "--with", "postgres,redis,k8s,compose", set[1], "--git=false", "--dir", want)
			sameTree(t, want, got)
		})
	}
}
