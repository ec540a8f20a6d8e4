package project

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/twelvefactor/twelve/internal/render"
)

// CheckTarget returns an error unless dir is absent or an empty directory.
// A named pipe or a device there is refused before it is opened, since
// opening it could wait for ever.
func CheckTarget(dir string) error {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory: choose another --dir", dir)
	}
	f, err := os.OpenFile(dir, os.O_RDONLY|openFlags, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot use %s: %w", dir, unwrapPath(err))
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cannot use %s: %w", dir, unwrapPath(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("%s exists and is not a directory: choose another --dir", dir)
	}
	if _, err := f.Readdirnames(1); err != io.EOF {
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", dir, unwrapPath(err))
		}
		return fmt.Errorf("%s exists and is not empty: choose another --dir or remove it", dir)
	}
	return nil
}

// WriteNew writes files into dir, which must be absent or empty, all or
// nothing: the files go into a temporary sibling directory that is renamed
// into place at the end. On any error, or when ctx is cancelled, nothing is
// left behind: neither the temporary directory nor parents it created.
func WriteNew(ctx context.Context, dir string, files []render.File) error {
	return writeNew(ctx, osFS{}, dir, files)
}

func writeNew(ctx context.Context, fsys fileSystem, dir string, files []render.File) (err error) {
	if err := CheckTarget(dir); err != nil {
		return err
	}
	// A target that is a link to an empty directory is filled, not
	// replaced: the tree lands where the link points, and the link stays.
	if info, err := os.Lstat(dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return fmt.Errorf("cannot use %s: %w", dir, unwrapPath(err))
		}
		dir = target
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	created, err := mkdirAll(fsys, parent)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && created != "" {
			os.RemoveAll(created)
		}
	}()
	removeStaleNew(parent, filepath.Base(dir))
	tmp, err := mkdirTemp(fsys, parent, "."+filepath.Base(dir)+".twelve-"+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", parent, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	made := map[string]bool{".": true}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return interrupted(ctx)
		}
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return fmt.Errorf("writing %q: not a path inside the service", f.Path)
		}
		if err := mkdirsIn(fsys, tmp, path.Dir(f.Path), made); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, unwrapPath(err))
		}
		if err := fsys.Create(filepath.Join(tmp, filepath.FromSlash(f.Path)), f.Data, f.Mode); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, unwrapPath(err))
		}
		// The mode as asked, not as the umask left it.
		if err := fsys.Chmod(filepath.Join(tmp, filepath.FromSlash(f.Path)), f.Mode); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, unwrapPath(err))
		}
	}
	if err := fsys.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", dir, unwrapPath(err))
	}
	if err := ctx.Err(); err != nil {
		return interrupted(ctx)
	}
	// CheckTarget allowed an empty directory there; Remove removes nothing
	// else. If the rename then fails, the empty directory comes back.
	removed := false
	if _, serr := os.Lstat(dir); serr == nil {
		if err := fsys.Remove(dir); err != nil {
			return fmt.Errorf("replacing the empty %s: %w", dir, unwrapPath(err))
		}
		removed = true
	}
	if err := fsys.Rename(tmp, dir); err != nil {
		if removed {
			os.Mkdir(dir, 0o755)
		}
		return fmt.Errorf("moving the new tree into %s: %w", dir, unwrapPath(err))
	}
	return nil
}

// removeStaleNew removes the temporary trees that a twelve new of the same
// name left in parent when it was killed: they carry its process ID, and
// only those of processes no longer running are removed.
func removeStaleNew(parent, name string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	stale := regexp.MustCompile(`^\.` + regexp.QuoteMeta(name) + `\.twelve-(\d+)-[0-9a-f]{12}$`)
	for _, e := range entries {
		m := stale.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		if pid, err := strconv.Atoi(m[1]); err == nil && pid != os.Getpid() && !processAlive(pid) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// mkdirTemp creates a new directory, readable only by its owner, named
// prefix and random letters in parent.
func mkdirTemp(fsys fileSystem, parent, prefix string) (string, error) {
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		name := filepath.Join(parent, prefix+hex.EncodeToString(b[:]))
		err := fsys.Mkdir(name, 0o700)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free temporary name in %s", parent)
}

// mkdirsIn creates the slash-separated dir below base and its parents, unless
// made says they were; made records those it creates.
func mkdirsIn(fsys fileSystem, base, dir string, made map[string]bool) error {
	if made[dir] {
		return nil
	}
	if err := mkdirsIn(fsys, base, path.Dir(dir), made); err != nil {
		return err
	}
	if err := fsys.Mkdir(filepath.Join(base, filepath.FromSlash(dir)), 0o755); err != nil {
		return err
	}
	made[dir] = true
	return nil
}

// interrupted says why ctx ended (e.g. "interrupt signal received") and
// wraps ctx.Err(), so that callers can tell an interruption from a failure.
func interrupted(ctx context.Context) error {
	return &InterruptedError{Cause: context.Cause(ctx), What: "nothing was written", err: ctx.Err()}
}

// InterruptedError says that a command was interrupted (Ctrl-C, SIGTERM)
// before it changed anything. It wraps the context's error, so that
// errors.Is(err, context.Canceled) holds, without saying it: "context
// canceled" tells a user nothing.
type InterruptedError struct {
	Cause error  // why: "interrupt signal received"
	What  string // what was left: "nothing was written"
	err   error
}

func (e *InterruptedError) Error() string { return fmt.Sprintf("%v: %s", e.Cause, e.What) }
func (e *InterruptedError) Unwrap() error { return e.err }

// mkdirAll creates dir and its missing parents and returns the topmost one it
// created, or "" when dir existed.
func mkdirAll(fsys fileSystem, dir string) (string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i, d := range missing {
		if err := fsys.Mkdir(d, 0o755); err != nil {
			if i > 0 {
				os.RemoveAll(missing[0])
			}
			return "", fmt.Errorf("creating %s: %w", dir, unwrapPath(err))
		}
	}
	if len(missing) == 0 {
		return "", nil
	}
	return missing[0], nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller's message
// already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err.Error() == "path escapes from parent" { // os.Root's, unexported
		return ErrLeavesService
	}
	return err
}

// ErrLeavesService is why twelve refuses a path below a service that a
// symbolic link leads out of.
var ErrLeavesService = errors.New("a symbolic link leads out of the service, and twelve does not follow it")
