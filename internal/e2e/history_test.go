package e2e_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
)

// earlier are commits of this repository whose twelve made services that
// users still have: today's twelve must update them.
var earlier = []struct{ commit, what string }{
	{"3854ee3", "2026-11-22: the first postgres and redis components, before prefixes, gofmt-clean templates and the hand-written metrics"},
	{"da67389", "2026-11-30: a week before update existed, the log stream"},
}

// TestUpdateServicesFromEarlierCommits builds twelve as it was at earlier
// commits, makes a service with it, edits it as a user would, then updates
// it and adds redis with today's twelve: the result keeps every edit,
// passes go mod tidy -diff, go vet and go test -race with the real
// PostgreSQL and Redis, and answers /-/ready.
func TestUpdateServicesFromEarlierCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds twelve at earlier commits, and the services they made (-short)")
	}
	requireTool(t, "make")
	repo := repoWithHistory(t)
	for _, tc := range earlier {
		t.Run(tc.commit, func(t *testing.T) {
			t.Parallel()
			env := backingEnv(t, func(string) bool { return true })
			old := buildAt(t, repo, tc.commit)
			parent := t.TempDir()
			runIn(t, parent, old, "new", "svc", "--module", "example.com/svc", "--with", "postgres", "--no-input")
			dir := filepath.Join(parent, "svc")
			os.RemoveAll(filepath.Join(dir, ".git"))

			// A user's edits: notes in the README, a line in a file twelve
			// owns, and code of their own with its test.
			appendTo(t, dir, "README.md", "\n## Our notes\n\nkeep me\n")
			replaceIn(t, dir, ".env.example", "LOG_LEVEL=info\n", "LOG_LEVEL=debug\n")
			write(t, dir, "internal/mine/mine.go", "// Package mine is the user's own code.\npackage mine\n\n// Greeting is ours.\nfunc Greeting() string { return \"hello from us\" }\n")
			write(t, dir, "internal/mine/mine_test.go", "package mine\n\nimport \"testing\"\n\nfunc TestGreeting(t *testing.T) {\n\tif Greeting() != \"hello from us\" {\n\t\tt.Fatal(Greeting())\n\t}\n}\n")

			twelveIn(t, dir, "update")
			twelveIn(t, dir, "add", "redis")

			for file, want := range map[string]string{"README.md": "keep me", ".env.example": "LOG_LEVEL=debug", "internal/mine/mine.go": "hello from us"} {
				if data, _ := os.ReadFile(filepath.Join(dir, file)); !bytes.Contains(data, []byte(want)) {
					t.Errorf("%s lost the user's %q", file, want)
				}
			}
			twelveIn(t, dir, "update") // up to date: nothing to do
			// twelve needs no network; the service, once its modules are
			// in the cache, builds and tests offline too. (go mod tidy
			// also reads the modules that its modules' own tests import,
			// which go mod download leaves out: it runs with the proxy, or
			// it passed only when another test had fetched them.)
			run(t, dir, "go", "mod", "tidy", "-diff")
			offline := []string{"GOPROXY=off", "GOFLAGS=-mod=mod"}
			runEnv(t, dir, offline, "go", "vet", "./...")
			runEnv(t, dir, offline, "go", "test", "-race", "-count=1", "./...")
			runEnv(t, dir, offline, "make", "build", "VERSION=v1.2.3-test")
			s := start(t, dir, "", append(env, "SHUTDOWN_DELAY=0s")...)
			s.waitFor(t, "/-/ready")
		})
	}
}

// repoWithHistory returns the root of this repository's git work tree,
// which must hold the commits of earlier. Without git or the history (a
// shallow clone, a source archive) the test skips, unless
// TWELVE_REQUIRE_TOOLS is set: then it fails.
func repoWithHistory(t *testing.T) string {
	t.Helper()
	git := requireTool(t, "git")
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	out, err := exec.Command(git, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		missing("not in a git work tree: the history of twelve is needed")
	}
	repo := strings.TrimSpace(string(out))
	for _, tc := range earlier {
		if err := exec.Command(git, "-C", repo, "cat-file", "-e", tc.commit+"^{commit}").Run(); err != nil {
			missing("commit %s is not in %s (a shallow clone?): git fetch --unshallow", tc.commit, repo)
		}
	}
	return repo
}

// buildAt builds twelve as it was at a commit, from a copy of that commit's
// tree, and returns the binary.
func buildAt(t *testing.T, repo, commit string) string {
	t.Helper()
	src := t.TempDir()
	archive := exec.Command("git", "-C", repo, "archive", "--format=tar", commit)
	untar := exec.Command("tar", "-x", "-C", src)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	untar.Stdin = pipe
	if err := untar.Start(); err != nil {
		t.Fatal(err)
	}
	if err := archive.Run(); err != nil {
		t.Fatalf("git archive %s: %v", commit, err)
	}
	if err := untar.Wait(); err != nil {
		t.Fatalf("untar %s: %v", commit, err)
	}
	bin := filepath.Join(t.TempDir(), "twelve-"+commit)
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/twelve")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building twelve at %s: %v\n%s", commit, err, out)
	}
	return bin
}

// runIn runs a program in dir and fails the test with its output if it
// fails.
func runIn(t *testing.T, dir, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// runEnv is run with variables added to the environment.
func runEnv(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s %s: %v\n%s", strings.Join(env, " "), name, strings.Join(args, " "), err, out)
	}
}

// twelveIn runs today's twelve in-process with dir as --dir.
func twelveIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := cli.Main(context.Background(), append(args, "--dir", dir), io, "v0.0.0-test"); code != 0 {
		t.Fatalf("twelve %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	t.Logf("twelve %s:\n%s", strings.Join(args, " "), errOut.String())
}

func appendTo(t *testing.T, dir, name, text string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func replaceIn(t *testing.T, dir, name, old, new string) {
	t.Helper()
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s has no %q to change", name, old)
	}
	if err := os.WriteFile(p, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
