package e2e_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The golden services with the postgres or redis component need real
// servers: .ci/run and scripts/backing.sh start them on loopback and name
// them in these variables, which the services' own tests read too.
var backingVars = map[string]string{
	"postgres": "TEST_DATABASE_URL",
	"redis":    "TEST_REDIS_URL",
}

// goldenHas reports which components the golden case holds, from its
// .twelve.json.
func goldenHas(t *testing.T, name string) func(string) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenRoot, name, ".twelve.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Components []string }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s/.twelve.json: %v", name, err)
	}
	return func(c string) bool {
		for _, have := range m.Components {
			if have == c {
				return true
			}
		}
		return false
	}
}

// backingEnv returns DATABASE_URL and REDIS_URL for a service with the
// components has, pointing at the test servers. Without them the test
// skips, unless TWELVE_REQUIRE_TOOLS is set: then it fails.
func backingEnv(t *testing.T, has func(string) bool) []string {
	t.Helper()
	var env []string
	for _, c := range []string{"postgres", "redis"} {
		if !has(c) {
			continue
		}
		name := backingVars[c]
		value := os.Getenv(name)
		if value == "" {
			if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s is not set (.ci/run and scripts/backing.sh start %s and set it)", name, c)
			}
			t.Skipf("%s is not set: run eval \"$(scripts/backing.sh)\" to start %s for the tests", name, c)
		}
		env = append(env, strings.TrimPrefix(name, "TEST_")+"="+value)
	}
	return env
}

// pgServer is a PostgreSQL of the test's own, which it can stop and start.
type pgServer struct {
	bin, data, port, url, password string
	cred                           *syscall.Credential
	cmd                            *exec.Cmd
	done                           chan struct{}
}

// pgBin finds a PostgreSQL server program: on the PATH, or where Debian
// puts it.
func pgBin(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) == 0 {
		if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is not installed (.ci/run installs postgresql)", name)
		}
		t.Skipf("%s is not installed (apt-get install postgresql)", name)
	}
	return matches[len(matches)-1]
}

// startPostgres creates a cluster in a temporary directory, with a password
// for its user, and starts it on a free loopback port. As root it runs as
// the postgres user, since PostgreSQL refuses to run as root.
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	initdb := pgBin(t, "initdb")
	p := &pgServer{bin: filepath.Join(filepath.Dir(initdb), "postgres"), port: freePort(t), password: "pg-" + rand.Text()}
	dir, err := os.MkdirTemp("", "twelve-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root and no postgres user to run PostgreSQL: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pwfile := filepath.Join(dir, "password")
	if err := os.WriteFile(pwfile, []byte(p.password+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p.data = filepath.Join(dir, "data")
	cmd := exec.Command(initdb, "-D", p.data, "-U", "twelve", "--pwfile", pwfile, "--auth", "scram-sha-256", "-E", "UTF8", "--no-sync")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	p.url = "postgres://twelve:" + p.password + "@127.0.0.1:" + p.port + "/postgres?sslmode=disable"
	p.start(t)
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *pgServer) start(t *testing.T) {
	t.Helper()
	p.cmd = exec.Command(p.bin, "-D", p.data, "-p", p.port, "-k", filepath.Dir(p.data),
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p.done = make(chan struct{})
	go func() { p.cmd.Wait(); close(p.done) }()
	waitListening(t, "postgres", "127.0.0.1:"+p.port)
}

// stop shuts PostgreSQL down fast, dropping its clients.
func (p *pgServer) stop(t *testing.T) {
	t.Helper()
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		t.Error("postgres did not stop within 20s of SIGINT")
	}
	p.cmd = nil
}

// startRedis starts a Redis of the test's own, with a password, on a free
// loopback port.
func startRedis(t *testing.T) (addr, password string) {
	t.Helper()
	bin := requireTool(t, "redis-server")
	addr, password = "127.0.0.1:"+freePort(t), "rd-"+rand.Text()
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--port", port, "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitListening(t, "redis", addr)
	return addr, password
}

func waitListening(t *testing.T, what, addr string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
	}
	t.Fatalf("%s does not listen on %s after 20s", what, addr)
}

// readyChecks polls /-/ready until it answers want, and returns the status
// of each check then.
func readyChecks(t *testing.T, s *service, want int) map[string]string {
	t.Helper()
	var body []byte
	var status int
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var resp *http.Response
		resp, body = s.do(t, "GET", "/-/ready", "")
		if status = resp.StatusCode; status == want {
			break
		}
	}
	if status != want {
		t.Fatalf("GET /-/ready: %d %s, want %d", status, body, want)
	}
	var v struct {
		Checks map[string][]struct{ Status, Output string }
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET /-/ready: %v\n%s", err, body)
	}
	checks := map[string]string{}
	for name, results := range v.Checks {
		if len(results) > 0 {
			checks[name] = results[0].Status
		}
	}
	return checks
}

