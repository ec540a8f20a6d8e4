package metrics

import (
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestObserve(t *testing.T) {
	m := New()
	m.Observe("GET", "GET /hello", 200, 10*time.Millisecond)
	m.Observe("GET", "GET /hello", 200, 20*time.Millisecond)
	m.Observe("GET", "unmatched", 404, time.Millisecond)
	m.Observe("BREW", "unmatched", 405, time.Millisecond)

	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/-/metrics", nil))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(w.Body)
	if err != nil {
		t.Fatalf("parsing the metrics: %v", err)
	}

	// Counters by "method route code", and sample counts of the histogram.
	counts, samples := map[string]float64{}, map[string]uint64{}
	for _, metric := range families["http_requests_total"].GetMetric() {
		counts[labels(metric.GetLabel())] = metric.GetCounter().GetValue()
	}
	for _, metric := range families["http_request_duration_seconds"].GetMetric() {
		samples[labels(metric.GetLabel())] = metric.GetHistogram().GetSampleCount()
	}
	want := map[string]float64{"GET GET /hello 200": 2, "GET unmatched 404": 1, "OTHER unmatched 405": 1}
	for key, n := range want {
		if counts[key] != n || samples[key] != uint64(n) {
			t.Errorf("%s: counter %v, histogram count %v, want %v", key, counts[key], samples[key], n)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("http_requests_total = %v, want %v", counts, want)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if families[name] == nil {
			t.Errorf("%s is missing", name)
		}
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
