package project

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/twelvefactor/twelve/internal/render"
)

// Action is what applying a plan does to one file.
type Action string

const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
	Keep      Action = "keep"     // the user's file, left as it is
	Conflict  Action = "conflict" // the user's change and twelve's overlap
	Delete    Action = "delete"   // twelve no longer writes it, and the user left it alone
)

// Change is the plan for one file.
type Change struct {
	Path   string
	Action Action
	Mode   fs.FileMode // of the file written
	Old    []byte      // the content on disk; nil when there is none
	New    []byte      // the content to write, for Create and Update
	Note   string      // why, for people: "region vars", "you changed it"
	Backup string      // with --force, where Old is kept: FILE.orig
	From   string      // where a file that moves was, such as cmd/OLD/app.go
	// Lines are, for a conflict, the line numbers in New of its markers.
	Lines []int
	// Tidy is set on go.mod and go.sum when the merge could not know all
	// that the user's own code needs: go mod tidy should follow.
	Tidy bool
}

// Plan is the whole change that adding components makes to a service,
// computed before anything is written.
type Plan struct {
	Changes  []Change // sorted by path
	Manifest Manifest // the manifest to write
	// Markers: conflicts are written into their files as diff3 markers,
	// rather than stopping the plan.
	Markers bool
}

// Conflicts returns the changes that stop the plan.
func (p Plan) Conflicts() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == Conflict {
			out = append(out, c)
		}
	}
	return out
}

// change returns the planned change of a path, nil if there is none.
func (p Plan) change(path string) *Change {
	for i := range p.Changes {
		if p.Changes[i].Path == path {
			return &p.Changes[i]
		}
	}
	return nil
}

// Writes returns the changes that write a file.
func (p Plan) Writes() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == Create || c.Action == Update || c.Action == Conflict && p.Markers {
			out = append(out, c)
		}
	}
	return out
}

// PlanFiles plans to create files in root, for a project that twelve did not
// make: a file already there is a conflict unless it has the same content.
func PlanFiles(root *os.Root, files []render.File) (Plan, error) {
	var plan Plan
	for _, f := range files {
		old, err := readFile(root, f.Path)
		if err != nil {
			return Plan{}, err
		}
		c := Change{Path: f.Path, Mode: f.Mode, Old: old, New: f.Data, Action: Create}
		switch {
		case old != nil && bytes.Equal(old, f.Data):
			c.Action = Unchanged
		case old != nil:
			c.Action, c.Note = Conflict, "exists, and twelve did not write it"
		}
		plan.Changes = append(plan.Changes, c)
	}
	return plan, nil
}

// MaxFileSize is the most twelve reads of a file it may rewrite: far more
// than any file it renders, so that a larger one is not its own.
const MaxFileSize = 8 << 20

// readFile returns a file's content below root, nil when it does not exist.
// It fails on a path that leaves root, through a symbolic link for one, on
// anything but a regular file (reading a named pipe would wait for ever),
// and on a file larger than MaxFileSize.
func readFile(root *os.Root, name string) ([]byte, error) {
	data, err := ReadRegularIn(root, name, MaxFileSize)
	var large *TooLargeError
	var odd *NotRegularError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case errors.As(err, &odd):
		return nil, fmt.Errorf("%s is not a regular file (%s): move it away and run twelve again", name, odd.Kind())
	case errors.As(err, &large):
		return nil, fmt.Errorf("%s is larger than %d MiB, which no file twelve writes is: move it away and run twelve again", name, MaxFileSize>>20)
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	return data, nil
}

// backupName returns the first of FILE.orig, FILE.orig.1, ... that is free.
func backupName(root *os.Root, name string) (string, error) {
	for i := 0; i < 100; i++ {
		b := name + ".orig"
		if i > 0 {
			b = fmt.Sprintf("%s.orig.%d", name, i)
		}
		if _, err := root.Lstat(b); errors.Is(err, fs.ErrNotExist) {
			return b, nil
		}
	}
	return "", fmt.Errorf("%s.orig and 99 more backups exist: remove them", path.Base(name))
}
