package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
)

// journalFile records, while Apply renames files into place, every rename
// it is making, so that the next twelve can finish the change when the
// process died in the middle (kill -9, a power cut).
const journalFile = StateDir + "/journal.json"

// journal is journalFile's content.
type journal struct {
	Steps []journalStep `json:"steps"`
}

// journalStep is one rename: New is the hash of what Tmp holds and Target
// gets; Old the hash of what Target held, "" for no file. A delete moves
// Target to Tmp, then removes Tmp.
type journalStep struct {
	Target string `json:"target"`
	Tmp    string `json:"tmp"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Delete bool   `json:"delete,omitempty"`
}

// writeJournal writes the journal of steps and flushes it, with every
// temporary file and the directories that hold them, before the first
// rename: after a crash the journal names only files that are on disk.
func writeJournal(fsys fileSystem, steps []step) error {
	var j journal
	dirs := map[string]bool{path.Dir(journalFile): true}
	for _, s := range steps {
		js := journalStep{Target: s.target, Tmp: s.tmp, Delete: s.delete}
		if s.old != nil {
			js.Old = Hash(s.old)
		}
		if !s.delete {
			js.New = s.newHash
			if err := fsys.Sync(s.tmp); err != nil {
				return fmt.Errorf("writing %s: %w", s.target, unwrapPath(err))
			}
		}
		dirs[path.Dir(s.target)] = true
		j.Steps = append(j.Steps, js)
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp := tempName(journalFile)
	if err := fsys.Create(tmp, append(data, '\n'), 0o644); err != nil {
		fsys.Remove(tmp)
		return fmt.Errorf("writing %s: %w", journalFile, unwrapPath(err))
	}
	if err := fsys.Sync(tmp); err != nil {
		fsys.Remove(tmp)
		return fmt.Errorf("writing %s: %w", journalFile, unwrapPath(err))
	}
	if err := fsys.Rename(tmp, journalFile); err != nil {
		fsys.Remove(tmp)
		return fmt.Errorf("writing %s: %w", journalFile, unwrapPath(err))
	}
	for d := range dirs {
		if err := fsys.Sync(d); err != nil {
			return fmt.Errorf("writing %s: %w", d, unwrapPath(err))
		}
	}
	return nil
}

// Recover finishes the change of a twelve that died while renaming files
// into place, which its journal records, and removes the temporary files
// that a twelve which died before renaming left behind. It must be called
// with the service's lock held: then no live twelve owns those files. It
// returns how many files it finished; it stops, changing nothing, when a
// file is neither what it was nor what it was to become (someone edited it
// since), with a message that says what to do.
func Recover(root *os.Root, m Manifest) (finished int, err error) {
	return recoverIn(root, rootFS{root}, m)
}

func recoverIn(root *os.Root, fsys fileSystem, m Manifest) (finished int, err error) {
	data, err := readFile(root, journalFile)
	if err != nil {
		return 0, err
	}
	if data != nil {
		var j journal
		if err := json.Unmarshal(data, &j); err != nil {
			return 0, fmt.Errorf("%s is broken (%v): an interrupted twelve left it; check the files it names, then remove it", journalFile, err)
		}
		if err := checkJournal(root, j); err != nil {
			return 0, err
		}
		for _, s := range j.Steps {
			if err := finish(root, fsys, s); err != nil {
				return 0, fmt.Errorf("finishing an interrupted twelve: %w", err)
			}
		}
		if err := fsys.Remove(journalFile); err != nil {
			return 0, fmt.Errorf("removing %s: %w", journalFile, unwrapPath(err))
		}
		finished = len(j.Steps)
	}
	return finished, removeStale(root, fsys, m)
}

// checkJournal makes sure every step can be finished before one is: each
// target is what it was, with its new content waiting in its temporary
// file, or already what it was to become.
func checkJournal(root *os.Root, j journal) error {
	for _, s := range j.Steps {
		if !fs.ValidPath(s.Target) || !fs.ValidPath(s.Tmp) || !staleRE.MatchString(path.Base(s.Tmp)) {
			return fmt.Errorf("%s names %q: not a file of twelve's; remove the journal", journalFile, s.Target)
		}
		target, err := readFile(root, s.Target)
		if err != nil {
			return err
		}
		tmp, err := readFile(root, s.Tmp)
		if err != nil {
			return err
		}
		now := hashOrEmpty(target)
		switch {
		case s.Delete && (target == nil || now == s.Old):
		case !s.Delete && now == s.New:
		case !s.Delete && now == s.Old && tmp != nil && Hash(tmp) == s.New:
		default:
			return fmt.Errorf("an interrupted twelve left %s half-written, and it has changed since: check it, then remove %s and run twelve again", s.Target, journalFile)
		}
	}
	return nil
}

// finish completes one step that checkJournal passed.
func finish(root *os.Root, fsys fileSystem, s journalStep) error {
	target, err := readFile(root, s.Target)
	if err != nil {
		return err
	}
	switch {
	case s.Delete:
		if target != nil {
			if err := fsys.Remove(s.Target); err != nil {
				return err
			}
		}
		if err := fsys.Remove(s.Tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	case hashOrEmpty(target) == s.New:
		// renamed before the crash
	default:
		return fsys.Rename(s.Tmp, s.Target)
	}
	return nil
}

func hashOrEmpty(data []byte) string {
	if data == nil {
		return ""
	}
	return Hash(data)
}

// staleRE matches the temporary files twelve writes beside a target.
var staleRE = regexp.MustCompile(`^\..+\.twelve-[0-9a-f]{12}$`)

// removeStale removes the temporary files of a twelve that died before it
// renamed anything, in the folders of the files the manifest names.
func removeStale(root *os.Root, fsys fileSystem, m Manifest) error {
	dirs := map[string]bool{".": true, StateDir: true}
	for p := range m.Files {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// And in the new folders beside them: a twelve that died moving files
	// to cmd/NEW (update --set name) before its journal left its temporary
	// files there, where the manifest names nothing yet.
	for d := range dirs {
		if err := removeStaleIn(root, fsys, d, func(sub string) bool { return !dirs[sub] }); err != nil {
			return err
		}
	}
	return nil
}

// removeStaleIn removes the temporary files of twelve in the folder d,
// and in those of its folders that also names (not hidden ones).
func removeStaleIn(root *os.Root, fsys fileSystem, d string, also func(sub string) bool) error {
	entries, err := fs.ReadDir(root.FS(), d)
	if err != nil {
		return nil // a folder the user removed
	}
	for _, e := range entries {
		p := path.Join(d, e.Name())
		switch {
		case e.IsDir() && also != nil && also(p) && !strings.HasPrefix(e.Name(), "."):
			if err := removeStaleIn(root, fsys, p, nil); err != nil {
				return err
			}
		case e.Type().IsRegular() && staleRE.MatchString(e.Name()):
			if err := fsys.Remove(p); err != nil {
				return fmt.Errorf("removing %s, left by an interrupted twelve: %w", p, unwrapPath(err))
			}
		}
	}
	return nil
}
