// Command victoria is make bench's bare server with metrics from
// twelve.bench/variants/victoria/metrics on GET /-/metrics.
package main

import (
	"twelve.bench/variants/serve"
	"twelve.bench/variants/victoria/metrics"
)

func main() {
	m := metrics.New()
	serve.Main(serve.Options{Observe: m.Observe, Metrics: m.Handler()})
}
