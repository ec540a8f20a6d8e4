package answers

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// A service name is at most 63 bytes: a DNS label, as Kubernetes wants it.
func TestCheckNameLength(t *testing.T) {
	name := "s" + strings.Repeat("x", 62)
	if err := checkName(name); err != nil {
		t.Errorf("a 63-byte name: %v", err)
	}
	if err := checkName(name + "x"); err == nil || !strings.Contains(err.Error(), "at most 63 characters") {
		t.Errorf("a 64-byte name: %v, want it refused", err)
	}
}

// A name whose folder, cmd/NAME, the go command skips is refused.
func TestCheckNameTestdata(t *testing.T) {
	if err := checkName("testdata"); err == nil || !strings.Contains(err.Error(), "skip folders of that name") {
		t.Errorf("checkName(testdata) = %v, want it refused", err)
	}
	if err := checkName("testdatax"); err != nil {
		t.Errorf("checkName(testdatax) = %v", err)
	}
}

// A module path the go command would not build as a module's is refused
// wherever a module path is checked, with a path that would do.
func TestReservedModulePaths(t *testing.T) {
	for _, path := range []string{"go", "toolchain", "std", "cmd", "all", "tool", "cmd/svc", "vendor/svc", "fmt", "crypto", "net/http", "go/svc", "internal", "time"} {
		err := checkModule(path, "svc")
		if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), "e.g. --module example.com/"+path) {
			t.Errorf("checkModule(%q) = %v, want it refused, suggesting --module example.com/%s", path, err, path)
		}
		if ModuleProblem(path) == nil {
			t.Errorf("moduleProblem(%q) = nil: a manifest, update --set or a plain module's go.mod could hold it", path)
		}
	}
	for _, path := range []string{"svc", "example.com/go", "github.com/acme/fmt", "gopher", "fmtx", "timer", "example", "test", "my-service"} {
		if err := checkModule(path, "svc"); err != nil {
			t.Errorf("checkModule(%q) = %v, want it accepted", path, err)
		}
	}
}

// stdRoots is every first element of the standard library of the Go that
// runs the tests.
func TestStdRootsAreCurrent(t *testing.T) {
	t.Parallel() // waits on go list, alongside the scripts
	out, err := exec.Command("go", "list", "std").Output()
	if err != nil {
		t.Skipf("go list std: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(p, "/")
		if first != "vendor" && !slices.Contains(stdRoots, first) {
			t.Errorf("standard package %s is not covered by stdRoots: add %q", p, first)
		}
	}
}
