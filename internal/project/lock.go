package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// StateDir is twelve's own folder in a service: the lock, and what
// update --abort needs. It ignores itself, so git status stays clean.
const StateDir = ".twelve"

// lockFile is the lock, in StateDir.
const lockFile = StateDir + "/lock"

// Lock is the exclusive hold of one twelve command on a service, released
// by Unlock or by the kernel when the process dies.
type Lock struct {
	root *os.Root
	f    *os.File
}

// LockWait is how long Acquire waits for another twelve to finish.
var LockWait = 3 * time.Second

// BusyError says that another twelve holds a service's lock.
type BusyError struct{ Holder string }

func (e *BusyError) Error() string {
	return fmt.Sprintf("another twelve (%s) is changing this service: wait for it to finish and run again", e.Holder)
}

// Acquire takes the lock of the service in root, waiting up to LockWait
// for another twelve to let it go. It creates StateDir, with a .gitignore
// of "*", when it is missing; Unlock removes them again unless they hold
// more than the lock, so that a command leaves no trace in the service.
func Acquire(root *os.Root) (*Lock, error) {
	deadline := time.Now().Add(LockWait)
	for {
		f, err := openLock(root)
		if err != nil {
			return nil, err
		}
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", lockFile, err)
		}
		// The holder before may have removed the file while this one
		// waited for it: a lock on a file no longer there locks nothing.
		if ok && stillThere(root, f) {
			// Who holds it, for the message another twelve prints.
			if err := f.Truncate(0); err == nil {
				f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			}
			return &Lock{root: root, f: f}, nil
		}
		holder := "another process"
		if data, err := os.ReadFile(f.Name()); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
				holder = "process " + strconv.Itoa(pid)
			}
		}
		f.Close()
		if time.Now().After(deadline) {
			return nil, &BusyError{Holder: holder}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// openLock opens the lock file, creating it and StateDir when missing.
func openLock(root *os.Root) (*os.File, error) {
	if err := root.Mkdir(StateDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("creating %s: %w", StateDir, unwrapPath(err))
	}
	if info, err := root.Lstat(StateDir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s is not a directory: move it away and run twelve again", StateDir)
	}
	if _, err := root.Lstat(StateDir + "/.gitignore"); errors.Is(err, fs.ErrNotExist) {
		if err := root.WriteFile(StateDir+"/.gitignore", []byte("# twelve's own state: never committed\n*\n"), 0o644); err != nil {
			return nil, fmt.Errorf("writing %s/.gitignore: %w", StateDir, unwrapPath(err))
		}
	}
	f, err := root.OpenFile(lockFile, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", lockFile, unwrapPath(err))
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file: remove it and run twelve again", lockFile)
	}
	return f, nil
}

// stillThere reports whether the open lock file is the one at its path.
func stillThere(root *os.Root, f *os.File) bool {
	open, err := f.Stat()
	if err != nil {
		return false
	}
	now, err := root.Lstat(lockFile)
	return err == nil && os.SameFile(open, now)
}

// Unlock lets the lock go. StateDir goes too when it holds nothing but
// the lock: the lock file is removed while still held, so that a twelve
// waiting for it finds it gone and makes a new one.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	if entries, err := fs.ReadDir(l.root.FS(), StateDir); err == nil && len(entries) == 2 {
		l.root.Remove(StateDir + "/.gitignore")
	}
	l.root.Remove(lockFile)
	l.root.Remove(StateDir) // fails, as it should, while it holds more
	return l.f.Close()      // closing the file releases the lock
}
