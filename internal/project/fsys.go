package project

import (
	"errors"
	"io/fs"
	"os"
)

// fileSystem is the few operations by which WriteNew and Apply change the
// disk. Production uses the os package (osFS) or an *os.Root (rootFS);
// tests substitute one that fails, or is interrupted, at any position.
// Remove is the clean-up, which never counts as a write.
type fileSystem interface {
	Mkdir(name string, perm fs.FileMode) error
	// Create writes a new file, failing if name exists.
	Create(name string, data []byte, perm fs.FileMode) error
	Chmod(name string, mode fs.FileMode) error
	Rename(oldname, newname string) error
	Remove(name string) error
	// Sync flushes a file, or a directory's entries, to the disk.
	Sync(name string) error
}

// osFS is the file system by path, for WriteNew.
type osFS struct{}

func (osFS) Mkdir(name string, perm fs.FileMode) error { return os.Mkdir(name, perm) }
func (osFS) Chmod(name string, mode fs.FileMode) error { return os.Chmod(name, mode) }
func (osFS) Rename(oldname, newname string) error      { return os.Rename(oldname, newname) }
func (osFS) Remove(name string) error                  { return os.Remove(name) }
func (osFS) Sync(name string) error                    { return syncFile(os.Open(name)) }
func (osFS) Create(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	return writeClose(f, err, data)
}

// rootFS is the file system below a root that no path, link or ".." leaves,
// for Apply.
type rootFS struct{ root *os.Root }

func (r rootFS) Mkdir(name string, perm fs.FileMode) error { return r.root.Mkdir(name, perm) }
func (r rootFS) Chmod(name string, mode fs.FileMode) error { return r.root.Chmod(name, mode) }
func (r rootFS) Rename(oldname, newname string) error      { return r.root.Rename(oldname, newname) }
func (r rootFS) Remove(name string) error                  { return r.root.Remove(name) }
func (r rootFS) Sync(name string) error                    { return syncFile(r.root.Open(name)) }
func (r rootFS) Create(name string, data []byte, perm fs.FileMode) error {
	f, err := r.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	return writeClose(f, err, data)
}

// writeClose writes data to a file just opened and closes it.
func writeClose(f *os.File, err error, data []byte) error {
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	return errors.Join(werr, f.Close())
}

// syncFile flushes a file just opened to the disk and closes it. A
// directory that cannot be synced (some systems refuse) is not an error.
func syncFile(f *os.File, err error) error {
	if err != nil {
		return err
	}
	serr := f.Sync()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		serr = nil
	}
	return errors.Join(serr, f.Close())
}
