package project

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/twelvefactor/twelve/internal/render"
)

// Action is what applying a plan does to one file.
type Action string

const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
	Keep      Action = "keep"     // the user's file, left as it is
	Conflict  Action = "conflict" // the user changed what twelve owns
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
}

// Plan is the whole change that adding components makes to a service,
// computed before anything is written.
type Plan struct {
	Changes  []Change // sorted by path
	Manifest Manifest // the manifest to write
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

// Writes returns the changes that write a file.
func (p Plan) Writes() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == Create || c.Action == Update {
			out = append(out, c)
		}
	}
	return out
}

// PlanAdd compares the freshly rendered files of a service with what is in
// root, the service's directory, and decides file by file:
//
//   - absent files are created, except files twelve wrote before that the
//     user deleted, which stay deleted unless twelve owns them whole;
//   - files twelve owns whole are rewritten, unless the user changed them
//     since (their hash in the manifest): a conflict;
//   - in files twelve owns in regions, the regions are rewritten, unless
//     the user changed a region: a conflict; the rest stays the user's;
//   - go.mod and go.sum get the fresh requirements merged in;
//   - every other file that exists is the user's and kept; one that twelve
//     did not write (a new component's file already there) is a conflict.
//
// With force, conflicts are resolved in twelve's favour and the user's
// content is kept beside the file as FILE.orig.
func PlanAdd(root *os.Root, m Manifest, version string, a render.Answers, fresh []render.File, force bool) (Plan, error) {
	next := Manifest{
		Twelve:     version,
		Name:       m.Name,
		Module:     m.Module,
		Components: append([]string{}, a.Components...),
		Prefix:     a.Prefix,
		Port:       a.Port,
		Files:      map[string]string{},
		Regions:    map[string]string{},
	}
	for p, h := range m.Files {
		next.Files[p] = h
	}
	for k, h := range m.Regions {
		next.Regions[k] = h
	}
	var plan Plan
	for _, f := range fresh {
		c, err := planFile(root, m, f)
		if err != nil {
			return Plan{}, err
		}
		if c.Action == Conflict && force {
			c.Backup, err = backupName(root, f.Path)
			if err != nil {
				return Plan{}, err
			}
			c.Action = Update
			c.Note = strings.TrimSuffix(c.Note, ": a conflict") + "; overwritten (--force), yours kept in " + c.Backup
			if c.New == nil {
				c.New = f.Data
			}
		}
		switch c.Action {
		case Create, Update, Unchanged:
			next.record(f.Path, c.New)
		}
		plan.Changes = append(plan.Changes, c)
	}
	if len(next.Regions) == 0 {
		next.Regions = nil
	}
	plan.Manifest = next
	mf := next.File()
	old, err := readFile(root, ManifestFile)
	if err != nil {
		return Plan{}, err
	}
	action := Update
	if bytes.Equal(old, mf.Data) {
		action = Unchanged
	}
	plan.Changes = append(plan.Changes, Change{Path: ManifestFile, Action: action, Mode: mf.Mode, Old: old, New: mf.Data, Note: "the manifest"})
	slices.SortFunc(plan.Changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return plan, nil
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
			c.Action, c.Note = Conflict, "exists, and twelve did not write it: a conflict"
		}
		plan.Changes = append(plan.Changes, c)
	}
	return plan, nil
}

