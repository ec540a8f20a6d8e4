package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// variant is a program of bench/variants: the baseline's server with one
// metrics library or one way of logging added.
type variant struct {
	server
	title   string   // what the rows call it
	pkg     string   // its package in bench/variants
	from    []string // files of a fresh twelve new it needs, copied to generated/
	metrics bool     // serves GET /-/metrics
	paths   []string // loaded with wrk
}

const (
	// loadRequests are sent to each server before its memory is read a
	// second time, one in scrapeEvery of them a scrape of /-/metrics.
	loadRequests = 10000
	scrapeEvery  = 1000
)

// libraries measures the choices of issue 18 as programs of their own,
// each the baseline plus one thing: metrics by today's generated package,
// by client_golang and by VictoriaMetrics/metrics alone, and an access log
// written by slog's JSON handler straight to stdout.
func libraries(o opts) ([]row, error) {
	bins := filepath.Join(o.root, "bin")
	base := server{"baseline", filepath.Join(bins, "baseline"), filepath.Join(o.root, "baseline.log")}
	if _, err := run(o.repo, []string{"CGO_ENABLED=0"}, "go", "build", "-trimpath", "-o", base.bin, "./bench/baseline"); err != nil {
		return nil, err
	}
	both := []string{"/-/healthy", "/hello?name=x"}
	healthy := []string{"/-/healthy"}
	vs := []variant{
		{title: "today's generated internal/metrics", pkg: "svcmetrics", from: []string{"internal/metrics/metrics.go"}, metrics: true, paths: both},
		{title: "prometheus/client_golang", pkg: "promclient", metrics: true, paths: both},
		{title: "VictoriaMetrics/metrics", pkg: "victoria", metrics: true, paths: both},
		{title: "slog JSON handler to stdout, a write per line", pkg: "slogstdout", paths: healthy},
	}
	if err := buildVariants(o, vs); err != nil {
		return nil, err
	}
	var metered []variant
	for _, v := range vs {
		if v.metrics {
			metered = append(metered, v)
		}
	}

	// Start-up and memory, interleaved; the first round is a warm-up, in
	// which each scrape is also parsed and the output at start kept.
	startup := map[string][]time.Duration{}
	mem := map[string][]float64{}
	loaded := map[string][]float64{}
	said := map[string]string{} // the first line a server wrote, and when
	series := map[string]int{}
	for i := -1; i < o.startRuns; i++ {
		for _, s := range append([]server{base}, servers(metered)...) {
			isMetered := s.name != base.name
			before := fileSize(s.log)
			p, took, kib, err := s.startTimed()
			if err != nil {
				return nil, err
			}
			started := fileSize(s.log)
			err = load(p.addr, loadRequests, isMetered)
			var kib2 int
			if err == nil {
				kib2, err = rss(p.cmd.Process.Pid)
			}
			if err == nil && i == -1 && isMetered {
				series[s.name], err = checkScrape(p.addr)
			}
			p.kill()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.name, err)
			}
			if _, ok := said[s.name]; !ok {
				if started > before {
					said[s.name] = "at start: " + firstLine(s.log, before)
				} else if fileSize(s.log) > started {
					said[s.name] = "while serving: " + firstLine(s.log, started)
				}
			}
			if i >= 0 {
				startup[s.name] = append(startup[s.name], took)
				mem[s.name] = append(mem[s.name], float64(kib))
				loaded[s.name] = append(loaded[s.name], float64(kib2))
			}
		}
	}

	// Throughput: every server runs side by side, pinned as in section 2,
	// and wrk loads one at a time, in rounds.
	procs := map[string]*proc{}
	all := append([]variant{{server: base, paths: both}}, vs...)
	for _, v := range all {
		p, err := v.start(o.pin)
		if err != nil {
			return nil, err
		}
		defer p.kill()
		if _, err := p.waitReady(10 * time.Second); err != nil {
			return nil, fmt.Errorf("%s: %w", v.name, err)
		}
		procs[v.name] = p
	}
	rps := map[string][]float64{}      // by server and path
	cpu := map[string][]float64{}      // server CPU time per request, µs
	rpsRatio := map[string][]float64{} // server / baseline, round by round
	for round := -1; round < o.wrkRounds; round++ {
		secs := o.wrkSeconds
		if round == -1 {
			secs = 1 // warm-up
		}
		for _, path := range both {
			got := map[string]float64{}
			for _, v := range all {
				if !slices.Contains(v.paths, path) {
					continue
				}
				r, err := procs[v.name].wrk(o.pin, path, secs)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", v.name, err)
				}
				got[v.name] = r.rps
				if round >= 0 {
					k := v.name + " " + path
					rps[k] = append(rps[k], r.rps)
					cpu[k] = append(cpu[k], r.cpu)
				}
			}
			if round >= 0 {
				for name, r := range got {
					rpsRatio[name+" "+path] = append(rpsRatio[name+" "+path], r/got[base.name])
				}
			}
		}
	}
	for _, v := range vs {
		if !v.metrics {
			if st, err := os.Stat(v.log); err != nil || st.Size() < 1<<20 {
				return nil, fmt.Errorf("%s wrote no access log to %s", v.name, v.log)
			}
		}
	}

	// The rows: each variant against the baseline of the same run.
	tb, mb, lb := median(startup[base.name]), medianF(mem[base.name]), medianF(loaded[base.name])
	sizeB := fileSize(base.bin)
	var rows []row
	for _, v := range metered {
		goal, ok := "≤ 1.5× (issue 18)", func(x float64) string { return met(x <= 1.5) }
		ts, ms1, ls := median(startup[v.name]), medianF(mem[v.name]), medianF(loaded[v.name])
		out := said[v.name]
		if out == "" {
			out = "nothing"
		}
		rows = append(rows,
			row{fmt.Sprintf("*%s*: exec to first 200 on `/-/ready`, median of %d", v.title, o.startRuns), ms(ts), ms(tb), ratio(float64(ts) / float64(tb)), goal, ok(float64(ts) / float64(tb))},
			row{"resident memory once ready (VmRSS)", mib(ms1), mib(mb), ratio(ms1 / mb), goal, ok(ms1 / mb)},
			row{fmt.Sprintf("resident memory after %d requests, %d of them scrapes", loadRequests, loadRequests/scrapeEvery), mib(ls), mib(lb), ratio(ls / lb), goal, ok(ls / lb)},
			row{"binary (`go build -trimpath`, static)", mb1(fileSize(v.bin)), mb1(sizeB), ratio(float64(fileSize(v.bin)) / float64(sizeB)), "", ""},
			row{"lines on `/-/metrics` after that load; its output on stdout and stderr", fmt.Sprintf("%d; %s", series[v.name], out), "", "", "", ""},
		)
		rows = append(rows, throughputRows(v, base, rps, cpu, rpsRatio, o.wrkRounds)...)
	}
	for _, v := range vs {
		if !v.metrics {
			rows = append(rows, throughputRows(v, base, rps, cpu, rpsRatio, o.wrkRounds)...)
		}
	}
	return rows, nil
}

