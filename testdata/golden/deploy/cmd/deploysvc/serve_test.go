package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.com/deploysvc/internal/config"
)

// freePort returns a TCP port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// readyPath is the path that answers 200 once the service is ready:
// /-/ready with the healthcheck component, any route without it.
func readyPath(t *testing.T) string {
	var s service
	if err := addComponents(config.Config{}, &s); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.routes {
		if r.Pattern == "GET /-/ready" {
			return "/-/ready"
		}
	}
	return "/-/version"
}

// waitFor polls url until it answers want, or fails the test.
func waitFor(t *testing.T, url string, want int) {
	t.Helper()
	var got int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if got = resp.StatusCode; got == want {
				return
			}
		}
	}
	t.Fatalf("GET %s: last status %d, want %d", url, got, want)
}

// testSecrets returns the secrets that serving needs, such as the URL of a
// database, each from TEST_NAME (TEST_DATABASE_URL), so that the test runs
// against real backing services. It skips the test when one is not set.
func testSecrets(t *testing.T) map[string]string {
	vars := make(map[string]string)
	for _, v := range config.Variables() {
		if !v.Secret {
			continue
		}
		value := os.Getenv("TEST_" + v.Name)
		if value == "" {
			t.Skipf("TEST_%s is not set: set it to run the service against a real backing service", v.Name)
		}
		vars[v.Name] = value
	}
	return vars
}

// serveInBackground runs the service with an empty environment but vars
// until cancel is called; wait waits for run to return nil.
func serveInBackground(t *testing.T, vars map[string]string) (stdout *bytes.Buffer, cancel func(), wait func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	stdout = new(bytes.Buffer)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"deploysvc"}, fakeEnv(vars), stdout, stdout)
	}()
	wait = func() {
		t.Helper()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run() = %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("run did not return after the context was cancelled")
		}
	}
	return stdout, cancel, wait
}

func TestServe(t *testing.T) {
	vars := testSecrets(t)
	port := freePort(t)
	vars["PORT"], vars["SHUTDOWN_DELAY"] = port, "300ms"
	base := "http://127.0.0.1:" + port
	stdout, cancel, wait := serveInBackground(t, vars)

	ready := readyPath(t)
	waitFor(t, base+ready, 200)
	waitFor(t, base+"/hello", 200)

	cancel()
	if ready == "/-/ready" {
		waitFor(t, base+ready, 503) // not ready from the start of shutdown
	}
	wait()
	for _, want := range []string{`"msg":"serving","version":"dev"`, `"path":"/hello"`, `"msg":"stopped"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the logs lack %s:\n%s", want, stdout)
		}
	}
}

// TestServeWithAdminPort serves /-/ on ADMIN_PORT only: the public port
// answers 404 there, the admin port serves nothing else, and both close.
// With ACCESS_LOG=off, no request is logged.
func TestServeWithAdminPort(t *testing.T) {
	vars := testSecrets(t)
	port, adminPort := freePort(t), freePort(t)
	vars["PORT"], vars["ADMIN_PORT"], vars["SHUTDOWN_DELAY"] = port, adminPort, "0s"
	vars["ACCESS_LOG"] = "off"
	public, admin := "http://127.0.0.1:"+port, "http://127.0.0.1:"+adminPort
	stdout, cancel, wait := serveInBackground(t, vars)

	waitFor(t, admin+readyPath(t), 200)
	waitFor(t, public+"/hello", 200)
	waitFor(t, public+"/-/version", 404)
	waitFor(t, admin+"/-/version", 200)
	waitFor(t, admin+"/hello", 404)

	cancel()
	wait()
	for _, base := range []string{public, admin} {
		if resp, err := http.Get(base + "/-/version"); err == nil {
			resp.Body.Close()
			t.Errorf("%s still serves after run returned", base)
		}
	}
	if strings.Contains(stdout.String(), `"msg":"request"`) || !strings.Contains(stdout.String(), `"msg":"stopped"`) {
		t.Errorf("with ACCESS_LOG=off, the logs are:\n%s", stdout)
	}
}

// TestServeNamesABusyPort: a port another process holds fails start-up
// with an error naming the variables.
func TestServeNamesABusyPort(t *testing.T) {
	vars := testSecrets(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	vars["PORT"] = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	if _, err := runCommand(t, vars); err == nil || !strings.HasPrefix(err.Error(), "HOST:PORT: ") {
		t.Errorf("run() with PORT in use = %v, want an error naming HOST:PORT", err)
	}
}
