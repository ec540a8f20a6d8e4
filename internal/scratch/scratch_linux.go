package scratch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// tmpfsMagic is the type of a tmpfs in statfs(2).
const tmpfsMagic = 0x01021994

// roomyTmpfs reports whether dir is on a tmpfs with minFree bytes free.
func roomyTmpfs(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Type == tmpfsMagic && st.Bavail*uint64(st.Bsize) >= minFree
}

// removeAbandoned removes the directories in dir that Use made for test
// processes that no longer run.
func removeAbandoned(dir string) {
	entries, _ := os.ReadDir(dir) // nothing to remove in a directory that cannot be read
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscanf(e.Name(), "twelve-test-%d-", &pid); err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
