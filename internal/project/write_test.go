package project

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
)

var files = []render.File{
	{Path: "go.mod", Mode: 0o644, Data: []byte("module x\n")},
	{Path: "cmd/x/main.go", Mode: 0o644, Data: []byte("package main\n")},
	{Path: "run-app.sh", Mode: 0o755, Data: []byte("#!/bin/sh\n")},
}

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteNew(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "svc")
	if err := WriteNew(context.Background(), dir, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		p := filepath.Join(dir, f.Path)
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != f.Mode {
			t.Errorf("%s: mode %v, want %v", f.Path, info.Mode().Perm(), f.Mode)
		}
		data, _ := os.ReadFile(p)
		if string(data) != string(f.Data) {
			t.Errorf("%s: %q, want %q", f.Path, data, f.Data)
		}
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o755 {
		t.Errorf("directory mode %v, want 0755", info.Mode().Perm())
	}
	if got := entries(t, parent); len(got) != 1 || got[0] != "svc" {
		t.Errorf("parent holds %v, want only svc", got)
	}
}

func TestWriteNewRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep")
	os.WriteFile(keep, []byte("mine"), 0o644)
	err := WriteNew(context.Background(), dir, files)
	if err == nil || !strings.Contains(err.Error(), "exists and is not empty") {
		t.Fatalf("WriteNew into a non-empty dir: %v", err)
	}
	if got := entries(t, dir); len(got) != 1 {
		t.Errorf("target now holds %v", got)
	}
	if got := entries(t, filepath.Dir(dir)); len(got) != 1 {
		t.Errorf("parent now holds %v", got)
	}
}

func TestWriteNewCancelledLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("interrupt signal received"))
	err := WriteNew(ctx, filepath.Join(parent, "a", "b", "svc"), files)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "interrupt signal received: nothing was written") {
		t.Fatalf("WriteNew with a cancelled context: %v", err)
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("a cancelled write left %v", got)
	}
}

func TestWriteNewBadPathLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	bad := append(files[:len(files):len(files)], render.File{Path: "go.mod/oops", Mode: 0o644})
	if err := WriteNew(context.Background(), filepath.Join(parent, "new", "svc"), bad); err == nil {
		t.Fatal("WriteNew wrote a file below a file")
	}
	if got := entries(t, parent); len(got) != 0 {
		t.Errorf("a failed write left %v", got)
	}
}

func TestManifestHashes(t *testing.T) {
	m := NewManifest("v1", "", render.Answers{Name: "x", Module: "x", Components: []string{"metrics"}}, files)
	if m.Files["go.mod"] != Hash([]byte("module x\n")) || !strings.HasPrefix(m.Files["go.mod"], "sha256:") {
		t.Errorf("go.mod hash %q", m.Files["go.mod"])
	}
	f := m.File()
	if f.Path != ManifestFile || !strings.Contains(string(f.Data), `"components": [`) {
		t.Errorf("manifest file %s:\n%s", f.Path, f.Data)
	}
}

// A manifest takes only hashes as Hash writes them: sha256: and 64
// lowercase hex digits, no fewer and no more.
func TestManifestHashesAreChecked(t *testing.T) {
	good := Hash([]byte("x"))
	for h, ok := range map[string]bool{
		good:                           true,
		good[:len(good)-1]:             false,
		good + "0":                     false,
		strings.ToUpper(good):          false,
		"sha256:":                      false,
		"md5:" + good[len("sha256:"):]: false,
	} {
		data := fmt.Sprintf(`{"twelve":"v1","name":"x","module":"x","components":[],"files":{"go.mod":%q}}`, h)
		if _, err := ParseManifest(ManifestFile, []byte(data)); (err == nil) != ok {
			t.Errorf("hash %q: error %v, want ok=%v", h, err, ok)
		}
	}
}

// A --dir that is a dangling link is refused, naming it, and left alone.
func TestWriteNewRefusesADanglingLink(t *testing.T) {
	parent := t.TempDir()
	link := filepath.Join(parent, "svc")
	os.Symlink(filepath.Join(parent, "nowhere"), link)
	err := WriteNew(context.Background(), link, files)
	if err == nil || err.Error() != "cannot use "+link+": no such file or directory" {
		t.Fatalf("WriteNew into a dangling link: %v", err)
	}
	if got := entries(t, parent); len(got) != 1 || got[0] != "svc" {
		t.Errorf("parent holds %v", got)
	}
}

// A killed twelve new leaves its temporary tree, named with its process
// ID; the next new of that name removes it, but not the tree of a twelve
// still running.
func TestWriteNewRemovesTheTreesOfDeadRuns(t *testing.T) {
	parent := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true command to get a dead process ID")
	}
	stale := filepath.Join(parent, fmt.Sprintf(".svc.twelve-%d-0123456789ab", dead.Process.Pid))
	live := filepath.Join(parent, fmt.Sprintf(".svc.twelve-%d-0123456789ab", os.Getppid()))
	other := filepath.Join(parent, fmt.Sprintf(".other.twelve-%d-0123456789ab", dead.Process.Pid))
	for _, d := range []string{stale, live, other} {
		if err := os.MkdirAll(filepath.Join(d, "cmd"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteNew(context.Background(), filepath.Join(parent, "svc"), files); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the tree of a dead twelve new is still there")
	}
	for _, d := range []string{live, other} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(d), err)
		}
	}
}
