package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/twelvefactor/twelve/internal/archive"
	"github.com/twelvefactor/twelve/internal/project"
	"github.com/twelvefactor/twelve/internal/render"
)

// madeBy writes into dir the service that the archived revision r renders
// for answers a, with the manifest a twelve of that revision writes: an
// untouched service made by an earlier twelve. ok is false when r cannot
// render a (a component it did not have yet).
func madeBy(t *testing.T, r archive.Revision, a render.Answers, dir string) (ok bool) {
	t.Helper()
	c, err := r.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if a.Components, err = c.Resolve(a.Components); err != nil {
		return false
	}
	files, err := c.Render(a)
	if err != nil {
		t.Fatalf("revision %s: %v", r.Digest, err)
	}
	files = append(files, project.NewManifest("v0.0.0-old", r.Digest, a, files).File())
	if err := project.WriteNew(context.Background(), dir, files); err != nil {
		t.Fatal(err)
	}
	return true
}

// goldenAnswers are the answers each golden tree was made with.
func goldenAnswers(t *testing.T) map[string]render.Answers {
	t.Helper()
	out := map[string]render.Answers{}
	for _, tc := range goldenCases {
		data, err := os.ReadFile(filepath.Join(goldenRoot, tc.name, project.ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		m, err := project.ParseManifest(tc.name, data)
		if err != nil {
			t.Fatal(err)
		}
		out[tc.name] = m.Answers()
	}
	return out
}

// lawRevisions are the archived revisions the laws are checked from: all of
// them, or with -short the one before today's, the update every user makes
// next.
func lawRevisions(t *testing.T) []archive.Revision {
	t.Helper()
	revs, err := archive.All()
	if err != nil {
		t.Fatal(err)
	}
	current, err := archive.Current()
	if err != nil {
		t.Fatal(err)
	}
	revs = slices.DeleteFunc(revs, func(r archive.Revision) bool { return r.Digest == current.Digest })
	if testing.Short() {
		revs = revs[max(0, len(revs)-1):]
	}
	return revs
}

// TestUpdateEqualsNew: updating an untouched service made by any earlier
// twelve gives, byte for byte, the service today's twelve new makes with
// the same answers: for every archived revision and every golden
// configuration that revision can render.
func TestUpdateEqualsNew(t *testing.T) {
	answers := goldenAnswers(t)
	for _, r := range lawRevisions(t) {
		for _, tc := range goldenCases {
			a := answers[tc.name]
			t.Run(filepath.Base(r.Digest[7:19])+"/"+tc.name, func(t *testing.T) {
				t.Parallel() // each in trees of its own; uses both cores
				dir := t.TempDir()
				got, want := filepath.Join(dir, "got"), filepath.Join(dir, "want")
				if !madeBy(t, r, a, got) {
					t.Skip("the revision has not all the components")
				}
				twelve(t, "update", "--dir", got)
				twelve(t, newFromAnswers(t, a, want)...)
				sameTree(t, want, got)
			})
		}
	}
}

// TestAddOnOlderEqualsUpdateThenAdd: add on an untouched service made by
// an earlier twelve gives what update then add gives.
func TestAddOnOlderEqualsUpdateThenAdd(t *testing.T) {
	a := goldenAnswers(t)["minimal"]
	for _, r := range lawRevisions(t) {
		for _, comp := range []string{"metrics", "postgres", "redis"} {
			t.Run(r.Digest[7:19]+"/"+comp, func(t *testing.T) {
				t.Parallel() // each in trees of its own; uses both cores
				dir := t.TempDir()
				got, want := filepath.Join(dir, "got"), filepath.Join(dir, "want")
				if !madeBy(t, r, a, got) || !madeBy(t, r, a, want) {
					t.Skip("the revision cannot render the minimal service")
				}
				twelve(t, "add", comp, "--dir", got)
				twelve(t, "update", "--dir", want)
				twelve(t, "add", comp, "--dir", want)
				sameTree(t, want, got)
			})
		}
	}
}

// newFromAnswers are the arguments of twelve new that make a service with
// answers a in dir, through an answers file.
func newFromAnswers(t *testing.T, a render.Answers, dir string) []string {
	t.Helper()
	file := map[string]any{"name": a.Name, "module": a.Module, "components": a.Components}
	if a.Prefix != "" {
		file["prefix"] = a.Prefix
	}
	if a.Port != 0 {
		file["port"] = a.Port
	}
	data, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"new", "--answers", name, "--dir", dir, "--no-input", "--git=false"}
}
