//go:build unix

package project

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// readWithin fails the test unless read returns within a few seconds.
func readWithin(t *testing.T, read func() ([]byte, error)) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := read(); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("the read waits on the named pipe")
		return nil
	}
}

// Where the system has no O_NONBLOCK (Windows, plan9), the check before
// the open is what refuses a named pipe: the same code, run here without
// the flag, refuses it without opening it.
func TestReadRegularWithoutNonblockRefusesAPipe(t *testing.T) {
	name := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
	err := readWithin(t, func() ([]byte, error) {
		return readRegular(name, 1<<10, os.Stat, func(flag int) (*os.File, error) {
			return os.OpenFile(name, flag&^syscall.O_NONBLOCK, 0)
		})
	})
	if !IsNotRegular(err) {
		t.Fatalf("reading a named pipe: %v, want it refused", err)
	}
}

// A file swapped for a named pipe between the check and the open (here, a
// check that saw a regular file) is refused after the open, which
// O_NONBLOCK keeps from waiting.
func TestReadRegularRefusesAPipeSwappedIn(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "file")
	if err := os.WriteFile(regular, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Fatal(err)
	}
	err := readWithin(t, func() ([]byte, error) {
		return readRegular(name, 1<<10, func(string) (fs.FileInfo, error) { return os.Stat(regular) }, func(flag int) (*os.File, error) {
			return os.OpenFile(name, flag, 0)
		})
	})
	if !IsNotRegular(err) {
		t.Fatalf("reading a named pipe swapped in after the check: %v, want it refused", err)
	}
}

// A regular file is read whole up to the limit, and refused beyond.
func TestReadRegularLimit(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(name, make([]byte, 10), 0o644); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadRegularFile(name, 10); err != nil || len(data) != 10 {
		t.Errorf("10 bytes, limit 10: %d bytes, %v", len(data), err)
	}
	var large *TooLargeError
	if _, err := ReadRegularFile(name, 9); !errors.As(err, &large) {
		t.Errorf("10 bytes, limit 9: %v, want too large", err)
	}
}
