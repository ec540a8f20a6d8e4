//go:build unix

package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twelvefactor/twelve/internal/cli"
)

// fifoCase is a named pipe where twelve reads a file, and the command that
// reads it.
type fifoCase struct {
	name  string
	setup func(t *testing.T, dir string) (fifo string, args []string)
}

// fifoCases are every file twelve reads of a user's: the manifest, a
// module's go.mod, an answers file, --dir, a file add and update would
// rewrite, a file the manifest says holds conflict markers, and what
// update --abort puts back.
var fifoCases = []fifoCase{
	{"new --answers", func(t *testing.T, dir string) (string, []string) {
		return filepath.Join(dir, "answers.yaml"), []string{"new", "svc", "--answers", filepath.Join(dir, "answers.yaml"), "--dir", filepath.Join(dir, "out")}
	}},
	{"new --dir", func(t *testing.T, dir string) (string, []string) {
		return filepath.Join(dir, "svc"), []string{"new", "svc", "--dir", filepath.Join(dir, "svc")}
	}},
	{"add .twelve.json", func(t *testing.T, dir string) (string, []string) {
		svc := newService(t, dir)
		os.Remove(filepath.Join(svc, ".twelve.json"))
		return filepath.Join(svc, ".twelve.json"), []string{"add", "metrics", "--dir", svc}
	}},
	{"add go.mod of a module", func(t *testing.T, dir string) (string, []string) {
		return filepath.Join(dir, "go.mod"), []string{"add", "healthcheck", "--dir", dir}
	}},
	{"add a target", func(t *testing.T, dir string) (string, []string) {
		svc := newService(t, dir)
		os.Remove(filepath.Join(svc, "go.mod"))
		return filepath.Join(svc, "go.mod"), []string{"add", "metrics", "--dir", svc}
	}},
	{"update a conflicted file", func(t *testing.T, dir string) (string, []string) {
		svc := newService(t, dir)
		editManifest(t, svc, func(m map[string]any) { m["conflicts"] = []string{"Makefile"} })
		os.Remove(filepath.Join(svc, "Makefile"))
		return filepath.Join(svc, "Makefile"), []string{"update", "--dir", svc}
	}},
	{"update --abort", func(t *testing.T, dir string) (string, []string) {
		svc := newService(t, dir)
		if err := os.Mkdir(filepath.Join(svc, ".twelve"), 0o755); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(svc, ".twelve", "undo.json"), []string{"update", "--abort", "--dir", svc}
	}},
}

// newService makes a small service in dir/svc.
func newService(t *testing.T, dir string) string {
	t.Helper()
	svc := filepath.Join(dir, "svc")
	io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	if code := cli.Main(context.Background(), []string{"new", "svc", "--dir", svc, "--without", "metrics", "--git=false"}, io, "v0"); code != 0 {
		t.Fatalf("new: exit %d: %s", code, io.ErrOut)
	}
	return svc
}

// editManifest changes a service's .twelve.json.
func editManifest(t *testing.T, svc string, edit func(map[string]any)) {
	t.Helper()
	name := filepath.Join(svc, ".twelve.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	if data, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mkfifo makes a named pipe, and unblocks, when the test ends, a reader
// that a failing twelve left waiting on it.
func mkfifo(t *testing.T, name string) {
	t.Helper()
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if f, err := os.OpenFile(name, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
}

// A named pipe where twelve reads a file is refused at once, with one line
// naming it, not read: reading it would wait for a writer for ever.
func TestNamedPipesAreRefused(t *testing.T) {
	for _, c := range fifoCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			fifo, args := c.setup(t, dir)
			mkfifo(t, fifo)
			var stderr bytes.Buffer
			io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &stderr}
			done := make(chan int, 1)
			go func() { done <- cli.Main(context.Background(), args, io, "v0") }()
			select {
			case code := <-done:
				msg := stderr.String()
				if code == 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "twelve: ") {
					t.Errorf("twelve %q: exit %d, stderr %q; want a failure in one line", args, code, msg)
				}
				if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
					t.Errorf("twelve %q replaced the named pipe: %v", args, err)
				}
				t.Logf("exit %d: %s", code, strings.TrimSpace(msg))
			case <-time.After(10 * time.Second):
				t.Fatalf("twelve %q still runs after 10s: it waits on the named pipe %s", args, fifo)
			}
		})
	}
}

// A device where twelve reads a file is refused too, rather than read:
// /dev/zero never ends, a terminal waits for a line.
func TestDevicesAreRefused(t *testing.T) {
	for _, dev := range []string{"/dev/null", "/dev/zero"} {
		if _, err := os.Stat(dev); err != nil {
			t.Skip(err)
		}
		var stderr bytes.Buffer
		io := &cli.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &stderr}
		code := cli.Main(context.Background(), []string{"new", "svc", "--answers", dev, "--dir", filepath.Join(t.TempDir(), "svc")}, io, "v0")
		if msg := stderr.String(); code != 2 || !strings.Contains(msg, "a character device, not a regular file") {
			t.Errorf("new --answers %s: exit %d, stderr %q; want exit 2 saying it is a device", dev, code, msg)
		}
	}
}

// The real binary, given a named pipe where it reads a file, exits at once;
// it would otherwise have to answer SIGTERM, which a process blocked in
// open(2) on a pipe cannot.
func TestNamedPipeDoesNotHangTheBinary(t *testing.T) {
	bin := buildTwelve(t)
	for _, c := range fifoCases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			fifo, args := c.setup(t, dir)
			mkfifo(t, fifo)
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "CI=true")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			wait := func(d time.Duration) (error, bool) {
				select {
				case err := <-done:
					return err, true
				case <-time.After(d):
					return nil, false
				}
			}
			err, ok := wait(5 * time.Second)
			if !ok {
				cmd.Process.Signal(syscall.SIGTERM)
				if _, ok := wait(3 * time.Second); ok {
					t.Fatalf("twelve %q waited on the named pipe until SIGTERM", args)
				}
				cmd.Process.Kill()
				<-done
				t.Fatalf("twelve %q waits on the named pipe, and ignores SIGTERM", args)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 {
				t.Fatalf("twelve %q: %v, stderr %q; want a failure", args, err, stderr.String())
			}
		})
	}
}
