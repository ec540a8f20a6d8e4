package deploytest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// goldenRoot holds one expected tree per case: testdata/golden/<case>/,
// pinned byte for byte by TestGolden in internal/cli.
const goldenRoot = "../testdata/golden"

// goldenCase is one golden tree: its folder and the service's name.
type goldenCase struct {
	name string // the case, and the folder under testdata/golden
	svc  string // the service's name
}

// goldenCases returns the trees under goldenRoot, each with the name its
// manifest gives the service, so that a case added in internal/cli is
// checked here too.
func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	entries, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenCase
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(goldenRoot, e.Name(), ".twelve.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Name string `json:"name"`
		}
		if err := json.Unmarshal(data, &m); err != nil || m.Name == "" {
			t.Fatalf("%s: the manifest names no service: %v", e.Name(), err)
		}
		out = append(out, goldenCase{name: e.Name(), svc: m.Name})
	}
	if len(out) == 0 {
		t.Fatalf("no golden tree under %s", goldenRoot)
	}
	return out
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
