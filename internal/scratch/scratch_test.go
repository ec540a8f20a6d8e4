package scratch

import (
	"os"
	"path/filepath"
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
	if !strings.HasPrefix(dir, "/dev/shm/twelve-test-") || os.TempDir() != dir {
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
