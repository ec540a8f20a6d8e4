package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/project"
)

// Planning needs no write access: where the lock cannot be taken because
// the service is not writable (a seam here, since root, as in CI, writes
// anywhere), update --check and --dry-run plan without it, and a command
// that writes still refuses.
func TestPlanningNeedsNoWriteAccess(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		var out bytes.Buffer
		io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out, Dir: dir}
		return Main(context.Background(), args, io, "v0.0.0-test"), out.String()
	}
	if code, out := run("new", "svc", "--no-input", "--git=false"); code != 0 {
		t.Fatalf("new: exit %d\n%s", code, out)
	}
	saved := acquireLock
	acquireLock = func(*os.Root) (*project.Lock, error) {
		return nil, fmt.Errorf("creating .twelve: %w", fs.ErrPermission)
	}
	defer func() { acquireLock = saved }()

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"update", "--check", "--dir", "svc"}, 0, "is up to date"},
		{[]string{"update", "--check", "--set", "port=9000", "--dir", "svc"}, 1, "an update is available"},
		{[]string{"update", "--dry-run", "--set", "port=9000", "--dir", "svc"}, 0, "nothing written (--dry-run)"},
		{[]string{"add", "redis", "--dry-run", "--dir", "svc"}, 0, "nothing written"},
		{[]string{"remove", "metrics", "--dry-run", "--dir", "svc"}, 0, "nothing written (--dry-run)"},
		{[]string{"update", "--set", "port=9000", "--dir", "svc"}, 1, "creating .twelve: permission denied"},
		{[]string{"add", "redis", "--dir", "svc"}, 1, "creating .twelve: permission denied"},
	} {
		code, out := run(tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("twelve %s: exit %d, want %d with %q:\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, out)
		}
	}
}
