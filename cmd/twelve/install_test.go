package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// The README tells users to install twelve with
// `go install github.com/twelvefactor/twelve/cmd/twelve@latest`; these tests
// keep that working.

const (
	modulePath  = "github.com/twelvefactor/twelve"
	testVersion = "v0.0.0-test"
	repoRoot    = "../.."
)

// TestGoModIsInstallable fails when go.mod has a replace or exclude
// directive: `go install PKG@VERSION` refuses to build such a module, for
// every version. A dependency that needs one belongs in a module of its own,
// as the deploy files' validators live in deploytest/.
func TestGoModIsInstallable(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Module.Mod.Path; got != modulePath {
		t.Errorf("go.mod: module %s, want %s", got, modulePath)
	}
	for _, r := range f.Replace {
		t.Errorf("go.mod:%d: replace %s: go install %s/cmd/twelve@VERSION would refuse the module", r.Syntax.Start.Line, r.Old.Path, modulePath)
	}
	for _, e := range f.Exclude {
		t.Errorf("go.mod:%d: exclude %s %s: go install %s/cmd/twelve@VERSION would refuse the module", e.Syntax.Start.Line, e.Mod.Path, e.Mod.Version, modulePath)
	}
}

// TestGoInstall publishes this checkout as version v0.0.0-test in a GOPROXY
// directory, installs twelve from it with `go install PKG@VERSION` as a user
// would, into a temporary GOBIN and module cache, and runs the installed
// twelve. The dependencies come from the local module cache, else from the
// real GOPROXY.
func TestGoInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("installs twelve from a module proxy (-short)")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	proxy := filepath.Join(tmp, "proxy")
	publish(t, proxy)

	goenv := func(name string) string {
		out, err := exec.Command(goBin, "env", name).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", name, err)
		}
		return strings.TrimSpace(string(out))
	}
	proxies := []string{fileURL(proxy)}
	if cache := goenv("GOMODCACHE"); cache != "" {
		proxies = append(proxies, fileURL(filepath.Join(cache, "cache", "download")))
	}
	if real := goenv("GOPROXY"); real != "" {
		proxies = append(proxies, real)
	}

	// The variables set here win over the user's (the last of a name
	// counts); nothing is written outside tmp but the build cache.
	gobin := filepath.Join(tmp, "bin")
	nosumdb := modulePath // v0.0.0-test is in no checksum database
	if v := goenv("GONOSUMDB"); v != "" {
		nosumdb = v + "," + nosumdb
	}
	env := append(os.Environ(),
		"GOPROXY="+strings.Join(proxies, ","),
		"GONOSUMDB="+nosumdb,
		"GOFLAGS=-modcacherw", // not the user's (-mod=vendor would fail); and t.TempDir can remove the cache
		"GOWORK=off",
		"GOMODCACHE="+filepath.Join(tmp, "modcache"), // v0.0.0-test stays out of the user's
		"GOPATH="+filepath.Join(tmp, "gopath"),
		"GOBIN="+gobin,
	)
	work := filepath.Join(tmp, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	runIn := func(dir, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	start := time.Now()
	runIn(work, goBin, "install", modulePath+"/cmd/twelve@"+testVersion)
	t.Logf("go install took %v", time.Since(start).Round(time.Millisecond))
	twelve := filepath.Join(gobin, "twelve")

	if out := runIn(work, twelve, "version"); !strings.HasPrefix(out, "twelve "+testVersion+" ") {
		t.Errorf("twelve version: %q, want the module version %s", out, testVersion)
	}
	runIn(work, twelve, "new", "svc", "--module", "example.com/svc", "--no-input")
	svc := filepath.Join(work, "svc")
	data, err := os.ReadFile(filepath.Join(svc, "go.mod"))
	if err != nil {
		t.Fatalf("twelve new wrote no go.mod: %v", err)
	}
	if got := modfile.ModulePath(data); got != "example.com/svc" {
		t.Errorf("go.mod: module %q, want example.com/svc", got)
	}
	var m struct {
		Twelve string `json:"twelve"`
		Name   string `json:"name"`
	}
	data, err = os.ReadFile(filepath.Join(svc, ".twelve.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Twelve != testVersion || m.Name != "svc" {
		t.Errorf(".twelve.json: %+v (%v), want the service svc made by twelve %s", m, err, testVersion)
	}
	if _, err := os.Stat(filepath.Join(svc, "cmd", "svc", "main.go")); err != nil {
		t.Errorf("twelve new wrote no main package: %v", err)
	}
}

// publish lays out dir as a GOPROXY holding this checkout as testVersion.
func publish(t *testing.T, dir string) {
	t.Helper()
	var zipped bytes.Buffer
	mv := module.Version{Path: modulePath, Version: testVersion}
	if err := modzip.CreateFromDir(&zipped, mv, sourceTree(t)); err != nil {
		t.Fatal(err)
	}
	checkZip(t, zipped.Bytes())

	escaped, err := module.EscapePath(modulePath)
	if err != nil {
		t.Fatal(err)
	}
	at := filepath.Join(dir, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := json.Marshal(struct{ Version, Time string }{testVersion, time.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":                []byte(testVersion + "\n"),
		testVersion + ".info": info,
		testVersion + ".mod":  gomod,
		testVersion + ".zip":  zipped.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(at, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sourceTree returns a copy of the files that git would commit (tracked,
// or new and not ignored), as they are in the working tree, so that build
// output and other ignored files stay out of the module; without git, the
// checkout itself. x/mod/zip leaves out the nested modules either way.
func sourceTree(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Logf("git ls-files: %v; zipping the whole checkout", err)
		return root
	}
	dst := filepath.Join(t.TempDir(), "src")
	for name := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, filepath.FromSlash(name))
		fi, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		if !fi.Mode().IsRegular() {
			continue // a module zip holds regular files only
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// checkZip makes sure the module zip holds twelve and none of the nested
// modules: deploytest/ and the go.mod files under testdata.
func checkZip(t *testing.T, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	prefix := modulePath + "@" + testVersion + "/"
	var hasMain bool
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, prefix)
		switch {
		case name == "cmd/twelve/main.go":
			hasMain = true
		case strings.HasPrefix(name, "deploytest/"):
			t.Errorf("module zip holds %s, of the nested module deploytest", name)
		case strings.HasSuffix(name, "/go.mod"):
			t.Errorf("module zip holds %s, a nested module's go.mod", name)
		}
	}
	if !hasMain {
		t.Errorf("module zip lacks cmd/twelve/main.go")
	}
}

// fileURL returns the file:// URL of a local directory, as GOPROXY wants it.
func fileURL(dir string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
}
