package cli_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/twelvefactor/twelve/internal/cli"
)

// goldenRoot holds one expected tree per case: testdata/golden/<case>/.
const goldenRoot = "../../testdata/golden"

// goldenCases are the trees that twelve's tests pin down byte for byte and
// then build, test and run for real.
var goldenCases = []struct {
	name string // the case, and the folder under testdata/golden
	svc  string // the service's name
	args []string
}{
	{"default", "myservice", []string{"new", "myservice", "--module", "example.com/myservice"}},
	{"minimal", "tiny", []string{"new", "tiny", "--without", "docker,healthcheck,metrics,procfile,systemd"}},
	{"full", "fullsvc", []string{"new", "fullsvc", "--module", "github.com/acme/fullsvc", "--with", "docker,healthcheck,metrics,procfile,systemd"}},
}

// generate runs `twelve ARGS --dir DIR --no-input` in-process.
func generate(t *testing.T, dir string, args []string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	args = append(append([]string{}, args...), "--dir", dir, "--no-input")
	if code := cli.Main(context.Background(), args, io, "v0.0.0-golden"); code != 0 {
		t.Fatalf("twelve %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
}

// TestGolden compares each generated tree with testdata/golden/<case>/, file
// by file and mode by mode. go test ./internal/cli -run TestGolden -update
// rewrites the golden trees; read the diff before committing it.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			got := filepath.Join(t.TempDir(), tc.svc)
			generate(t, got, tc.args)
			want := filepath.Join(goldenRoot, tc.name)
			if *update {
				if err := os.RemoveAll(want); err != nil {
					t.Fatal(err)
				}
				if err := os.CopyFS(want, os.DirFS(got)); err != nil {
					t.Fatal(err)
				}
				return
			}
			compareTrees(t, want, got)
		})
	}
}

type entry struct {
	mode fs.FileMode
	data []byte
}

func readTree(t *testing.T, root string) map[string]entry {
	t.Helper()
	tree := map[string]entry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
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
		rel, _ := filepath.Rel(root, p)
		tree[filepath.ToSlash(rel)] = entry{mode: info.Mode().Perm(), data: data}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v (run go test ./internal/cli -run TestGolden -update to create it)", root, err)
	}
	return tree
}

// compareTrees reports missing and unexpected files, files whose mode
// differs, and a diff of every file whose content differs.
func compareTrees(t *testing.T, wantRoot, gotRoot string) {
	t.Helper()
	want, got := readTree(t, wantRoot), readTree(t, gotRoot)
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		w, inWant := want[p]
		g, inGot := got[p]
		switch {
		case !inGot:
			t.Errorf("missing file %s", p)
		case !inWant:
			t.Errorf("unexpected file %s", p)
		case !bytes.Equal(w.data, g.data):
			t.Errorf("%s differs from the golden file:\n%s", p, diff.Diff("golden/"+p, w.data, "generated/"+p, g.data))
		case w.mode != g.mode:
			t.Errorf("%s: mode %v, golden %v", p, g.mode, w.mode)
		}
	}
	if t.Failed() {
		t.Log("if the change is intended: go test ./internal/cli -run TestGolden -update, then read git diff testdata/golden")
	}
}