// runService runs the built service with env and returns its output and
// error, within a minute.
func runService(t *testing.T, dir, name string, env []string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./bin/"+name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestBackingServices runs the backing golden service against a PostgreSQL
// and a Redis of the test's own: migrate applies the migrations once;
// readiness follows the servers while liveness does not; start-up waits a
// bounded time for a server that is down, and says which; no password ever
// reaches the output.
func TestBackingServices(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service with real servers (-short)")
	}
	requireTool(t, "make")
	psql := requireTool(t, "psql")
	pg := startPostgres(t)
	redisAddr, redisPassword := startRedis(t)
	const name = "backend"
	dir := copyGolden(t, "backing", name)
	useBacking(t, dir)
	run(t, dir, "make", "build", "VERSION=v1.2.3-test")
	env := []string{"DATABASE_URL=" + pg.url, "REDIS_URL=redis://:" + redisPassword + "@" + redisAddr + "/0"}
	var outputs []string // everything the service wrote, to look for passwords

	// migrate applies the migrations, then has nothing to do.
	out, err := runService(t, dir, name, env, "migrate")
	outputs = append(outputs, out)
	if err != nil || !strings.Contains(out, `"msg":"migration applied"`) || !strings.Contains(out, "00001_create_notes.sql") {
		t.Fatalf("%s migrate: %v\n%s", name, err, out)
	}
	out, err = runService(t, dir, name, env, "migrate")
	outputs = append(outputs, out)
	if err != nil || strings.Contains(out, `"msg":"migration applied"`) || !strings.Contains(out, `"applied":0`) {
		t.Errorf("%s migrate, a second time: %v, want nothing applied\n%s", name, err, out)
	}
	if got := run(t, dir, psql, pg.url, "-tAc", "SELECT count(*) FROM notes; SELECT max(version_id) FROM goose_db_version"); got != "0\n1\n" {
		t.Errorf("after migrate, notes rows and schema version: %q, want 0 and 1", got)
	}

	s := start(t, dir, "", append(env, "SHUTDOWN_DELAY=1s", "HEALTH_CHECK_TIMEOUT=1s")...)
	s.waitFor(t, "/-/healthy")
	if checks := readyChecks(t, s, http.StatusOK); checks["postgres"] != "pass" || checks["redis"] != "pass" {
		t.Errorf("GET /-/ready with both servers up: checks %v, want postgres and redis passing", checks)
	}
	// A handler of the user's reaches both clients through deps.Backing.
	if resp, body := s.do(t, "GET", "/notes/count", ""); resp.StatusCode != http.StatusOK || string(body) != "0 notes, redis says PONG" {
		t.Errorf("GET /notes/count, a handler using deps.Backing: %d %q", resp.StatusCode, body)
	}

	// PostgreSQL goes away: not ready, still alive; back: ready again.
	pg.stop(t)
	if checks := readyChecks(t, s, http.StatusServiceUnavailable); checks["postgres"] != "fail" || checks["redis"] != "pass" {
		t.Errorf("GET /-/ready with postgres down: checks %v, want postgres failing, redis passing", checks)
	}
	if resp, body := s.do(t, "GET", "/-/healthy", ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /-/healthy with postgres down: %d %s, want 200: liveness never looks at backing services", resp.StatusCode, body)
	}
	pg.start(t)
	if checks := readyChecks(t, s, http.StatusOK); checks["postgres"] != "pass" {
		t.Errorf("GET /-/ready once postgres is back: checks %v", checks)
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
	outputs = append(outputs, s.out.String())
	sc := bufio.NewScanner(strings.NewReader(s.out.String()))
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Errorf("a log line is not JSON: %q", sc.Text())
		}
	}

	// Start-up with PostgreSQL down: a few attempts, then one clear line
	// naming the server, within the connect timeout.
	pg.stop(t)
	begin := time.Now()
	out, err = runService(t, dir, name, append(env, "DATABASE_CONNECT_TIMEOUT=2s"))
	outputs = append(outputs, out)
	if err == nil {
		t.Fatalf("serve with postgres down: exit 0\n%s", out)
	}
	if elapsed := time.Since(begin); elapsed > 20*time.Second {
		t.Errorf("serve with postgres down and DATABASE_CONNECT_TIMEOUT=2s gave up after %s", elapsed)
	}
	if n := strings.Count(out, `"msg":"postgres not reachable yet"`); n < 2 {
		t.Errorf("serve with postgres down: %d retries logged, want a few\n%s", n, out)
	}
	if !strings.Contains(out, "postgres at 127.0.0.1:"+pg.port) || !strings.Contains(out, "DATABASE_CONNECT_TIMEOUT") {
		t.Errorf("serve with postgres down: the error names neither the server nor DATABASE_CONNECT_TIMEOUT:\n%s", out)
	}

	// SIGTERM while waiting for PostgreSQL: a clean exit, at once.
	s = start(t, dir, "", append(env, "DATABASE_CONNECT_TIMEOUT=60s")...)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.out.String(), "postgres not reachable yet"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no retry logged within 10s with postgres down:\n%s", s.out.String())
		}
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("SIGTERM while waiting for postgres: %v, want exit 0\n%s", err, s.out.String())
		}
	case <-time.After(5 * time.Second):
		t.Errorf("SIGTERM while waiting for postgres: still running after 5s")
	}
	outputs = append(outputs, s.out.String())

	// A wrong password: refused, and neither password is shown.
	pg.start(t)
	wrong := "wrong-" + rand.Text()
	u, _ := url.Parse(pg.url)
	u.User = url.UserPassword("twelve", wrong)
	begin = time.Now()
	out, err = runService(t, dir, name, []string{"DATABASE_URL=" + u.String(), env[1], "DATABASE_CONNECT_TIMEOUT=60s"}, "migrate")
	outputs = append(outputs, out)
	if err == nil || strings.Contains(out, wrong) || !strings.Contains(out, "postgres at 127.0.0.1:"+pg.port) || !strings.Contains(out, "password authentication failed") {
		t.Errorf("migrate with a wrong password: %v, want a failure naming the server and the cause, not the password:\n%s", err, out)
	}
	if elapsed := time.Since(begin); elapsed > 10*time.Second {
		t.Errorf("a wrong password was retried for %s: no retry can cure it", elapsed)
	}
	begin = time.Now()
	out, err = runService(t, dir, name, []string{env[0], "REDIS_URL=redis://:" + wrong + "@" + redisAddr + "/0", "REDIS_CONNECT_TIMEOUT=60s"})
	outputs = append(outputs, out)
	if err == nil || strings.Contains(out, wrong) || !strings.Contains(out, "redis at "+redisAddr) || time.Since(begin) > 10*time.Second {
		t.Errorf("serve with a wrong Redis password: %v after %s, want a quick failure naming the server, not the password:\n%s", err, time.Since(begin), out)
	}

	for _, out := range outputs {
		for _, secret := range []string{pg.password, redisPassword} {
			if strings.Contains(out, secret) {
				t.Errorf("a password is in the service's output:\n%s", out)
			}
		}
	}
}

