//go:build generated

// Command svcmetrics is make bench's bare server with the metrics that
// twelve generates today: the metrics component's internal/metrics (on
// VictoriaMetrics/metrics since issue 18), which make bench copies from a
// fresh twelve new into generated/metrics before building with -tags
// generated.
package main

import (
	"twelve.bench/variants/generated/metrics"
	"twelve.bench/variants/serve"
)

func main() {
	m := metrics.New()
	serve.Main(serve.Options{Observe: m.Observe, Metrics: m.Handler()})
}
