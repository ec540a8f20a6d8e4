// Package metrics counts and times the service's requests with
// Prometheus's official Go client, on a registry of its own, and serves
// them with the Go runtime's and the process's on GET /-/metrics. It is
// the prototype of a library-based internal/metrics (issue 18) that make
// bench measures: the registry is the one thing a handler needs to add a
// metric of its own, in one line:
//
//	signups := promauto.With(reg).NewCounter(prometheus.CounterOpts{Name: "signups_total", Help: "Sign-ups completed."})
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's registry and its request metrics.
type Metrics struct {
	Registry *prometheus.Registry // register the service's own metrics here
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// New returns Metrics on a new registry, with the Go runtime and process
// collectors: the names and buckets the client's default registry has.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	labels := []string{"method", "route", "code"}
	return &Metrics{
		Registry: reg,
		requests: promauto.With(reg).NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, labels),
		duration: promauto.With(reg).NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time taken to answer HTTP requests, by method, route pattern and status code.",
			Buckets: prometheus.DefBuckets,
		}, labels),
	}
}

// Observe records one answered request; route is a ServeMux pattern.
func (m *Metrics) Observe(method, route string, status int, d time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER" // any string can be a method: keep the labels bounded
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.duration.WithLabelValues(method, route, code).Observe(d.Seconds())
}

// Handler serves the registry in the format the scraper asks for.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
