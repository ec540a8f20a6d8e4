package daemon

import "os"

// PID is the process.
func PID() int { return os.Getpid() }
