package project

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/twelvefactor/twelve/internal/render"
)

// CheckTarget returns an error unless dir is absent or an empty directory.
func CheckTarget(dir string) error {
	f, err := os.Open(dir)
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
func WriteNew(ctx context.Context, dir string, files []render.File) (err error) {
	if err := CheckTarget(dir); err != nil {
		return err
	}
	parent := filepath.Dir(filepath.Clean(dir))
	created, err := mkdirAll(parent)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && created != "" {
			os.RemoveAll(created)
		}
	}()
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".twelve-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", parent, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return interrupted(ctx)
		}
		p := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, unwrapPath(err))
		}
		if err := os.WriteFile(p, f.Data, f.Mode); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, unwrapPath(err))
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", dir, unwrapPath(err))
	}
	if err := ctx.Err(); err != nil {
		return interrupted(ctx)
	}
	// CheckTarget allowed an empty directory there; os.Remove removes
	// nothing else.
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replacing the empty %s: %w", dir, unwrapPath(err))
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("moving the new tree into %s: %w", dir, unwrapPath(err))
	}
	return nil
}

// interrupted says why ctx ended (e.g. "interrupt signal received") and
// wraps ctx.Err(), so that callers can tell an interruption from a failure.
func interrupted(ctx context.Context) error {
	return fmt.Errorf("%v: nothing was written: %w", context.Cause(ctx), ctx.Err())
}

// mkdirAll creates dir and its missing parents and returns the topmost one it
// created, or "" when dir existed.
func mkdirAll(dir string) (string, error) {
	top := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		top = d
		if filepath.Dir(d) == d {
			break
		}
	}
	if top == "" {
		return "", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		os.RemoveAll(top)
		return "", fmt.Errorf("creating %s: %w", dir, unwrapPath(err))
	}
	return top, nil
}

// unwrapPath drops the *PathError wrapper, whose path the caller's message
// already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
