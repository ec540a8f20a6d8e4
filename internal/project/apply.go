package project

import (
	"bytes"
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
	newHash     string // of what tmp holds
	delete      bool   // tmp is where the target goes until the end, then removed
}

// Apply writes a plan into root, all or nothing. Every new content,
// backups included, is first written to a temporary file beside its
// target; only when all are written are they renamed into place, the
// manifest last. Just before a file is replaced, it is read again: if it
// is no longer what the plan read (an editor saved it meanwhile), nothing
// is written. If anything fails, or ctx ends before the renames, every
// temporary file and created directory is removed; if a rename fails, the
// files already replaced get their old content back.
func Apply(ctx context.Context, root *os.Root, plan Plan) error {
	return apply(ctx, root, rootFS{root}, plan)
}

// ChangedError says that a file changed on disk after twelve planned.
type ChangedError struct{ Path string }

func (e *ChangedError) Error() string {
	return fmt.Sprintf("%s changed while twelve was working (an editor or formatter saved it?): nothing was written; run twelve again", e.Path)
}

// apply is Apply that changes root only through fsys, a view of it.
func apply(ctx context.Context, root *os.Root, fsys fileSystem, plan Plan) (err error) {
	if n := len(plan.Conflicts()); n > 0 && !plan.Markers {
		return fmt.Errorf("the plan has %d conflicts", n)
	}
	var steps []step
	var dirs []string // created, deepest last
	defer func() {
		if err == nil {
			return
		}
		for _, s := range steps {
			if !s.delete {
				fsys.Remove(s.tmp)
			}
		}
		for i := len(dirs) - 1; i >= 0; i-- {
			fsys.Remove(dirs[i])
		}
	}()

	// stage writes data beside target; planned is what the plan read
	// there (nil: no file), which must be what is there now.
	stage := func(target string, planned, data []byte, mode fs.FileMode) error {
		if err := ctx.Err(); err != nil {
			return &InterruptedError{Cause: context.Cause(ctx), What: "nothing was changed", err: err}
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
			if s.old, err = readFile(root, target); err != nil {
				return err
			}
		}
		if !same(s.old, planned) {
			return &ChangedError{Path: target}
		}
		s.tmp, err = writeTemp(fsys, target, data, mode)
		if err != nil {
			return err
		}
		s.newHash = Hash(data)
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
			if err := stage(c.Backup, nil, c.Old, 0o644); err != nil {
				return err
			}
		}
		if err := stage(c.Path, c.Old, c.New, c.Mode); err != nil {
			return err
		}
	}
	for _, c := range plan.Changes {
		if c.Action != Delete {
			continue
		}
		old, err := readFile(root, c.Path)
		if err != nil {
			return err
		}
		if !same(old, c.Old) {
			return &ChangedError{Path: c.Path}
		}
		steps = append(steps, step{target: c.Path, tmp: tempName(c.Path), old: old, delete: true})
	}
	if manifest != nil {
		if err := stage(manifest.Path, manifest.Old, manifest.New, manifest.Mode); err != nil {
			return err
		}
	}

	// The point of no return: from here on, a twelve that dies leaves a
	// journal, and the next one finishes the change (Recover).
	if len(steps) > 0 {
		created, err := mkdirs(root, fsys, StateDir)
		dirs = append(dirs, created...)
		if err != nil {
			return err
		}
		if err := writeJournal(fsys, steps); err != nil {
			fsys.Remove(journalFile)
			return err
		}
	}
	for i, s := range steps {
		var rerr error
		if now, err := readFile(root, s.target); err != nil || !same(now, s.old) {
			rerr = &ChangedError{Path: s.target}
		} else if s.delete {
			rerr = fsys.Rename(s.target, s.tmp)
		} else {
			rerr = fsys.Rename(s.tmp, s.target)
		}
		if rerr != nil {
			undo(fsys, steps[:i])
			fsys.Remove(journalFile)
			var changed *ChangedError
			if errors.As(rerr, &changed) {
				return rerr
			}
			return fmt.Errorf("replacing %s: %w; every file is back as it was", s.target, unwrapPath(rerr))
		}
	}
	for _, s := range steps {
		if s.delete {
			fsys.Remove(s.tmp)
			// and the directories that this emptied: removing one that
			// still holds anything fails, and is meant to.
			for d := path.Dir(s.target); d != "." && fsys.Remove(d) == nil; d = path.Dir(d) {
			}
		}
	}
	fsys.Remove(journalFile)
	fsys.Remove(StateDir) // when apply made it for the journal alone
	steps = nil           // renamed: nothing to clean
	return nil
}

// same reports whether what is on disk is what the plan read: both absent,
// or the same bytes.
func same(disk, planned []byte) bool {
	return (disk == nil) == (planned == nil) && bytes.Equal(disk, planned)
}

// undo puts back the files that renames already replaced.
func undo(fsys fileSystem, done []step) {
	for _, s := range done {
		switch {
		case s.delete:
			fsys.Rename(s.tmp, s.target)
		case s.old == nil:
			fsys.Remove(s.target)
		default:
			if tmp, err := writeTemp(fsys, s.target, s.old, s.oldMode); err == nil {
				fsys.Rename(tmp, s.target)
			}
		}
	}
}

// tempName is a new name for a temporary file beside target.
func tempName(target string) string {
	var b [6]byte
	rand.Read(b[:])
	return path.Join(path.Dir(target), "."+path.Base(target)+".twelve-"+hex.EncodeToString(b[:]))
}

// writeTemp writes data to a new temporary file beside target.
func writeTemp(fsys fileSystem, target string, data []byte, mode fs.FileMode) (string, error) {
	tmp := tempName(target)
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
