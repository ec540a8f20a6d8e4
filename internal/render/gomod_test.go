package render

import (
	"testing"
)

func TestGoModLayoutMatchesTidy(t *testing.T) {
	got, err := GoMod("example.com/svc", "1.25.0", []Require{
		{Path: "github.com/a/direct", Version: "v1.0.0"},
		{Path: "github.com/b/indirect", Version: "v0.1.0", Indirect: true},
		{Path: "github.com/c/indirect", Version: "v0.2.0", Indirect: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `module example.com/svc

go 1.25.0

require github.com/a/direct v1.0.0

require (
	github.com/b/indirect v0.1.0 // indirect
	github.com/c/indirect v0.2.0 // indirect
)
`
	if string(got) != want {
		t.Errorf("GoMod =\n%s\nwant\n%s", got, want)
	}
}

func TestGoModRejectsBadPath(t *testing.T) {
	if _, err := GoMod("bad path", "1.25.0", nil); err == nil {
		t.Error("GoMod accepted a module path with a space")
	}
}
