package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// inputQueued returns how many bytes wait in the terminal's input queue,
// not yet read by the program at it.
func inputQueued(tty *os.File) (n int, ok bool) {
	rc, err := tty.SyscallConn()
	if err != nil {
		return 0, false
	}
	var ioctlErr error
	if err := rc.Control(func(fd uintptr) { n, ioctlErr = unix.IoctlGetInt(int(fd), unix.TIOCINQ) }); err != nil || ioctlErr != nil {
		return 0, false
	}
	return n, true
}
