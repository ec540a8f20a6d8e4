package logging

import (
	"io"
	"runtime"
	"sync"
)

// maxQueued is how many bytes of log lines may wait for a write before
// Write blocks: when the reader of stdout stalls, the service slows down
// with it instead of holding lines without end.
const maxQueued = 1 << 20

// Stream writes log lines to w in the order they come, as soon as it can,
// and takes those writes off the goroutines that log: a request's access
// line costs a copy, not a system call. While a write is under way, the
// lines logged meanwhile gather and go out together in the next one, so
// under load many lines share one write and none waits for a timer or a
// size; when the service is idle every line is written at once.
//
// A line that Write has taken is not yet written: Sync waits until it is,
// and Close writes what is left. New makes every record at WARN or above
// wait, so that the last lines before a crash are out. Lines still waiting
// when the process dies of a panic are lost.
type Stream struct {
	w     io.Writer
	limit int // maxQueued, but for tests

	mu      sync.Mutex
	changed sync.Cond // broadcast when queued lines are taken or written
	queue   []byte    // lines waiting for the next write
	spare   []byte    // the buffer of the last write, reused for the next queue
	queued  int64     // bytes queued since the start
	written int64     // bytes written since the start
	busy    bool      // the writer has been woken and has not gone idle
	closed  bool
	err     error // the first write error

	wake chan struct{} // wakes the writer; it holds at most one wake-up
	done chan struct{} // closed when the writer has stopped
}

// NewStream returns a Stream writing to w. Close it when done.
func NewStream(w io.Writer) *Stream {
	s := &Stream{w: w, limit: maxQueued, wake: make(chan struct{}, 1), done: make(chan struct{})}
	s.changed.L = &s.mu
	go s.writeAll()
	return s
}

// Write queues a copy of p, a whole line, for the writer, and wakes it
// unless it is awake. It blocks while too much is waiting. Once the Stream
// is closed it writes p itself.
func (s *Stream) Write(p []byte) (int, error) {
	s.mu.Lock()
	for len(s.queue) >= s.limit && !s.closed {
		s.changed.Wait()
	}
	if s.closed {
		s.mu.Unlock()
		<-s.done // the lines queued before Close go first
		return s.w.Write(p)
	}
	s.queue = append(s.queue, p...)
	s.queued += int64(len(p))
	if !s.busy {
		s.busy = true
		s.wake <- struct{}{} // never blocks: busy is set until the writer has taken this
	}
	s.mu.Unlock()
	return len(p), nil
}

// writeAll is the writer: once woken, it writes the queue until it is
// empty, then sleeps again.
func (s *Stream) writeAll() {
	defer close(s.done)
	for range s.wake {
		// Let the goroutines that are ready to run log their lines first,
		// so that one write carries them all: with one CPU, the writer
		// would otherwise run after every request and write a single line.
		runtime.Gosched()
		s.mu.Lock()
		for len(s.queue) > 0 {
			b := s.queue
			s.queue, s.spare = s.spare[:0], nil
			s.changed.Broadcast() // room in the queue again
			s.mu.Unlock()
			_, err := s.w.Write(b)
			s.mu.Lock()
			s.written += int64(len(b))
			if err != nil && s.err == nil {
				s.err = err
			}
			s.spare = b[:0]
			s.changed.Broadcast() // for Sync
		}
		s.busy = false
		s.mu.Unlock()
	}
}

// Sync waits until every line queued before it is written, and returns
// the first error that writing any line met.
func (s *Stream) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for until := s.queued; s.written < until; {
		s.changed.Wait()
	}
	return s.err
}

// Close writes the lines still queued, stops the writer and returns the
// first error that writing any line met. Lines written after Close are
// written at once, by the goroutine that logs them.
func (s *Stream) Close() error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.wake) // the writer empties the queue, then stops
		s.changed.Broadcast()
	}
	s.mu.Unlock()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
