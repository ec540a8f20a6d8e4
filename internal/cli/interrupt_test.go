package cli_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/cli"
)

// An interruption (Ctrl-C, SIGTERM) exits 130 and leaves nothing behind.
func TestNewInterruptedLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("interrupt signal received"))
	var errOut bytes.Buffer
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}
	code := cli.Main(ctx, []string{"new", "svc", "--dir", filepath.Join(parent, "deep", "svc")}, io, "v0")
	if code != 130 {
		t.Errorf("exit %d, want 130; stderr: %s", code, errOut.String())
	}
	if got := errOut.String(); !strings.HasPrefix(got, "twelve: interrupt signal received: nothing was written") || strings.Count(got, "\n") != 1 {
		t.Errorf("stderr %q, want one line saying nothing was written", got)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("an interrupted new left %v", entries)
	}
}

// An interrupted add exits 130 with one line and leaves the service as it
// was.
func TestAddInterruptedChangesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "svc")
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	if code := cli.Main(context.Background(), []string{"new", "svc", "--dir", dir, "--without", "metrics"}, io, "v0"); code != 0 {
		t.Fatal("new failed")
	}
	before := snapshot(t, dir)
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("terminated signal received"))
	var errOut bytes.Buffer
	io = &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut}
	code := cli.Main(ctx, []string{"add", "metrics", "postgres", "--dir", dir}, io, "v0")
	if code != 130 {
		t.Errorf("exit %d, want 130; stderr: %s", code, errOut.String())
	}
	if got := errOut.String(); got != "twelve: terminated signal received: nothing was changed\n" {
		t.Errorf("stderr %q, want one line saying nothing was changed", got)
	}
	if snapshot(t, dir) != before {
		t.Error("an interrupted add changed the service")
	}
}
