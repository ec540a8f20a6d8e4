package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	loadWorkers   = 32
	shutdownDelay = 500 * time.Millisecond
	loadBefore    = time.Second // load before SIGTERM
)

// outcome is one request of the load generator.
type outcome struct {
	id         string // its X-Request-ID
	start, end time.Time
	status     int   // 0 when there was no response
	err        error // transport error
	refused    bool  // the connection was refused: the service never saw it
}

// sigtermResult is what one SIGTERM-under-load run saw.
type sigtermResult struct {
	total, served, servedAfterTerm int
	inFlightFailures               int // failed although the listener was open when they started
	refusedAfterClose              int // refused at connect: the listener had closed
	otherAfterClose                int // other failures of requests started after the listener closed
	neverRead                      int // failed before the listener closed, but never reached the handler
	exit                           time.Duration
	notReady                       time.Duration // SIGTERM to the first 503 on /-/ready
	firstFailure                   string
}

// loadAndTerm loads p from loadWorkers keep-alive clients, sends SIGTERM
// after loadBefore, and goes on until the process has exited.
//
// The listener's closing time is the earliest connect that was refused,
// by the workers or by a prober dialling every millisecond: a refused
// connect proves the listener was closed. A request is in flight when it
// started before that moment; every such request must get a 2xx. Requests
// that start after it are not in flight: a load balancer stopped sending
// them when /-/ready began to fail, SHUTDOWN_DELAY earlier.
func loadAndTerm(p *proc, path, log string) (sigtermResult, error) {
	var res sigtermResult
	url := "http://" + p.addr + path
	tr := &http.Transport{MaxIdleConnsPerHost: loadWorkers, MaxConnsPerHost: loadWorkers}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer tr.CloseIdleConnections()

	var stop atomic.Bool
	var mu sync.Mutex
	var closed time.Time // earliest refused connect
	noteRefused := func(t time.Time) {
		mu.Lock()
		if closed.IsZero() || t.Before(closed) {
			closed = t
		}
		mu.Unlock()
	}
	results := make([][]outcome, loadWorkers)
	var wg sync.WaitGroup
	for w := range loadWorkers {
		wg.Go(func() {
			for !stop.Load() {
				var o outcome
				var connectStart time.Time
				trace := &httptrace.ClientTrace{ConnectStart: func(string, string) { connectStart = time.Now() }}
				ctx := httptrace.WithClientTrace(context.Background(), trace)
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				// An empty body with no GetBody makes the request one the
				// client never retries: every failure shows.
				req.Body = io.NopCloser(strings.NewReader(""))
				o.id = fmt.Sprintf("bench-%d-%d", w, len(results[w]))
				req.Header.Set("X-Request-ID", o.id)
				o.start = time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					o.status = resp.StatusCode
				}
				o.end, o.err = time.Now(), err
				if err != nil && errors.Is(err, syscall.ECONNREFUSED) {
					o.refused = true
					if !connectStart.IsZero() {
						noteRefused(connectStart)
					} else {
						noteRefused(o.start)
					}
				}
				results[w] = append(results[w], o)
				if o.refused {
					time.Sleep(time.Millisecond) // do not spin on a closed port
				}
			}
		})
	}
	// The prober: the listener is closed at the latest when a dial is refused.
	wg.Go(func() {
		for !stop.Load() {
			t := time.Now()
			c, err := net.DialTimeout("tcp", p.addr, time.Second)
			if err == nil {
				c.Close()
			} else if errors.Is(err, syscall.ECONNREFUSED) {
				noteRefused(t)
			}
			time.Sleep(time.Millisecond)
		}
	})
	// Readiness: when does /-/ready start failing after SIGTERM?
	var term time.Time
	termSent := make(chan struct{})
	wg.Go(func() {
		<-termSent
		probe := &http.Client{Timeout: time.Second}
		for !stop.Load() {
			resp, err := probe.Get("http://" + p.addr + "/-/ready")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable {
					res.notReady = time.Since(term)
					return
				}
			}
			time.Sleep(2 * time.Millisecond)
		}
	})

	exited := make(chan time.Time, 1)
	go func() {
		p.cmd.Wait()
		exited <- time.Now()
	}()
	time.Sleep(loadBefore)
	term = time.Now()
	if err := p.signal(syscall.SIGTERM); err != nil {
		return res, err
	}
	close(termSent)
	var exit time.Time
	select {
	case exit = <-exited:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		return res, errors.New("still running 30 s after SIGTERM")
	}
	time.Sleep(100 * time.Millisecond) // load on past the exit
	stop.Store(true)
	wg.Wait()
	p.out.Close()
	res.exit = exit.Sub(term)

	if closed.IsZero() {
		return res, errors.New("no connect was refused: the listener never closed")
	}
	// The request IDs in the access log: the requests the handler got.
	var handled map[string]bool
	if log != "" {
		b, err := os.ReadFile(log)
		if err != nil {
			return res, err
		}
		handled = map[string]bool{}
		for line := range strings.Lines(string(b)) {
			var l struct {
				Msg       string `json:"msg"`
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "request" {
				handled[l.RequestID] = true
			}
		}
	}
	for _, rs := range results {
		for _, o := range rs {
			res.total++
			ok := o.err == nil && o.status >= 200 && o.status < 300
			switch {
			case ok:
				res.served++
				if o.end.After(term) {
					res.servedAfterTerm++
				}
			case o.refused:
				// Never seen by the service, even when it started a little
				// before the moment measured: the client's first attempt
				// went out on a kept-alive connection the service had just
				// closed as idle, and its retry was refused.
				res.refusedAfterClose++
			case o.start.Before(closed) && handled != nil && !handled[o.id]:
				// Written on a kept-alive connection that the service
				// closed as idle, at the listener's closing, without
				// reading it: the service never accepted it.
				res.neverRead++
			case o.start.Before(closed):
				res.inFlightFailures++
				if res.firstFailure == "" {
					res.firstFailure = failure(o)
				}
			default:
				res.otherAfterClose++
			}
		}
	}
	return res, nil
}

