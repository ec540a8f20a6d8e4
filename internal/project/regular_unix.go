//go:build unix

package project

import "syscall"

// openFlags open a file without waiting: a named pipe swapped in after
// the check would otherwise block open(2) until a writer comes, and a
// terminal would become the controlling one.
const openFlags = syscall.O_NONBLOCK | syscall.O_NOCTTY
