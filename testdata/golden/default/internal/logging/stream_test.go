package logging

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/myservice/internal/config"
)

// sink records each write it is given. Until it is released, every write
// waits.
type sink struct {
	mu      sync.Mutex
	writes  []string
	open    chan struct{}
	release func()
	err     error
}

func newSink(open bool) *sink {
	s := &sink{open: make(chan struct{})}
	s.release = sync.OnceFunc(func() { close(s.open) })
	if open {
		s.release()
	}
	return s
}

func (s *sink) Write(p []byte) (int, error) {
	<-s.open
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes = append(s.writes, string(p))
	return len(p), s.err
}

func (s *sink) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.writes, "")
}

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.writes)
}

// Lines from many goroutines come out whole, each goroutine's in order.
func TestStreamKeepsEveryLineInOrder(t *testing.T) {
	w := newSink(true)
	s := NewStream(w)
	const goroutines, lines = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range lines {
				fmt.Fprintf(s, "%d %d %s\n", g, i, strings.Repeat("x", i%50))
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	next := make([]int, goroutines)
	got := strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n")
	for _, line := range got {
		var g, i int
		if _, err := fmt.Sscanf(line, "%d %d", &g, &i); err != nil || line != fmt.Sprintf("%d %d %s", g, i, strings.Repeat("x", i%50)) {
			t.Fatalf("line %q is not whole", line)
		}
		if g < 0 || g >= goroutines || i != next[g] {
			t.Fatalf("line %q out of order: want line %d of goroutine %d", line, next[g], g)
		}
		next[g]++
	}
	if len(got) != goroutines*lines {
		t.Errorf("%d lines written, want %d", len(got), goroutines*lines)
	}
}

// The lines logged while a write is under way go out together in the next
// write, not one write each.
func TestStreamGathersLinesDuringAWrite(t *testing.T) {
	w := newSink(false)
	s := NewStream(w)
	defer s.Close()
	defer w.release() // before Close, should the test fail
	fmt.Fprintln(s, "first")
	waitFor(t, func() bool { // the writer has taken the first line and waits in Write
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.queue) == 0
	})
	for i := range 10 {
		fmt.Fprintln(s, "then", i)
	}
	w.release()
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	if n := w.count(); n != 2 {
		t.Errorf("%d writes, want 2: the first line, then the ten logged during it", n)
	}
	if got := w.String(); !strings.HasPrefix(got, "first\nthen 0\n") || !strings.HasSuffix(got, "then 9\n") {
		t.Errorf("written %q", got)
	}
}

// When the reader of the output stalls, Write blocks once the queue is
// full, rather than holding lines without end.
func TestStreamBlocksWhenFull(t *testing.T) {
	w := newSink(false)
	s := NewStream(w)
	s.limit = 64
	defer s.Close()
	defer w.release()
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		for range 100 {
			fmt.Fprintln(s, strings.Repeat("y", 20))
		}
	}()
	select {
	case <-returned:
		t.Fatal("100 lines of 21 bytes were taken while nothing could be written and the queue holds 64 bytes")
	case <-time.After(100 * time.Millisecond):
	}
	w.release()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("Write still blocked after the output was unblocked")
	}
	if err := s.Sync(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(w.String(), "\n"); got != 100 {
		t.Errorf("%d lines written, want 100", got)
	}
}

// A warning is written by the time the call that logs it returns.
func TestWarningIsWrittenWhenLogged(t *testing.T) {
	w := newSink(true)
	s := NewStream(w)
	defer s.Close()
	logger := New(s, config.LogJSON, new(slog.LevelVar)).With("component", "test")
	for i := range 100 {
		logger.Warn("careful", "i", i)
		if got := w.String(); !strings.Contains(got, fmt.Sprintf(`"i":%d}`, i)) {
			t.Fatalf("warning %d not written when Warn returned; written so far:\n%s", i, got)
		}
	}
}

// Close writes every line queued; later lines are written at once; Close
// reports a failed write.
func TestStreamClose(t *testing.T) {
	w := newSink(true)
	w.err = errors.New("disk full")
	s := NewStream(w)
	for i := range 1000 {
		fmt.Fprintln(s, "line", i)
	}
	if err := s.Close(); err == nil || err.Error() != "disk full" {
		t.Errorf("Close = %v, want the write's error", err)
	}
	if _, err := fmt.Fprintln(s, "after"); err == nil {
		t.Error("a write after Close did not report the error of the output")
	}
	got := w.String()
	if !strings.HasSuffix(got, "line 999\nafter\n") || strings.Count(got, "\n") != 1001 {
		t.Errorf("%d lines written, ending %q", strings.Count(got, "\n"), got[max(0, len(got)-30):])
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}

// BenchmarkAccessLine is the cost of one access-log line written to a
// file, straight and through a Stream: compare the two (ns/op).
func BenchmarkAccessLine(b *testing.B) {
	for _, name := range []string{"direct", "stream"} {
		b.Run(name, func(b *testing.B) {
			f, err := os.Create(filepath.Join(b.TempDir(), "log"))
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			var out io.Writer = f
			var s *Stream
			if name == "stream" {
				s = NewStream(f)
				out = s
			}
			logger := New(out, config.LogJSON, new(slog.LevelVar))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					logger.Info("request", "method", "GET", "path", "/-/healthy", "status", 200, "bytes", 30,
						"duration", 15*time.Microsecond, "remote_addr", "127.0.0.1:54321", "request_id", "0123456789abcdef0123456789abcdef")
				}
			})
			if s != nil {
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
