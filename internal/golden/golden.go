// Package golden compares generated trees and files with the expected ones
// under testdata, and rewrites those when tests run with -update:
//
//	go test ./... -update
//
// Every test package of twelve imports it, so that the flag is defined in
// every test binary that `go test ./...` builds.
package golden

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var update = flag.Bool("update", false, "rewrite golden files and trees instead of comparing with them")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// File is one file of a tree: its mode and content.
type File struct {
	Mode fs.FileMode
	Data []byte
}

// ReadTree reads every file below root, by slash path relative to root.
func ReadTree(t testing.TB, root string) map[string]File {
	t.Helper()
	tree := map[string]File{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == ".twelve" {
			return fs.SkipDir // twelve's lock and state, not the service
		}
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		tree[filepath.ToSlash(rel)] = File{Mode: info.Mode().Perm(), Data: data}
		return err
	})
	if err != nil {
		t.Fatalf("reading %s: %v (go test -update creates it)", root, err)
	}
	return tree
}

// Tree compares the tree at got with the golden tree at want, or with
// -update replaces want with a copy of got. It reports missing and
// unexpected files, modes that differ, and a diff of every file whose
// content differs.
func Tree(t testing.TB, want, got string) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(want, os.DirFS(got)); err != nil {
			t.Fatal(err)
		}
		return
	}
	wantTree, gotTree := ReadTree(t, want), ReadTree(t, got)
	var paths []string
	for p := range wantTree {
		paths = append(paths, p)
	}
	for p := range gotTree {
		if _, ok := wantTree[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	failed := false
	for _, p := range paths {
		w, inWant := wantTree[p]
		g, inGot := gotTree[p]
		switch {
		case !inGot:
			t.Errorf("missing file %s", p)
		case !inWant:
			t.Errorf("unexpected file %s", p)
		case !bytes.Equal(w.Data, g.Data):
			t.Errorf("%s differs from the golden file:\n%s", p, diff.Diff("golden/"+p, w.Data, "generated/"+p, g.Data))
		case w.Mode != g.Mode:
			t.Errorf("%s: mode %v, golden %v", p, g.Mode, w.Mode)
		default:
			continue
		}
		failed = true
	}
	if failed {
		t.Logf("if the change is intended: go test ./... -update, then read git diff %s", want)
	}
}

// Bytes compares got with the golden file at want, or with -update
// rewrites want.
func Bytes(t testing.TB, want string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(want, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(want)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(data, got) {
		t.Errorf("%s differs:\n%s", want, diff.Diff(want, data, "got", got))
	}
}
