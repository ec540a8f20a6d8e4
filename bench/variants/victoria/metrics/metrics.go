// Package metrics counts and times the service's requests with
// github.com/VictoriaMetrics/metrics, on a Set of its own, and serves
// them with the Go runtime's and the process's on GET /-/metrics. It is
// the prototype of a library-based internal/metrics (issue 18) that make
// bench measures: the Set is the one thing a handler needs to add a metric
// of its own, in one line:
//
//	signups := set.NewCounter("signups_total")
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// Metrics are the service's own metrics.
type Metrics struct {
	Set *vm.Set // add the service's own metrics here
}

// New returns Metrics with an empty Set. It turns on the HELP and TYPE
// lines, which the library leaves out by default, for every Set.
func New() *Metrics {
	vm.ExposeMetadata(true)
	return &Metrics{Set: vm.NewSet()}
}

// Observe records one answered request; route is a ServeMux pattern.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER" // any string can be a method: keep the labels bounded
	}
	labels := `{code="` + strconv.Itoa(status) + `",method="` + method + `",route="` + escape.Replace(route) + `"}`
	m.Set.GetOrCreateCounter("http_requests_total" + labels).Inc()
	m.Set.GetOrCreatePrometheusHistogram("http_request_duration_seconds" + labels).Update(d.Seconds())
}

// escape makes a string a label value of the text format.
var escape = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// Handler serves the Set, then the Go runtime's and the process's metrics.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.Set.WritePrometheus(w)
		vm.WriteProcessMetrics(w)
		vm.WriteFDMetrics(w) // process_open_fds and _max_fds, which the above leaves out
	})
}
