package project

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
)

// step is one file of an Apply: its temporary file and what it replaces.
type step struct {
	target, tmp string
	old         []byte // nil: the target did not exist
	oldMode     fs.FileMode
}

// Apply writes a plan without conflicts into root, all or nothing. Every
// new content, backups included, is first written to a temporary file
// beside its target; only when all are written are they renamed into place,
// the manifest last. If anything fails, or ctx ends before the renames,
// every temporary file and created directory is removed; if a rename fails,
// the files already replaced get their old content back.
func Apply(ctx context.Context, root *os.Root, plan Plan) error {
	return apply(ctx, root, rootFS{root}, plan)
}

// apply is Apply that changes root only through fsys, a view of it.
func apply(ctx context.Context, root *os.Root, fsys fileSystem, plan Plan) (err error) {
	if n := len(plan.Conflicts()); n > 0 {
		return fmt.Errorf("the plan has %d conflicts", n)
	}
	var steps []step
	var dirs []string // created, deepest last
	defer func() {
		if err == nil {
			return
		}
		for _, s := range steps {
			fsys.Remove(s.tmp)
		}
		for i := len(dirs) - 1; i >= 0; i-- {
			fsys.Remove(dirs[i])
		}
	}()

	stage := func(target string, data []byte, mode fs.FileMode) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%v: nothing was changed: %w", context.Cause(ctx), err)
		}
		created, err := mkdirs(root, fsys, path.Dir(target))
		dirs = append(dirs, created...)
		if err != nil {
			return err
		}
		s := step{target: target}
		if info, err := root.Lstat(target); err == nil {
			if !info.Mode().IsRegular() {
				return fmt.Errorf("%s is not a regular file: twelve will not replace it", target)
			}
			s.oldMode = info.Mode().Perm()
			mode = s.oldMode // keep the user's permissions
			if s.old, err = root.ReadFile(target); err != nil {
				return fmt.Errorf("reading %s: %w", target, unwrapPath(err))
			}
		}
		s.tmp, err = writeTemp(fsys, target, data, mode)
		if err != nil {
			return err
		}
		steps = append(steps, s)
		return nil
	}
	var manifest *Change
	for _, c := range plan.Writes() {
		if c.Path == ManifestFile {
			manifest = &c
			continue
		}
		if c.Backup != "" {
			if err := stage(c.Backup, c.Old, 0o644); err != nil {
				return err
			}
		}
		if err := stage(c.Path, c.New, c.Mode); err != nil {
			return err
		}
	}
	if manifest != nil {
		if err := stage(manifest.Path, manifest.New, manifest.Mode); err != nil {
			return err
		}
	}

	for i, s := range steps {
		if rerr := fsys.Rename(s.tmp, s.target); rerr != nil {
			undo(fsys, steps[:i])
			return fmt.Errorf("replacing %s: %w; every file is back as it was", s.target, unwrapPath(rerr))
		}
	}
	steps = nil // renamed: nothing to clean
	return nil
}

// undo puts back the files that renames already replaced.
func undo(fsys fileSystem, done []step) {
	for _, s := range done {
		if s.old == nil {
			fsys.Remove(s.target)
			continue
		}
		if tmp, err := writeTemp(fsys, s.target, s.old, s.oldMode); err == nil {
			fsys.Rename(tmp, s.target)
		}
	}
}

// writeTemp writes data to a new temporary file beside target.
func writeTemp(fsys fileSystem, target string, data []byte, mode fs.FileMode) (string, error) {
	var b [6]byte
	rand.Read(b[:])
	tmp := path.Join(path.Dir(target), "."+path.Base(target)+".twelve-"+hex.EncodeToString(b[:]))
	if err := fsys.Create(tmp, data, mode); err != nil {
		if !errors.Is(err, fs.ErrExist) { // a half-written file, ours
			fsys.Remove(tmp)
		}
		return "", fmt.Errorf("writing %s: %w", target, unwrapPath(err))
	}
	if err := fsys.Chmod(tmp, mode); err != nil { // not masked by the umask
		fsys.Remove(tmp)
		return "", fmt.Errorf("writing %s: %w", target, unwrapPath(err))
	}
	return tmp, nil
}

// mkdirs creates dir and its missing parents below root and returns those
// it created, outermost first.
func mkdirs(root *os.Root, fsys fileSystem, dir string) ([]string, error) {
	var missing []string
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		info, err := root.Lstat(d)
		if err == nil {
			if !info.IsDir() {
				return nil, fmt.Errorf("%s is not a directory", d)
			}
			break
		}
		missing = append([]string{d}, missing...)
	}
	var created []string
	for _, d := range missing {
		if err := fsys.Mkdir(d, 0o755); err != nil {
			return created, fmt.Errorf("creating %s: %w", d, unwrapPath(err))
		}
		created = append(created, d)
	}
	return created, nil
}
