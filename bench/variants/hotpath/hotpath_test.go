//go:build generated

// Package hotpath times, as Go benchmarks, the per-request work that
// section 6 of make bench measures whole: one Observe of each metrics
// package, and one access-log line written straight to a file or through
// the generated service's logging.Stream. It needs the generated files
// that make bench copies; run it in the copy that make bench -keep leaves
// (its variants folder):
//
//	go test -tags generated -bench . -cpu 1 ./hotpath
package hotpath

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"twelve.bench/variants/generated/logging"
	hand "twelve.bench/variants/generated/metrics"
	prom "twelve.bench/variants/promclient/metrics"
	vm "twelve.bench/variants/victoria/metrics"
)

type observer interface {
	Observe(method, route string, status int, d time.Duration)
}

func observe(b *testing.B, o observer) {
	b.ReportAllocs()
	for b.Loop() {
		o.Observe("GET", "GET /hello", 200, 3*time.Millisecond)
	}
}

func BenchmarkObserveHandwritten(b *testing.B)     { observe(b, hand.New()) }
func BenchmarkObserveClientGolang(b *testing.B)    { observe(b, prom.New()) }
func BenchmarkObserveVictoriaMetrics(b *testing.B) { observe(b, vm.New()) }

// accessLine logs the line serve's middleware logs, once per iteration.
func accessLine(b *testing.B, l *slog.Logger) {
	ctx := context.Background()
	for b.Loop() {
		l.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", "GET"), slog.String("path", "/-/healthy"),
			slog.Int("status", 200), slog.Int64("bytes", 30),
			slog.Duration("duration", 35*time.Microsecond), slog.String("remote_addr", "127.0.0.1:53412"))
	}
}

// logFile is a new file, as stdout is when a supervisor redirects it.
func logFile(b *testing.B) *os.File {
	f, err := os.Create(filepath.Join(b.TempDir(), "log"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

func BenchmarkAccessLineStraight(b *testing.B) {
	accessLine(b, slog.New(slog.NewJSONHandler(logFile(b), nil)))
}

func BenchmarkAccessLineStream(b *testing.B) {
	s := logging.NewStream(logFile(b))
	defer s.Close()
	accessLine(b, slog.New(slog.NewJSONHandler(s, nil)))
}
