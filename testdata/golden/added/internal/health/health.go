// Package health answers the liveness and readiness probes under /-/.
//
// Liveness (/-/healthy) says the process can serve; it never looks at
// backing services, so that an outage of a database does not get every
// instance restarted. Readiness (/-/ready) says the instance should get
// traffic: it fails while starting and from the first moment of shutdown,
// and otherwise runs every registered check. Responses follow the shape of
// draft-inadarei-api-health-check.
package health

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/http"
	"time"
)

// Health answers the probes of the service.
type Health struct {
	timeout time.Duration
	ready   func() bool
	checks  iter.Seq2[string, func(context.Context) error]
}

// New returns a Health that is ready while ready reports true and every
// check of checks, by name, passes within checkTimeout. checks is ranged
// over at each probe, so that checks added before serving count:
// maps.All(m) of a map m, for one.
func New(checkTimeout time.Duration, ready func() bool, checks iter.Seq2[string, func(context.Context) error]) *Health {
	return &Health{timeout: checkTimeout, ready: ready, checks: checks}
}

// response is the body of both probes.
type response struct {
	Status string             `json:"status"` // pass or fail
	Output string             `json:"output,omitempty"`
	Checks map[string][]check `json:"checks"`
}

type check struct {
	Status string `json:"status"`
	Output string `json:"output,omitempty"`
}

// Healthy answers the liveness probe: always pass while the process serves.
func (h *Health) Healthy() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		write(w, response{Status: "pass", Checks: map[string][]check{}})
	})
}

// Ready answers the readiness probe.
func (h *Health) Ready() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.ready() {
			write(w, response{Status: "fail", Output: "not ready", Checks: map[string][]check{}})
			return
		}
		write(w, h.runChecks(r.Context()))
	})
}

// runChecks runs every check at once, each within the timeout.
func (h *Health) runChecks(ctx context.Context) response {
	type result struct {
		name string
		err  error
	}
	checks := maps.Collect(h.checks) // one check a name, the last added
	results := make(chan result, len(checks))
	for name, fn := range checks {
		go func() { results <- result{name, h.runCheck(ctx, fn)} }()
	}
	resp := response{Status: "pass", Checks: make(map[string][]check, len(checks))}
	for range len(checks) {
		r := <-results
		c := check{Status: "pass"}
		if r.err != nil {
			c, resp.Status = check{Status: "fail", Output: r.err.Error()}, "fail"
		}
		resp.Checks[r.name] = []check{c}
	}
	return resp
}

// runCheck returns the result of fn, or an error once the timeout is up,
// even if fn does not watch its context.
func (h *Health) runCheck(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %s", h.timeout)
	}
}

// write sends resp with 200 if it passes, 503 if not.
func write(w http.ResponseWriter, resp response) {
	w.Header().Set("Content-Type", "application/health+json")
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if resp.Status != "pass" {
		status = http.StatusServiceUnavailable
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

// Probe checks that GET url answers 200 OK within a few seconds. It backs
// the healthcheck subcommand, for container runtimes with no curl.
func Probe(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}
