package e2e_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// addTestRoutes edits a generated tree the way a user adds handlers: in
// addRoutes, a handler that panics and one that takes ?ms= milliseconds,
// and, when it holds postgres, one that panics with the database client.
func addTestRoutes(t *testing.T, dir string, withBacking bool) {
	t.Helper()
	routes := "mux.Handle(\"GET /panic\", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(\"test panic\") }))" +
		"\n\tmux.Handle(\"GET /slow\", http.HandlerFunc(handleSlow))"
	if withBacking {
		routes += "\n\tmux.Handle(\"GET /panic-db\", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(deps.Backing.Postgres) }))"
	}
	addUserRoutes(t, dir, routes, `package server

import (
	"fmt"
	"net/http"
	"time"
)

// handleSlow answers after ?ms= milliseconds.
func handleSlow(w http.ResponseWriter, r *http.Request) {
	var ms int
	fmt.Sscan(r.URL.Query().Get("ms"), &ms)
	time.Sleep(time.Duration(ms) * time.Millisecond)
	fmt.Fprintln(w, "slept", ms)
}
`)
}

// rawRequest sends req over a new connection and reads the response.
func rawRequest(t *testing.T, addr string, req ...[]byte) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	for _, b := range req {
		if _, err := c.Write(b); err != nil {
			t.Fatalf("writing the request: %v", err)
		}
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// logLines returns the service's JSON log lines.
func logLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("a log line is not JSON: %q", sc.Text())
			continue
		}
		lines = append(lines, line)
	}
	return lines
}

// TestServiceResistsHostileClients runs the default golden service, with a
// panicking and a slow handler added, and attacks it: slow headers, huge
// headers and bodies, a panic, then SIGTERM under load.
func TestServiceResistsHostileClients(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service (-short)")
	}
	requireTool(t, "make")
	const name = "myservice"
	dir := copyGolden(t, "default", name)
	addTestRoutes(t, dir, false)
	run(t, dir, "make", "build", "VERSION=v1.2.3-test")
	s := start(t, dir, "", "SHUTDOWN_DELAY=1s", "SHUTDOWN_TIMEOUT=5s")
	s.waitFor(t, "/-/ready")
	addr := strings.TrimPrefix(s.base, "http://")

	// A client sending its headers a byte a second is cut off by
	// ReadHeaderTimeout (5s), long before it could finish.
	var slowloris sync.WaitGroup
	slowloris.Go(func() {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		closed := make(chan time.Time, 1)
		go func() {
			io.Copy(io.Discard, c) // returns when the server closes the connection
			closed <- time.Now()
		}()
		begin := time.Now()
		header := "GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 100) + "\r\n\r\n"
		for i := 0; i < len(header); i++ {
			select {
			case at := <-closed:
				if d := at.Sub(begin); d < 4*time.Second || d > 8*time.Second {
					t.Errorf("a slow client was cut off after %s, want about 5s (ReadHeaderTimeout)", d)
				}
				return
			case <-time.After(time.Second):
			}
			c.Write([]byte{header[i]}) // fails once the server has closed: the reader says when
		}
		t.Errorf("a client sending a header byte a second was still connected after %s", time.Since(begin))
	})

	// Headers beyond MaxHeaderBytes (64 KiB): 431.
	resp := rawRequest(t, addr, []byte("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 200<<10)+"\r\n\r\n"))
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("200 KiB of headers: %d, want 431", resp.StatusCode)
	}

	// A JSON body beyond 1 MiB on the example route: 413, and the
	// connection closed, so the rest of the body is never read.
	body := `{"name":"` + strings.Repeat("a", 2<<20) + `"}`
	resp = rawRequest(t, addr, fmt.Appendf(nil, "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body)), []byte(body[:1<<20+4096]))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
		t.Errorf("POST /hello with a 2 MiB body: %d (close %v), want 413 and the connection closed", resp.StatusCode, resp.Close)
	}
	if resp, body := s.do(t, "POST", "/hello", `{"name":"Ada"}`, "Content-Type", "application/json"); resp.StatusCode != 200 || !strings.Contains(string(body), "hello, Ada") {
		t.Errorf("POST /hello {\"name\":\"Ada\"}: %d %s", resp.StatusCode, body)
	}

	// A panicking handler: 500, logged with the request ID, and the
	// service goes on.
	const id = "panic-test-" + "1"
	if resp, _ := s.do(t, "GET", "/panic", "", "X-Request-ID", id); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("GET /panic: %d, want 500", resp.StatusCode)
	}
	if resp, _ := s.do(t, "GET", "/hello", ""); resp.StatusCode != 200 {
		t.Errorf("GET /hello after a panic: %d, want 200", resp.StatusCode)
	}
	logged := false
	for _, line := range logLines(t, s.out.String()) {
		if line["msg"] == "handler panicked" && line["request_id"] == id && line["panic"] == "test panic" && strings.Contains(fmt.Sprint(line["stack"]), "routes.go") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no log line of the panic with request_id %s, its value and its stack:\n%s", id, s.out.String())
	}
	slowloris.Wait()

	shutdownUnderLoad(t, s, addr)
}