// useBacking edits a generated tree the way its README tells a user to: a
// handler of their own, in addRoutes, using the clients in deps.Backing.
func useBacking(t *testing.T, dir string) {
	t.Helper()
	addUserRoutes(t, dir, `mux.Handle("GET /notes/count", handleNoteCount(deps.Backing))`, `package server

import (
	"fmt"
	"net/http"
)

func handleNoteCount(b Backing) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		if err := b.Postgres.Pool().QueryRow(r.Context(), "SELECT count(*) FROM notes").Scan(&n); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		pong, err := b.Redis.Redis().Ping(r.Context()).Result()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%d notes, redis says %s", n, pong)
	})
}
`)
}

// addUserRoutes edits a generated tree the way a user adds handlers: the
// lines routes go in addRoutes after the example route, and handlers, a Go
// file of package server, next to routes.go.
func addUserRoutes(t *testing.T, dir, routes, handlers string) {
	t.Helper()
	file := filepath.Join(dir, "internal", "server", "routes.go")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = `mux.Handle("GET /hello", handleHello())`
	if !strings.Contains(string(data), anchor) {
		t.Fatalf("routes.go has no %s to add routes after", anchor)
	}
	data = []byte(strings.Replace(string(data), anchor, anchor+"\n\t"+routes, 1))
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "internal", "server", "user_handlers.go"), []byte(handlers), 0o644); err != nil {
		t.Fatal(err)
	}
}
