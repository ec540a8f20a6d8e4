// Package metrics counts and times the service's requests and serves them,
// with the Go runtime's and the process's metrics, to Prometheus on
// GET /-/metrics. It uses github.com/VictoriaMetrics/metrics, which twelve's
// bench chose over the official client for its start-up time and memory.
//
// Add a metric of your own in one line at the top of your handler file,
// on the library's default set, and count with signups.Inc():
//
//	var signups = metrics.NewCounter("signups_total")
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// Metrics are the service's metrics: twelve's request metrics and yours.
type Metrics struct {
	Set *vm.Set
}

// New returns Metrics with an empty Set of their own.
func New() *Metrics {
	vm.ExposeMetadata(true) // the HELP and TYPE lines, off by default
	return &Metrics{Set: vm.NewSet()}
}

// Observe counts and times one answered request by its route (a ServeMux
// pattern, never the raw path, so that the series stay few), method and
// status code: http_requests_total and http_request_duration_seconds.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER" // any token is a method: keep the series few
	}
	labels := `{code="` + strconv.Itoa(status) + `",method="` + method + `",route="` + escape.Replace(route) + `"}`
	m.Set.GetOrCreateCounter("http_requests_total" + labels).Inc()
	m.Set.GetOrCreatePrometheusHistogram("http_request_duration_seconds" + labels).Update(d.Seconds())
}

// escape makes a string a label value of the text format.
var escape = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// Handler serves the Set's metrics, then yours (the library's default
// set), the Go runtime's and the process's, in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.Set.WritePrometheus(w)
		vm.WritePrometheus(w, true) // yours, then go_* and process_*
		vm.WriteFDMetrics(w)        // process_open_fds and process_max_fds
	})
}
