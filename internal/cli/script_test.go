package cli_test

import (
	"context"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/twelvefactor/twelve/internal/cli"
	"github.com/twelvefactor/twelve/internal/golden"
	"github.com/twelvefactor/twelve/internal/scratch"
)

// TestMain lets the test binary double as twelve, so that scripts run the
// real command with `exec twelve`: run under the name twelve, it is twelve.
// (testscript.Main does the same, but would make twelve a builtin command
// of the scripts, leaving no room for the in-process one.)
func TestMain(m *testing.M) {
	switch filepath.Base(os.Args[0]) {
	case "twelve":
		os.Exit(cli.Main(context.Background(), os.Args[1:], cli.System(), "v0.0.0-test"))
	case "twelve-revs":
		os.Exit(cli.MainTemplates(context.Background(), os.Args[1:], cli.System(), "v0.0.0-test", templateTrees(os.Getenv("TWELVE_TEMPLATES"))))
	}
	done := scratch.Use()
	code := runWithTwelveOnPath(m)
	done()
	os.Exit(code)
}

// templateTrees are the template trees that twelve-revs knows, from
// TWELVE_TEMPLATES: directories, oldest first, the last today's, so that a
// script can make a service with one and update it to the next.
func templateTrees(list string) []fs.FS {
	var trees []fs.FS
	for _, dir := range filepath.SplitList(list) {
		trees = append(trees, os.DirFS(dir))
	}
	return trees
}

// runWithTwelveOnPath runs the tests with a directory first on PATH that
// holds this binary under the names twelve and twelve-revs.
func runWithTwelveOnPath(m *testing.M) int {
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	bin, err := os.MkdirTemp("", "twelve-bin")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(bin)
	for _, name := range []string{"twelve", "twelve-revs"} {
		if err := os.Symlink(self, filepath.Join(bin, name)); err != nil {
			log.Fatal(err)
		}
	}
	os.Setenv("PATH", bin+string(filepath.ListSeparator)+os.Getenv("PATH"))
	return m.Run()
}

// TestScripts runs testdata/script/*.txtar: twelve's behaviour and errors as
// a user sees them.
//
// `exec twelve` runs the real binary in a process of its own, for what
// only a process shows: its exit code, its standard input, signals, two
// twelves at once. `twelve` runs it in the test's process, in the script's
// directory and environment, without the start of a process (about 20 ms
// of CPU each, most of the scripts' time).
func TestScripts(t *testing.T) {
	goEnv := goEnvironment(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"twelve": inProcess(func(ts *testscript.TestScript, args []string, io *cli.IOStreams) int {
				return cli.Main(context.Background(), args, io, "v0.0.0-test")
			}),
			"twelve-revs": inProcess(func(ts *testscript.TestScript, args []string, io *cli.IOStreams) int {
				return cli.MainTemplates(context.Background(), args, io, "v0.0.0-test", templateTrees(ts.Getenv("TWELVE_TEMPLATES")))
			}),
		},
		UpdateScripts: golden.Updating(),
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
// service with exec go, with the module and build caches and the module
// proxy of the go that runs the tests: nothing when there is no go. (With
// GOPROXY=off, a script found the modules of a service only if another
// package's tests had downloaded them first.)
func goEnvironment(t *testing.T) []string {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY").Output()
	if err != nil {
		t.Logf("no go for the scripts: %v", err)
		return nil
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(v) != 4 {
		return nil
	}
	return []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOPATH=" + v[2], "GOPROXY=" + v[3], "GOTOOLCHAIN=local"}
}

// scriptEnv are the variables of a script that twelve in-process sees:
// those it reads, and those git reads when twelve new runs it.
var scriptEnv = []string{"PATH", "HOME", "TMPDIR", "CI", "NO_COLOR", "TERM", "XDG_CONFIG_HOME", "USER", "LANG", "LC_ALL"}

// inProcess makes a script command of a twelve: run by main in the
// script's directory and environment, with no standard input and no
// terminal.
func inProcess(main func(ts *testscript.TestScript, args []string, io *cli.IOStreams) int) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		var env []string
		for _, k := range scriptEnv {
			if v := ts.Getenv(k); v != "" {
				env = append(env, k+"="+v)
			}
		}
		io := &cli.IOStreams{
			In:     strings.NewReader(""),
			Out:    ts.Stdout(),
			ErrOut: ts.Stderr(),
			CI:     !slices.Contains([]string{"", "false", "0"}, ts.Getenv("CI")), // as cli.System reads CI
			Dir:    ts.MkAbs("."),
			Env:    env,
		}
		code := main(ts, args, io)
		switch {
		case code != 0 && !neg:
			ts.Fatalf("exit %d", code)
		case code == 0 && neg:
			ts.Fatalf("exit 0, want a failure")
		}
	}
}
