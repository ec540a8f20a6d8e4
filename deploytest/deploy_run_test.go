package deploytest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestDeployEnvironmentRunsService runs each golden service that has deploy
// files with exactly the environment that compose.yaml, or the Kubernetes
// ConfigMap and Deployment, give it, nothing else: it must start, pass the
// checks those files run (the compose healthcheck command, the Kubernetes
// probes) and, on SIGTERM, exit 0 within the grace period they allow.
func TestDeployEnvironmentRunsService(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services (-short)")
	}
	requireTool(t, "make")
	for _, tc := range goldenCases(t) {
		golden := filepath.Join(goldenRoot, tc.name)
		_, errCompose := os.Stat(filepath.Join(golden, "compose.yaml"))
		_, errK8s := os.Stat(filepath.Join(golden, k8sDir, "deployment.yaml"))
		if errCompose != nil && errK8s != nil {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := copyGolden(t, tc.name, tc.svc)
			run(t, dir, "make", "build", "VERSION=v1.2.3-test")
			bin := filepath.Join(dir, "bin", tc.svc)
			c := goldenDeployCase(t, tc.name, tc.svc)
			if errCompose == nil {
				t.Run("compose", func(t *testing.T) {
					p := loadCompose(t, dir, tc.svc, composeSecretEnv(c))
					s, err := p.GetService(tc.svc)
					if err != nil {
						t.Fatal(err)
					}
					env := map[string]string{}
					for k, v := range s.Environment {
						env[k] = *v
					}
					var check []string
					if s.HealthCheck != nil {
						check = append([]string{bin}, s.HealthCheck.Test[2:]...)
					}
					runDeployed(t, c, bin, env, check, "", time.Duration(*s.StopGracePeriod))
				})
			}
			if errK8s == nil {
				t.Run("k8s", func(t *testing.T) {
					var dep appsv1.Deployment
					var cm corev1.ConfigMap
					decodeStrict(t, dir, "deployment.yaml", &dep)
					decodeStrict(t, dir, "configmap.yaml", &cm)
					env := map[string]string{}
					for k, v := range cm.Data {
						env[k] = v
					}
					pod := dep.Spec.Template.Spec
					for _, e := range pod.Containers[0].Env {
						env[e.Name] = e.Value
					}
					grace := time.Duration(*pod.TerminationGracePeriodSeconds) * time.Second
					runDeployed(t, c, bin, env, nil, pod.Containers[0].ReadinessProbe.HTTPGet.Path, grace)
				})
			}
		})
	}
}

// composeSecretEnv is the environment docker compose reads the secrets from.
func composeSecretEnv(c deployCase) []string {
	var env []string
	for _, name := range append(c.secrets(), "POSTGRES_PASSWORD") {
		env = append(env, name+"=value-of-"+name)
	}
	return env
}

// runDeployed starts bin with exactly env, on a free port and with every
// secret file put where a *_FILE variable says; waits until the command
// check succeeds, or until readyPath answers 200; then stops the service
// with SIGTERM and wants exit 0 within grace.
func runDeployed(t *testing.T, c deployCase, bin string, env map[string]string, check []string, readyPath string, grace time.Duration) {
	t.Helper()
	port := freePort(t)
	env[c.prefix+"PORT"] = port
	secrets := t.TempDir()
	for k := range env {
		if name, ok := strings.CutSuffix(k, "_FILE"); ok && slices.Contains(c.secrets(), name) {
			// The service cannot reach a backing service here: give it a
			// file it can read, where the deploy file does not point.
			env[k] = filepath.Join(secrets, name)
			if err := os.WriteFile(env[k], []byte("value-of-"+name), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	var list []string
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	out := &lockedBuffer{}
	cmd := exec.Command(bin)
	cmd.Env = list
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("service output:\n%s", out.String())
		}
	})

	ready := func() bool {
		if check != nil {
			hc := exec.Command(check[0], check[1:]...)
			hc.Env = list
			return hc.Run() == nil
		}
		if readyPath == "" {
			return true
		}
		resp, err := http.Get("http://127.0.0.1:" + port + readyPath)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	deadline := time.Now().Add(30 * time.Second)
	for !ready() {
		select {
		case err := <-done:
			t.Fatalf("the service exited at start: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within 30s (check %q, probe %q)", check, readyPath)
		}
		time.Sleep(50 * time.Millisecond)
	}

	stop := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want 0", err)
		}
		t.Logf("stopped in %v of a %v grace period", time.Since(stop).Round(time.Millisecond), grace)
	case <-time.After(grace):
		t.Errorf("still running %v after SIGTERM: the grace period is too short", grace)
	}
}

// requireTool finds a tool that a test needs. Without it the test skips,
// unless TWELVE_REQUIRE_TOOLS is set, as CI sets it: there a missing tool is
// a failure, so that no check silently stops running.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed (.ci/run installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// run runs a command in dir and fails the test with its output if it fails.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
