package cli

import (
	"sync"

	"github.com/twelvefactor/twelve/internal/render"
)

// revision is one revision of the template tree that twelve can render:
// a service made by any twelve records the digest of the one that made it.
type revision struct {
	digest string
	load   func() (*render.Catalog, error)
}

// revisions is every template revision twelve can render, oldest first;
// the last is today's. A digest that is not among them was made by a newer
// twelve.
type revisions []revision

// current is today's revision, the one new and add render.
func (rs revisions) current() revision { return rs[len(rs)-1] }

// find returns the revision with a digest.
func (rs revisions) find(digest string) (revision, bool) {
	for _, r := range rs {
		if r.digest == digest {
			return r, true
		}
	}
	return revision{}, false
}

// loaded makes a revision whose catalog is loaded once, when first asked.
func loaded(digest string, load func() (*render.Catalog, error)) revision {
	return revision{digest: digest, load: sync.OnceValues(load)}
}
