package cli_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildTwelve builds the real twelve binary, whose main turns SIGINT and
// SIGTERM and SIGHUP into a cancelled context.
func buildTwelve(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds twelve")
	}
	bin := filepath.Join(t.TempDir(), "twelve")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/twelvefactor/twelve/cmd/twelve").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// signalAfter runs twelve with args in dir, sends sig after delay, and
// returns its exit code (-1 when the signal killed it) and stderr.
func signalAfter(t *testing.T, bin, dir string, sig syscall.Signal, delay time.Duration, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CI=true")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(delay)
	cmd.Process.Signal(sig)
	err := cmd.Wait()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// SIGINT, SIGTERM or SIGHUP at any moment of `new` leaves nothing, or the whole
// service when the signal came after the last write. A signal that lands
// before twelve listens for it kills the process: before any write too.
func TestSignalDuringNew(t *testing.T) {
	bin := buildTwelve(t)
	counts := map[int]int{}
	for i := 0; i < 60; i++ {
		sig := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}[i%3]
		parent := t.TempDir()
		code, stderr := signalAfter(t, bin, parent, sig, time.Duration(i)*time.Millisecond, "new", "svc", "--dir", "a/b/svc", "--with", "postgres,k8s")
		counts[code]++
		entries, _ := os.ReadDir(parent)
		switch code {
		case 0:
			if _, err := os.Stat(filepath.Join(parent, "a/b/svc/.twelve.json")); err != nil || len(entries) != 1 {
				t.Fatalf("exit 0 after %v at %dms, but the tree is incomplete: %v", sig, i, err)
			}
		case 130, -1:
			if len(entries) != 0 {
				t.Fatalf("%v at %dms: exit %d left %v; stderr %q", sig, i, code, entries, stderr)
			}
			if code == 130 && (strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "nothing was written")) {
				t.Fatalf("%v at %dms: stderr %q, want one line saying nothing was written", sig, i, stderr)
			}
		default:
			t.Fatalf("%v at %dms: exit %d; stderr %q", sig, i, code, stderr)
		}
	}
	t.Logf("exit codes over 60 signals: %v", counts)
}

// SIGINT, SIGTERM or SIGHUP at any moment of `add` leaves the service byte for
// byte as it was, or with the whole change.
func TestSignalDuringAdd(t *testing.T) {
	bin := buildTwelve(t)
	base := t.TempDir()
	if out, err := exec.Command(bin, "new", "svc", "--dir", filepath.Join(base, "svc")).CombinedOutput(); err != nil {
		t.Fatalf("new: %v\n%s", err, out)
	}
	counts := map[int]int{}
	for i := 0; i < 60; i++ {
		sig := []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}[i%3]
		dir := filepath.Join(t.TempDir(), "svc")
		if out, err := exec.Command("cp", "-a", filepath.Join(base, "svc"), dir).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v\n%s", err, out)
		}
		before := snapshot(t, dir)
		code, stderr := signalAfter(t, bin, dir, sig, time.Duration(i)*time.Millisecond, "add", "postgres", "k8s")
		counts[code]++
		after := snapshot(t, dir)
		switch code {
		case 0:
			if after == before || !strings.Contains(after, "internal/postgres") {
				t.Fatalf("exit 0 after %v at %dms, but postgres was not added", sig, i)
			}
		case 130, -1:
			if after != before {
				t.Fatalf("%v at %dms: exit %d changed the service; stderr %q", sig, i, code, stderr)
			}
			if code == 130 && (strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "nothing was changed")) {
				t.Fatalf("%v at %dms: stderr %q, want one line saying nothing was changed", sig, i, stderr)
			}
		default:
			t.Fatalf("%v at %dms: exit %d; stderr %q", sig, i, code, stderr)
		}
	}
	t.Logf("exit codes over 60 signals: %v", counts)
}
