package render_test

import (
	"testing"

	"github.com/twelvefactor/twelve/internal/render"
	"github.com/twelvefactor/twelve/templates"
)

// BenchmarkNewDefault is the work of twelve new with the default
// components, short of writing: load the catalog, render every file. Profile
// it with go test ./internal/render -run '^$' -bench NewDefault -cpuprofile
// cpu.out; make bench times the whole command.
func BenchmarkNewDefault(b *testing.B) {
	for b.Loop() {
		c, err := render.Load(templates.FS)
		if err != nil {
			b.Fatal(err)
		}
		comps, err := c.Resolve(c.Defaults())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Render(render.Answers{Name: "svc", Module: "example.com/svc", Components: comps}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad is what every twelve command pays before it starts.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := render.Load(templates.FS); err != nil {
			b.Fatal(err)
		}
	}
}
