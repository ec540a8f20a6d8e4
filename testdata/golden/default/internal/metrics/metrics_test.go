package metrics

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"net/http/httptest"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
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
	if got := w.Header().Get("Content-Type"); got != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
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
	m.Observe("GET", "GET /say/\"{word}\"\\\n\xff", 200, time.Second)
	families, body := scrape(t, m)

	// Counters by "method route code", and the histograms.
	counts, histograms := map[string]float64{}, map[string]*dto.Histogram{}
	for _, metric := range families["http_requests_total"].GetMetric() {
		counts[labels(metric.GetLabel())] = metric.GetCounter().GetValue()
	}
	for _, metric := range families["http_request_duration_seconds"].GetMetric() {
		histograms[labels(metric.GetLabel())] = metric.GetHistogram()
	}
	want := map[string]float64{
		"GET GET /hello 200":                    3,
		"GET unmatched 404":                     1,
		"OTHER unmatched 405":                   1,
		"GET GET /say/\"{word}\"\\\n\uFFFD 200": 1, // escaped; invalid UTF-8 replaced
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
	var bounds []float64
	cumulative := map[float64]uint64{}
	for _, b := range h.GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
		cumulative[b.GetUpperBound()] = b.GetCumulativeCount()
	}
	// The parser keeps +Inf as a bucket: the default buckets, then +Inf.
	if want := []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, math.Inf(1)}; !slices.Equal(bounds, want) {
		t.Errorf("buckets %v, want %v", bounds, want)
	}
	for bound, n := range map[float64]uint64{.005: 0, .01: 1, .025: 2, 10: 2, math.Inf(1): 3} {
		if cumulative[bound] != n {
			t.Errorf("bucket le=%v: %d, want %d", bound, cumulative[bound], n)
		}
	}
	for key, h := range histograms {
		prev := uint64(0)
		for _, b := range h.GetBucket() {
			if b.GetCumulativeCount() < prev {
				t.Errorf("%q: bucket le=%v is %d, below the one before, %d", key, b.GetUpperBound(), b.GetCumulativeCount(), prev)
			}
			prev = b.GetCumulativeCount()
		}
		if prev != h.GetSampleCount() {
			t.Errorf("%q: +Inf bucket %d, count %d", key, prev, h.GetSampleCount())
		}
	}
}

func TestRuntimeAndProcess(t *testing.T) {
	families, body := scrape(t, New())
	for _, name := range []string{
		"go_gc_duration_seconds", "go_goroutines", "go_info", "go_threads",
		"go_memstats_alloc_bytes", "go_memstats_heap_alloc_bytes", "go_memstats_heap_inuse_bytes",
		"go_memstats_sys_bytes", "go_sched_gomaxprocs_threads",
	} {
		if families[name] == nil {
			t.Errorf("%s is missing", name)
		}
	}
	// value is the value of the family's one series, 0 if it has none.
	value := func(name string) float64 {
		for _, metric := range families[name].GetMetric() {
			return metric.GetGauge().GetValue() + metric.GetCounter().GetValue()
		}
		return 0
	}
	if got := value("go_goroutines"); got < 1 {
		t.Errorf("go_goroutines %v", got)
	}
	if got := value("go_sched_gomaxprocs_threads"); got != float64(runtime.GOMAXPROCS(0)) {
		t.Errorf("go_sched_gomaxprocs_threads %v, want %d", got, runtime.GOMAXPROCS(0))
	}
	if got := value("go_memstats_heap_alloc_bytes"); got <= 0 || got > value("go_memstats_sys_bytes") {
		t.Errorf("go_memstats_heap_alloc_bytes %v, sys %v", got, value("go_memstats_sys_bytes"))
	}
	info := families["go_info"].GetMetric()
	if len(info) != 1 || labelValue(info[0], "version") != runtime.Version() || info[0].GetGauge().GetValue() != 1 {
		t.Errorf("go_info %v, want version %s", info, runtime.Version())
	}
	if runtime.GOOS != "linux" {
		return
	}
	for _, name := range []string{
		"process_cpu_seconds_total", "process_max_fds", "process_open_fds",
		"process_resident_memory_bytes", "process_start_time_seconds", "process_virtual_memory_bytes",
	} {
		if families[name] == nil {
			t.Errorf("%s is missing\n%s", name, body)
		}
	}
	if rss, vsz := value("process_resident_memory_bytes"), value("process_virtual_memory_bytes"); rss < 1<<20 || rss > vsz {
		t.Errorf("resident memory %v, virtual %v", rss, vsz)
	}
	if open, max := value("process_open_fds"), value("process_max_fds"); open < 3 || open > max {
		t.Errorf("open file descriptors %v, max %v", open, max)
	}
	// The test binary started a little while ago.
	started := time.Unix(0, int64(value("process_start_time_seconds")*1e9))
	if age := time.Since(started); age < 0 || age > time.Hour {
		t.Errorf("process_start_time_seconds is %v ago", age)
	}
	if cpu := value("process_cpu_seconds_total"); cpu <= 0 {
		t.Errorf("process_cpu_seconds_total %v", cpu)
	}
}

