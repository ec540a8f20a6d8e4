// Command promclient is make bench's bare server with metrics from
// twelve.bench/variants/promclient/metrics on GET /-/metrics.
package main

import (
	"twelve.bench/variants/promclient/metrics"
	"twelve.bench/variants/serve"
)

func main() {
	m := metrics.New()
	serve.Main(serve.Options{Observe: m.Observe, Metrics: m.Handler()})
}
