package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

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

// TestGoldenTreesAreGreen builds and tests every golden tree for real: go.mod
// and go.sum are exactly what tidy writes, the code is gofmt-clean, vets,
// and passes its own tests with the race detector; run-app.sh passes
// shellcheck.
func TestGoldenTreesAreGreen(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests generated services (-short)")
	}
	shellcheck := requireTool(t, "shellcheck")
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			backingEnv(t, goldenHas(t, tc.name)) // its tests need TEST_DATABASE_URL...
			dir := copyGolden(t, tc.name, tc.svc)
			run(t, dir, "go", "mod", "tidy", "-diff")
			if out := run(t, dir, "gofmt", "-l", "."); out != "" {
				t.Errorf("gofmt would change:\n%s", out)
			}
			run(t, dir, "go", "vet", "./...")
			out := run(t, dir, "go", "test", "-race", "-count=1", "-v", "./...")
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, "--- SKIP") {
					t.Errorf("a test of the service skipped: %s", line) // with every TEST_ variable set, none may
				}
			}
			run(t, dir, shellcheck, "run-app.sh")
		})
	}
}

// TestSystemdUnitIsHardened scores each golden systemd unit with
// systemd-analyze security: the exposure must stay "OK" (at most 2.0 of 10).
func TestSystemdUnitIsHardened(t *testing.T) {
	analyze := requireTool(t, "systemd-analyze")
	for _, tc := range goldenCases(t) {
		unit := filepath.Join(goldenRoot, tc.name, "deploy", "systemd", tc.svc+".service")
		if _, err := os.Stat(unit); err != nil {
			continue // a case without the systemd component
		}
		out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", unit).CombinedOutput()
		if err != nil {
			t.Errorf("%s: exposure above 2.0 or unit unreadable: %v\n%s", unit, err, out)
		}
		if !strings.Contains(string(out), "Overall exposure level for "+tc.svc+".service") {
			t.Errorf("%s: systemd-analyze gave no score:\n%s", unit, out)
		}
	}
}

// TestServiceRuns builds each golden service with its Makefile, starts it
// through run-app.sh on a free port and talks to it over HTTP, as an
// operator would.
func TestServiceRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated services (-short)")
	}
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			backingEnv(t, goldenHas(t, tc.name)) // skip before building when servers are missing
			dir := buildGolden(t, tc.name, tc.svc)
			manifest, _ := os.ReadFile(filepath.Join(dir, ".twelve.json"))
			has := func(c string) bool { return bytes.Contains(manifest, []byte(`"`+c+`"`)) }
			var m struct{ Prefix string }
			json.Unmarshal(manifest, &m)
			testService(t, dir, tc.svc, m.Prefix, has)
		})
	}
}

// service is a running generated service.
type service struct {
	cmd  *exec.Cmd
	base string
	out  *lockedBuffer
	done chan error
	// again starts the service anew on another port, for waitFor when the
	// port freePort found was taken before the service could bind it.
	again func() *service
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

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// start starts the service in dir; env's names get the environment prefix,
// but PORT, which keeps its name.
func start(t *testing.T, dir, prefix string, env ...string) *service {
	t.Helper()
	s := &service{out: &lockedBuffer{}, done: make(chan error, 1)}
	port := freePort(t)
	s.base = "http://127.0.0.1:" + port
	s.cmd = exec.Command("./run-app.sh")
	s.cmd.Dir = dir
	s.cmd.Env = append(os.Environ(), "PORT="+port, prefix+"LOG_FORMAT=json")
	for _, e := range env {
		s.cmd.Env = append(s.cmd.Env, prefix+e)
	}
	if prefix != "" {
		// The unprefixed names are not the service's: this must not matter.
		s.cmd.Env = append(s.cmd.Env, "LOG_LEVEL=loud", "SHUTDOWN_TIMEOUT=never")
	}
	s.cmd.Stdout = s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	s.again = func() *service { return start(t, dir, prefix, env...) }
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		if t.Failed() {
			t.Logf("service output:\n%s", s.out.String())
		}
	})
	return s
}

