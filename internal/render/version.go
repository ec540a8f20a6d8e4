package render

import (
	"bytes"
	"fmt"
	"go/format"
	"io/fs"
	"path"
)

// Renderer is the version of the render semantics that Load gives a
// template tree. Each template revision in twelve's archive records the
// version it was made for, so that twelve update can render a service's
// templates of years ago byte for byte as they were rendered then. Raise it,
// and teach LoadVersion the old semantics, whenever a change to this package
// would render some archived tree differently.
const Renderer = 3

// LoadVersion is Load with the semantics of renderer version v, 1 to
// Renderer:
//
//   - 1, twelve before 179af83: every rendered Go file passes through gofmt.
//   - 2, from 179af83: Go templates render gofmt-clean; nothing formats them.
//   - 3, from components with fragments: a Go file that starts with
//     GeneratedMarker is gofmt-ed, since what it holds (the components'
//     fragments, the variables' fields) is aligned by no one template;
//     every other Go template still renders gofmt-clean by itself.
//
// Templates gained functions and Data methods over time (pad, .Env,
// .Default) and lost one (upper) that no archived template calls: a newer
// renderer offers more than an old tree uses, so versions differ only where
// the same tree would render differently.
func LoadVersion(fsys fs.FS, v int) (*Catalog, error) {
	if v < 1 || v > Renderer {
		return nil, fmt.Errorf("unknown renderer version %d: this twelve knows 1 to %d", v, Renderer)
	}
	return load(fsys, v)
}

// formats reports whether the renderer gofmts the rendered file p.
func (c *Catalog) formats(p string, body []byte) bool {
	if path.Ext(p) != ".go" {
		return false
	}
	switch c.version {
	case 1:
		return true
	case 2:
		return false
	}
	return bytes.HasPrefix(body, []byte(GeneratedMarker+"\n"))
}

// gofmtGo is renderer 1's last step: a rendered Go file, gofmt-ed.
func gofmtGo(src string, data []byte) ([]byte, error) {
	out, err := format.Source(data)
	if err != nil {
		return nil, fmt.Errorf("template %s: rendered Go does not parse: %w", src, err)
	}
	return out, nil
}
