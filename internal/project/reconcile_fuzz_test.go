package project

import (
	"bytes"
	"context"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
)

// FuzzReconcile plans and applies the change from base to target on one
// file as the user left it (mine), and checks the laws of a merge: an
// untouched file becomes target; a file twelve has nothing new for, or
// that already is target, stays the user's; and a second run, from the
// target that the manifest now records, changes nothing.
func FuzzReconcile(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nb\nc\n", "a\nB\nc\n")
	f.Add("a\nb\nc\n", "a\nb\nc\nmine\n", "x\na\nb\nc\n")
	f.Add("a\nb\n", "a\nmine\n", "a\ntheirs\n")
	f.Add("a\r\nb\r\n", "a\r\nb\r\n", "a\nb\nc\n")
	f.Add("", "x\n", "y\n")
	f.Fuzz(func(t *testing.T, base, mine, target string) {
		b := []render.File{file("f.txt", base)}
		root, m := service(t, b...)
		if err := root.WriteFile("f.txt", []byte(mine), 0o644); err != nil {
			t.Fatal(err)
		}
		plan, err := reconcile(root, m, b, []render.File{file("f.txt", target)}, false)
		if err != nil {
			t.Fatal(err)
		}
		plan.Markers = true
		if err := Apply(context.Background(), root, plan); err != nil {
			t.Fatal(err)
		}
		got, err := root.ReadFile("f.txt")
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case mine == base && !bytes.Equal(lf(got), lf([]byte(target))):
			t.Errorf("untouched file became %q, want the target %q", got, target)
		case (base == target || mine == target) && string(got) != mine:
			t.Errorf("file became %q, want the user's %q kept", got, mine)
		}
		if c := plan.change("f.txt"); c.Action == Conflict {
			return // the user resolves it first
		}
		next, err := ReadManifest(root.Name())
		if err != nil {
			t.Fatal(err)
		}
		again, err := reconcile(root, next, []render.File{file("f.txt", target)}, []render.File{file("f.txt", target)}, false)
		if err != nil {
			t.Fatal(err)
		}
		if w := again.Writes(); len(w) != 1 || w[0].Path != ManifestFile {
			if len(w) > 0 && w[0].Path == "f.txt" {
				t.Errorf("a second run changes f.txt: %s", w[0].Action)
			}
		}
	})
}
