// Package archive holds every template tree that a twelve has rendered a
// service from, content-addressed and embedded in the binary, so that a
// service made years ago can be rendered again exactly as it was made: the
// base of twelve update's three-way merge.
//
// templates/archive/blobs/HEX holds each file's content once, named by its
// sha256; templates/archive/revisions/NNN-DIGEST.json lists one revision's
// files by blob and the renderer version it needs. Both are embedded.
// templates/archive/checks/NNN-DIGEST.json, in the repository only, holds
// the hashes of what the revision's twelve new wrote for fixed answers,
// which the tests render again. Revisions are added by make archive and
// never edited.
package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// Revision is one template tree as a twelve embedded it.
type Revision struct {
	Digest   string            // sha256:HEX, see Digest
	Renderer int               // the render semantics it needs, see render.LoadVersion
	Commit   string            // twelve's commit that first had the tree; "" when added by make archive before its commit
	Date     string            // that commit's date, or when make archive added it (RFC 3339)
	Note     string            // how its checks were made, when not by that commit's twelve new
	Files    map[string]string // path in the tree -> blob (sha256 of the content, hex)
}

// ErrNotArchived is returned by Current when the embedded templates are no
// revision of the archive.
var ErrNotArchived = errors.New("templates changed: run make archive")

// Dir is the archive's folder within templates.Archive, and within
// templates/ in the repository.
const Dir = "archive"

// revisionFile is a revision as it is written in revisions/.
type revisionFile struct {
	Digest   string            `json:"digest"`
	Renderer int               `json:"renderer"`
	Commit   string            `json:"commit"`
	Date     string            `json:"date"`
	Note     string            `json:"note,omitempty"`
	Files    map[string]string `json:"files"`
}

// All returns every revision, oldest first. The archive is read and decoded
// on the first call, not when twelve starts.
func All() ([]Revision, error) {
	revs, err := all()
	out := make([]Revision, len(revs))
	for i, r := range revs {
		out[i] = r.clone()
	}
	return out, err
}

// clone returns r with a Files map of its own, so that no caller can change
// the archive that the next one reads.
func (r Revision) clone() Revision {
	r.Files = maps.Clone(r.Files)
	return r
}

var all = sync.OnceValues(func() ([]Revision, error) { return read(templates.Archive, Dir) })

// read decodes the revisions of the archive in fsys's folder root.
func read(fsys fs.FS, root string) ([]Revision, error) {
	entries, err := fs.ReadDir(fsys, path.Join(root, "revisions"))
	if err != nil {
		return nil, fmt.Errorf("reading the template archive: %w", err)
	}
	var revs []Revision
	for _, e := range entries { // sorted by name: NNN-, oldest first
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(root, "revisions", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("reading the template archive: %w", err)
		}
		var f revisionFile
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("reading the template archive: %s: %w", e.Name(), err)
		}
		revs = append(revs, Revision(f))
	}
	return revs, nil
}

// Find returns the revision with the digest.
func Find(digest string) (Revision, bool) {
	revs, err := all()
	if err != nil {
		return Revision{}, false
	}
	for _, r := range revs {
		if r.Digest == digest {
			return r.clone(), true
		}
	}
	return Revision{}, false
}

// FS returns the revision's template tree.
func (r Revision) FS() fs.FS {
	m, err := r.tree(templates.Archive)
	if err != nil {
		return errFS{err}
	}
	return m
}

func (r Revision) tree(fsys fs.FS) (fstest.MapFS, error) {
	m := fstest.MapFS{}
	for p, blob := range r.Files {
		data, err := fs.ReadFile(fsys, path.Join(Dir, "blobs", blob))
		if err != nil {
			return nil, fmt.Errorf("template archive: revision %s: %s: %w", r.Digest, p, err)
		}
		m[p] = &fstest.MapFile{Data: data, Mode: 0o444}
	}
	return m, nil
}

// errFS is the FS of a revision whose blobs cannot be read: every open fails.
type errFS struct{ err error }

func (e errFS) Open(string) (fs.File, error) { return nil, e.err }

// Catalog loads the revision's tree with the renderer semantics it needs.
func (r Revision) Catalog() (*render.Catalog, error) {
	m, err := r.tree(templates.Archive)
	if err != nil {
		return nil, err
	}
	return render.LoadVersion(m, r.Renderer)
}

// Current returns the revision of the embedded templates, templates.FS,
// or ErrNotArchived.
func Current() (Revision, error) {
	files, err := Tree(templates.FS)
	if err != nil {
		return Revision{}, err
	}
	d := Digest(render.Renderer, Blobs(files))
	r, ok := Find(d)
	if !ok {
		if _, err := all(); err != nil {
			return Revision{}, err
		}
		return Revision{}, fmt.Errorf("%w (%s is not in the archive)", ErrNotArchived, d)
	}
	return r, nil
}

// InTree reports whether a path of templates/ is part of the tree that
// render.Load reads: service.json, modules.json, service/ and components/.
func InTree(p string) bool {
	return p == "service.json" || p == "modules.json" ||
		strings.HasPrefix(p, "service/") || strings.HasPrefix(p, "components/")
}

// Tree reads the files of fsys that InTree keeps.
func Tree(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && !InTree(p+"/") && !InTree(p) {
				return fs.SkipDir
			}
			return nil
		}
		if !InTree(p) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files[p] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading templates: %w", err)
	}
	return files, nil
}

// Blobs returns the blob of each file: the sha256 of its content, in hex.
func Blobs(files map[string][]byte) map[string]string {
	blobs := make(map[string]string, len(files))
	for p, data := range files {
		blobs[p] = Hash(data)
	}
	return blobs
}

// Hash is the sha256 of data, in hex: a blob's name, and a check's value.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Digest is a revision's identity: "sha256:" and the sha256 of
//
//	twelve templates
//	renderer N
//	BLOB  PATH        (one line per file, sorted by path)
//
// so the same tree with the same renderer always has the same digest.
func Digest(renderer int, files map[string]string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	h := sha256.New()
	fmt.Fprintf(h, "twelve templates\nrenderer %d\n", renderer)
	for _, p := range paths {
		fmt.Fprintf(h, "%s  %s\n", files[p], p)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
