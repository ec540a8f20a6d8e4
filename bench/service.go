package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a service or the baseline, built once.
type server struct {
	name string // "service" or "baseline"
	bin  string
	log  string // file its stdout and stderr go to
}

// proc is a running server.
type proc struct {
	cmd  *exec.Cmd
	addr string
	out  *os.File
}

var built []server

// buildServers builds the generated service from a fresh twelve new, the
// same without its metrics component, and the baseline from bench/baseline,
// all with the same flags.
func buildServers(o opts) (svc, bare, base server, err error) {
	if built != nil {
		return built[0], built[1], built[2], nil
	}
	bins := filepath.Join(o.root, "bin")
	svc = server{"service", filepath.Join(bins, svcName), filepath.Join(o.root, "service.log")}
	bare = server{"service without metrics", filepath.Join(bins, svcName+"-bare"), filepath.Join(o.root, "bare.log")}
	base = server{"baseline", filepath.Join(bins, "baseline"), filepath.Join(o.root, "baseline.log")}
	env := []string{"CGO_ENABLED=0"}
	for _, v := range []struct {
		s     server
		flags []string
	}{{svc, nil}, {bare, []string{"--without", "metrics"}}} {
		dir := filepath.Join(o.root, "svc-"+filepath.Base(v.s.bin))
		if _, err := newService(o, dir, v.flags...); err != nil {
			return svc, bare, base, err
		}
		if _, err := run(filepath.Join(dir, svcName), env, "go", "build", "-trimpath", "-o", v.s.bin, "./cmd/"+svcName); err != nil {
			return svc, bare, base, err
		}
	}
	if _, err := run(o.repo, env, "go", "build", "-trimpath", "-o", base.bin, "./bench/baseline"); err != nil {
		return svc, bare, base, err
	}
	built = []server{svc, bare, base}
	return svc, bare, base, nil
}

// freePort returns a TCP port on loopback that nothing listens on.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port, nil
}

// start starts s on a free port with its output appended to its log file,
// pinned to CPU 0 when pin is set, with the extra environment env.
func (s server) start(pin bool, env ...string) (*proc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	out, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	name, args := s.bin, []string{}
	if pin {
		name, args = "taskset", []string{"-c", "0", s.bin}
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", "PORT="+port, "LOG_FORMAT=json", "LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	return &proc{cmd: cmd, addr: "127.0.0.1:" + port, out: out}, nil
}

// startTimed starts s unpinned and returns it once it is ready, with the
// time from exec to its first 200 on /-/ready and its VmRSS then, in KiB.
func (s server) startTimed() (*proc, time.Duration, int, error) {
	t0 := time.Now()
	p, err := s.start(false)
	if err != nil {
		return nil, 0, 0, err
	}
	ready, err := p.waitReady(10 * time.Second)
	if err != nil {
		p.kill()
		return nil, 0, 0, fmt.Errorf("%s: %w (its output: %s)", s.name, err, s.log)
	}
	kib, err := rss(p.cmd.Process.Pid)
	if err != nil {
		p.kill()
		return nil, 0, 0, err
	}
	return p, ready.Sub(t0), kib, nil
}

// kill stops p at once and waits for it.
func (p *proc) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
	p.out.Close()
}

// waitReady polls GET /-/ready until it answers 200, and returns when.
func (p *proc) waitReady(timeout time.Duration) (time.Time, error) {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + p.addr + "/-/ready")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	return time.Time{}, fmt.Errorf("no 200 on http://%s/-/ready within %s", p.addr, timeout)
}

// rss returns the resident memory of the process in KiB.
func rss(pid int) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			return strconv.Atoi(f[1])
		}
	}
	return 0, errors.New("no VmRSS in /proc/PID/status")
}

// cpuTime returns the CPU time (user and system) process pid has used.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	if len(f) < 13 {
		return 0, errors.New("short /proc/PID/stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bad /proc/PID/stat")
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on Linux.
const clockTicks = 100

// wrkResult is what one wrk run measured.
type wrkResult struct {
	rps      float64
	requests float64
	p99      time.Duration
	cpu      float64 // the server's CPU time per request, µs (set by proc.wrk)
}

