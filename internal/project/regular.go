package project

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError says that twelve found something other than a regular
// file where it reads one: a named pipe or a device would block the read,
// or never end it, so twelve refuses it before reading a byte.
type NotRegularError struct {
	Name string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Name, e.Kind())
}

// Kind says what the file is: "a named pipe", "a directory", ...
func (e *NotRegularError) Kind() string { return kindOf(e.Mode) }

// TooLargeError says that a file holds more than twelve reads of it.
type TooLargeError struct {
	Name string
	Max  int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s", e.Name, sizeOf(e.Max))
}

// kindOf names what a file that is not regular is.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

func sizeOf(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// ReadRegularFile reads the file at name, which must be a regular file of
// at most max bytes. It never blocks on a named pipe or a device: it
// checks what name is before opening it, opens it without waiting (see
// openFlags), and checks again what it opened, in case name changed in
// between. Its errors are a *NotRegularError, a *TooLargeError, or the
// *fs.PathError of the system.
func ReadRegularFile(name string, max int64) ([]byte, error) {
	return readRegular(name, max, os.Stat, func(flag int) (*os.File, error) { return os.OpenFile(name, flag, 0) })
}

// ReadRegularIn is ReadRegularFile below root: no path, link or ".."
// leads out of it.
func ReadRegularIn(root *os.Root, name string, max int64) ([]byte, error) {
	return readRegular(name, max, root.Stat, func(flag int) (*os.File, error) { return root.OpenFile(name, flag, 0) })
}

func readRegular(name string, max int64, stat func(string) (fs.FileInfo, error), open func(flag int) (*os.File, error)) ([]byte, error) {
	info, err := stat(name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{Name: name, Mode: info.Mode()}
	}
	f, err := open(os.O_RDONLY | openFlags)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &NotRegularError{Name: name, Mode: info.Mode()}
	}
	// A regular file's read ends: at its end, or at max+1 bytes.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Name: name, Max: max}
	}
	return data, nil
}

// IsNotRegular reports whether err says a file is not a regular one.
func IsNotRegular(err error) bool {
	var e *NotRegularError
	return errors.As(err, &e)
}
