package checks

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

func TestRules(t *testing.T) {
	seen := map[string]bool{}
	prev := 0
	for _, r := range Rules() {
		if r.Title == "" || r.Check == nil || r.Applies == nil {
			t.Errorf("%s: Title, Check and Applies are required", r.ID)
		}
		if !strings.HasPrefix(r.ID, r.Factor+"-") || factorNumber(r.Factor) == 0 {
			t.Errorf("%s: ID does not start with its factor %q", r.ID, r.Factor)
		}
		if seen[r.ID] {
			t.Errorf("%s: ID used twice", r.ID)
		}
		seen[r.ID] = true
		if n := factorNumber(r.Factor); n < prev {
			t.Errorf("%s: out of factor order", r.ID)
		} else {
			prev = n
		}
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"a.txt":                    {},
		"a/b":                      {},
		".git/config":              {},
		"vendor/x/go.mod":          {},
		"web/node_modules/y/x.sh":  {},
		"web/Dockerfile":           {},
		"web/.github/workflow.yml": {},
	}
	r, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.txt", "a/b", "web/.github/workflow.yml", "web/Dockerfile"}
	if !slices.Equal(r.Files, want) {
		t.Errorf("Files = %q, want %q", r.Files, want)
	}
}

func TestNotApplicable(t *testing.T) {
	r, err := Load(fstest.MapFS{"README.md": {}, "main.go": {}})
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range Rules() {
		if rule.Applies(r) {
			t.Errorf("%s applies to a repository without Dockerfile, Procfile or script", rule.ID)
		}
	}
}

// TestFixtures audits testdata/RULE/fail, which must give exactly the listed
// findings, all of that rule, and testdata/RULE/pass, which must give none.
func TestFixtures(t *testing.T) {
	tests := []struct {
		rule string
		fail []string // "file:line" of each finding, in Audit's order
	}{
		{"V-unpinned-base-image", []string{"Dockerfile:4", "Dockerfile:7", "Dockerfile:9"}},
		{"VI-container-root", []string{"Dockerfile:7", "admin.Dockerfile:6"}},
		{"VIII-procfile", []string{"Procfile:4", "Procfile:5", "Procfile:6"}},
		{"IX-exec-form-entrypoint", []string{"Dockerfile:15", "Dockerfile.dev:5", "deploy/worker.Dockerfile:5"}},
		{"IX-run-script-exec", []string{"bin/serve.sh:6", "start.sh:5", "start.sh:6", "start.sh:7"}},
		{"XI-log-files", []string{"Procfile:2", "run.sh:3", "scripts/migrate.sh:4"}},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
		t.Run(tt.rule, func(t *testing.T) {
			var got []string
			for _, f := range audit(t, filepath.Join("testdata", tt.rule, "fail")) {
				if f.Rule != tt.rule {
					t.Errorf("fail: finding of another rule: %s", f)
				}
				got = append(got, fmt.Sprintf("%s:%d", f.File, f.Line))
			}
			if !slices.Equal(got, tt.fail) {
				t.Errorf("fail: findings at %q, want %q", got, tt.fail)
			}
			for _, f := range audit(t, filepath.Join("testdata", tt.rule, "pass")) {
				t.Errorf("pass: %s", f)
			}
		})
	}
	for _, r := range Rules() {
		if !tested[r.ID] {
			t.Errorf("%s has no fixtures", r.ID)
		}
	}
}

// TestGolden audits the services that twelve generates: they must pass every
// rule.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("../../testdata/golden/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden services: %v", err)
	}
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			for _, f := range audit(t, dir) {
				t.Error(f)
			}
		})
	}
}

func audit(t *testing.T, dir string) []Finding {
	t.Helper()
	findings, err := Audit(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		// Lower case, but for a Dockerfile keyword: "ENTRYPOINT in shell form".
		m := f.Message
		first, _, _ := strings.Cut(m, " ")
		if m == "" || strings.HasSuffix(m, ".") || unicode.IsUpper(rune(m[0])) && first != strings.ToUpper(first) {
			t.Errorf("message not lowercase or ends with a period: %s", f)
		}
	}
	return findings
}
