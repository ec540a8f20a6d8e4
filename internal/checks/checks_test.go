package checks

import (
	"fmt"
	"io/fs"
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
		if r.Title == "" || r.NA == "" || r.Check == nil || r.Applies == nil {
			t.Errorf("%s: Title, NA, Check and Applies are required", r.ID)
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

// TestLoadGitignore checks that Load skips what git ignores: patterns of
// the root and nested .gitignore files, negations, folders, and
// .git/info/exclude.
func TestLoadGitignore(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		".gitignore":        file("# build output\n/bin/\n*.log\n.env*\n!.env.example\n"),
		".git/info/exclude": file("scratch/\n"),
		".env":              file("SECRET=1\n"),
		".env.example":      file("SECRET=\n"),
		"app.log":           file(""),
		"bin/app":           file(""),
		"cmd/bin/keep.go":   file("package bin\n"),
		"scratch/notes.txt": file(""),
		"web/.gitignore":    file("dist\n!keep.log\n"),
		"web/dist/app.js":   file(""),
		"web/keep.log":      file(""),
		"web/main.js":       file(""),
		"other/dist/x.js":   file(""),
		"main.go":           file("package main\n"),
	}
	r, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".env.example", ".gitignore", "cmd/bin/keep.go", "main.go", "other/dist/x.js", "web/.gitignore", "web/keep.log", "web/main.js"}
	if !slices.Equal(r.Files, want) {
		t.Errorf("Files = %q\nwant %q", r.Files, want)
	}
	if !r.HasGit {
		t.Error("HasGit is false with a .git folder")
	}
}

