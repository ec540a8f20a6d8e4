package main

import (
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"example.com/grown/internal/config"
	"example.com/grown/internal/server"
)

// TestYourMetrics defines a counter as a handler does, on
// deps.Backing.Metrics, and finds it on GET /-/metrics.
func TestYourMetrics(t *testing.T) {
	var s service
	if err := addMetrics(config.Config{}, &s); err != nil {
		t.Fatal(err)
	}
	h := server.NewServer(server.Deps{
		Logger:    slog.New(slog.DiscardHandler),
		Level:     new(slog.LevelVar),
		Routes:    s.routes,
		Observers: s.observers,
		Backing:   s.backing,
	})
	signups := s.backing.Metrics.NewCounter("signups_total")
	signups.Add(2)

	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/-/metrics", nil))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(w.Body)
	if err != nil {
		t.Fatalf("GET /-/metrics: %d, %v", w.Code, err)
	}
	if got := families["signups_total"].GetMetric(); len(got) != 1 || got[0].GetCounter().GetValue() != 2 {
		t.Errorf("signups_total = %v, want 2", got)
	}
}