// throughputRows are the requests/s and CPU time per request of v on each
// of its paths, against the baseline.
func throughputRows(v variant, base server, rps, cpu, rpsRatio map[string][]float64, rounds int) []row {
	var rows []row
	for _, path := range v.paths {
		k, kb := v.name+" "+path, base.name+" "+path
		title := fmt.Sprintf("requests/s, `GET %s` (ratio: median of %d rounds' ratios)", path, rounds)
		if !v.metrics {
			title = fmt.Sprintf("*%s*: %s", v.title, title)
		}
		cs, cb := medianF(cpu[k]), medianF(cpu[kb])
		rows = append(rows,
			row{title, fmt.Sprintf("%.0f", medianF(rps[k])), fmt.Sprintf("%.0f", medianF(rps[kb])), ratio(medianF(rpsRatio[k])), "", ""},
			row{fmt.Sprintf("server CPU time per request, `GET %s`", path), fmt.Sprintf("%.1f µs", cs), fmt.Sprintf("%.1f µs", cb), ratio(cs / cb), "", ""},
		)
	}
	return rows
}

// buildVariants copies bench/variants, with the files of a fresh twelve
// new that the variants of today's code need, and builds each variant as
// the baseline is built.
func buildVariants(o opts, vs []variant) error {
	svc := filepath.Join(o.root, "svc-variants")
	if _, err := newService(o, svc); err != nil {
		return err
	}
	src := filepath.Join(o.root, "variants")
	if _, err := run(o.root, nil, "cp", "-r", filepath.Join(o.repo, "bench", "variants"), src); err != nil {
		return err
	}
	for i, v := range vs {
		for _, f := range v.from {
			b, err := os.ReadFile(filepath.Join(svc, svcName, f))
			if err != nil {
				return fmt.Errorf("%s needs the generated service's %s: %w", v.pkg, f, err)
			}
			// internal/metrics/x.go becomes generated/metrics/x.go.
			dst := filepath.Join(src, "generated", filepath.Base(filepath.Dir(f)), filepath.Base(f))
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				return err
			}
		}
		vs[i].server = server{v.pkg, filepath.Join(o.root, "bin", v.pkg), filepath.Join(o.root, v.pkg+".log")}
		if _, err := run(src, []string{"CGO_ENABLED=0"}, "go", "build", "-trimpath", "-tags", "generated", "-o", vs[i].bin, "./"+v.pkg); err != nil {
			return err
		}
	}
	return nil
}