// planFile decides what happens to one rendered file. A conflict comes back
// with New set when twelve has content to force in its place.
func planFile(root *os.Root, m Manifest, f render.File) (Change, error) {
	c := Change{Path: f.Path, Mode: f.Mode}
	old, err := readFile(root, f.Path)
	if err != nil {
		return c, err
	}
	c.Old = old
	recorded, wrote := m.Files[f.Path]
	mine := old != nil && wrote && Hash(old) == recorded // untouched since twelve wrote it

	switch {
	case old == nil && wrote && render.OwnershipOf(f.Data) != render.WholeOwned:
		c.Action, c.Note = Keep, "you deleted it; left out"
		return c, nil
	case old == nil:
		c.Action, c.New = Create, f.Data
		if wrote {
			c.Note = "restored: twelve owns it"
		}
		return c, nil
	case bytes.Equal(old, f.Data):
		c.Action, c.New = Unchanged, f.Data
		return c, nil
	}

	switch f.Path {
	case "go.mod", "go.sum":
		c.Action, c.New = Update, f.Data
		if mine {
			return c, nil
		}
		merge := mergeGoMod
		if f.Path == "go.sum" {
			merge = mergeGoSum
		}
		if c.New, err = merge(old, f.Data); err != nil {
			c.Action, c.New, c.Note = Conflict, f.Data, fmt.Sprintf("cannot merge the requirements into yours: %v: a conflict", err)
			return c, nil
		}
		c.Note = "merged into yours"
		if bytes.Equal(c.New, old) {
			c.Action = Unchanged
		}
		return c, nil
	}

	if !wrote {
		c.Action, c.New, c.Note = Conflict, f.Data, "exists, and twelve did not write it: a conflict"
		return c, nil
	}
	switch render.OwnershipOf(f.Data) {
	case render.WholeOwned:
		if !mine {
			c.Action, c.New, c.Note = Conflict, f.Data, "you changed it, and twelve owns it: a conflict"
			return c, nil
		}
		c.Action, c.New = Update, f.Data
		return c, nil
	case render.RegionOwned:
		return planRegions(c, m, f)
	}
	c.Action, c.Note = Keep, "yours"
	return c, nil
}

// planRegions rewrites the regions of a file the user may have edited
// elsewhere.
func planRegions(c Change, m Manifest, f render.File) (Change, error) {
	ours, err := render.Regions(c.Old)
	if err != nil {
		c.Action, c.New, c.Note = Conflict, f.Data, fmt.Sprintf("its twelve regions are broken (%v): a conflict", err)
		return c, nil
	}
	var edited []string
	for _, r := range ours {
		recorded, ok := m.Regions[f.Path+"#"+r.Name]
		if ok && Hash(c.Old[r.Start:r.End]) != recorded {
			edited = append(edited, r.Name)
		}
	}
	spliced, err := render.SpliceRegions(c.Old, f.Data)
	if len(edited) > 0 {
		c.Action, c.New, c.Note = Conflict, spliced, fmt.Sprintf("you changed its twelve region %s: a conflict", strings.Join(edited, ", "))
		if err != nil {
			c.New = f.Data
		}
		return c, nil
	}
	if err != nil {
		c.Action, c.New, c.Note = Conflict, f.Data, err.Error()+": a conflict"
		return c, nil
	}
	c.Action, c.New = Update, spliced
	if bytes.Equal(spliced, c.Old) {
		c.Action = Unchanged
	}
	c.Note = "regions " + strings.Join(changedRegions(c.Old, spliced), ", ") + "; the rest is yours"
	return c, nil
}

// MaxFileSize is the most twelve reads of a file it may rewrite: far more
// than any file it renders, so that a larger one is not its own.
const MaxFileSize = 8 << 20

// readFile returns a file's content below root, nil when it does not exist.
// It fails on a path that leaves root, through a symbolic link for one, on
// anything but a regular file (reading a named pipe would wait for ever),
// and on a file larger than MaxFileSize.
func readFile(root *os.Root, name string) ([]byte, error) {
	info, err := root.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: move it away and run twelve again", name)
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, unwrapPath(err))
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB, which no file twelve writes is: move it away and run twelve again", name, MaxFileSize>>20)
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

// changedRegions names the regions whose content differs between two
// versions of a file.
func changedRegions(old, new []byte) []string {
	before, _ := render.Regions(old)
	after, _ := render.Regions(new)
	var names []string
	for _, r := range after {
		i := slices.IndexFunc(before, func(b render.Region) bool { return b.Name == r.Name })
		if i < 0 || !bytes.Equal(old[before[i].Start:before[i].End], new[r.Start:r.End]) {
			names = append(names, r.Name)
		}
	}
	return names
}
