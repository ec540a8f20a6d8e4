package project

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// One twelve at a time: a second Acquire waits, then fails naming the
// holder; once the first lets go, the lock is free again.
func TestLockIsExclusive(t *testing.T) {
	root, _ := service(t, file("a.go", owned))
	first, err := Acquire(root)
	if err != nil {
		t.Fatal(err)
	}
	defer func(w time.Duration) { LockWait = w }(LockWait)
	LockWait = 100 * time.Millisecond
	_, err = Acquire(root)
	var busy *BusyError
	if !errors.As(err, &busy) || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Acquire: %v, want busy, held by this process", err)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	second, err := Acquire(root)
	if err != nil {
		t.Fatalf("Acquire after Unlock: %v", err)
	}
	second.Unlock()
	if data, err := root.ReadFile(StateDir + "/.gitignore"); err != nil || !strings.Contains(string(data), "\n*\n") {
		t.Errorf("%s/.gitignore = %q, %v: want it to ignore everything", StateDir, data, err)
	}
}
