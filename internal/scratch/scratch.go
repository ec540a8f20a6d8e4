// Package scratch puts the temporary files of twelve's tests in memory
// when the machine allows it.
//
// The tests create and delete tens of thousands of small files: services
// written, changed and written again. On ext4 without a journal, as on
// the machines CI runs on, the kernel skips recently freed inodes when it
// makes a new one, so that creating a file or a directory costs about
// 1 ms once others have been deleted, and file system time was most of
// go test -short. On tmpfs the same costs about 30 µs.
package scratch

import (
	"fmt"
	"io/fs"
	"os"
)

// minFree is the room a RAM file system must have free to be used: the
// full suite builds generated services there. Docker gives a container a
// /dev/shm of 64 MB, which is too small and is left alone.
const minFree = 1 << 30

// Use points TMPDIR, and so t.TempDir and os.MkdirTemp, at a new
// directory on /dev/shm, when TMPDIR is not set and /dev/shm is a tmpfs
// with at least 1 GiB free. It returns a function that removes that
// directory and restores TMPDIR. The directories of test processes that
// died before removing theirs, killed or interrupted, are removed first:
// in memory, they would stay until the machine restarts. A TestMain calls it before m.Run:
//
//	done := scratch.Use()
//	code := m.Run()
//	done()
//	os.Exit(code)
func Use() (done func()) {
	const shm = "/dev/shm"
	if os.Getenv("TMPDIR") != "" || !roomyTmpfs(shm) {
		return func() {}
	}
	removeAbandoned(shm)
	dir, err := os.MkdirTemp(shm, fmt.Sprintf("twelve-test-%d-", os.Getpid()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "scratch: %v; temporary files stay in %s\n", err, os.TempDir())
		return func() {}
	}
	// As /tmp is: tests hand folders in it to other users, such as
	// initdb's postgres.
	if err := os.Chmod(dir, 0o777|fs.ModeSticky); err != nil {
		fmt.Fprintf(os.Stderr, "scratch: %v; temporary files stay in %s\n", err, os.TempDir())
		os.Remove(dir)
		return func() {}
	}
	os.Setenv("TMPDIR", dir)
	return func() {
		os.Unsetenv("TMPDIR")
		os.RemoveAll(dir)
	}
}