// waitFor polls path until it answers 200. An answer counts only once the
// service has logged that it serves on its port: until then, the port that
// freePort found may have gone to another process, whose answer is not the
// service's. Once the service listens there, no one else can. A service
// that could not listen, since the port was taken meanwhile, is started
// again on another, twice at most.
func (s *service) waitFor(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for starts := 1; time.Now().Before(deadline); {
		select {
		case err := <-s.done:
			if s.again != nil && starts < 3 && strings.Contains(s.out.String(), "address already in use") {
				t.Logf("a port the service was given (%s, or another in its environment) was taken before it could listen: starting it again", s.base)
				*s = *s.again()
				starts++
				continue
			}
			t.Fatalf("service exited before answering %s: %v", path, err)
		default:
		}
		if s.serving() {
			resp, err := http.Get(s.base + path)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer 200 within 30s", path)
}

// serving reports whether the service has logged that it listens on the
// port of s.base, as its address or its admin address.
func (s *service) serving() bool {
	port := strings.TrimPrefix(s.base, "http://127.0.0.1:")
	for _, line := range strings.Split(s.out.String(), "\n") {
		if strings.Contains(line, `"msg":"serving"`) && strings.Contains(line, `:`+port+`"`) {
			return true
		}
	}
	return false
}

func (s *service) do(t *testing.T, method, path, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func decode(t *testing.T, what string, data []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s is not a JSON object: %v\n%s", what, err, data)
	}
	return v
}

func testService(t *testing.T, dir, name, prefix string, has func(string) bool) {
	backing := backingEnv(t, has) // DATABASE_URL, REDIS_URL; no golden case has them with a prefix
	s := start(t, dir, prefix, append(backing, "SHUTDOWN_DELAY=1s", "SHUTDOWN_TIMEOUT=5s")...)
	if has("healthcheck") {
		s.waitFor(t, "/-/ready")
		for _, p := range []string{"/-/healthy", "/-/ready"} {
			resp, body := s.do(t, "GET", p, "")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/health+json" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s: %d %q %q", p, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
			}
			if v := decode(t, p, body); v["status"] != "pass" || v["checks"] == nil {
				t.Errorf("GET %s: %s, want status pass and a checks object", p, body)
			}
		}
	} else {
		s.waitFor(t, "/-/version")
		if resp, _ := s.do(t, "GET", "/-/ready", ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /-/ready without the healthcheck component: %d, want 404", resp.StatusCode)
		}
	}

	resp, body := s.do(t, "GET", "/-/version", "")
	if v := decode(t, "/-/version", body); resp.StatusCode != 200 || v["version"] != "v1.2.3-test" {
		t.Errorf("GET /-/version: %d %s, want the version make build stamped", resp.StatusCode, body)
	}

	// The log level changes at run time.
	_, body = s.do(t, "GET", "/-/log-level", "")
	if v := decode(t, "/-/log-level", body); v["level"] != "INFO" {
		t.Errorf("GET /-/log-level: %s, want INFO", body)
	}
	if resp, body := s.do(t, "PUT", "/-/log-level", "debug"); resp.StatusCode != 200 {
		t.Errorf("PUT /-/log-level debug: %d %s", resp.StatusCode, body)
	}
	if _, body = s.do(t, "GET", "/-/log-level", ""); decode(t, "/-/log-level", body)["level"] != "DEBUG" {
		t.Errorf("after PUT debug, GET /-/log-level: %s", body)
	}
	if resp, _ := s.do(t, "PUT", "/-/log-level", "loud"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("PUT /-/log-level loud: %d, want 400", resp.StatusCode)
	}

	// A request ID from the client is kept, echoed and logged.
	const id = "e2e-test.request:1/2+3=4"
	resp, body = s.do(t, "GET", "/hello?name=operator", "", "X-Request-ID", id)
	if resp.StatusCode != 200 || resp.Header.Get("X-Request-ID") != id || !strings.Contains(string(body), "operator") {
		t.Errorf("GET /hello: %d, X-Request-ID %q, body %s", resp.StatusCode, resp.Header.Get("X-Request-ID"), body)
	}
	resp, _ = s.do(t, "GET", "/hello", "", "X-Request-ID", "bad id with spaces")
	if got := resp.Header.Get("X-Request-ID"); got == "" || strings.Contains(got, " ") {
		t.Errorf("a bad client request ID gave %q, want a generated one", got)
	}

	if has("metrics") {
		resp, body := s.do(t, "GET", "/-/metrics", "")
		if resp.StatusCode != 200 {
			t.Fatalf("GET /-/metrics: %d", resp.StatusCode)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("/-/metrics does not parse as Prometheus text: %v", err)
		}
		for _, name := range []string{"http_requests_total", "http_request_duration_seconds", "go_goroutines", "process_resident_memory_bytes"} {
			if families[name] == nil {
				t.Errorf("/-/metrics has no %s", name)
			}
		}
		found := false
		for _, m := range families["http_requests_total"].GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if strings.Contains(labels["route"], "?") || strings.Contains(labels["route"], "operator") {
				t.Errorf("a raw path leaked into a route label: %v", labels)
			}
			if labels["method"] == "GET" && labels["route"] == "GET /hello" && labels["code"] == "200" && m.GetCounter().GetValue() >= 1 {
				found = true
			}
		}
		if !found {
			t.Errorf("http_requests_total has no GET /hello 200 series:\n%s", body)
		}
	} else if resp, _ := s.do(t, "GET", "/-/metrics", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /-/metrics without the metrics component: %d, want 404", resp.StatusCode)
	}

	// The access log: one JSON line for the request, with its ID. The
	// service's log stream writes it a moment after the response, in a
	// batch that may reach the pipe in pieces: wait for the line, and
	// judge only whole lines.
	var access map[string]any
	var notJSON []string
	logged := 0 // the length of the output's whole lines, judged here
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		out := s.out.String()
		logged = strings.LastIndexByte(out, '\n') + 1
		access, notJSON = nil, nil
		sc := bufio.NewScanner(strings.NewReader(out[:logged]))
		for sc.Scan() {
			var line map[string]any
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				notJSON = append(notJSON, sc.Text())
				continue
			}
			if line["request_id"] == id && line["path"] == "/hello" {
				access = line
			}
		}
		if access != nil || time.Now().After(deadline) {
			break
		}
	}
	for _, line := range notJSON {
		t.Errorf("a log line is not JSON: %q", line)
	}
	if access == nil {
		t.Fatalf("no access log line with request_id %q within 10s", id)
	}
	for _, k := range []string{"method", "status", "bytes", "duration", "remote_addr"} {
		if _, ok := access[k]; !ok {
			t.Errorf("access log line has no %s: %v", k, access)
		}
	}

	if has("healthcheck") {
		// Docker's HEALTHCHECK runs this, with the service's own environment.
		cmd := exec.Command("./bin/"+name, "healthcheck")
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), backing...), "PORT="+strings.TrimPrefix(s.base, "http://127.0.0.1:"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s healthcheck against the running service: %v\n%s", name, err, out)
		}
	}

	// SIGTERM: readiness fails at once while the service keeps serving for
	// the delay, then it exits 0.
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if has("healthcheck") {
		// The signal arrives asynchronously: poll, well within the delay.
		status := 0
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			resp, _ := s.do(t, "GET", "/-/ready", "")
			if status = resp.StatusCode; status == http.StatusServiceUnavailable {
				break
			}
		}
		if status != http.StatusServiceUnavailable {
			t.Errorf("GET /-/ready during shutdown: %d, want 503", status)
		}
		if resp, _ := s.do(t, "GET", "/-/healthy", ""); resp.StatusCode != 200 {
			t.Errorf("GET /-/healthy during shutdown: %d, want 200", resp.StatusCode)
		}
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want 0", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit within 20s of SIGTERM")
	}
	logLines(t, s.out.String()[logged:]) // the lines after the access log's are JSON too

	// A second signal exits at once, long before SHUTDOWN_DELAY is over.
	s = start(t, dir, prefix, append(backing, "SHUTDOWN_DELAY=60s")...)
	s.waitFor(t, "/-/version")
	begin := time.Now()
	s.cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(100 * time.Millisecond)
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		if err == nil {
			t.Errorf("exit after a second signal: 0, want a failure code")
		}
		if !strings.Contains(s.out.String(), "second signal") {
			t.Errorf("no word of the second signal in the output:\n%s", s.out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("still running %s after a second signal, with SHUTDOWN_DELAY=60s", time.Since(begin))
	}
	if has("healthcheck") {
		// Nothing listens any more: the probe fails.
		cmd := exec.Command("./bin/"+name, "healthcheck")
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), backing...), "PORT="+strings.TrimPrefix(s.base, "http://127.0.0.1:"))
		if out, err := cmd.CombinedOutput(); err == nil {
			t.Errorf("%s healthcheck with no service: exit 0, want a failure\n%s", name, out)
		}
	}

	// Bad configuration: a message naming the variable, and no service.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./run-app.sh")
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), backing...), "PORT=notaport")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "PORT") || strings.Count(strings.TrimSpace(string(out)), "\n") > 2 {
		t.Errorf("PORT=notaport: %v, output %q; want a failure naming PORT in a line or two", err, out)
	}

	// The env subcommand lists every variable of .env.example.
	envOut := run(t, dir, "./bin/"+name, "env")
	example, err := os.ReadFile(filepath.Join(dir, ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(example), "\n") {
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(k, "#") && !strings.Contains(envOut, k) {
			t.Errorf("%s env does not list %s", name, k)
		}
	}
	if v := run(t, dir, "./bin/"+name, "--version"); !strings.Contains(v, "v1.2.3-test") {
		t.Errorf("--version: %q", v)
	}
}
