package metrics

import (
	"bytes"
	"fmt"
	"math"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape serves GET /-/metrics and parses the answer with Prometheus's
// own parser.
func scrape(t testing.TB, m *Metrics) (map[string]*dto.MetricFamily, []byte) {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/-/metrics", nil))
	if w.Code != 200 {
		t.Fatalf("GET /-/metrics: %d", w.Code)
	}
	if got := expfmt.ResponseFormat(w.Header()); got.FormatType() != expfmt.TypeTextPlain {
		t.Errorf("Prometheus reads Content-Type %q as %v, want the text format", w.Header().Get("Content-Type"), got)
	}
	body := w.Body.Bytes()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parsing the metrics: %v\n%s", err, body)
	}
	return families, body
}

func TestObserve(t *testing.T) {
	m := New()
	m.Observe("GET", "GET /hello", 200, 10*time.Millisecond) // le="0.01" holds its bound
	m.Observe("GET", "GET /hello", 200, 20*time.Millisecond)
	m.Observe("GET", "GET /hello", 200, 11*time.Second) // only in +Inf
	m.Observe("GET", "unmatched", 404, time.Millisecond)
	m.Observe("BREW", "unmatched", 405, time.Millisecond)
	m.Observe("GET", "GET /say/\"{word}\"\\\n", 200, time.Second)
	families, body := scrape(t, m)

	// Counters by "method route code", and the histograms.
	counts, histograms := map[string]float64{}, map[string]*dto.Histogram{}
	for _, metric := range families["http_requests_total"].GetMetric() {
		counts[labels(metric)] = metric.GetCounter().GetValue()
	}
	for _, metric := range families["http_request_duration_seconds"].GetMetric() {
		histograms[labels(metric)] = metric.GetHistogram()
	}
	want := map[string]float64{
		"GET GET /hello 200":              3,
		"GET unmatched 404":               1,
		"OTHER unmatched 405":             1,
		"GET GET /say/\"{word}\"\\\n 200": 1, // escaped, and parsed back
	}
	for key, n := range want {
		if counts[key] != n || histograms[key].GetSampleCount() != uint64(n) {
			t.Errorf("%q: counter %v, histogram count %v, want %v", key, counts[key], histograms[key].GetSampleCount(), n)
		}
	}
	if len(counts) != len(want) || len(histograms) != len(want) {
		t.Errorf("http_requests_total = %v, want %v\n%s", counts, want, body)
	}

	h := histograms["GET GET /hello 200"]
	if got, want := h.GetSampleSum(), 11.03; math.Abs(got-want) > 1e-9 {
		t.Errorf("sum %v, want %v", got, want)
	}
	cumulative := map[float64]uint64{}
	for _, b := range h.GetBucket() {
		cumulative[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	// The Prometheus default buckets, .005 to 10 seconds.
	for bound, n := range map[float64]uint64{.005: 0, .01: 1, .025: 2, 10: 2, math.Inf(1): 3} {
		if got, ok := cumulative[bound]; !ok || got != n {
			t.Errorf("bucket le=%v: %d, want %d", bound, got, n)
		}
	}
	for _, line := range []string{"# TYPE http_requests_total counter", "# TYPE http_request_duration_seconds histogram"} {
		if !bytes.Contains(body, []byte(line+"\n")) {
			t.Errorf("no %q line\n%s", line, body)
		}
	}
}

// TestYourOwnMetrics defines a counter and a histogram as a handler does,
// in one line each, and finds them on /-/metrics beside twelve's.
func TestYourOwnMetrics(t *testing.T) {
	m := New()
	signups := m.Set.NewCounter(`signups_total{plan="free"}`)
	size := m.Set.NewHistogram("upload_size_bytes")
	signups.Inc()
	size.Update(2048)
	families, body := scrape(t, m)
	if got := families["signups_total"].GetMetric(); len(got) != 1 || got[0].GetCounter().GetValue() != 1 || got[0].GetLabel()[0].GetValue() != "free" {
		t.Errorf("signups_total = %v\n%s", got, body)
	}
	if families["upload_size_bytes_bucket"] == nil && families["upload_size_bytes"] == nil {
		t.Errorf("upload_size_bytes is missing\n%s", body)
	}
}

func TestRuntimeAndProcess(t *testing.T) {
	families, body := scrape(t, New())
	names := []string{"go_goroutines", "go_threads", "go_gc_duration_seconds", "go_memstats_alloc_bytes",
		"go_memstats_heap_alloc_bytes", "go_memstats_sys_bytes", "go_info"}
	if runtime.GOOS == "linux" {
		names = append(names, "process_cpu_seconds_total", "process_max_fds", "process_open_fds",
			"process_resident_memory_bytes", "process_start_time_seconds", "process_virtual_memory_bytes")
	}
	for _, name := range names {
		if families[name] == nil {
			t.Errorf("%s is missing\n%s", name, body)
		}
	}
	value := func(name string) float64 { // of the family's first series
		for _, metric := range families[name].GetMetric() {
			return metric.GetGauge().GetValue() + metric.GetCounter().GetValue() + metric.GetUntyped().GetValue()
		}
		return 0
	}
	if got := value("go_goroutines"); got < 1 {
		t.Errorf("go_goroutines %v", got)
	}
	if runtime.GOOS == "linux" {
		if rss, vsz := value("process_resident_memory_bytes"), value("process_virtual_memory_bytes"); rss < 1<<20 || rss > vsz {
			t.Errorf("resident memory %v, virtual %v", rss, vsz)
		}
		if open, max := value("process_open_fds"), value("process_max_fds"); open < 3 || open > max {
			t.Errorf("open file descriptors %v, max %v", open, max)
		}
	}
}

// TestConcurrent observes from many goroutines while scraping: run with
// -race. Every request is counted once, in one series.
func TestConcurrent(t *testing.T) {
	m := New()
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				m.Observe("GET", fmt.Sprintf("GET /r%d", i%10), 200+w%2, time.Duration(i)*time.Millisecond)
			}
		})
	}
	for range 20 {
		scrape(t, m)
	}
	wg.Wait()

	families, _ := scrape(t, m)
	var total float64
	series := families["http_requests_total"].GetMetric()
	for _, metric := range series {
		total += metric.GetCounter().GetValue()
	}
	if total != workers*each || len(series) != 20 {
		t.Errorf("%v requests in %d series, want %d in 20", total, len(series), workers*each)
	}
}

// Any valid UTF-8 route gives text that Prometheus parses back to it.
func FuzzRoutes(f *testing.F) {
	f.Add("GET /items/{id}")
	f.Add(`GET /a\"b"` + "\n{x...}")
	f.Add("GET /é")
	f.Fuzz(func(t *testing.T, route string) {
		if !utf8.ValidString(route) {
			t.Skip() // a ServeMux pattern is valid UTF-8
		}
		m := New()
		m.Observe("GET", route, 200, time.Millisecond)
		families, body := scrape(t, m)
		got := families["http_requests_total"].GetMetric()
		if len(got) != 1 || labels(got[0]) != "GET "+route+" 200" {
			t.Errorf("route %q: %v\n%s", route, got, body)
		}
	})
}

// labels returns the method, route and code labels joined by spaces.
func labels(m *dto.Metric) string {
	byName := map[string]string{}
	for _, p := range m.GetLabel() {
		byName[p.GetName()] = p.GetValue()
	}
	return byName["method"] + " " + byName["route"] + " " + byName["code"]
}
