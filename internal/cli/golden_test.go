package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
	"github.com/twelvefactor/twelve/internal/golden"
)

// goldenRoot holds one expected tree per case, testdata/golden/<case>/, and
// nothing else.
const goldenRoot = "../../testdata/golden"

// goldenCases are the trees that twelve's tests pin down byte for byte and
// then build, test and run for real.
var goldenCases = []struct {
	name string // the case, and the folder under testdata/golden
	svc  string // the service's name
	args []string
	then [][]string // commands run in the tree afterwards, such as add
}{
	{"default", "myservice", []string{"new", "myservice", "--module", "example.com/myservice"}, nil},
	{"minimal", "tiny", []string{"new", "tiny", "--without", "ci,docker,healthcheck,metrics,procfile,systemd"}, nil},
	{"prefixed", "billing", []string{"new", "billing", "--module", "github.com/acme/billing", "--prefix", "BILLING", "--port", "9090", "--without", "procfile"}, nil},
	{"deploy", "deploysvc", []string{"new", "deploysvc", "--module", "example.com/deploysvc", "--with", "compose,k8s"}, nil},
	{"full", "fullsvc", []string{"new", "fullsvc", "--module", "github.com/acme/fullsvc", "--with", "ci,docker,healthcheck,metrics,procfile,systemd"}, nil},
	{"backing", "backend", []string{"new", "backend", "--module", "example.com/backend", "--with", "postgres,redis"}, nil},
	// A service grown by twelve add rather than generated whole.
	{"added", "grown", []string{"new", "grown", "--module", "example.com/grown", "--without", "ci,docker,healthcheck,metrics,procfile,systemd"},
		[][]string{{"add", "metrics"}, {"add", "postgres", "redis", "systemd"}}},
}

// generate runs `twelve ARGS --dir DIR --no-input` in-process, then each
// of then the same way.
func generate(t *testing.T, dir string, args []string, then ...[]string) {
	t.Helper()
	defer func() {
		for _, cmd := range then {
			generate(t, dir, cmd)
		}
	}()
	var out, errOut bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	args = append(append([]string{}, args...), "--dir", dir, "--no-input")
	if args[0] == "new" {
		args = append(args, "--git=false") // the golden trees are what twelve renders
	}
	if code := cli.Main(context.Background(), args, io, "v0.0.0-golden"); code != 0 {
		t.Fatalf("twelve %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
}

// TestGolden compares each generated tree with testdata/golden/<case>/, file
// by file and mode by mode. go test ./... -update rewrites the golden trees;
// read the diff before committing it.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			got := filepath.Join(t.TempDir(), tc.svc)
			generate(t, got, tc.args, tc.then...)
			golden.Tree(t, filepath.Join(goldenRoot, tc.name), got)
		})
	}
	// internal/e2e builds and runs every tree it finds there.
	entries, err := os.ReadDir(goldenRoot)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{}
	for _, tc := range goldenCases {
		cases[tc.name] = true
	}
	for _, e := range entries {
		if !cases[e.Name()] {
			t.Errorf("%s/%s is no golden case: remove it", goldenRoot, e.Name())
		}
	}
}
