package project

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// BenchmarkWriteNew writes the default service, manifest included, as
// twelve new does: profile the writes with -cpuprofile. Most of its time is
// the kernel's, allocating inodes.
func BenchmarkWriteNew(b *testing.B) {
	c, err := render.Load(templates.FS)
	if err != nil {
		b.Fatal(err)
	}
	a := render.Answers{Name: "svc", Module: "example.com/svc", Components: c.Defaults()}
	files, err := c.Render(a)
	if err != nil {
		b.Fatal(err)
	}
	files = append(files, NewManifest("v1", "", a, files).File())
	parent := b.TempDir()
	n := 0
	for b.Loop() {
		n++
		if err := WriteNew(context.Background(), filepath.Join(parent, fmt.Sprint(n)), files); err != nil {
			b.Fatal(err)
		}
	}
}
