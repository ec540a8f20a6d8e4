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
// holder; once the first lets go, the lock is free again, and the service
// keeps no trace of it.
func TestLockIsExclusive(t *testing.T) {
	root, _ := service(t, file("a.go", owned))
	first, err := Acquire(root)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := root.ReadFile(StateDir + "/.gitignore"); err != nil || !strings.Contains(string(data), "\n*\n") {
		t.Errorf("%s/.gitignore = %q, %v: want it to ignore everything", StateDir, data, err)
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
	if _, err := root.Stat(StateDir); err == nil {
		t.Errorf("%s is left in the service after Unlock", StateDir)
	}
	second, err := Acquire(root)
	if err != nil {
		t.Fatalf("Acquire after Unlock: %v", err)
	}
	second.Unlock()
}

// A twelve waiting for the lock while its holder lets go (and removes the
// file) takes a lock that holds: a third one still has to wait.
func TestLockSurvivesItsFileBeingRemoved(t *testing.T) {
	root, _ := service(t, file("a.go", owned))
	first, err := Acquire(root)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan *Lock)
	go func() {
		l, err := Acquire(root)
		if err != nil {
			t.Error(err)
		}
		got <- l
	}()
	time.Sleep(200 * time.Millisecond) // the second is waiting
	first.Unlock()
	second := <-got
	defer second.Unlock()
	defer func(w time.Duration) { LockWait = w }(LockWait)
	LockWait = 100 * time.Millisecond
	var busy *BusyError
	if _, err := Acquire(root); !errors.As(err, &busy) {
		t.Fatalf("third Acquire while the second holds the lock: %v, want busy", err)
	}
}
