package deploytest

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rhysd/actionlint"
)

// lintWorkflow lints a GitHub Actions workflow with actionlint, and with
// shellcheck on its run: steps when shellcheck is installed.
func lintWorkflow(t *testing.T, name string, data []byte) []*actionlint.Error {
	t.Helper()
	opts := &actionlint.LinterOptions{}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	}
	l, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestCIWorkflowLints checks the ci component's workflow in every golden
// tree that has it with actionlint, which knows GitHub's workflow schema,
// expressions and the popular actions' inputs: zero errors allowed.
func TestCIWorkflowLints(t *testing.T) {
	linted := 0
	for _, tc := range goldenCases(t) {
		p := filepath.Join(goldenRoot, tc.name, ".github", "workflows", "ci.yml")
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		linted++
		for _, e := range lintWorkflow(t, p, data) {
			t.Errorf("%s:%d:%d: %s [%s]", p, e.Line, e.Column, e.Message, e.Kind)
		}
	}
	if linted == 0 {
		t.Fatal("no golden tree has .github/workflows/ci.yml")
	}
}

// The linter is no rubber stamp: it finds the mistakes GitHub would reject.
func TestCIWorkflowLinterFindsMistakes(t *testing.T) {
	bad := []byte(`name: ci
on: pushed
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-go@v5
        with:
          go-versoin-file: go.mod
      - run: echo ${{ matrix.nope }}
`)
	if errs := lintWorkflow(t, "bad.yml", bad); len(errs) < 3 {
		t.Errorf("actionlint found %d errors in a workflow with three, want at least 3: %v", len(errs), errs)
	}
}
