package e2e_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// smokeCases are component sets generated without a terminal, as CI
// regenerates services, beyond the golden trees.
var smokeCases = []struct {
	name string
	args []string
}{
	{"healthcheck-only", []string{"new", "hc", "--without", "ci,docker,metrics,procfile,systemd", "--prefix", "HC", "--no-input", "--git=false"}},
	{"metrics-only", []string{"new", "mx", "--without", "ci,docker,healthcheck,procfile,systemd", "--port", "8123", "--no-input", "--git=false"}},
}

// makeSmoke runs make smoke in dir with extra environment and returns its
// output and error.
func makeSmoke(t *testing.T, dir string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("make", "smoke")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestMakeSmoke runs the generated Makefile's smoke target in every golden
// tree and in more component sets generated non-interactively: it must
// pass, and check exactly the endpoints the components provide.
func TestMakeSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services (-short)")
	}
	requireTool(t, "make")
	requireTool(t, "curl")
	shellcheck := requireTool(t, "shellcheck")
	type tree struct{ name, dir string }
	var trees []tree
	for _, tc := range goldenCases(t) {
		trees = append(trees, tree{tc.name, copyGolden(t, tc.name, tc.svc)})
	}
	for _, sc := range smokeCases {
		dir := filepath.Join(t.TempDir(), sc.name)
		twelveIn(t, dir, sc.args...)
		trees = append(trees, tree{sc.name, dir})
	}
	for _, tr := range trees {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			run(t, tr.dir, shellcheck, "scripts/smoke.sh")
			manifest, _ := os.ReadFile(filepath.Join(tr.dir, ".twelve.json"))
			has := func(c string) bool { return strings.Contains(string(manifest), `"`+c+`"`) }
			out, err := makeSmoke(t, tr.dir, backingEnv(t, has)...) // DATABASE_URL, REDIS_URL
			if err != nil {
				t.Fatalf("make smoke: %v\n%s", err, out)
			}
			for endpoint, checked := range map[string]bool{
				"/-/ready": has("healthcheck"), "/-/healthy": has("healthcheck"),
				"/-/metrics": has("metrics"), "/-/version": true,
			} {
				if got := strings.Contains(out, "smoke: ok "+endpoint); got != checked {
					t.Errorf("make smoke checked %s: %v, want %v\n%s", endpoint, got, checked, out)
				}
			}
			if !strings.Contains(out, "smoke: ok: stopped cleanly on SIGTERM") {
				t.Errorf("make smoke did not report a clean stop:\n%s", out)
			}
		})
	}
}

// TestMakeSmokeFails shows that make smoke fails, clearly, when the service
// does not start or does not stop cleanly.
func TestMakeSmokeFails(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services (-short)")
	}
	requireTool(t, "make")
	requireTool(t, "curl")

	dir := copyGolden(t, "default", "myservice")
	out, err := makeSmoke(t, dir, "LOG_LEVEL=loud")
	if err == nil || !strings.Contains(out, "smoke: FAIL: the service exited before serving") || !strings.Contains(out, `LOG_LEVEL="loud"`) {
		t.Errorf("make smoke with a bad LOG_LEVEL: %v, want a failure that shows why\n%s", err, out)
	}

	// A service that fails its shutdown.
	dir = copyGolden(t, "minimal", "tiny")
	runGo := filepath.Join(dir, "cmd", "tiny", "serve.go")
	src, err := os.ReadFile(runGo)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), `logger.Info("stopped")`, `return fmt.Errorf("broken shutdown")`, 1)
	if broken == string(src) {
		t.Fatal("serve.go no longer logs stopped: update this test")
	}
	if err := os.WriteFile(runGo, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = makeSmoke(t, dir)
	if err == nil || !strings.Contains(out, "smoke: FAIL: exit status 1 after SIGTERM, want 0") {
		t.Errorf("make smoke with a broken shutdown: %v, want a failure naming the exit status\n%s", err, out)
	}
}
