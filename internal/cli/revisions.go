package cli

import (
	"io/fs"
	"sync"

	"github.com/twelvefactor/twelve/internal/archive"
	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// revision is one revision of the template tree that twelve can render:
// a service's manifest records the digest of the one that made it.
type revision struct {
	digest string
	load   func() (*render.Catalog, error)
}

// revisions is every template revision twelve can render: the archive of
// every tree a twelve shipped, and today's.
type revisions struct {
	// all lists them oldest first, today's last; read when first needed,
	// since only update, add and remove render past revisions.
	all     func() ([]revision, error)
	current func() revision
}

// find returns the revision with a digest; ok is false for a digest this
// twelve does not know, which a newer twelve made.
func (rs revisions) find(digest string) (revision, bool, error) {
	all, err := rs.all()
	if err != nil {
		return revision{}, false, err
	}
	for _, r := range all {
		if r.digest == digest {
			return r, true, nil
		}
	}
	return revision{}, false, nil
}

// shipped are the revisions of a twelve binary: its archive, and today's
// templates, whose digest is computed when first asked (it reads every
// template).
func shipped(today *render.Catalog) revisions {
	current := sync.OnceValue(func() revision {
		digest, err := treeDigest(templates.FS)
		if err != nil {
			digest = "" // unreadable embedded templates: Load failed already
		}
		return revision{digest: digest, load: func() (*render.Catalog, error) { return today, nil }}
	})
	return revisions{
		current: current,
		all: sync.OnceValues(func() ([]revision, error) {
			archived, err := archive.All()
			if err != nil {
				return nil, err
			}
			var out []revision
			for _, r := range archived {
				if r.Digest != current().digest {
					out = append(out, revision{digest: r.Digest, load: sync.OnceValues(r.Catalog)})
				}
			}
			return append(out, current()), nil
		}),
	}
}

// given are the revisions of template trees given as file systems, oldest
// first, the last today's: for tests, and for a twelve made with other
// templates.
func given(trees []fs.FS) (revisions, error) {
	var out []revision
	for _, t := range trees {
		digest, err := treeDigest(t)
		if err != nil {
			return revisions{}, err
		}
		out = append(out, revision{digest: digest, load: sync.OnceValues(func() (*render.Catalog, error) { return render.Load(t) })})
	}
	return revisions{
		all:     func() ([]revision, error) { return out, nil },
		current: func() revision { return out[len(out)-1] },
	}, nil
}

// treeDigest is the archive's digest of a template tree, rendered by
// today's renderer.
func treeDigest(fsys fs.FS) (string, error) {
	files, err := archive.Tree(fsys)
	if err != nil {
		return "", err
	}
	return archive.Digest(render.Renderer, archive.Blobs(files)), nil
}
