package cli_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	goEnv := goEnvironment(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       golden.Updating(),
		Setup: func(env *testscript.Env) error {
			env.Vars = append(env.Vars, goEnv...)
			env.Setenv("TEST_DATABASE_URL", os.Getenv("TEST_DATABASE_URL"))
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "backing": // scripts/backing.sh gave a PostgreSQL
				return os.Getenv("TEST_DATABASE_URL") != "", nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// goEnvironment returns the variables that let a script build a generated
// service with exec go, offline, with the module and build caches of the
// go that runs the tests: nothing when there is no go.
func goEnvironment(t *testing.T) []string {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		t.Logf("no go for the scripts: %v", err)
		return nil
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(v) != 3 {
		return nil
	}
	return []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOPATH=" + v[2], "GOPROXY=off", "GOTOOLCHAIN=local"}
}
