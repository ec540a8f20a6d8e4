package project

import (
	"bytes"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/twelvefactor/twelve/internal/merge"
	"github.com/twelvefactor/twelve/internal/render"
)

// Reconcile is the one operation under add, update and remove. Base is the
// service as twelve rendered it last (the template revision and answers in
// its manifest), Target as twelve would render it now (today's templates,
// the answers the command changed). Reconcile merges the change from Base
// to Target into the files on disk, three ways, file by file.
type Reconcile struct {
	Base, Target []render.File
	// Next is the manifest to write; Reconcile fills in its files.
	Next Manifest
	// UserData reports the files that are the user's once created: twelve
	// writes them when they are new and never touches them again.
	UserData func(path string) bool
	// Restore names files the user deleted that are to come back.
	Restore []string
	// Force resolves each conflict in twelve's favour, keeping the rest of
	// the user's changes, and the user's whole version beside the file as
	// FILE.orig.
	Force bool
}

// Labels name the three sides of a conflict in the markers written.
var Labels = merge.Labels{Ours: "yours", Base: "twelve OLD", Theirs: "twelve NEW"}

// Plan compares the three sides for every file that either rendering has
// and decides what to do; nothing is written.
func (r Reconcile) Plan(root *os.Root) (Plan, error) {
	base := byPath(r.Base)
	target := byPath(r.Target)
	paths := make([]string, 0, len(target)+len(base))
	for p := range target {
		paths = append(paths, p)
	}
	for p := range base {
		if _, ok := target[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	moves, err := moves(root, base, target)
	if err != nil {
		return Plan{}, err
	}
	// A file that moves is planned where it goes before where it was, and
	// go.mod last: what it may drop depends on the Go files planned.
	from := slices.Sorted(maps.Values(moves))
	paths = slices.DeleteFunc(paths, func(p string) bool { return p == "go.mod" || p == "go.sum" || slices.Contains(from, p) })
	paths = append(paths, from...)
	if _, ok := target["go.mod"]; ok || base["go.mod"] != nil {
		paths = append(paths, "go.mod", "go.sum")
	}
	moved := map[string]string{} // where a file that moved went

	next := r.Next
	next.Files = map[string]string{}
	next.Regions = nil
	next.Conflicts = nil
	for _, f := range r.Target {
		next.Files[f.Path] = Hash(f.Data)
	}
	var plan Plan
	for _, p := range paths {
		b, t := base[p], target[p]
		if b == nil && t == nil {
			continue // go.sum, when neither side has one
		}
		old, err := readFile(root, p)
		if err != nil {
			return Plan{}, err
		}
		var c Change
		switch {
		case p == "go.mod" || p == "go.sum":
			c, err = r.planModule(root, plan, p, data(b), data(t), old)
			if err != nil {
				return Plan{}, err
			}
		case moves[p] != "":
			if c, err = r.planMove(p, moves[p], base[moves[p]], t, root); err != nil {
				return Plan{}, err
			}
			if c.From != "" {
				moved[moves[p]] = p
			}
		case moved[p] != "":
			c = Change{Path: p, Old: old, Action: Delete, Note: "moved to " + moved[p]}
		default:
			c = r.planFile(p, b, t, old)
		}
		if c.Action == Conflict && r.Force {
			c.Backup, err = backupName(root, p)
			if err != nil {
				return Plan{}, err
			}
			c.Action = Update
			if c.New = theirs(c.New); c.New == nil { // a file twelve did not write, or go.mod
				c.New = inStyleOf(old, t.Data)
			}
			c.Note = "twelve's side taken where yours overlapped (--force); yours kept in " + c.Backup
		}
		if c.Action == Conflict {
			next.Conflicts = append(next.Conflicts, p)
		}
		plan.Changes = append(plan.Changes, c)
	}
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
	plan.Manifest = next
	return plan, nil
}

// moves returns the files that the new answers render under another path,
// such as cmd/OLD/app.go to cmd/NEW/app.go after update --set name=NEW:
// new path to old path, where nothing is at the new path. The template
// that renders a file pairs its two paths.
func moves(root *os.Root, base, target map[string]*render.File) (map[string]string, error) {
	bySource := map[string]string{}
	for p, b := range base {
		if b.Source != "" && target[p] == nil {
			bySource[b.Component+"\x00"+b.Source] = p
		}
	}
	moves := map[string]string{}
	for p, t := range target {
		from, ok := bySource[t.Component+"\x00"+t.Source]
		if !ok || t.Source == "" || base[p] != nil {
			continue
		}
		there, err := readFile(root, p)
		if err != nil {
			return nil, err
		}
		if there == nil {
			moves[p] = from
		}
	}
	return moves, nil
}

// planMove plans a file that moves from the path from to p: twelve's
// change from b to t merged into what is at from, written at p, where
// nothing is. The file at from is deleted, unless the change is to Keep.
// A file the user deleted stays deleted, at its new path too.
func (r Reconcile) planMove(p, from string, b, t *render.File, root *os.Root) (Change, error) {
	mine, err := readFile(root, from)
	if err != nil {
		return Change{}, err
	}
	if mine == nil {
		if slices.Contains(r.Restore, p) {
			return Change{Path: p, Action: Create, Mode: t.Mode, New: t.Data, Note: "restored"}, nil
		}
		return Change{Path: p, Action: Keep, Note: "you deleted it, as " + from + ": twelve update --restore " + p + " brings it back"}, nil
	}
	c := r.planFile(p, b, t, mine)
	switch c.Action {
	case Keep:
		return Change{Path: p, Action: Keep, Note: "stays at " + from + " (" + c.Note + ")"}, nil
	case Unchanged:
		c.New = mine
	}
	if c.Action != Conflict {
		c.Action = Create
	}
	c.Old, c.From = nil, from
	c.Note = strings.TrimSuffix(strings.TrimSpace("moved from "+from+"; "+c.Note), ";")
	return c, nil
}

// planFile decides what happens to one file that is not go.mod or go.sum:
// b is what twelve wrote (nil if it did not), t what it writes now (nil if
// it no longer does), old what is on disk (nil if absent).
func (r Reconcile) planFile(p string, b, t *render.File, old []byte) Change {
	c := Change{Path: p, Old: old}
	if t != nil {
		c.Mode = t.Mode
	}
	switch {
	case old == nil && t == nil:
		c.Action = Unchanged
	case old == nil && (b == nil || slices.Contains(r.Restore, p)):
		c.Action, c.New = Create, t.Data
		if b != nil {
			c.Note = "restored"
		}
	case old == nil:
		c.Action, c.Note = Keep, "you deleted it: twelve update --restore "+p+" brings it back"
	case r.UserData != nil && r.UserData(p) && t == nil:
		c.Action, c.Note = Keep, "your data: twelve never deletes it"
	case r.UserData != nil && r.UserData(p):
		c.Action, c.Note = Keep, "yours"
	case t == nil && b != nil && sameText(old, b.Data):
		c.Action, c.Note = Delete, "twelve no longer writes it"
	case t == nil:
		c.Action, c.Note = Keep, "twelve no longer writes it; you changed it, so it stays"
	case sameText(old, t.Data):
		c.Action = Unchanged
	case b != nil && sameText(b.Data, t.Data):
		c.Action, c.Note = Unchanged, "yours" // twelve has nothing new for it
	case b != nil && sameText(old, b.Data):
		c.Action, c.New = Update, inStyleOf(old, t.Data)
	default:
		var from []byte // no base: a file twelve did not write, or cannot render as it did
		if b != nil {
			from = b.Data
		}
		m := merge.Merge(from, old, t.Data, Labels)
		c.New = m.Text
		if len(m.Conflicts) == 0 {
			c.Action, c.Note = Update, "merged with your changes"
			break
		}
		c.Action, c.Lines = Conflict, m.Conflicts
		c.Note = "your changes and twelve's overlap"
		if b == nil {
			c.Note = "exists, and twelve did not write it"
		}
	}
	return c
}

// byPath indexes files by their path.
func byPath(files []render.File) map[string]*render.File {
	m := make(map[string]*render.File, len(files))
	for i := range files {
		m[files[i].Path] = &files[i]
	}
	return m
}

// data is a file's content, nil for no file.
func data(f *render.File) []byte {
	if f == nil {
		return nil
	}
	return f.Data
}

// sameText reports whether two texts are the same but for line endings.
func sameText(a, b []byte) bool {
	return bytes.Equal(a, b) || bytes.Equal(lf(a), lf(b))
}

// lf turns CRLF line endings into LF.
func lf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

// inStyleOf writes text with the line endings of old: a file checked out
// with CRLF stays CRLF.
func inStyleOf(old, text []byte) []byte {
	if bytes.Count(old, []byte("\r\n"))*2 <= bytes.Count(old, []byte("\n")) {
		return text
	}
	return bytes.ReplaceAll(lf(text), []byte("\n"), []byte("\r\n"))
}

// theirs resolves every conflict in a merged text in favour of twelve's
// new version, keeping what merged cleanly; nil when the text has no
// markers of twelve's.
func theirs(text []byte) []byte {
	if text == nil {
		return nil
	}
	var out bytes.Buffer
	in := "" // the conflict section being read: "", "ours", "base" or "theirs"
	found := false
	for _, line := range bytes.SplitAfter(text, []byte("\n")) {
		mark := string(bytes.TrimRight(line, "\r\n"))
		switch {
		case mark == "<<<<<<< "+Labels.Ours:
			in, found = "ours", true
		case in == "ours" && mark == "||||||| "+Labels.Base:
			in = "base"
		case (in == "ours" || in == "base") && mark == "=======":
			in = "theirs"
		case in == "theirs" && mark == ">>>>>>> "+Labels.Theirs:
			in = ""
		case in == "" || in == "theirs":
			out.Write(line)
		}
	}
	if !found {
		return nil
	}
	return out.Bytes()
}