// shutdownUnderLoad sends SIGTERM while clients keep sending requests:
// every request in flight when the listener closed must succeed, slow ones
// included, and the service must exit 0. A request is in flight once the
// server has read it, which its access log shows. One that the server
// never read may fail only as its listener closes, once SHUTDOWN_DELAY is
// over, on a connection refused, or queued but never read: that race is
// why load balancers get the delay to stop sending. While it lasts, nothing
// may fail.
func shutdownUnderLoad(t *testing.T, s *service, addr string) {
	const clients = 16
	const delay = time.Second // SHUTDOWN_DELAY
	type failure struct {
		id  string
		err error
		at  time.Time
	}
	var ok atomic.Int64
	var mu sync.Mutex
	var failures []failure
	fail := func(id string, err error) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, failure{id, err, time.Now()})
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range clients {
		// Half the clients keep connections alive, as a load balancer does;
		// the others open one per request.
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: i%2 == 1, MaxIdleConnsPerHost: 1}, Timeout: 10 * time.Second}
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("load-%d-%d", i, n)
				req, _ := http.NewRequest("GET", s.base+"/hello?name="+id, nil)
				req.Header.Set("X-Request-ID", id)
				resp, err := client.Do(req)
				if err != nil {
					fail(id, err)
					if errors.Is(err, syscall.ECONNREFUSED) {
						return // the listener is closed
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					fail(id, fmt.Errorf("status %d", resp.StatusCode))
					continue
				}
				ok.Add(1)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	before := ok.Load()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	sigterm := time.Now()
	// Slow requests that start near the end of SHUTDOWN_DELAY are still
	// running when the listener closes: they must finish.
	time.Sleep(delay - 200*time.Millisecond)
	var slow sync.WaitGroup
	var slowOK atomic.Int64
	for j := range 4 {
		slow.Go(func() {
			id := fmt.Sprintf("slow-%d", j)
			req, _ := http.NewRequest("GET", s.base+"/slow?ms=1500", nil)
			req.Header.Set("X-Request-ID", id)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				fail(id, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(b), "slept 1500") {
				fail(id, fmt.Errorf("%d %q", resp.StatusCode, b))
				return
			}
			slowOK.Add(1)
		})
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGTERM under load: %v, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM under load")
	}
	close(stop)
	wg.Wait()
	slow.Wait()

	read := map[string]bool{} // the requests the server read
	for _, line := range logLines(t, s.out.String()) {
		if id, ok := line["request_id"].(string); ok && line["msg"] == "request" {
			read[id] = true
		}
	}
	unaccepted := 0
	for _, f := range failures {
		// Refused, reset or closed before any answer: a connection the
		// server accepted, or the kernel queued, but that it never read.
		closing := errors.Is(f.err, syscall.ECONNREFUSED) || errors.Is(f.err, syscall.ECONNRESET) || errors.Is(f.err, io.EOF)
		if read[f.id] || !closing || f.at.Before(sigterm.Add(delay-100*time.Millisecond)) {
			t.Errorf("request %s failed %s after SIGTERM: %v", f.id, f.at.Sub(sigterm).Round(time.Millisecond), f.err)
			continue
		}
		unaccepted++
	}
	if slowOK.Load() != 4 {
		t.Errorf("%d of 4 slow requests in flight at shutdown succeeded", slowOK.Load())
	}
	if ok.Load() <= before || unaccepted == 0 {
		t.Errorf("%d requests succeeded (%d before SIGTERM), %d refused: want requests served during the delay and refused after", ok.Load(), before, unaccepted)
	}
	t.Logf("under load: %d requests succeeded, %d before SIGTERM; %d never read, sent as the listener closed; 0 failed", ok.Load(), before, unaccepted)
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after exit", addr)
	}
}