// load sends n GET requests to addr from 8 keep-alive connections, to
// /-/healthy and /hello in turn, one in scrapeEvery of them to /-/metrics
// when scrape is set, and fails on any answer but 200.
func load(addr string, n int, scrape bool) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 5 * time.Second}
	defer client.CloseIdleConnections()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range errs {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				path := "/-/healthy"
				switch {
				case scrape && i%scrapeEvery == scrapeEvery-1:
					path = "/-/metrics"
				case i%2 == 1:
					path = "/hello?name=x"
				}
				resp, err := client.Get("http://" + addr + path)
				if err != nil {
					errs[w] = err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs[w] = fmt.Errorf("GET %s: %s", path, resp.Status)
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// checkScrape reads /-/metrics with the Prometheus text parser, checks
// that it holds what the generated service promises, and returns how many
// lines it has.
func checkScrape(addr string) (int, error) {
	resp, err := http.Get("http://" + addr + "/-/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		return 0, fmt.Errorf("/-/metrics: %w", err)
	}
	for _, name := range []string{"http_requests_total", "http_request_duration_seconds", "go_goroutines", "go_memstats_alloc_bytes", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds"} {
		if families[name] == nil {
			return 0, fmt.Errorf("/-/metrics has no %s", name)
		}
	}
	if !strings.Contains(string(b), `route="GET /hello"`) {
		return 0, errors.New(`/-/metrics has no series with route="GET /hello"`)
	}
	return bytes.Count(b, []byte("\n")), nil
}

func servers(vs []variant) []server {
	s := make([]server, len(vs))
	for i, v := range vs {
		s[i] = v.server
	}
	return s
}

func fileSize(name string) int64 {
	st, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return st.Size()
}

// firstLine is the first line of file name from offset off, shortened.
func firstLine(name string, off int64) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	b := make([]byte, 200)
	n, _ := f.ReadAt(b, off)
	line, _, _ := strings.Cut(string(b[:n]), "\n")
	return "`" + strings.ReplaceAll(line, "`", "'") + "`"
}

func mib(kib float64) string { return fmt.Sprintf("%.1f MiB", kib/1024) }

func mb1(bytes int64) string { return fmt.Sprintf("%.1f MB", float64(bytes)/1e6) }
