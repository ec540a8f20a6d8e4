package archive

import (
	"errors"
	"strings"

	"github.com/twelvefactor/twelve/internal/render"
)

// Match returns the revisions that render exactly files for the answers,
// newest first: files maps each path that twelve wrote to the sha256 of its
// content, in hex, with or without "sha256:", as a service's manifest
// records them (without the manifest itself). It finds the base of a
// service whose manifest names no revision. Several revisions match when
// they differ only in files that these answers do not render: any of them
// is then the same base.
func Match(a render.Answers, files map[string]string) ([]Revision, error) {
	revs, err := All()
	if err != nil {
		return nil, err
	}
	var out []Revision
	var errs []error
	for i := len(revs) - 1; i >= 0; i-- {
		c, err := revs[i].Catalog()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		comps, err := c.Resolve(a.Components)
		if err != nil {
			continue // a component that this revision does not have
		}
		b := a
		b.Components = comps
		got, err := Check(c, b)
		if err != nil || len(got) != len(files) {
			continue
		}
		same := true
		for p, sum := range files {
			if got[p] != strings.TrimPrefix(sum, "sha256:") {
				same = false
				break
			}
		}
		if same {
			out = append(out, revs[i])
		}
	}
	return out, errors.Join(errs...)
}
