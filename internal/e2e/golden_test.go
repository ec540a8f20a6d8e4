package e2e_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/twelvefactor/twelve/internal/scratch"
)

// goldenRoot holds one expected tree per case: testdata/golden/<case>/.
// internal/cli's TestGolden keeps each tree byte for byte what twelve
// generates, and that nothing else is there.
const goldenRoot = "../../testdata/golden"

// goldenCase is a golden tree: its case, the folder under testdata/golden,
// and the name of the service it holds.
type goldenCase struct{ name, svc string }

// goldenCases are every golden tree, each service named as its
// .twelve.json says.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	var cases []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(goldenRoot, e.Name(), ".twelve.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Name string }
		if err := json.Unmarshal(data, &m); err != nil || m.Name == "" {
			t.Fatalf("%s/.twelve.json names no service: %v", e.Name(), err)
		}
		cases = append(cases, goldenCase{e.Name(), m.Name})
	}
	if len(cases) == 0 {
		t.Fatalf("no golden trees in %s", goldenRoot)
	}
	return cases
}

// copyGolden copies a golden tree into a fresh directory named like the
// service.
func copyGolden(t *testing.T, name, svc string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), svc)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenRoot, name))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// builtRoot holds the golden trees that buildGolden built, for the test
// process's lifetime.
var builtRoot string

func TestMain(m *testing.M) {
	done := scratch.Use()
	var err error
	if builtRoot, err = os.MkdirTemp("", "twelve-e2e-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(builtRoot)
	done()
	os.Exit(code)
}

// built is a golden tree built once, or the reason it would not build.
type built struct {
	once sync.Once
	dir  string
	err  error
}

var builds sync.Map // case name -> *built

// buildGolden returns a copy of the golden tree name, in a directory named
// svc, built with make build VERSION=v1.2.3-test. Every test that asks for
// the same case gets the same tree, built once per test process, so that
// -count=N runs them again without building again: the tests that take a
// tree from here only read it and run its binary. A test that edits a tree
// copies and builds its own.
func buildGolden(t *testing.T, name, svc string) string {
	t.Helper()
	requireTool(t, "make")
	v, _ := builds.LoadOrStore(name, &built{})
	b := v.(*built)
	b.once.Do(func() {
		dir := filepath.Join(builtRoot, name, svc)
		if err := os.CopyFS(dir, os.DirFS(filepath.Join(goldenRoot, name))); err != nil {
			b.err = err
			return
		}
		cmd := exec.Command("make", "build", "VERSION=v1.2.3-test")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("make build VERSION=v1.2.3-test: %v\n%s", err, out)
			return
		}
		b.dir = dir
	})
	if b.err != nil {
		t.Fatalf("golden tree %s: %v", name, b.err)
	}
	return b.dir
}
