package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Read returns the revisions of the archive in dir, the repository's
// templates/archive, oldest first: none when it has no revisions yet.
func Read(dir string) ([]Revision, error) {
	if _, err := os.Stat(filepath.Join(dir, "revisions")); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return read(os.DirFS(dir), ".")
}

// ReadChecks returns the checks of the archive in dir, by revision digest.
func ReadChecks(dir string) (map[string]Checks, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "checks"))
	if err != nil {
		return nil, fmt.Errorf("reading the template archive's checks: %w", err)
	}
	out := map[string]Checks{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, "checks", e.Name()))
		if err != nil {
			return nil, err
		}
		var f checksFile
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("reading the template archive's checks: %s: %w", e.Name(), err)
		}
		out[f.Digest] = f.checks()
	}
	return out, nil
}

// Write adds r to the archive in dir, the repository's templates/archive:
// the blobs of files (r's content, by path) that are not there yet,
// revisions/NNN-DIGEST.json, numbered after the last revision, and its
// checks in checks/NNN-DIGEST.json. It writes nothing and returns false
// when dir has a revision with r's digest already: a revision, once
// written, is never edited.
func Write(dir string, r Revision, files map[string][]byte, checks Checks) (bool, error) {
	revs, err := Read(dir)
	if err != nil {
		return false, err
	}
	for _, old := range revs {
		if old.Digest == r.Digest {
			return false, nil
		}
	}
	if got := Digest(r.Renderer, Blobs(files)); got != r.Digest {
		return false, fmt.Errorf("revision %s: its files have digest %s", r.Digest, got)
	}
	if checks.Digest != r.Digest {
		return false, fmt.Errorf("revision %s: checks of %s", r.Digest, checks.Digest)
	}
	for _, sub := range []string{"blobs", "revisions", "checks"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return false, err
		}
	}
	for p, data := range files {
		name := filepath.Join(dir, "blobs", r.Files[p])
		if _, err := os.Stat(name); err == nil {
			continue
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			return false, err
		}
	}
	name := fmt.Sprintf("%03d-%s.json", next(dir), strings.TrimPrefix(r.Digest, "sha256:")[:12])
	if err := writeJSON(filepath.Join(dir, "checks", name), checks.file()); err != nil {
		return false, err
	}
	// The revision last: an archive interrupted before it lacks the
	// revision, which the next run writes again, rather than its checks.
	return true, writeJSON(filepath.Join(dir, "revisions", name), revisionFile(r))
}

// next returns the number of the next revision: one more than the highest
// in dir. Two branches that each archive a tree may both take a number;
// once merged, the two revisions keep it, ordered by digest.
func next(dir string) int {
	entries, _ := os.ReadDir(filepath.Join(dir, "revisions"))
	n := 0
	for _, e := range entries {
		var i int
		if _, err := fmt.Sscanf(e.Name(), "%03d-", &i); err == nil {
			n = max(n, i)
		}
	}
	return n + 1
}

func writeJSON(name string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}