func failure(o outcome) string {
	if o.err != nil {
		return o.err.Error()
	}
	return fmt.Sprintf("status %d", o.status)
}

// sigterm sends SIGTERM to the service under load and counts the requests
// it failed; the baseline, which dies on SIGTERM, shows what failing looks
// like to the same load generator.
func sigterm(o opts) ([]row, error) {
	svc, _, base, err := buildServers(o)
	if err != nil {
		return nil, err
	}
	var results [2]sigtermResult
	for i, s := range []server{svc, base} {
		p, err := s.start(false, "SHUTDOWN_DELAY="+shutdownDelay.String(), "SHUTDOWN_TIMEOUT=5s")
		if err != nil {
			return nil, err
		}
		if _, err := p.waitReady(10 * time.Second); err != nil {
			p.kill()
			return nil, err
		}
		log := s.log
		if s.name == "baseline" {
			log = "" // it writes no access log
		}
		results[i], err = loadAndTerm(p, "/hello?name=x", log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	r, b := results[0], results[1]
	inflight := func(r sigtermResult) string {
		s := fmt.Sprint(r.inFlightFailures)
		if r.firstFailure != "" {
			s += fmt.Sprintf(" (first: %s)", r.firstFailure)
		}
		return s
	}
	overhead := r.exit - shutdownDelay
	return []row{
		{fmt.Sprintf("requests from %d keep-alive clients, `GET /hello`", loadWorkers), fmt.Sprintf("%d, %d served after SIGTERM", r.total, r.servedAfterTerm), fmt.Sprintf("%d, %d served after SIGTERM", b.total, b.servedAfterTerm), "", "", ""},
		{"in-flight failures (started before the listener closed)", inflight(r), inflight(b), "", "0", met(r.inFlightFailures == 0)},
		{"refused at connect after the listener closed (not in flight)", fmt.Sprint(r.refusedAfterClose), fmt.Sprint(b.refusedAfterClose), "", "", ""},
		{"other failures after the listener closed", fmt.Sprint(r.otherAfterClose), fmt.Sprint(b.otherAfterClose), "", "", ""},
		{"failed as the listener closed, never read by the service (keep-alive race)", fmt.Sprint(r.neverRead), "(no access log)", "", "", ""},
		{"SIGTERM to the first 503 on `/-/ready`", ms(r.notReady), "never (it dies)", "", "", ""},
		{fmt.Sprintf("SIGTERM to exit, `SHUTDOWN_DELAY=%s`", shutdownDelay), ms(r.exit), "`SHUTDOWN_DELAY`: " + ms(shutdownDelay), ratio(float64(r.exit)/float64(shutdownDelay)) + fmt.Sprintf(" (+%s)", ms(overhead)), "delay + < 100 ms", met(overhead >= 0 && overhead < 100*time.Millisecond)},
	}, nil
}
