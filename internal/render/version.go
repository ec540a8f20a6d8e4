package render

import (
	"fmt"
	"go/format"
	"io/fs"
)

// Renderer is the version of the render semantics that Load gives a
// template tree. Each template revision in twelve's archive records the
// version it was made for, so that twelve update can render a service's
// templates of years ago byte for byte as they were rendered then. Raise it,
// and teach LoadVersion the old semantics, whenever a change to this package
// would render some archived tree differently.
const Renderer = 2

// LoadVersion is Load with the semantics of renderer version v, 1 to
// Renderer:
//
//   - 1, twelve before 179af83: every rendered Go file passes through gofmt.
//   - 2, from 179af83: Go templates render gofmt-clean; nothing formats them.
//
// Templates gained functions and Data methods over time (pad, .Env,
// .Default) and lost one (upper) that no archived template calls: a newer
// renderer offers more than an old tree uses, so versions differ only where
// the same tree would render differently.
func LoadVersion(fsys fs.FS, v int) (*Catalog, error) {
	if v < 1 || v > Renderer {
		return nil, fmt.Errorf("unknown renderer version %d: this twelve knows 1 to %d", v, Renderer)
	}
	c, err := load(fsys)
	if err != nil {
		return nil, err
	}
	c.gofmt = v == 1
	return c, nil
}

// gofmtGo is renderer 1's last step: a rendered Go file, gofmt-ed.
func gofmtGo(src string, data []byte) ([]byte, error) {
	out, err := format.Source(data)
	if err != nil {
		return nil, fmt.Errorf("template %s: rendered Go does not parse: %w", src, err)
	}
	return out, nil
}
