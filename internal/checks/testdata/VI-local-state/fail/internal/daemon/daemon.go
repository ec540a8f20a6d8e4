package daemon

import (
	"os"
	"strconv"
)

// WritePID records the process.
func WritePID() error {
	return os.WriteFile("/var/run/app.pid", []byte(strconv.Itoa(os.Getpid())), 0o644)
}
