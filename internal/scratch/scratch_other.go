//go:build !linux

package scratch

// roomyTmpfs reports false: only Linux is known to have a tmpfs at
// /dev/shm.
func roomyTmpfs(string) bool { return false }

// removeAbandoned does nothing: Use makes no directories here.
func removeAbandoned(string) {}
