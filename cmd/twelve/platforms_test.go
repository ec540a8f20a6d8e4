package main

import (
	"os"
	"os/exec"
	"testing"
)

// platforms are those the README says twelve supports beside Linux, where
// the tests run, and a BSD: twelve and the lock and file-reading code each
// has per system build for each. (One architecture each: the code differs
// by system, not by architecture, and each costs a cold build.)
var platforms = []struct{ goos, goarch string }{
	{"darwin", "arm64"}, {"windows", "amd64"}, {"freebsd", "amd64"},
}

// TestBuildsForEveryPlatform runs `go build ./...` for each platform, as
// `GOOS=darwin go build ./...` and `GOOS=windows go build ./...` would in
// CI: code only one system compiles fails here, on Linux.
func TestBuildsForEveryPlatform(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles twelve for every platform")
	}
	for _, p := range platforms {
		t.Run(p.goos+"/"+p.goarch, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command("go", "build", "./...")
			cmd.Dir = repoRoot
			cmd.Env = append(os.Environ(), "GOOS="+p.goos, "GOARCH="+p.goarch, "CGO_ENABLED=0")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("GOOS=%s GOARCH=%s go build ./...: %v\n%s", p.goos, p.goarch, err, out)
			}
		})
	}
}
