package scratch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestUseMovesTemporaryFilesToTmpfs(t *testing.T) {
	if !roomyTmpfs("/dev/shm") {
		t.Skip("no tmpfs with 1 GiB free at /dev/shm")
	}
	t.Setenv("TMPDIR", "")
	done := Use()
	dir := os.Getenv("TMPDIR")
	if !strings.HasPrefix(dir, fmt.Sprintf("/dev/shm/twelve-test-%d-", os.Getpid())) || os.TempDir() != dir {
		done()
		t.Fatalf("TMPDIR = %q, want a new directory in /dev/shm", dir)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	done()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there after done: %v", dir, err)
	}
	if os.Getenv("TMPDIR") != "" {
		t.Errorf("TMPDIR = %q after done, want it unset again", os.Getenv("TMPDIR"))
	}
}

func TestUseKeepsAChosenTMPDIR(t *testing.T) {
	chosen := t.TempDir()
	t.Setenv("TMPDIR", chosen)
	done := Use()
	defer done()
	if got := os.Getenv("TMPDIR"); got != chosen {
		t.Errorf("TMPDIR = %q, want %q kept", got, chosen)
	}
}

func TestRoomyTmpfsRefusesOtherFileSystems(t *testing.T) {
	for _, dir := range []string{"/proc", "/no/such/folder"} {
		if roomyTmpfs(dir) {
			t.Errorf("roomyTmpfs(%q) = true, want false: not a tmpfs", dir)
		}
	}
}

func TestUseRemovesWhatDeadTestsLeft(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Use makes directories on Linux only")
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true to run:", err)
	}
	dir := t.TempDir()
	dead := fmt.Sprintf("twelve-test-%d-1", gone.Process.Pid)
	alive := fmt.Sprintf("twelve-test-%d-2", os.Getpid())
	for _, name := range []string{dead, alive, "twelve-test-notapid", "other"} {
		if err := os.MkdirAll(filepath.Join(dir, name, "svc"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	removeAbandoned(dir)
	for name, want := range map[string]bool{dead: false, alive: true, "twelve-test-notapid": true, "other": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s: there = %v, want %v", name, err == nil, want)
		}
	}
}
