package cli_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/twelvefactor/twelve/internal/cli"
	"github.com/twelvefactor/twelve/internal/golden"
)

// TestMain lets the test binary double as twelve, so that scripts run the
// real command with `exec twelve`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"twelve": func() {
			os.Exit(cli.Main(context.Background(), os.Args[1:], cli.System(), "v0.0.0-test"))
		},
		// twelve-revs is twelve knowing only the template trees that
		// TWELVE_TEMPLATES lists (directories, oldest first, the last
		// today's), so that a script can make a service with one and
		// update it to the next.
		"twelve-revs": func() {
			var trees []fs.FS
			for _, dir := range filepath.SplitList(os.Getenv("TWELVE_TEMPLATES")) {
				trees = append(trees, os.DirFS(dir))
			}
			os.Exit(cli.MainTemplates(context.Background(), os.Args[1:], cli.System(), "v0.0.0-test", trees))
		},
	})
}

// TestScripts runs testdata/script/*.txtar: twelve's behaviour and errors as
// a user sees them.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       golden.Updating(),
	})
}
