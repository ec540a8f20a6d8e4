package main

import (
	"example.com/backend/internal/config"
	"example.com/backend/internal/metrics"
)

// addMetrics wires the metrics component: GET /-/metrics, and an observer
// of every request.
func addMetrics(cfg config.Config, s *service) error {
	m := metrics.New()
	s.handle("GET /-/metrics", m.Handler())
	s.observers = append(s.observers, m.Observe)
	return nil
}
