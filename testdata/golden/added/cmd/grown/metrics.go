package main

import (
	"example.com/grown/internal/config"
	"example.com/grown/internal/metrics"
)

// addMetrics wires the metrics component: GET /-/metrics, an observer of
// every request, and its Set for handlers, deps.Backing.Metrics.
func addMetrics(cfg config.Config, s *service) error {
	m := metrics.New()
	s.handle("GET /-/metrics", m.Handler())
	s.observers = append(s.observers, m.Observe)
	s.backing.Metrics = m.Set
	return nil
}
