package e2e_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildBacking builds the backing golden service (postgres and redis) and
// returns its directory; the binary is bin/backend. None of the
// tests using it needs a server: each fails before connecting.
func buildBacking(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs a generated service (-short)")
	}
	return buildGolden(t, "backing", "backend")
}

// exitsByItself runs the service in dir with env (and nothing of the
// test's environment that names a backing service), under a 2 GiB address
// space limit, and returns its output once it exits. If it is still
// running after 5s, the test fails, and SIGTERM must stop it within 5s
// more: a start-up that blocks must still obey it.
func exitsByItself(t *testing.T, dir string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("sh", "-c", `ulimit -v 2097152 && exec ./bin/backend`)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL=", "REDIS_URL=", "DATABASE_URL_FILE=", "REDIS_URL_FILE=",
		"DATABASE_CONNECT_TIMEOUT=1s", "REDIS_CONNECT_TIMEOUT=1s", "PORT="+freePort(t))
	cmd.Env = append(cmd.Env, env...)
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(5 * time.Second):
	}
	t.Errorf("%v: still running after 5s", env)
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Errorf("%v: SIGTERM did not stop it within 5s", env)
		return out.String(), nil
	}
}

// TestServiceRefusesHostileSecretFiles points DATABASE_URL_FILE at what is
// not a small regular file: an endless device, a FIFO no one writes, a
// directory, a file of 100 KiB. The service must refuse each at once,
// naming the variable, rather than read without end or block; a link to a
// regular file, as Kubernetes and systemd credentials use, is read.
func TestServiceRefusesHostileSecretFiles(t *testing.T) {
	dir := buildBacking(t)
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(tmp, "big")
	if err := os.WriteFile(big, []byte("postgres://u:p@127.0.0.1:1/db?"+strings.Repeat("x", 100<<10)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"/dev/zero", fifo, tmp, big} {
		out, err := exitsByItself(t, dir, "DATABASE_URL_FILE="+file, "REDIS_URL=redis://127.0.0.1:1/0")
		if err == nil || !strings.Contains(out, "DATABASE_URL_FILE") {
			t.Errorf("DATABASE_URL_FILE=%s: %v, want a failure naming DATABASE_URL_FILE:\n%s", file, err, out)
		}
	}

	// Kubernetes mounts a secret as a link to a link to the file.
	real := filepath.Join(tmp, "real")
	if err := os.WriteFile(real, []byte("redis://127.0.0.1:1/0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	// PostgreSQL is given longer, so that Redis is the one whose failure
	// stops the start (the first backing service to fail stops the others).
	out, err := exitsByItself(t, dir, "REDIS_URL_FILE="+link, "DATABASE_URL=postgres://u:p@127.0.0.1:1/db", "DATABASE_CONNECT_TIMEOUT=4s")
	if err == nil || strings.Contains(out, "REDIS_URL_FILE") || !strings.Contains(out, "redis at 127.0.0.1:1") {
		t.Errorf("REDIS_URL_FILE through a link: %v, want the URL read and a failure to connect to it:\n%s", err, out)
	}
}

// TestServiceHidesPasswordsInMalformedURLs gives each URL variable of the
// backing service malformed values holding a password, directly and from a
// file, and looks for the password in everything the service prints.
func TestServiceHidesPasswordsInMalformedURLs(t *testing.T) {
	dir := buildBacking(t)
	const pw = "TOPSECRET42"
	other := map[string]string{"DATABASE_URL": "postgres://u:p@127.0.0.1:1/db", "REDIS_URL": "redis://127.0.0.1:1/0"}
	malformed := map[string][]string{
		"DATABASE_URL": {
			"postgres://u:" + pw,
			"postgres://u:" + pw + "@127.0.0.1:notaport/db",
			"postgres://u:" + pw + "@[::1/db",
			"postgres://u:" + pw + "@127.0.0.1/db\x7f",
			"postgres://u:" + pw + "%zz@127.0.0.1/db",
			"postgres://u:" + pw + "@127.0.0.1/db?sslmode=bogus",
			"host=127.0.0.1 password=" + pw + " port=notaport",
		},
		"REDIS_URL": {
			"redis://:" + pw,
			"redis://:" + pw + "@127.0.0.1:notaport/0",
			"redis://:" + pw + "@[::1/0",
			"redis://:" + pw + "@127.0.0.1/0\x7f",
			"redis://:" + pw + "%zz@127.0.0.1/0",
			"redis://:" + pw + "@127.0.0.1/notadb",
			"redis://:" + pw + "@127.0.0.1/0?dial_timeout=x",
			"http://:" + pw + "@127.0.0.1",
		},
	}
	file := filepath.Join(t.TempDir(), "url")
	for name, values := range malformed {
		for _, value := range values {
			for _, fromFile := range []bool{false, true} {
				env := []string{name + "=" + value}
				if fromFile {
					if err := os.WriteFile(file, []byte(value), 0o600); err != nil {
						t.Fatal(err)
					}
					env = []string{name + "_FILE=" + file}
				}
				for n, v := range other {
					if n != name {
						env = append(env, n+"="+v)
					}
				}
				out, err := exitsByItself(t, dir, env...)
				if err == nil || strings.Contains(out, pw) || !strings.Contains(out, name) {
					t.Errorf("%s=%q (file %v): %v, want a failure naming %s without the password:\n%s", name, value, fromFile, err, name, out)
				}
			}
		}
	}
}

// TestServiceFailsFastOnAMalformedURL starts the service with one backing
// service's URL malformed and the other not answering, with a minute to
// connect: it must exit at once, naming the malformed one, not once the
// other has been waited for.
func TestServiceFailsFastOnAMalformedURL(t *testing.T) {
	dir := buildBacking(t)
	for _, env := range [][]string{
		{"DATABASE_URL=postgres://u:p@127.0.0.1:notaport/db", "REDIS_URL=redis://127.0.0.1:1/0", "REDIS_CONNECT_TIMEOUT=1m"},
		{"REDIS_URL=redis://127.0.0.1:notaport/0", "DATABASE_URL=postgres://u:p@127.0.0.1:1/db", "DATABASE_CONNECT_TIMEOUT=1m"},
	} {
		malformed, _, _ := strings.Cut(env[0], "=")
		out, err := exitsByItself(t, dir, env...) // fails the test if still running after 5s
		if err == nil || !strings.Contains(out, malformed) {
			t.Errorf("%v: %v, want a failure naming %s:\n%s", env, err, malformed, out)
		}
	}
}

// TestServiceRejectsNonsenseSettings starts the service with settings out
// of their range: it must refuse to start, naming each variable at once.
func TestServiceRejectsNonsenseSettings(t *testing.T) {
	dir := buildBacking(t)
	out, err := exitsByItself(t, dir, "DATABASE_URL=postgres://u:p@127.0.0.1:1/db", "REDIS_URL=redis://127.0.0.1:1/0",
		"HEALTH_CHECK_TIMEOUT=0", "SHUTDOWN_DELAY=-5s", "SHUTDOWN_TIMEOUT=-1s", "LOG_LEVEL=error+1000",
		"DATABASE_CONNECT_TIMEOUT=0s", "REDIS_CONNECT_TIMEOUT=-1s", "HOST=bad:host", "ADMIN_HOST=a b")
	if err == nil {
		t.Fatalf("started with nonsense settings:\n%s", out)
	}
	for _, name := range []string{"HEALTH_CHECK_TIMEOUT", "SHUTDOWN_DELAY", "SHUTDOWN_TIMEOUT", "LOG_LEVEL",
		"DATABASE_CONNECT_TIMEOUT", "REDIS_CONNECT_TIMEOUT", "HOST", "ADMIN_HOST"} {
		if !strings.Contains(out, "\n"+name+"=") {
			t.Errorf("no error line naming %s:\n%s", name, out)
		}
	}
}

// TestServiceStopsGracefullyOnSIGHUP sends SIGHUP, as a closing terminal
// or a supervisor does, during a slow request: the service stops as on
// SIGTERM, answering the request and exiting 0.
func TestServiceStopsGracefullyOnSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service (-short)")
	}
	requireTool(t, "make")
	dir := copyGolden(t, "default", "myservice")
	addTestRoutes(t, dir, false)
	run(t, dir, "make", "build", "VERSION=v1.2.3-test")
	s := start(t, dir, "", "SHUTDOWN_DELAY=0s", "SHUTDOWN_TIMEOUT=10s")
	s.waitFor(t, "/-/ready")

	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := http.Get(s.base + "/slow?ms=1500")
		if err != nil {
			t.Errorf("the request in flight at SIGHUP: %v", err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("the request in flight at SIGHUP: %d", resp.StatusCode)
		}
	})
	time.Sleep(300 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGHUP: %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no exit within 15s of SIGHUP")
	}
	if out := s.out.String(); !strings.Contains(out, `"msg":"shutting down"`) || !strings.Contains(out, `"msg":"stopped"`) {
		t.Errorf("no graceful shutdown in the log:\n%s", out)
	}
}
