package archive_test

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/twelvefactor/twelve/internal/archive"
	"github.com/twelvefactor/twelve/internal/render"
)

// dir is the archive in the repository, where its checks are.
var dir = filepath.Join("..", "..", "templates", archive.Dir)

func TestCurrentTemplatesAreArchived(t *testing.T) {
	r, err := archive.Current()
	if errors.Is(err, archive.ErrNotArchived) {
		t.Fatalf("%v: the archive must hold every template tree a twelve ships, so that services made with it can be updated", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if r.Renderer != render.Renderer {
		t.Errorf("current revision %s has renderer %d, want %d", r.Digest, r.Renderer, render.Renderer)
	}
}

// TestEveryRevisionRendersItsChecks renders every archived revision with its
// fixed answers and compares each file with the hash of what that
// revision's twelve new wrote: a change to the renderer must never change
// what an old revision renders, or twelve update would see edits nobody
// made.
func TestEveryRevisionRendersItsChecks(t *testing.T) {
	revs, err := archive.All()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := archive.ReadChecks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range revs {
		if testing.Short() && i%5 != 0 && i < len(revs)-3 {
			// -short renders a fifth of the older revisions and the three
			// newest: a third of the package's time here; the full suite
			// renders them all.
			continue
		}
		t.Run(fmt.Sprintf("%03d-%.7s", i+1, r.Commit), func(t *testing.T) {
			t.Parallel()
			want, ok := checks[r.Digest]
			if !ok {
				t.Fatalf("revision %s has no checks", r.Digest)
			}
			c, err := r.Catalog()
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range slices.Sorted(maps.Keys(want.Answers)) {
				got, err := archive.Check(c, want.Answers[name])
				if err != nil {
					t.Fatalf("answers %s: %v", name, err)
				}
				for _, p := range slices.Sorted(maps.Keys(want.Files[name])) {
					switch sum, ok := got[p]; {
					case !ok:
						t.Errorf("answers %s: %s is not rendered", name, p)
					case sum != want.Files[name][p]:
						t.Errorf("answers %s: %s renders differently from what twelve new wrote", name, p)
					}
				}
				for _, p := range slices.Sorted(maps.Keys(got)) {
					if _, ok := want.Files[name][p]; !ok {
						t.Errorf("answers %s: %s is rendered, but twelve new did not write it", name, p)
					}
				}
			}
		})
	}
}

// TestArchiveIsConsistent checks the archive's own invariants: each blob is
// named by its hash and used, each revision's digest is its content's and
// names its file, the numbers follow each other, every revision has checks.
func TestArchiveIsConsistent(t *testing.T) {
	revs, err := archive.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) == 0 {
		t.Fatal("the archive has no revision")
	}
	checks, err := archive.ReadChecks(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "revisions"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(revs) || len(checks) != len(revs) {
		t.Errorf("%d files in revisions/, %d revisions, %d checks", len(entries), len(revs), len(checks))
	}
	used := map[string]bool{}
	seen := map[string]bool{}
	last := 0
	for i, r := range revs {
		if i >= len(entries) {
			break
		}
		var n int
		fmt.Sscanf(entries[i].Name(), "%03d-", &n)
		// Two branches may each have archived a tree as the same number.
		if n != last && n != last+1 {
			t.Errorf("revision %s is numbered %d after %d", entries[i].Name(), n, last)
		}
		last = n
		if want := fmt.Sprintf("%03d-%s.json", n, strings.TrimPrefix(r.Digest, "sha256:")[:12]); entries[i].Name() != want {
			t.Errorf("revision %s is in %s, want %s", r.Digest, entries[i].Name(), want)
		}
		if got := archive.Digest(r.Renderer, r.Files); got != r.Digest {
			t.Errorf("revision %s: its files and renderer have digest %s", r.Digest, got)
		}
		if seen[r.Digest] {
			t.Errorf("revision %s is archived twice", r.Digest)
		}
		seen[r.Digest] = true
		if r.Renderer < 1 || r.Renderer > render.Renderer {
			t.Errorf("revision %s: renderer %d", r.Digest, r.Renderer)
		}
		for p, blob := range r.Files {
			if !archive.InTree(p) {
				t.Errorf("revision %s: %s is not part of a template tree", r.Digest, p)
			}
			used[blob] = true
		}
		if _, ok := checks[r.Digest]; !ok {
			t.Errorf("revision %s has no checks", r.Digest)
		}
	}
	blobs, err := os.ReadDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range blobs {
		data, err := os.ReadFile(filepath.Join(dir, "blobs", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if sum := archive.Hash(data); sum != e.Name() {
			t.Errorf("blob %s holds content with hash %s", e.Name(), sum)
		}
		if !used[e.Name()] {
			t.Errorf("blob %s belongs to no revision", e.Name())
		}
		delete(used, e.Name())
	}
	for blob := range used {
		t.Errorf("blob %s is missing", blob)
	}
}

func TestRevisionFSHoldsItsFiles(t *testing.T) {
	revs, err := archive.All()
	if err != nil {
		t.Fatal(err)
	}
	r := revs[0]
	for p, blob := range r.Files {
		data, err := fs.ReadFile(r.FS(), p)
		if err != nil {
			t.Fatal(err)
		}
		if archive.Hash(data) != blob {
			t.Errorf("%s: content does not match its blob", p)
		}
	}
	if got, ok := archive.Find(r.Digest); !ok || got.Digest != r.Digest {
		t.Errorf("Find(%s) = %v, %v", r.Digest, got.Digest, ok)
	}
	if _, ok := archive.Find("sha256:0"); ok {
		t.Error("Find found a digest that is not archived")
	}
}

func TestDigest(t *testing.T) {
	files := map[string]string{"service.json": "aa", "service/x.tmpl": "bb"}
	d := archive.Digest(2, files)
	if !strings.HasPrefix(d, "sha256:") || len(d) != len("sha256:")+64 {
		t.Fatalf("Digest = %q", d)
	}
	if archive.Digest(2, maps.Clone(files)) != d {
		t.Error("the same tree and renderer have different digests")
	}
	if archive.Digest(1, files) == d {
		t.Error("the same tree with another renderer has the same digest")
	}
	files["service/x.tmpl"] = "cc"
	if archive.Digest(2, files) == d {
		t.Error("another tree has the same digest")
	}
}

func TestMatchFindsTheRevisionThatRenderedAService(t *testing.T) {
	if testing.Short() {
		t.Skip("renders every revision for each case")
	}
	revs, err := archive.All()
	if err != nil {
		t.Fatal(err)
	}
	checks, err := archive.ReadChecks(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []archive.Revision{revs[0], revs[len(revs)-1]} {
		want := checks[r.Digest]
		a := want.Answers["all"]
		files := map[string]string{}
		for p, sum := range want.Files["all"] {
			files[p] = "sha256:" + sum
		}
		got, err := archive.Match(a, files)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(got, func(m archive.Revision) bool { return m.Digest == r.Digest }) {
			t.Errorf("Match of what %s rendered: %d revisions, not it", r.Digest, len(got))
		}
		files["go.mod"] = "0"
		if got, _ := archive.Match(a, files); len(got) != 0 {
			t.Errorf("Match of an edited service found %d revisions", len(got))
		}
	}
}