// TestLoadSkipsBinaryAndBig checks that binary and big files are listed
// but not read.
func TestLoadSkipsBinaryAndBig(t *testing.T) {
	key := "-----BEGIN RSA PRIVATE KEY-----\n"
	r, err := Load(fstest.MapFS{
		"small.pem":  {Data: []byte(key)},
		"binary.bin": {Data: []byte("\x00\x01" + key)},
		"big.txt":    {Data: []byte(key + strings.Repeat("x", maxFileSize))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != 3 {
		t.Fatalf("Files = %q", r.Files)
	}
	for name, f := range r.files {
		if read := name == "small.pem"; f.text != read || (len(f.secrets) > 0) != read {
			t.Errorf("%s: text %v, %d secrets", name, f.text, len(f.secrets))
		}
	}
}

// TestLoadSkipsMinified checks that a minified JavaScript bundle is listed
// but its content is neither kept nor searched for secrets, while a script
// written by hand with the same statements is, even with a long data
// literal or an inline source map.
func TestLoadSkipsMinified(t *testing.T) {
	code := "const password = \"hunter2hunter2\";\nconst db = new sqlite3.Database('app.db');\n"
	bundle := "!function(){" + strings.Repeat("var a=1;", maxSourceLine/8+1) + "return a}();\n"
	literal := "const entities = {" + strings.Repeat("'amp':'&',", maxSourceLine/10+1) + "};\n"
	sourceMap := "//# sourceMappingURL=data:application/json;base64," + strings.Repeat("eyJ2", maxSourceLine/2) + "\n"
	r, err := Load(fstest.MapFS{
		"src/app.js":       {Data: []byte(code)},
		"src/entities.js":  {Data: []byte(literal + code + "function decode(s) { return s }\n")},
		"build/server.js":  {Data: []byte(code + "app.listen(3000, () => {});\n" + sourceMap)},
		"built/app.min.js": {Data: []byte(bundle + code)},
		"built/chunk.1.js": {Data: []byte("/*! license */\n" + bundle + bundle + code)},
		"built/app.py":     {Data: []byte(strings.Repeat("a = 1; ", maxSourceLine/7+1) + "\n" + code)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range r.files {
		if read := !strings.HasPrefix(name, "built/") || name == "built/app.py"; (f.data != nil) != read || (len(f.secrets) > 0) != read {
			t.Errorf("%s: kept %v, %d secrets", name, f.data != nil, len(f.secrets))
		}
	}
}

func TestNotApplicable(t *testing.T) {
	r, err := Load(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range Rules() {
		if rule.Applies(r) {
			t.Errorf("%s applies to an empty repository", rule.ID)
		}
	}
	// A repository of one README: only the rules of every repository apply.
	r, err = Load(fstest.MapFS{"README.md": {Data: []byte("# lib\n")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rule := range Rules() {
		if rule.Applies(r) {
			got = append(got, rule.ID)
		}
	}
	want := []string{"I-codebase", "III-env-files", "III-per-environment-config", "III-secrets", "VI-local-state"}
	if !slices.Equal(got, want) {
		t.Errorf("rules that apply to a README: %q, want %q", got, want)
	}
}

// TestFixtures audits testdata/RULE/fail, which must give exactly the listed
// findings, all of that rule, and testdata/RULE/pass, which must give none.
func TestFixtures(t *testing.T) {
	tests := []struct {
		rule string
		fail []string // "file:line" of each finding, in Audit's order
		also []string // other rules that the fail fixture breaks too, as one mistake breaks two factors
	}{
		{"I-codebase", []string{"README.md:0", "apps/api/Procfile:1"}, nil},
		{"II-go-sum", []string{"go.mod:5"}, nil},
		{"II-go-local-replace", []string{"go.mod:10", "go.mod:12"}, nil},
		{"II-python-pinned", []string{"Pipfile:0", "requirements.txt:3", "requirements.txt:4", "requirements/base.txt:1", "worker/pyproject.toml:4"}, nil},
		{"II-node-lockfile", []string{"package.json:4"}, nil},
		{"III-env-files", []string{".env:0", "config/.env.production:0", "deploy/.env:1"}, nil},
		{"III-per-environment-config", []string{"app/settings_prod.py:0", "conf/app.yaml:2", "config/application-staging.json:0", "config/production.js:0", "config/production.yml:0"}, nil},
		{"III-secrets", []string{"Dockerfile:2", "app/aws.py:3", "config/app.ini:3", "config/app.ini:4", "deploy/tls/server.key:1", "internal/auth/auth.go:3", "internal/auth/auth.go:5", "scripts/backup.sh:3", "server.js:1", "test/certs/localhost/key.pem:1", "web/settings.py:3", "web/settings.py:4", "web/settings.py:5", "web/settings.py:6"}, nil},
		{"IV-hard-coded-backing-services", []string{"app/db.py:3", "internal/mail/db.go:8", "internal/store/cache.go:10", "internal/store/store.go:7", "internal/store/store.go:11", "web/settings.py:3", "worker/tasks.py:3"}, []string{"VI-local-state", "X-backing-service-parity"}},
		{"V-unpinned-base-image", []string{"Dockerfile:5", "Dockerfile:8", "Dockerfile:10", "Dockerfile:13"}, nil},
		{"V-version-stamped", []string{"cmd/tool/main.go:6"}, nil},
		{"V-container-root", []string{"Dockerfile:7", "admin.Dockerfile:6"}, nil},
		{"V-systemd-root", []string{"deploy/app.service:5", "deploy/worker.service:2"}, nil},
		{"VI-local-state", []string{"cmd/mailer/main.go:10", "conf/default.yaml:1", "config/app.toml:3", "data/app.sqlite3:0", "deploy/app.service:6", "etc/app/config:4", "internal/daemon/daemon.go:10", "internal/store/sqlite.go:6", "lib/db.js:1", "lib/settings.js:1", "uploads/server.js:2", "uploads/session.js:2", "uploads/views.py:3", "uploads/views.py:7", "web/cache.py:1", "web/search.py:5", "web/settings.py:1"}, []string{"IV-hard-coded-backing-services", "VIII-process-types"}},
		{"VII-port-binding", []string{"Procfile:1", "app.py:6", "bin/cli.js:4", "cli/serve.py:7", "cmd/web/main.go:13", "config/app.yaml:2", "deploy/uwsgi.ini:2", "etc/app/config:3", "internal/web/web.go:10", "internal/web/web.go:11", "internal/web/web.go:15", "server.js:3", "tests/fixtures/server-config.json:2"}, nil},
		{"VIII-procfile", []string{"Procfile:4", "Procfile:5", "Procfile:6"}, nil},
		{"VIII-process-types", []string{"cmd/app/main.go:21"}, nil},
		{"IX-exec-form-entrypoint", []string{"Dockerfile:15", "Dockerfile.dev:5", "deploy/worker.Dockerfile:5"}, nil},
		{"IX-run-script-exec", []string{"bin/serve.sh:6", "deploy/worker.sh:4", "start.sh:5", "start.sh:6", "start.sh:7"}, nil},
		{"IX-sigterm", []string{"cmd/app/main.go:17", "web/server.js:4"}, nil},
		{"X-backing-service-parity", []string{".env.example:2", "app/db.py:4", "compose.yaml:6", "config/config.development.json:3", "lib/store.js:4"}, []string{"III-per-environment-config", "IV-hard-coded-backing-services", "VI-local-state"}},
		{"XI-log-files", []string{"Procfile:2", "app/logconfig.py:3", "config/logging.json:4", "daemon/server.py:4", "daemon/server.py:5", "daemon/server.py:6", "deploy/uwsgi.ini:3", "internal/logfile/logfile.go:10", "node/logger.js:3", "run.sh:3", "scripts/migrate.sh:4", "web/logs.py:7", "web/settings.py:4"}, nil},
		{"XI-print-logging", []string{"internal/api/api.go:10", "internal/api/api.go:11", "web/app.py:8"}, nil},
		{"XII-admin-processes", []string{"Makefile:2", "scripts/reset-db.sh:3"}, nil},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.rule] = true
		t.Run(tt.rule, func(t *testing.T) {
			fail := filepath.Join("testdata", tt.rule, "fail")
			if tt.rule == "I-codebase" { // out of twelve's own git repository
				fail = t.TempDir()
				if err := os.CopyFS(fail, os.DirFS(filepath.Join("testdata", tt.rule, "fail"))); err != nil {
					t.Fatal(err)
				}
			}
			var got []string
			for _, f := range audit(t, fail) {
				if f.Rule != tt.rule {
					if !slices.Contains(tt.also, f.Rule) {
						t.Errorf("fail: finding of another rule: %s", f)
					}
					continue
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

// TestClean audits the services that twelve generates, and an app written
// the way the first seed describes (Flask and gunicorn started by a run.sh
// that execs, pinned requirements, logs to stdout): every factor must pass
// or not apply, without a single warning.
func TestClean(t *testing.T) {
	golden, err := filepath.Glob("../../testdata/golden/*")
	if err != nil || len(golden) == 0 {
		t.Fatalf("no golden services: %v", err)
	}
	apps, err := filepath.Glob("testdata/apps/*")
	if err != nil || len(apps) == 0 {
		t.Fatalf("no apps: %v", err)
	}
	for _, dir := range append(golden, apps...) {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			for _, f := range audit(t, dir) {
				t.Error(f)
			}
			rep, err := Check(os.DirFS(dir), Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Factors {
				if f.Status != Pass && f.Status != NA {
					t.Errorf("factor %s: %s", f.Factor, f.Status)
				}
			}
		})
	}
}

func audit(t *testing.T, dir string) []Finding {
	t.Helper()
	rep, err := Check(os.DirFS(dir), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	findings := rep.Findings()
	for _, f := range findings {
		if f.File == "" {
			t.Errorf("finding without a file, which code scanning rejects: %s", f)
		}
		// Lower case, but for a Dockerfile keyword: "ENTRYPOINT in shell form".
		m := f.Message
		first, _, _ := strings.Cut(m, " ")
		if m == "" || strings.HasSuffix(m, ".") || unicode.IsUpper(rune(m[0])) && first != strings.ToUpper(first) {
			t.Errorf("message not lowercase or ends with a period: %s", f)
		}
	}
	return findings
}

// TestREADME checks that the README's table lists every rule.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules() {
		if row := fmt.Sprintf("| `%s` | %s | %s |", r.ID, r.Title, r.NA); !strings.Contains(string(data), row) {
			t.Errorf("README.md lacks the row %s", row)
		}
	}
}

// brokenFS fails to open one file, as a file without read permission does.
type brokenFS struct {
	fstest.MapFS
	broken string
	dir    string // a folder that cannot be listed
}

func (b brokenFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == b.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return b.MapFS.ReadDir(name)
}

func (b brokenFS) Open(name string) (fs.File, error) {
	if name == b.broken || name == b.dir {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return b.MapFS.Open(name)
}

// An unreadable file or folder, or one nested too deep, does not stop the
// audit: it is named in the report, and the rest is audited.
func TestUnreadable(t *testing.T) {
	deep := strings.Repeat("d/", maxDepth+1) + "x.go"
	fsys := brokenFS{fstest.MapFS{
		"a.txt":       {},
		"key.pem":     {},
		"locked/b.go": {Data: []byte("package b\n")},
		"Procfile":    {Data: []byte("web: ./svc\n")},
		deep:          {Data: []byte("package x\n")},
	}, "key.pem", "locked"}
	rep, err := Check(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"key.pem: permission denied", "locked: permission denied", strings.Repeat("d/", maxDepth+1)[:2*maxDepth+1] + ": deeper than 100 folders"}
	slices.Sort(want)
	if !slices.Equal(rep.Unread, want) {
		t.Errorf("unread %q, want %q", rep.Unread, want)
	}
	if rep.Files < 2 {
		t.Errorf("audited %d files: the readable ones must be audited", rep.Files)
	}
	var out strings.Builder
	if err := rep.WriteText(&out, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "not read: locked: permission denied: the verdicts above do not cover it") {
		t.Errorf("the text report does not name the unread folder:\n%s", out.String())
	}
}
