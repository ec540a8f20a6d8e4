//go:build unix

package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
	"github.com/twelvefactor/twelve/internal/quote"
)

// evil is a file or directory name that drives a terminal (a colour, a
// bell, a carriage return that hides what came before) and that a shell
// would split and run.
const evil = "evil\x1b[31m \a\r$(id)"

// runTwelve runs twelve and returns its exit code and all it printed.
func runTwelve(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}
	code := cli.Main(context.Background(), args, io, "v0")
	return code, out.String()
}

// controls returns the control characters in what twelve printed, but
// the newlines that end its lines and the tabs of diffs.
func controls(s string) string {
	var found []string
	for _, r := range s {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
			found = append(found, strings.Trim(quote.Arg(string(r)), "$'"))
		}
	}
	return strings.Join(found, " ")
}

// Paths and names from a repository reach the terminal with no control
// character, and quoted as a shell word when a shell would split or run
// them: by new, add, update, remove and check, and in errors.
func TestPrintedPathsAreSafe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), evil)
	shown := quote.Arg(dir)
	if !strings.HasPrefix(shown, "$'") {
		t.Fatalf("quote.Arg(%q) = %s", dir, shown)
	}
	for _, step := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "svc", "--dir", dir + "-dry", "--dry-run"}, 0, quote.Arg(filepath.Join(dir+"-dry", "go.mod"))},
		{[]string{"new", "svc", "--dir", dir, "--without", "metrics", "--git=false"}, 0, "created " + shown},
		{[]string{"new", "svc", "--dir", dir}, 1, "twelve: " + quote.Text(dir) + " exists"}, // an error names it, escaped
		{[]string{"add", "metrics", "--dir", dir, "--dry-run"}, 0, "$'"},
		{[]string{"add", "metrics", "--dir", dir}, 0, "$'"},
		{[]string{"update", "--dir", dir}, 0, "$'"},
		{[]string{"remove", "metrics", "--dir", dir}, 0, "$'"},
	} {
		code, out := runTwelve(t, step.args...)
		if code != step.code {
			t.Fatalf("twelve %q: exit %d, want %d:\n%s", step.args, code, step.code, out)
		}
		if c := controls(out); c != "" {
			t.Errorf("twelve %q printed control characters (%s):\n%q", step.args, c, out[:min(len(out), 2000)])
		}
		if !strings.Contains(out, step.want) {
			t.Errorf("twelve %q printed\n%s\nwant it to hold %s", step.args, out[:min(len(out), 2000)], step.want)
		}
	}

	// twelve check names the files it audits.
	name := ".env.evil\x1b[31m \a\r$(id)"
	if err := os.WriteFile(filepath.Join(dir, name), []byte("SECRET=x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runTwelve(t, "check", dir)
	if c := controls(out); c != "" || code != 1 || !strings.Contains(out, quote.Arg(name)+": fail III-env-files") {
		t.Errorf("check: exit %d, control characters (%s), want exit 1 naming %s:\n%q", code, c, quote.Arg(name), out)
	}
}
