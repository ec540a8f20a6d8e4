package main

import (
	"log/slog"
	"net/http/httptest"
	"testing"

	vm "github.com/VictoriaMetrics/metrics"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"example.com/grown/internal/config"
	"example.com/grown/internal/server"
)

// signups is defined as the README says a handler file defines a metric.
var signups = vm.NewCounter("signups_total")

// TestYourMetrics finds a counter of yours, defined so, on GET /-/metrics.
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