// Every runtime metric read is one this Go has, as a uint64: a name
// misspelt would leave its metric out without an error.
func TestRuntimeMetricNames(t *testing.T) {
	kinds := map[string]rtmetrics.ValueKind{}
	for _, d := range rtmetrics.All() {
		kinds[d.Name] = d.Kind
	}
	for _, name := range runtimeMetrics {
		if kinds[name] != rtmetrics.KindUint64 {
			t.Errorf("runtime/metrics has no uint64 %s", name)
		}
	}
}

// TestFormat checks what the parser forgives: the Go client's layout,
// families sorted by name, each with HELP and TYPE, and names, units and
// help that Prometheus's linter accepts.
func TestFormat(t *testing.T) {
	m := New()
	m.Observe("POST", "POST /items", 201, time.Millisecond)
	m.Observe("GET", "GET /items/{id}", 200, time.Millisecond)
	m.Observe("GET", "GET /items/{id}", 404, time.Millisecond)
	families, body := scrape(t, m)

	var names []string
	for line := range strings.Lines(string(body)) {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			names = append(names, strings.Fields(name)[0])
		}
	}
	if !slices.IsSorted(names) || len(names) != len(families) {
		t.Errorf("families %v, want each once and sorted", names)
	}
	for name, f := range families {
		if f.GetHelp() == "" {
			t.Errorf("%s has no HELP", name)
		}
	}
	var routes []string
	for _, metric := range families["http_requests_total"].GetMetric() {
		routes = append(routes, labels(metric.GetLabel()))
	}
	if want := []string{"GET GET /items/{id} 200", "POST POST /items 201", "GET GET /items/{id} 404"}; !slices.Equal(routes, want) {
		t.Errorf("series in the order %q, want %q (by code, method, route)", routes, want)
	}
	if !bytes.Contains(body, []byte(`http_requests_total{code="200",method="GET",route="GET /items/{id}"} 1`+"\n")) {
		t.Errorf("no counter line as the Go client writes it:\n%s", body)
	}

	problems, err := promlint.New(bytes.NewReader(body)).Lint()
	if err != nil {
		t.Fatalf("promlint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

// TestConcurrent observes from many goroutines while scraping: run with
// -race. Every request is counted once, in one series.
func TestConcurrent(t *testing.T) {
	m := New()
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				route := fmt.Sprintf("GET /r%d", i%10)
				m.Observe("GET", route, 200+w%2, time.Duration(i)*time.Millisecond)
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			families, _ := scrape(t, m)
			for _, metric := range families["http_request_duration_seconds"].GetMetric() {
				h := metric.GetHistogram()
				if b := h.GetBucket(); b[len(b)-1].GetCumulativeCount() != h.GetSampleCount() {
					t.Errorf("during requests: +Inf %d, count %d", b[len(b)-1].GetCumulativeCount(), h.GetSampleCount())
				}
			}
		}
	}()
	wg.Wait()
	<-done

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

// Any two routes give text that Prometheus parses back to them, invalid
// UTF-8 replaced; two that become the same share a series.
func FuzzRoutes(f *testing.F) {
	f.Add("GET /items/{id}", "POST /items")
	f.Add(`GET /a\"b"`, "GET /a\n{x...}")
	f.Add("\xff", "\xfe")
	f.Add("GET /é", "GET /é")
	f.Fuzz(func(t *testing.T, a, b string) {
		m := New()
		m.Observe("GET", a, 200, time.Millisecond)
		m.Observe("GET", b, 200, time.Second)
		families, body := scrape(t, m)
		got := map[string]float64{}
		for _, metric := range families["http_requests_total"].GetMetric() {
			got[labelValue(metric, "route")] += metric.GetCounter().GetValue()
		}
		want := map[string]float64{}
		want[strings.ToValidUTF8(a, "\uFFFD")]++
		want[strings.ToValidUTF8(b, "\uFFFD")]++
		if !maps.Equal(got, want) || len(families["http_request_duration_seconds"].GetMetric()) != len(want) {
			t.Errorf("routes %q and %q: counters by route %v, want %v\n%s", a, b, got, want, body)
		}
	})
}

// An observation of a known series does not allocate: it is on every
// request's path.
func TestObserveAllocs(t *testing.T) {
	m := New()
	m.Observe("GET", "GET /hello", 200, time.Millisecond)
	if n := testing.AllocsPerRun(100, func() {
		m.Observe("GET", "GET /hello", 200, time.Millisecond)
	}); n != 0 {
		t.Errorf("Observe allocates %v times", n)
	}
}

func BenchmarkObserve(b *testing.B) {
	m := New()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Observe("GET", "GET /hello", 200, 3*time.Millisecond)
		}
	})
}

func BenchmarkScrape(b *testing.B) {
	m := New()
	for i := range 20 {
		m.Observe("GET", fmt.Sprintf("GET /r%d", i), 200, time.Millisecond)
	}
	h := m.Handler()
	r := httptest.NewRequest("GET", "/-/metrics", nil)
	for b.Loop() {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
}

// labels returns the method, route and code labels joined by spaces.
func labels(pairs []*dto.LabelPair) string {
	byName := map[string]string{}
	for _, p := range pairs {
		byName[p.GetName()] = p.GetValue()
	}
	return byName["method"] + " " + byName["route"] + " " + byName["code"]
}

func labelValue(m *dto.Metric, name string) string {
	for _, p := range m.GetLabel() {
		if p.GetName() == name {
			return p.GetValue()
		}
	}
	return ""
}