// TestAdminListener serves /-/ on an admin port of its own: the public port
// refuses every /-/ route, the admin port serves them and nothing else,
// the healthcheck command probes the admin port, and SIGTERM stops both.
func TestAdminListener(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service (-short)")
	}
	const name = "myservice"
	dir := buildGolden(t, "default", name)
	// Either port may be taken before the service listens there: waitFor
	// starts it again, on two new ports.
	var adminPort string
	var startBoth func() *service
	startBoth = func() *service {
		adminPort = freePort(t)
		s := start(t, dir, "", "ADMIN_PORT="+adminPort, "SHUTDOWN_DELAY=1s")
		s.again = startBoth
		return s
	}
	s := startBoth()
	s.waitFor(t, "/hello")
	public := s.base
	admin := &service{base: "http://127.0.0.1:" + adminPort, out: s.out, done: s.done}
	admin.waitFor(t, "/-/ready")

	for _, r := range []struct{ method, path, body string }{
		{"PUT", "/-/log-level", "debug"},
		{"GET", "/-/log-level", ""},
		{"GET", "/-/metrics", ""},
		{"GET", "/-/version", ""},
		{"GET", "/-/healthy", ""},
		{"GET", "/-/ready", ""},
		{"GET", "//-/metrics", ""},
		{"GET", "/%2D/metrics", ""},
	} {
		if resp, body := s.do(t, r.method, r.path, r.body); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s on the public port %s: %d %s, want 404", r.method, r.path, public, resp.StatusCode, body)
		}
	}
	if _, body := admin.do(t, "GET", "/-/log-level", ""); decode(t, "/-/log-level", body)["level"] != "INFO" {
		t.Errorf("the public PUT /-/log-level changed the level: %s", body)
	}
	for _, p := range []string{"/-/version", "/-/metrics", "/-/healthy", "/-/ready"} {
		if resp, _ := admin.do(t, "GET", p, ""); resp.StatusCode != 200 {
			t.Errorf("GET %s on the admin port: %d, want 200", p, resp.StatusCode)
		}
	}
	if resp, body := admin.do(t, "PUT", "/-/log-level", "debug"); resp.StatusCode != 200 {
		t.Errorf("PUT /-/log-level on the admin port: %d %s", resp.StatusCode, body)
	}
	if resp, _ := admin.do(t, "GET", "/hello", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /hello on the admin port: %d, want 404", resp.StatusCode)
	}
	if resp, _ := s.do(t, "GET", "/hello", ""); resp.StatusCode != 200 {
		t.Errorf("GET /hello on the public port: %d, want 200", resp.StatusCode)
	}
	serving := false
	for _, line := range logLines(t, s.out.String()) {
		if line["msg"] == "serving" && line["admin_address"] == "127.0.0.1:"+adminPort {
			serving = true
		}
	}
	if !serving {
		t.Errorf("the start-up log does not give admin_address 127.0.0.1:%s:\n%s", adminPort, s.out.String())
	}

	// The healthcheck command probes the admin port when there is one.
	port := strings.TrimPrefix(public, "http://127.0.0.1:")
	if out, err := runService(t, dir, name, []string{"PORT=" + port, "ADMIN_PORT=" + adminPort}, "healthcheck"); err != nil {
		t.Errorf("healthcheck with ADMIN_PORT: %v\n%s", err, out)
	}
	if out, err := runService(t, dir, name, []string{"PORT=" + port, "ADMIN_PORT="}, "healthcheck"); err == nil {
		t.Errorf("healthcheck of the public port, which has no /-/healthy: exit 0, want a failure\n%s", out)
	}

	// SIGTERM: both listeners close, and the service exits 0.
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
	for _, a := range []string{public, admin.base} {
		if c, err := net.Dial("tcp", strings.TrimPrefix(a, "http://")); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after exit", a)
		}
	}

	// A bad admin port: a one-line error naming it.
	out, err := runService(t, dir, name, []string{"PORT=" + port, "ADMIN_PORT=70000"})
	if err == nil || !strings.Contains(out, "ADMIN_PORT") {
		t.Errorf("ADMIN_PORT=70000: %v, want a failure naming ADMIN_PORT:\n%s", err, out)
	}
}

