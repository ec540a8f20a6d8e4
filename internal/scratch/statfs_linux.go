package scratch

import "syscall"

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