// wrk loads path on p with runWrk and adds the CPU time p spent on each
// request meanwhile.
func (p *proc) wrk(pin bool, path string, seconds int) (wrkResult, error) {
	c0, err := cpuTime(p.cmd.Process.Pid)
	if err != nil {
		return wrkResult{}, err
	}
	r, err := runWrk(pin, "http://"+p.addr+path, seconds)
	if err != nil {
		return r, err
	}
	c1, err := cpuTime(p.cmd.Process.Pid)
	r.cpu = float64((c1 - c0).Microseconds()) / r.requests
	return r, err
}

var (
	wrkRPS     = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkReqs    = regexp.MustCompile(`(\d+) requests in`)
	wrkP99     = regexp.MustCompile(`\n\s+99%\s+([0-9.]+)(us|ms|s)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkErrors  = regexp.MustCompile(`Socket errors: .*`)
	wrkUnitDur = map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}
)

// runWrk loads url for the given time with one thread and 32 connections,
// pinned to CPU 1 when pin is set.
func runWrk(pin bool, url string, seconds int) (wrkResult, error) {
	name, args := "wrk", []string{"-t1", "-c32", fmt.Sprintf("-d%ds", seconds), "--latency", url}
	if pin {
		name, args = "taskset", append([]string{"-c", "1", "wrk"}, args...)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", url, err, out)
	}
	s := string(out)
	if m := wrkNon2xx.FindStringSubmatch(s); m != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %s non-2xx responses", url, m[1])
	}
	if m := wrkErrors.FindString(s); m != "" {
		return wrkResult{}, fmt.Errorf("wrk %s: %s", url, m)
	}
	m1, m2, m3 := wrkRPS.FindStringSubmatch(s), wrkP99.FindStringSubmatch(s), wrkReqs.FindStringSubmatch(s)
	if m1 == nil || m2 == nil || m3 == nil {
		return wrkResult{}, fmt.Errorf("wrk %s: cannot read its output:\n%s", url, s)
	}
	rps, _ := strconv.ParseFloat(m1[1], 64)
	v, _ := strconv.ParseFloat(m2[1], 64)
	n, _ := strconv.ParseFloat(m3[1], 64)
	return wrkResult{rps: rps, requests: n, p99: time.Duration(v * float64(wrkUnitDur[m2[2]]))}, nil
}

// service compares the generated service with the baseline: start-up,
// memory, throughput and latency.
func service(o opts) ([]row, error) {
	svc, bare, base, err := buildServers(o)
	if err != nil {
		return nil, err
	}
	servers := []server{base, svc}
	// The service again with ACCESS_LOG=off, to show what its access log
	// costs (it is not part of any goal).
	quiet := server{"service without access log", svc.bin, filepath.Join(o.root, "quiet.log")}
	envs := map[string][]string{quiet.name: {"ACCESS_LOG=off"}}

	// Start-up and memory, interleaved.
	startup := map[string][]time.Duration{}
	mem := map[string][]float64{}
	for i := -1; i < o.startRuns; i++ {
		for _, s := range []server{base, svc, bare} {
			p, took, kib, err := s.startTimed()
			if err != nil {
				return nil, err
			}
			p.kill()
			if i >= 0 {
				startup[s.name] = append(startup[s.name], took)
				mem[s.name] = append(mem[s.name], float64(kib))
			}
		}
	}

	// Throughput and latency: both servers run side by side, and wrk
	// loads one at a time, alternating, for a few rounds.
	procs := map[string]*proc{}
	servers = append(servers, quiet)
	for _, s := range servers {
		p, err := s.start(o.pin, envs[s.name]...)
		if err != nil {
			return nil, err
		}
		defer p.kill()
		if _, err := p.waitReady(10 * time.Second); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		procs[s.name] = p
	}
	paths := []string{"/-/healthy", "/hello?name=x"}
	rps := map[string][]float64{} // by server and path
	p99 := map[string][]time.Duration{}
	cpu := map[string][]float64{}      // server CPU time per request, µs
	rpsRatio := map[string][]float64{} // service / baseline, round by round
	for round := -1; round < o.wrkRounds; round++ {
		for _, path := range paths {
			got := map[string]float64{}
			for _, s := range servers {
				secs := o.wrkSeconds
				if round == -1 {
					secs = 1 // warm-up
				}
				r, err := procs[s.name].wrk(o.pin, path, secs)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", s.name, err)
				}
				if round >= 0 {
					k := s.name + " " + path
					rps[k] = append(rps[k], r.rps)
					p99[k] = append(p99[k], r.p99)
					cpu[k] = append(cpu[k], r.cpu)
					got[s.name] = r.rps
				}
			}
			if round >= 0 {
				rpsRatio[path] = append(rpsRatio[path], got["service"]/got["baseline"])
				rpsRatio["quiet "+path] = append(rpsRatio["quiet "+path], got[quiet.name]/got["baseline"])
			}
		}
	}
	// The access log must really be written: one line per request.
	if st, err := os.Stat(svc.log); err != nil || st.Size() < 1<<20 {
		return nil, fmt.Errorf("the service wrote no access log to %s", svc.log)
	}

	ts, tb, tn := median(startup["service"]), median(startup["baseline"]), median(startup[bare.name])
	ms1, mb, mn := medianF(mem["service"]), medianF(mem["baseline"]), medianF(mem[bare.name])
	rows := []row{
		{fmt.Sprintf("exec to first 200 on `/-/ready`, median of %d", o.startRuns), ms(ts), ms(tb), ratio(float64(ts) / float64(tb)), "≤ 1.5×", met(float64(ts) <= 1.5*float64(tb))},
		{"the same, `twelve new --without metrics`", ms(tn), ms(tb), ratio(float64(tn) / float64(tb)), "", ""},
		{"resident memory once ready (VmRSS)", fmt.Sprintf("%.1f MiB", ms1/1024), fmt.Sprintf("%.1f MiB", mb/1024), ratio(ms1 / mb), "≤ 1.5×", met(ms1 <= 1.5*mb)},
		{"the same, `twelve new --without metrics`", fmt.Sprintf("%.1f MiB", mn/1024), fmt.Sprintf("%.1f MiB", mb/1024), ratio(mn / mb), "", ""},
	}
	for _, path := range paths {
		rs, rb := medianF(rps["service "+path]), medianF(rps["baseline "+path])
		rr := medianF(rpsRatio[path])
		cs, cb := medianF(cpu["service "+path]), medianF(cpu["baseline "+path])
		ls, lb := median(p99["service "+path]), median(p99["baseline "+path])
		rows = append(rows,
			row{fmt.Sprintf("requests/s, `GET %s` (ratio: median of %d rounds' ratios)", path, o.wrkRounds), fmt.Sprintf("%.0f", rs), fmt.Sprintf("%.0f", rb), ratio(rr), "≥ 0.7×", met(rr >= 0.7)},
			row{fmt.Sprintf("server CPU time per request, `GET %s`", path), fmt.Sprintf("%.1f µs", cs), fmt.Sprintf("%.1f µs", cb), ratio(cs / cb), "", ""},
			row{fmt.Sprintf("p99 latency, `GET %s`", path), ms(ls), ms(lb), ratio(float64(ls) / float64(lb)), "", ""},
		)
		rq, cq := medianF(rps[quiet.name+" "+path]), medianF(cpu[quiet.name+" "+path])
		rows = append(rows,
			row{fmt.Sprintf("the same, `ACCESS_LOG=off`: requests/s, `GET %s`", path), fmt.Sprintf("%.0f", rq), fmt.Sprintf("%.0f", rb), ratio(medianF(rpsRatio["quiet "+path])), "", ""},
			row{fmt.Sprintf("the same, `ACCESS_LOG=off`: server CPU time per request, `GET %s`", path), fmt.Sprintf("%.1f µs", cq), fmt.Sprintf("%.1f µs", cb), ratio(cq / cb), "", ""},
		)
	}
	return rows, nil
}

// signal sends sig to p.
func (p *proc) signal(sig syscall.Signal) error { return p.cmd.Process.Signal(sig) }