// TestServiceKeepsSecrets runs the backing golden service with passwords in
// DATABASE_URL and REDIS_URL, and in a file for DATABASE_URL_FILE, and
// looks for them in everything it prints: the start-up log, the env
// command, errors of bad configuration, and a panic with the database
// client as its value.
func TestServiceKeepsSecrets(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service with real servers (-short)")
	}
	requireTool(t, "make")
	pg := startPostgres(t)
	redisAddr, redisPassword := startRedis(t)
	const name = "backend"
	dir := copyGolden(t, "backing", name)
	addTestRoutes(t, dir, true)
	run(t, dir, "make", "build", "VERSION=v1.2.3-test")
	secrets := []string{pg.password, redisPassword}
	redisURL := "REDIS_URL=redis://:" + redisPassword + "@" + redisAddr + "/0"
	env := []string{"DATABASE_URL=" + pg.url, redisURL}
	var outputs []string

	s := start(t, dir, "", append(env, "SHUTDOWN_DELAY=0s", "LOG_LEVEL=debug")...)
	s.waitFor(t, "/-/ready")
	if resp, _ := s.do(t, "GET", "/panic-db", "", "X-Request-ID", "panic-db-1"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("GET /panic-db: %d, want 500", resp.StatusCode)
	}
	if resp, _ := s.do(t, "GET", "/hello", ""); resp.StatusCode != 200 {
		t.Errorf("GET /hello after a panic: %d", resp.StatusCode)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
	out := s.out.String()
	outputs = append(outputs, out)
	panicked := false
	for _, line := range logLines(t, out) {
		if line["msg"] == "handler panicked" && line["request_id"] == "panic-db-1" {
			panicked = strings.Contains(fmt.Sprint(line["panic"]), "127.0.0.1:"+pg.port) // the server, not the password
		}
	}
	if !panicked {
		t.Errorf("no log line of the panic naming the database server:\n%s", out)
	}

	// The secret from a file.
	file := filepath.Join(t.TempDir(), "database-url")
	if err := os.WriteFile(file, []byte(pg.url+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fileEnv := []string{"DATABASE_URL_FILE=" + file, redisURL}
	for _, c := range []struct {
		what string
		env  []string
		args []string
		fail bool
	}{
		{"env", env, []string{"env"}, false},
		{"help", env, []string{"help"}, false},
		{"migrate", fileEnv, []string{"migrate"}, false},
		{"a bad PORT", append(env, "PORT=notaport"), nil, true},
		{"a bad log level", append(env, "LOG_LEVEL=loud"), []string{"migrate"}, true},
		{"both DATABASE_URL and its file", append(env, "DATABASE_URL_FILE="+file), nil, true},
		{"a malformed DATABASE_URL", []string{"DATABASE_URL=postgres://twelve:" + pg.password + "@127.0.0.1:notaport/db", redisURL}, nil, true},
		{"a malformed REDIS_URL", []string{"DATABASE_URL=" + pg.url, "REDIS_URL=redis://:" + redisPassword + "@" + redisAddr + "/notadb"}, nil, true},
		{"an unreachable database", []string{"DATABASE_URL=postgres://twelve:" + pg.password + "@127.0.0.1:1/db", redisURL, "DATABASE_CONNECT_TIMEOUT=1s"}, nil, true},
	} {
		out, err := runService(t, dir, name, c.env, c.args...)
		if (err != nil) != c.fail {
			t.Errorf("%s: %v, want failure %v\n%s", c.what, err, c.fail, out)
		}
		outputs = append(outputs, out)
	}

	for _, out := range outputs {
		for _, secret := range secrets {
			if strings.Contains(out, secret) {
				t.Errorf("a password is in the service's output:\n%s", out)
			}
		}
	}
}

// gosecPath finds gosec on the PATH or where go install puts it, as
// scripts/tools.sh does.
func gosecPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("gosec"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err == nil {
		dirs := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(dirs) == 2 {
			candidates := []string{filepath.Join(dirs[1], "bin", "gosec")}
			if dirs[0] != "" {
				candidates = append([]string{filepath.Join(dirs[0], "gosec")}, candidates...)
			}
			for _, p := range candidates {
				if _, err := os.Stat(p); err == nil {
					return p
				}
			}
		}
	}
	if os.Getenv("TWELVE_REQUIRE_TOOLS") != "" {
		t.Fatal("gosec is not installed (make tools installs it)")
	}
	t.Skip("gosec is not installed (make tools installs it)")
	return ""
}

// TestGoldenTreesPassGosec runs the security linter gosec over every golden
// tree: it must find nothing, or a finding must be justified in place with
// a #nosec comment giving the reason.
func TestGoldenTreesPassGosec(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every golden tree (-short)")
	}
	gosec := gosecPath(t)
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := copyGolden(t, tc.name, tc.svc)
			cmd := exec.Command(gosec, "-quiet", "-fmt", "text", "-nosec-tag", "#nosec", "./...")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("gosec found issues in %s: %v\n%s", tc.name, err, out)
			}
		})
	}
	// Every #nosec says which rule and why, after "--".
	for _, tc := range goldenCases(t) {
		filepath.WalkDir(filepath.Join(goldenRoot, tc.name), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
				return err
			}
			data, err := os.ReadFile(path)
			for _, line := range strings.Split(string(data), "\n") {
				if _, after, ok := strings.Cut(line, "#nosec"); ok && (!strings.HasPrefix(after, " G") || !strings.Contains(after, " -- ")) {
					t.Errorf("%s: a #nosec without a rule and a reason: %s", path, strings.TrimSpace(line))
				}
			}
			return err
		})
	}
}
